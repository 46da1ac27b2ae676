"""Live camera on the Classify-a-photo page: hold a garment up to the camera and watch the
network's answer follow it, with no click per frame.

The browser sends a small JPEG now and then (pages/ui/live_component.py); each one goes
through exactly what an upload goes through (fashion.photos.predict.prepare, then classify
with the page's Classifier and fitted Judge) in an st.fragment, so a frame reruns the live
part only. The session holds one frame waiting for its answer (the component's trigger is
a single slot, and the browser sends the next frame only after the answer), the latest
answer, and the few frames kept with "Keep this one" (their bytes, capped): memory stays
flat however long the camera runs. A kept frame joins the page's photos and gets the same
card, steps and Grad-CAM as an upload."""
from __future__ import annotations

import base64
import binascii
import dataclasses

import numpy as np
import streamlit as st

from fashion.i18n.numbers import fmt_pct
from fashion.photos import predict as pr
from pages.ui.display import enlarge
from pages.ui.live_component import ERROR_CODES, LABELS, live_camera
from pages.ui.scores import top_scores
from pages.ui.session import lang, tr
from pages.ui.widgets import projector

LIVE_ON_KEY = "photo_live_on"          # the "Live camera" toggle
COMPONENT_KEY = "photo_live"           # the camera component
PENDING_KEY = "photo_live_frame"       # session: the one frame waiting for its answer, (n, jpeg bytes)
ANSWER_KEY = "photo_live_answer"       # session: the latest LiveAnswer
KEPT_KEY = "photo_live_kept"           # session: [(number, jpeg bytes)] kept frames, oldest first
KEPT_CAP = 8
BOX_KEY = "photo_live_box"
MAX_FPS = 4                            # frames a second per browser, at most
FRAME_EDGE = 320                       # longer side of a frame, in pixels (the model input is drawn from 200)
JPEG_QUALITY = 0.8
MAX_FRAME_CHARS = 2_000_000            # base64 of a frame; a 320-pixel JPEG is ~20-40 KB


@dataclasses.dataclass
class LiveAnswer:
    """The answer to one frame: its number (the browser's counter), its JPEG (for "Keep this
    one"), the prediction without its pictures, and the 28x28 the network saw."""
    n: int
    frame: bytes
    prediction: pr.Prediction
    model_input: np.ndarray | None


# --- frames -------------------------------------------------------------------------------------

def frame_from(value) -> tuple[int, bytes] | None:
    """The component's "frame" trigger ({n, jpeg: base64}) as (n, bytes); None for anything else
    (a malformed or oversized value is dropped, never an error)."""
    if not isinstance(value, dict):
        return None
    n, text = value.get("n"), value.get("jpeg")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0 or not isinstance(text, str):
        return None
    if not text or len(text) > MAX_FRAME_CHARS:
        return None
    try:
        return n, base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def take_frame() -> None:
    """The component sent a frame: keep it in the one slot, for this run to answer."""
    state = st.session_state.get(COMPONENT_KEY)
    frame = frame_from(state.get("frame") if hasattr(state, "get") else None)
    if frame is not None:
        st.session_state[PENDING_KEY] = frame


def answer_frame(n: int, data: bytes, net, judge) -> LiveAnswer:
    """One frame through the same path as an upload: prepare (bounded decoder, photo ->
    28x28), then classify with the page's classifier and judge."""
    pred = pr.prepare(data, tr("photo.live.frame_name"))
    try:
        pr.classify(net, judge, [pred])
    except Exception as e:  # noqa: BLE001 (a model that cannot take this input: said in words, no stack trace)
        pred = pr.Prediction(file=pred.file, error=("photo.model_failed", {"error": str(e) or type(e).__name__}))
    model_input = None if pred.result is None else pred.result.model_input
    return LiveAnswer(n, data, dataclasses.replace(pred, result=None), model_input)


# --- kept frames ----------------------------------------------------------------------------------

def keep(answer: LiveAnswer) -> None:
    """Add the answered frame to the page's photos (once; the oldest go beyond KEPT_CAP)."""
    kept = list(st.session_state.get(KEPT_KEY) or [])
    if any(frame == answer.frame for _, frame in kept):
        return
    number = max((k for k, _ in kept), default=0) + 1
    kept.append((number, answer.frame))
    st.session_state[KEPT_KEY] = kept[-KEPT_CAP:]


