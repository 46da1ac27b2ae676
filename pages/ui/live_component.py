"""The browser half of the live camera (pages/ui/live_camera.py): a component made with
Streamlit's public st.components.v2 API that shows the camera and sends frames.

In the browser, never on the server: getUserMedia (the rear camera first on a phone, with a
switch to the front one; a laptop's own camera), each frame downscaled in a canvas to
`edge` pixels on its longer side and sent as a JPEG through the trigger value "frame"
({n, jpeg}: a counter and the base64 bytes). The next frame leaves only once the server's
answer to this one has arrived (the data it mounts the component with says `answered: n`)
and never sooner than 1/fps after the previous one (at most 4 a second whatever the data
says), so a busy server lowers the frame rate instead of queueing frames. Pause, a hidden
tab, leaving the page and unmounting stop the camera's tracks (its light goes off). Once the
camera shows, it is scrolled into view if it is not (on a phone it starts below the uploader).

A camera that cannot start is reported as the state value "error" (a code: denied, none,
busy, insecure, failed) for the page to explain in its language; the component shows no
text of its own, only the labels it is given in `data`. A camera that works sets "error" to
"" before its first frame: Streamlit shows an on_<name>_change callback a trigger value
(through st.session_state[key]) only once the component has a state to present it with. No WebRTC, nothing loaded from
anywhere: the HTML, CSS and JS below are fixed strings (tests/test_safety.py)."""
from __future__ import annotations

import streamlit as st

ERROR_CODES = ("denied", "none", "busy", "insecure", "failed")
LABELS = ("pause", "resume", "flip", "starting", "paused")

_HTML = """
<div class="live" data-camera="off" data-sent="0">
  <div class="live-screen">
    <video class="live-video" muted playsinline autoplay></video>
    <canvas class="live-still" hidden></canvas>
    <p class="live-status" role="status" hidden></p>
  </div>
  <div class="live-bar">
    <button type="button" class="live-pause"></button>
    <button type="button" class="live-flip" hidden></button>
  </div>
</div>
"""

_CSS = """
.live { display: flex; flex-direction: column; gap: 0.5rem; font-family: var(--st-font, sans-serif);
        color: var(--st-text-color, #111); scroll-margin-top: 4.5rem; }
.live-screen { position: relative; display: flex; align-items: center; justify-content: center;
               min-height: 6rem; background: #000; border-radius: var(--st-base-radius, 0.5rem); overflow: hidden; }
.live-video, .live-still { display: block; width: 100%; max-height: min(40vh, 360px); object-fit: contain; }
.live.big .live-video, .live.big .live-still { max-height: min(68vh, 720px); }
.live-status { position: absolute; margin: 0; padding: 0.4rem 0.8rem; border-radius: 0.4rem;
               background: rgba(0, 0, 0, 0.65); color: #fff; }
.live-bar { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.live-bar button { font: inherit; min-height: 2.5rem; padding: 0.3rem 1rem; cursor: pointer;
                   border: 1px solid var(--st-border-color, #ccc); border-radius: var(--st-button-radius, 0.5rem);
                   background: var(--st-background-color, #fff); color: var(--st-text-color, #111); }
.live-bar button:hover { border-color: var(--st-primary-color, #1f4fd1); color: var(--st-primary-color, #1f4fd1); }
[hidden] { display: none !important; }
"""

