"""A class at once: N students upload a photo each while the teacher trains a model.

One `streamlit run` server (its own empty studio home) and one Chromium with a browser
context per person, all driven together:

    1. every student opens the Photo page and the teacher the Train page, at the same time
       (the server starts cold: the first visitors also wait for the model and the data);
    2. the teacher starts the quick preset; once it trains, each student uploads a
       different real photo and waits for the answer (upload -> answer is timed);
    3. a latecomer starts a second training: it must wait in the queue and see its place,
       then leaves the queue;
    4. the teacher's training must finish with a test accuracy.

The server's resident memory (process and children, from /proc) is sampled throughout.
Prints one JSON object; exits 1 when a requirement fails: every student answered, no
exception element anywhere, peak RSS under --max-rss-mb, training finished.

    python bench/classroom.py                       # 20 students, photos from /work/shared/photos-dev
    python bench/classroom.py --sessions 5 --photos ~/my-photos

The photos are read where they are, at run time; nothing is copied.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer  # noqa: E402

from fashion.i18n import TABLE, t  # noqa: E402

PHOTO_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
UPLOADER = '[data-testid="stFileUploader"] input[type="file"]'
ANSWER = '[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"]'
REFUSED = '[data-testid="stAlertContentError"]'
EXCEPTION = '[data-testid="stException"]'
IDLE = ("() => { const s = document.querySelector('[data-testid=\"stStatusWidget\"]');"
        " return !s || !s.innerText.includes('Running'); }")


def prefix(key: str) -> str:
    """The English text of a message up to its first placeholder."""
    return TABLE[key][0].split("{")[0]


# --- photos -----------------------------------------------------------------------------------

def pick_photos(folder: Path, n: int) -> list[Path]:
    """n different photos, taken in turn from each sub-folder (class) so the class is mixed."""
    groups = [sorted(p for p in d.rglob("*") if p.suffix.lower() in PHOTO_TYPES)
              for d in sorted(folder.iterdir()) if d.is_dir()]
    groups = [g for g in groups if g] or [sorted(p for p in folder.iterdir() if p.suffix.lower() in PHOTO_TYPES)]
    picked, i = [], 0
    while len(picked) < n and any(i < len(g) for g in groups):
        picked += [g[i] for g in groups if i < len(g)]
        i += 1
    if len(picked) < n:
        raise SystemExit(f"{folder} holds only {len(picked)} photos; {n} are needed")
    return picked[:n]


# --- memory -------------------------------------------------------------------------------------

class MemorySampler(threading.Thread):
    """Peak RSS of the server, read from /proc every `every` seconds."""

    def __init__(self, server: StreamlitServer, every: float = 0.2):
        super().__init__(daemon=True)
        self.server, self.every = server, every
        self.peak = 0.0
        self.samples = 0
        self.series: list[tuple[float, float]] = []      # (monotonic time, MB)
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            now = self.server.rss_mb()
            self.series.append((time.monotonic(), now))
            self.peak = max(self.peak, now)
            self.samples += 1
            self._halt.wait(self.every)

    def peak_between(self, start: float | None, end: float | None) -> int | None:
        values = [mb for t, mb in self.series if (start is None or t >= start) and (end is None or t <= end)]
        return round(max(values)) if values else None

    def stop(self) -> float:
        self._halt.set()
        self.join()
        return self.peak


# --- the people ------------------------------------------------------------------------------------

async def idle(page, timeout_ms: float) -> None:
    await page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    await page.wait_for_function(IDLE, timeout=timeout_ms)


async def exceptions(page) -> list[str]:
    return [s[:300] for s in await page.locator(EXCEPTION).all_inner_texts()]


async def student(i: int, context, url: str, photo: Path, training_started: asyncio.Event, go: asyncio.Event,
                  timeout_ms: float) -> dict:
    out = {"session": i, "photo": f"{photo.parent.name}/{photo.name}", "answer": None, "seconds": None,
           "errors": []}
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    try:
        t0 = time.monotonic()
        await page.goto(url + "/photo")
        await page.get_by_text(t("photo.upload", "en")).wait_for()
        await idle(page, timeout_ms)
        out["open_seconds"] = round(time.monotonic() - t0, 2)
        await go.wait()                                   # everyone together, while the model trains
        data = photo.read_bytes()                         # read now, from where it is
        t0 = time.monotonic()
        await page.locator(UPLOADER).set_input_files(
            [{"name": photo.name, "mimeType": PHOTO_TYPES[photo.suffix.lower()], "buffer": data}])
        await page.locator(f"{ANSWER}, {REFUSED}, {EXCEPTION}").first.wait_for()
        out["answered_at"] = time.monotonic()
        out["seconds"] = round(out["answered_at"] - t0, 2)
        answers = await page.locator(ANSWER).all_inner_texts()
        if answers:
            out["answer"] = answers[0].split("(")[0].strip()
        else:
            out["errors"] += [f"refused: {s[:200]}" for s in await page.locator(REFUSED).all_inner_texts()]
        await idle(page, timeout_ms)                      # the rest of the page (charts, Grad-CAM) too
        out["errors"] += await exceptions(page)
    except Exception as e:  # a timeout, a crash: report it, keep the others going
        out["errors"].append(f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
        try:
            out["errors"] += await exceptions(page)
        except Exception:
            pass
    if out["answer"] is None and not out["errors"]:
        out["errors"].append("no answer")
    return out


async def teacher(context, url: str, training_started: asyncio.Event, timeout_ms: float) -> dict:
    """Start the quick preset, tell the class once it trains, wait for the result."""
    out = {"finished": False, "seconds": None, "fit_seconds": None, "test_accuracy": None, "errors": []}
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    try:
        await page.goto(url + "/train")
        start = page.get_by_role("button", name=t("train.start", "en"))
        await start.wait_for()
        await idle(page, timeout_ms)
        await start.click()
        t0 = time.monotonic()
        # training under way: the live progress bar shows an epoch
        await page.get_by_text(re.compile(r"Epoch \d+/\d+")).first.wait_for()
        out["seconds_to_first_batch"] = round(time.monotonic() - t0, 2)
        training_started.set()
        done = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text=prefix("train.done"))
        failed = page.locator(REFUSED)
        await done.or_(failed).first.wait_for()
        out["done_at"] = time.monotonic()
        out["seconds"] = round(out["done_at"] - t0, 2)
        if await done.count():
            text = await done.first.inner_text()
            m = re.search(r"([\d.]+) % after (\d+) epoch\(s\), trained in (\d+) s", text)
            out["finished"] = bool(m)
            if m:
                out["test_accuracy"] = float(m.group(1)) / 100
                out["epochs"] = int(m.group(2))
                out["fit_seconds"] = int(m.group(3))
        else:
            out["errors"].append("training failed: " + (await failed.first.inner_text())[:300])
        out["errors"] += await exceptions(page)
    except Exception as e:
        out["errors"].append(f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
        training_started.set()                            # do not leave the class waiting
    return out


async def latecomer(context, url: str, training_started: asyncio.Event, timeout_ms: float) -> dict:
    """A second training while the first runs: it must show its place in the queue."""
    out = {"queue_shown": False, "queue_text": None, "left_queue": False, "errors": []}
    page = await context.new_page()
    page.set_default_timeout(timeout_ms)
    try:
        await training_started.wait()
        await page.goto(url + "/train")
        start = page.get_by_role("button", name=t("train.start", "en"))
        await start.wait_for()
        await idle(page, timeout_ms)
        status = page.get_by_text(prefix("train.server_status"))
        out["server_status"] = (await status.first.inner_text())[:200] if await status.count() else None
        await start.click()
        queued = page.get_by_text(prefix("train.queued"))
        await queued.first.wait_for()
        out["queue_shown"] = True
        out["queue_text"] = (await queued.first.inner_text())[:200]
        await page.get_by_role("button", name=t("train.cancel", "en")).click()
        await page.get_by_text(t("train.cancelled", "en")).first.wait_for()
        out["left_queue"] = True
        out["errors"] += await exceptions(page)
    except Exception as e:
        out["errors"].append(f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
    return out


# --- the run ----------------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return round(values[lo] + (values[hi] - values[lo]) * (k - lo), 2)


async def classroom(url: str, photos: list[Path], timeout_s: float, queue_check: bool) -> dict:
    from playwright.async_api import async_playwright
    timeout_ms = timeout_s * 1000
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        new = lambda: browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})  # noqa: E731
        training_started, go = asyncio.Event(), asyncio.Event()
        contexts = [await new() for _ in range(len(photos) + 2)]
        students = [asyncio.create_task(student(i, contexts[i], url, ph, training_started, go, timeout_ms))
                    for i, ph in enumerate(photos)]
        teach = asyncio.create_task(teacher(contexts[-2], url, training_started, timeout_ms))
        late = asyncio.create_task(latecomer(contexts[-1], url, training_started, timeout_ms)) if queue_check else None

        await training_started.wait()
        go.set()
        go_at = time.monotonic()
        results = await asyncio.gather(*students)
        training = await teach
        queue = await late if late else None
        await browser.close()
    return {"students": results, "training": training, "queue": queue, "go_at": go_at}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20, help="students, each uploading a different photo")
    ap.add_argument("--photos", type=Path, default=Path("/work/shared/photos-dev"),
                    help="folder of photos (sub-folders per class are taken in turn)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds any one step may take")
    ap.add_argument("--max-rss-mb", type=float, default=1500)
    ap.add_argument("--no-queue-check", action="store_true", help="skip the second, queued training")
    ap.add_argument("--details", action="store_true", help="include every session's result")
    a = ap.parse_args(argv)
    photos = pick_photos(a.photos, a.sessions)

    t_start = time.monotonic()
    with StreamlitServer() as server:
        sampler = MemorySampler(server)
        sampler.start()
        rss_start = server.rss_mb()
        run = asyncio.run(classroom(server.url, photos, a.timeout, not a.no_queue_check))
        peak = sampler.stop()
        rss_end = server.rss_mb()
        alive = server.proc.poll() is None
        log = (server.home / "server.log").read_text(errors="replace")
    tracebacks = [next((line for line in chunk.splitlines()[1:] if line.strip() and not line.startswith(" ")), "?")[:200]
                  for chunk in log.split("Traceback (most recent call last):")[1:]]

    students, training, queue = run["students"], run["training"], run["queue"]
    answered_at = max((s["answered_at"] for s in students if "answered_at" in s), default=None)
    done_at = training.get("done_at")
    phases = {"opening_pages": sampler.peak_between(None, run["go_at"]),
              "uploads_to_last_answer": sampler.peak_between(run["go_at"], answered_at),
              "rest_of_training": sampler.peak_between(answered_at, done_at),
              "after_training": sampler.peak_between(done_at, None)}
    while_training = sum(1 for s in students if done_at and s.get("answered_at", float("inf")) < done_at)
    for s in students:
        s.pop("answered_at", None)
    times = [s["seconds"] for s in students if s["answer"] is not None]
    errors = [f"session {s['session']} ({s['photo']}): {e}" for s in students for e in s["errors"]]
    errors += [f"teacher: {e}" for e in training["errors"]]
    errors += [f"latecomer: {e}" for e in (queue or {}).get("errors", [])]
    errors += [f"server log: {e}" for e in tracebacks]
    report = {
        "sessions": len(students),
        "answers": len(times),
        "errors": len(errors),
        "error_list": errors[:40],
        "upload_to_answer_s": {"p50": percentile(times, 0.5), "p95": percentile(times, 0.95),
                               "max": max(times) if times else None},
        "answered_before_training_finished": while_training,
        "page_open_s": {"p50": percentile([s["open_seconds"] for s in students if "open_seconds" in s], 0.5),
                        "max": max([s.get("open_seconds", 0) for s in students], default=None)},
        "server_rss_mb": {"start": round(rss_start), "peak": round(peak), "end": round(rss_end),
                          "samples": sampler.samples, "peak_by_phase": phases},
        "training": {"finished": training["finished"], "seconds": training["seconds"],
                     "fit_seconds": training["fit_seconds"], "test_accuracy": training["test_accuracy"],
                     "seconds_to_first_batch": training.get("seconds_to_first_batch")},
        "queue": None if queue is None else {k: queue[k] for k in ("queue_shown", "queue_text", "left_queue")},
        "server_alive": alive,
        "wall_s": round(time.monotonic() - t_start, 1),
    }
    if a.details:
        report["students"] = students
    checks = {
        "every_session_answered": report["answers"] == len(students),
        "no_errors": not errors,
        "rss_under_limit": peak < a.max_rss_mb,
        "training_finished": bool(training["finished"]),
        "queue_visible": queue is None or bool(queue["queue_shown"] and queue["left_queue"]),
    }
    report["checks"] = checks
    report["ok"] = all(checks.values())
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
