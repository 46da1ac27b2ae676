"""Live viewers of the Photo page's live camera, without a browser each: N viewers send camera
frames through Streamlit's own protocol exactly as the component does, optionally while the
teacher trains the quick preset.

    python bench/live.py --viewers 1 --seconds 60                    # the projector
    python bench/live.py --viewers 20 --seconds 60 --with-training   # a class of phones

Each viewer is a ProtocolClient (bench/classroom.py): it opens Photo, turns "Live camera" on,
and then, like pages/ui/live_component.py, sends a frame as the component's "frame" trigger
value ({n, jpeg}: a real photo from --photos, downscaled to FRAME_EDGE pixels, JPEG at
JPEG_QUALITY, a different photo each time) with a rerun of the live fragment only; it waits
for the answer (the component mounted again with answered = n, beside an answer box) and
sends the next one no sooner than 1/MAX_FPS after the previous. Frame -> answer latency is
the time from sending to the end of that fragment run. Each viewer's first frame (the
model's not-sure calibration is fitted then, once per model) is sent before the clock starts.

Prints one JSON object: answers per viewer per second (min, median, max, each), latency
p50/p95/max, the server's and the training workers' CPU (100 = one core, from /proc) over
the timed window, the peak resident memory of the server and its workers (and the server's
at the start and end of the window: per-frame data must not pile up), and whether the
training finished; `targets` says which of issue 21's targets held (one viewer >= 3 answers/s
with p95 <= 0.5 s; several viewers >= 0.5 answers/s each with p95 <= 2 s; peak RSS <= 2 GB;
the training finished) on this machine, at its load (`load_average`). Exit status 1 when a
viewer got no answer, an error happened, or a training that was started did not finish.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from classroom import (
    MemorySampler,
    ProtocolClient,
    component_states,
    job_state,
    percentile,
    pick_photos,
    teacher,
    tree_rss_mb,
    wait_for_job,
)
from server import StreamlitServer

from pages.ui.live_camera import FRAME_EDGE, JPEG_QUALITY, MAX_FPS

LIVE_COMPONENT = "fashion_studio.live_camera"
PHOTOS_PER_VIEWER = 6


# --- frames, as the component makes them ---------------------------------------------------------

def camera_frame(photo: Path) -> str:
    """A photo as the browser sends a camera frame: upright, longer side FRAME_EDGE, JPEG, base64."""
    from PIL import Image, ImageOps
    with Image.open(photo) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
        im.thumbnail((FRAME_EDGE, FRAME_EDGE))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=round(100 * JPEG_QUALITY))
    return base64.b64encode(buf.getvalue()).decode()


# --- CPU of the server and its workers -----------------------------------------------------------

def cpu_seconds(root: int) -> tuple[float, float]:
    """(CPU seconds of the server process, of its living descendants), user + system, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    parents, used = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            fields = text[text.rindex(")") + 2:].split()
        except (OSError, ValueError):
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        used[pid] = sum(int(f) for f in fields[11:15]) / tick      # utime, stime, and of reaped children
    family, frontier = set(), [root]
    while frontier:
        pid = frontier.pop()
        family.add(pid)
        frontier += [child for child, parent in parents.items() if parent == pid and child not in family]
    return used.get(root, 0.0), sum(used.get(p, 0.0) for p in family - {root})


# --- one viewer ----------------------------------------------------------------------------------