def kept_sources() -> list[tuple[str, bytes]]:
    """The kept frames as the page's (name, bytes) photos, oldest first."""
    return [(tr("photo.live.kept_name", n=k), frame) for k, frame in st.session_state.get(KEPT_KEY) or []]


# --- the live part --------------------------------------------------------------------------------

def camera_data(answered: int, big: bool) -> dict:
    """What the component is mounted with: the last answered frame, the frame budget, the
    labels of its buttons in the page's language."""
    return {"answered": answered, "fps": MAX_FPS, "edge": FRAME_EDGE, "quality": JPEG_QUALITY, "big": big,
            "labels": {name: tr(f"photo.live.{name}") for name in LABELS}}


def show_answer(answer: LiveAnswer, class_names: list[str], big: bool) -> None:
    """The current answer: the class (large in projector mode), its calibrated probability or
    "not sure" and why, the top 3, and the 28x28 the network sees."""
    pred = answer.prediction
    if pred.error:
        st.warning(tr("photo.live.unusable", error=pred.error_text(lang())))
        return
    name = class_names[pred.label]
    shown = name if pred.sure else tr("photo.col.unsure", name=name)
    confidence = fmt_pct(pred.confidence, lang(), 0, whole=True)
    if big:
        st.title(f"{shown} · {confidence}", anchor=False)
    if pred.sure:
        st.success(tr("photo.answer", name=name, confidence=confidence))
    else:
        reason = pred.reason_text(lang())
        st.warning(tr("photo.not_sure", reason=reason[:1].upper() + reason[1:], name=name, confidence=confidence))
    if answer.model_input is not None:
        st.image(enlarge(answer.model_input), caption=tr("photo.card.input"), width=224 if big else 112)
    top_scores(pred, class_names)                 # the same bars as a photo's card


@st.fragment
def live_panel(net, judge, class_names: list[str]) -> None:
    """The camera and, beside it, the answer to its latest frame; a frame reruns only this."""
    ss = st.session_state
    pending = ss.pop(PENDING_KEY, None)
    if pending is not None:
        ss[ANSWER_KEY] = answer_frame(*pending, net, judge)
    answer: LiveAnswer | None = ss.get(ANSWER_KEY)
    big = projector()
    with st.container(key=BOX_KEY):
        video_col, answer_col = st.columns([1, 1] if big else [3, 2])
        with video_col:
            state = live_camera(camera_data(answer.n if answer else 0, big), COMPONENT_KEY, take_frame)
        with answer_col:
            error = state.get("error")
            if error:
                code = error if error in ERROR_CODES else "failed"
                st.error(tr(f"photo.live.error.{code}"))
                return
            if answer is None:
                st.info(tr("photo.live.waiting"))
                return
            show_answer(answer, class_names, big)
            if st.button(tr("photo.live.keep"), key="photo_live_keep", icon=":material/add_photo_alternate:",
                         help=tr("photo.live.keep_help"), disabled=bool(answer.prediction.error)):
                keep(answer)
                ss["photo_live_just_kept"] = True
                st.rerun()                # the whole page: the kept frame gets its card


def stop_live() -> None:
    """Live camera off: forget the frame and answer (the kept frames stay)."""
    for key in (PENDING_KEY, ANSWER_KEY):
        st.session_state.pop(key, None)


def live_section(net, judge, class_names: list[str]) -> None:
    """The live camera while its toggle is on (and a word when a frame was just kept)."""
    if not st.session_state.get(LIVE_ON_KEY):
        stop_live()
        return
    if st.session_state.pop("photo_live_just_kept", False):
        st.toast(tr("photo.live.kept"), icon=":material/check:")
    live_panel(net, judge, class_names)


def live_toggle(snapshot_key: str) -> bool:
    """The "Live camera" toggle. One camera at a time: turning it on turns the snapshot
    camera (the toggle `snapshot_key`) off, and the page calls switch_off_live when that one
    is turned on."""
    def turned() -> None:
        if st.session_state.get(LIVE_ON_KEY):
            st.session_state[snapshot_key] = False
    return st.toggle(tr("photo.live.on"), key=LIVE_ON_KEY, help=tr("photo.live.on_help"), on_change=turned)


def switch_off_live(snapshot_key: str) -> None:
    """The snapshot camera's toggle callback: it turns the live camera off."""
    if st.session_state.get(snapshot_key):
        st.session_state[LIVE_ON_KEY] = False