_JS = """
const LIVE = new WeakMap();
const FASTEST_MS = 250;       // never more than 4 frames a second, whatever the data says
const WATCHDOG_MS = 15000;    // an answer lost on the way (its run interrupted): send a new frame
const TOP_BAR_PX = 72;        // Streamlit's top bar covers the page's first ~64 pixels

function cameraError(err) {
    const name = (err && err.name) || "";
    if (["NotAllowedError", "PermissionDeniedError", "SecurityError"].includes(name)) return "denied";
    if (["NotFoundError", "DevicesNotFoundError", "OverconstrainedError"].includes(name)) return "none";
    if (["NotReadableError", "TrackStartError", "AbortError"].includes(name)) return "busy";
    return "failed";
}

function makeLive(root) {
    const box = root.querySelector(".live");
    const video = root.querySelector(".live-video"), still = root.querySelector(".live-still");
    const status = root.querySelector(".live-status");
    const pauseButton = root.querySelector(".live-pause"), flipButton = root.querySelector(".live-flip");
    const grab = document.createElement("canvas");
    const s = {api: null, data: {}, started: false, alive: true, paused: false, hidden: document.hidden,
               facing: "environment", stream: null, ticket: 0, error: null, shown: false,
               n: 0, waiting: 0, sentAt: -Infinity, timer: null, watchdog: null};

    const label = (name) => {
        const labels = s.data.labels || {};
        return typeof labels[name] === "string" ? labels[name] : "";
    };
    const say = (text) => { status.textContent = text; status.hidden = !text; };
    const report = (code) => {
        if (code !== s.error) { s.error = code; s.api.setStateValue("error", code); }
    };

    function stopTracks() {
        s.ticket += 1;                          // a camera still opening is closed when it arrives
        if (s.stream) s.stream.getTracks().forEach((track) => track.stop());
        s.stream = null;
        video.srcObject = null;
        clearTimeout(s.timer);
        clearTimeout(s.watchdog);
        s.timer = s.watchdog = null;
        s.waiting = 0;
        box.dataset.camera = "off";
    }

    async function offerFlip() {
        try {
            const devices = await navigator.mediaDevices.enumerateDevices();
            flipButton.hidden = devices.filter((d) => d.kind === "videoinput").length < 2;
        } catch (err) {
            flipButton.hidden = true;
        }
    }

    async function open() {
        if (!s.alive || s.paused || s.hidden || s.stream) return;
        const media = navigator.mediaDevices;
        if (!window.isSecureContext || !media || typeof media.getUserMedia !== "function") {
            report("insecure");
            return;
        }
        const ticket = ++s.ticket;
        say(label("starting"));
        let stream;
        try {
            stream = await media.getUserMedia({audio: false, video: {
                facingMode: {ideal: s.facing}, width: {ideal: 640}, height: {ideal: 480}}});
        } catch (err) {
            if (ticket === s.ticket) { say(""); report(cameraError(err)); }
            return;
        }
        if (ticket !== s.ticket || !s.alive) {
            stream.getTracks().forEach((track) => track.stop());
            return;
        }
        s.stream = stream;
        video.srcObject = stream;
        video.hidden = false;
        still.hidden = true;
        box.dataset.camera = "on";
        video.play().catch(() => {});          // a muted inline video may always play
        say("");
        report("");
        offerFlip();
        schedule(0);
    }

    function bringIntoView() {               // once: on a phone the camera starts below the uploader
        const r = box.getBoundingClientRect();
        if (r.top < TOP_BAR_PX || r.bottom > window.innerHeight) box.scrollIntoView({block: "start", behavior: "smooth"});
    }

    function interval() {
        const fps = Number(s.data.fps);
        return Math.max(FASTEST_MS, fps > 0 ? 1000 / fps : FASTEST_MS);
    }

    function schedule(delay) {
        clearTimeout(s.timer);
        s.timer = setTimeout(send, Math.max(0, delay));
    }

    function send() {
        s.timer = null;
        if (!s.alive || s.paused || !s.stream || s.waiting) return;
        const w = video.videoWidth, h = video.videoHeight;
        if (video.readyState < 2 || !w || !h) { schedule(100); return; }
        if (!s.shown) { s.shown = true; bringIntoView(); }
        const early = s.sentAt + interval() - performance.now();
        if (early > 0) { schedule(early); return; }
        const edge = Math.min(640, Math.max(64, Number(s.data.edge) || 320));
        const scale = Math.min(1, edge / Math.max(w, h));
        grab.width = Math.max(1, Math.round(w * scale));
        grab.height = Math.max(1, Math.round(h * scale));
        grab.getContext("2d").drawImage(video, 0, 0, grab.width, grab.height);
        const quality = Math.min(0.95, Math.max(0.3, Number(s.data.quality) || 0.8));
        const url = grab.toDataURL("image/jpeg", quality);
        const n = ++s.n;
        s.waiting = n;
        s.sentAt = performance.now();
        box.dataset.sent = String(n);
        clearTimeout(s.watchdog);
        s.watchdog = setTimeout(() => { if (s.waiting === n) { s.waiting = 0; schedule(0); } }, WATCHDOG_MS);
        s.api.setTriggerValue("frame", {n: n, jpeg: url.slice(url.indexOf(",") + 1)});
    }

    function pause() {
        if (s.stream && video.videoWidth) {      // keep the last picture on screen, the camera off
            still.width = video.videoWidth;
            still.height = video.videoHeight;
            still.getContext("2d").drawImage(video, 0, 0);
            still.hidden = false;
            video.hidden = true;
        }
        s.paused = true;
        stopTracks();
        pauseButton.textContent = label("resume");
        say(label("paused"));
    }

    function resume() {
        s.paused = false;
        pauseButton.textContent = label("pause");
        say("");
        open();
    }

    function onVisibility() {
        s.hidden = document.hidden;
        if (s.hidden) stopTracks(); else open();
    }
    const onHide = () => stopTracks();

    pauseButton.addEventListener("click", () => (s.paused ? resume() : pause()));
    flipButton.addEventListener("click", () => {
        s.facing = s.facing === "environment" ? "user" : "environment";
        stopTracks();
        open();
    });
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", onHide);

    s.update = (data, api) => {
        s.api = api;
        s.data = data || {};
        box.classList.toggle("big", !!s.data.big);
        pauseButton.textContent = label(s.paused ? "resume" : "pause");
        flipButton.textContent = label("flip");
        if (s.paused) say(label("paused"));
        const answered = Number(s.data.answered) || 0;
        if (!s.started) {
            s.started = true;
            s.n = Math.max(s.n, answered);      // new frames count on from the session's last answer
            open();
        } else if (s.waiting && answered === s.waiting) {
            clearTimeout(s.watchdog);
            s.waiting = 0;
            schedule(0);
        }
    };
    s.cleanup = () => {
        s.alive = false;
        stopTracks();
        document.removeEventListener("visibilitychange", onVisibility);
        window.removeEventListener("pagehide", onHide);
        LIVE.delete(root);
    };
    return s;
}

export default function(component) {
    const { data, parentElement, setStateValue, setTriggerValue } = component;
    let live = LIVE.get(parentElement);
    if (!live) {
        live = makeLive(parentElement);
        LIVE.set(parentElement, live);
    }
    live.update(data, {setStateValue, setTriggerValue});
    return live.cleanup;
}
"""

_camera = None


def _state_changed() -> None:
    """Nothing to do when the camera's state changes: st.components.v2 reports a state or
    trigger value only for names mounted with an on_<name>_change callback."""


def live_camera(data: dict, key: str, on_frame, height="content"):
    """Mount the live camera; its result carries `frame` (this run's frame, or None) and
    `error` (the camera's error code, "" or None when it works)."""
    global _camera
    if _camera is None:
        _camera = st.components.v2.component("fashion_studio.live_camera", html=_HTML, css=_CSS, js=_JS)
    return _camera(data=data, key=key, on_frame_change=on_frame, on_error_change=_state_changed, height=height)