class Viewer:
    """One browser with the live camera on: its session, its frames, what it measured."""

    def __init__(self, i: int, url: str, frames: list[str], timeout: float):
        self.i, self.frames = i, frames
        self.client = ProtocolClient(url, "photo", timeout)
        self.n = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.kinds: dict[str, int] = {}

    async def start(self) -> None:
        """Open Photo and turn the live camera on: its component and the fragment it is drawn in."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState
        await self.client.open()
        await self.client.rerun()
        toggle = self.client.find("checkbox", lambda c: c.id.endswith("photo_live_on"))
        if toggle is None:
            raise RuntimeError("the Photo page shows no Live camera toggle")
        self.on = WidgetState(id=toggle.id, bool_value=True)
        await self.client.rerun([self.on])
        camera = self.client.find("bidi_component", lambda c: c.component_name == LIVE_COMPONENT)
        if camera is None:
            raise RuntimeError("the live camera did not appear")
        self.camera_id = camera.id
        self.fragment = self.client.fragment_of("bidi_component", camera.id)
        if not self.fragment:
            raise RuntimeError("the live camera is not drawn in an st.fragment")
        # the camera works: the component says so (its state "error" = "") before its first frame
        self.widgets = [self.on] + component_states(self.camera_id, state={"error": ""})
        await self.client.rerun(self.widgets, fragment_id=self.fragment)

    async def frame(self) -> float | None:
        """Send the next frame, wait for its answer: the latency, or None (an error, noted)."""
        self.n += 1
        value = {"n": self.n, "jpeg": self.frames[self.n % len(self.frames)]}
        t0 = time.monotonic()
        await self.client.rerun(self.widgets + component_states(self.camera_id, trigger=("frame", value)),
                                fragment_id=self.fragment)
        seconds = time.monotonic() - t0
        camera = self.client.find("bidi_component", lambda c: c.component_name == LIVE_COMPONENT)
        answered = json.loads(camera.json or "{}").get("answered") if camera is not None else None
        said = [a for a in self.client.alerts() if a.format in (2, 4)]   # WARNING (not sure / unusable), SUCCESS
        if answered != self.n or not said:
            self.errors.append(f"frame {self.n}: answered={answered}, boxes={len(said)}")
            return None
        kind = "sure" if said[0].format == 4 else "not sure or unusable"
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.errors += self.client.exceptions()
        return seconds

    async def run(self, go: asyncio.Event, window: list) -> None:
        """After `go`, frames one after the other, at most MAX_FPS a second, until window[1]."""
        await go.wait()
        last = float("-inf")
        while time.monotonic() < window[1]:
            early = last + 1 / MAX_FPS - time.monotonic()
            if early > 0:
                await asyncio.sleep(early)
            last = time.monotonic()
            seconds = await self.frame()
            if seconds is not None and time.monotonic() <= window[1]:
                self.latencies.append(seconds)


async def live(server: StreamlitServer, viewers: list[Viewer], seconds: float, with_training: bool,
               timeout: float, train_timeout: float) -> dict:
    out = {"teacher": {"errors": []}, "job": None}
    t0 = time.monotonic()
    started = await asyncio.gather(*(v.start() for v in viewers), return_exceptions=True)
    for v, e in zip(viewers, started):
        if isinstance(e, Exception):
            v.errors.append(f"{type(e).__name__}: {str(e)[:200]}")
    ready = [v for v in viewers if not v.errors]
    warm = await asyncio.gather(*(v.frame() for v in ready), return_exceptions=True)   # the calibration, once
    out["warmup_s"] = round(time.monotonic() - t0, 1)
    for v, w in zip(ready, warm):
        if isinstance(w, Exception):
            v.errors.append(f"warm-up: {type(w).__name__}: {str(w)[:200]}")
    if with_training:
        out["teacher"] = await teacher(server.url, timeout)
        await wait_for_job(server.home, ("running",), timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:             # its first batches, so the load is real
            state = job_state(server.home) or {}
            if state.get("history") or state.get("state") not in ("queued", "running") or \
                    state.get("phase") not in ("waiting", "preparing"):
                break
            await asyncio.sleep(0.5)
    go = asyncio.Event()
    running = [v for v in viewers if not v.errors]
    window = [0.0, 0.0]                                # set when the clock starts
    tasks = [asyncio.create_task(v.run(go, window)) for v in running]
    cpu_before = cpu_seconds(server.proc.pid)
    out["server_rss_start_mb"] = tree_rss_mb(server.proc.pid)[0]
    window[0] = time.monotonic()
    window[1] = window[0] + seconds
    go.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    out["window_s"] = time.monotonic() - window[0]
    cpu_after = cpu_seconds(server.proc.pid)
    out["server_rss_end_mb"] = tree_rss_mb(server.proc.pid)[0]
    out["cpu_s"] = (cpu_after[0] - cpu_before[0], max(0.0, cpu_after[1] - cpu_before[1]))
    for v, r in zip(running, results):
        if isinstance(r, Exception):
            v.errors.append(f"{type(r).__name__}: {str(r).splitlines()[0][:200] if str(r) else ''}")
    if with_training:
        out["job"] = await wait_for_job(server.home, ("done", "stopped", "failed", "cancelled"), train_timeout)
    await asyncio.gather(*(v.client.close() for v in viewers), return_exceptions=True)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--viewers", type=int, default=1, help="browsers with the live camera on")
    ap.add_argument("--seconds", type=float, default=60, help="length of the timed window")
    ap.add_argument("--with-training", action="store_true", help="the teacher trains the quick preset meanwhile")
    ap.add_argument("--photos", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "photos-dev",
                    help="folder of photos the frames are made from (sub-folders per class are taken in turn)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds any one step may take")
    ap.add_argument("--train-timeout", type=float, default=1200, help="seconds the training may take")
    ap.add_argument("--details", action="store_true", help="include every viewer's figures")
    a = ap.parse_args(argv)
    photos = pick_photos(a.photos, a.viewers * PHOTOS_PER_VIEWER)
    frames = [camera_frame(p) for p in photos]

    t_start = time.monotonic()
    with StreamlitServer() as server:
        viewers = [Viewer(i, server.url, frames[i * PHOTOS_PER_VIEWER:(i + 1) * PHOTOS_PER_VIEWER], a.timeout)
                   for i in range(a.viewers)]
        sampler = MemorySampler(server.proc.pid)
        sampler.start()
        run = asyncio.run(live(server, viewers, a.seconds, a.with_training, a.timeout, a.train_timeout))
        sampler.stop()
        alive = server.proc.poll() is None
        log = (server.home / "server.log").read_text(errors="replace")
    tracebacks = [next((line for line in chunk.splitlines()[1:] if line.strip() and not line.startswith(" ")), "?")[:200]
                  for chunk in log.split("Traceback (most recent call last):")[1:]]

    window = max(run.get("window_s") or 0.0, 1e-3)
    rates = [len(v.latencies) / window for v in viewers]
    latencies = [s for v in viewers for s in v.latencies]
    errors = [f"viewer {v.i}: {e}" for v in viewers for e in v.errors]
    errors += [f"teacher: {e}" for e in run["teacher"]["errors"]]
    errors += [f"server log: {e}" for e in tracebacks]
    if not alive:
        errors.append("the server died")
    job = run["job"] or {}
    p95 = percentile(latencies, 0.95)
    report = {
        "viewers": a.viewers,
        "seconds": round(window, 1),
        "with_training": a.with_training,
        "answers": len(latencies),
        "answers_per_viewer_per_s": {"min": round(min(rates), 2), "median": round(statistics.median(rates), 2),
                                     "max": round(max(rates), 2)},
        "latency_p50_s": percentile(latencies, 0.5),
        "latency_p95_s": p95,
        "latency_max_s": round(max(latencies), 2) if latencies else None,
        "server_cpu_percent": round(100 * run.get("cpu_s", (0, 0))[0] / window),
        "workers_cpu_percent": round(100 * run.get("cpu_s", (0, 0))[1] / window),
        "peak_rss_mb": round(sampler.peak_total),
        "peak_rss_server_mb": round(sampler.peak_server),
        "peak_rss_workers_mb": round(sampler.peak_workers),
        "peak_pss_mb": round(sampler.peak_pss),
        "server_rss_start_mb": round(run.get("server_rss_start_mb", 0)),      # flat memory: start vs end of
        "server_rss_end_mb": round(run.get("server_rss_end_mb", 0)),          # the window, frames and all
        "training_state": job.get("state"),
        "training_finished": job.get("state") == "done" if a.with_training else None,
        "training_fit_seconds": (job.get("result") or {}).get("fit_seconds"),
        "answers_by_kind": {k: sum(v.kinds.get(k, 0) for v in viewers) for k in ("sure", "not sure or unusable")},
        "warmup_s": run.get("warmup_s"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "wall_s": round(time.monotonic() - t_start, 1),
        "errors": len(errors),
        "error_list": errors[:40],
    }
    fast, slow = (3.0, 0.5) if a.viewers == 1 else (0.5, 2.0)
    report["targets"] = {
        f"each viewer >= {fast} answers/s": min(rates) >= fast,
        f"latency p95 <= {slow} s": p95 is not None and p95 <= slow,
        "peak RSS <= 2000 MB": sampler.peak_total <= 2000,
        **({"training finished": report["training_finished"]} if a.with_training else {}),
    }
    if a.details:
        report["per_viewer"] = [{"viewer": v.i, "answers_per_s": round(r, 2), "latency_p50_s": percentile(v.latencies, 0.5),
                                 "latency_p95_s": percentile(v.latencies, 0.95), "errors": v.errors[:5]}
                                for v, r in zip(viewers, rates)]
    print(json.dumps(report, ensure_ascii=False))
    ok = all(v.latencies for v in viewers) and not errors and (report["training_finished"] is not False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
