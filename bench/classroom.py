"""A class at once, without a browser per student: N students upload a photo each to the
Photo page while the teacher trains the quick preset, all through Streamlit's own protocol.

    python bench/classroom.py --students 20 --photos /work/shared/photos-dev --json

Each client is what a browser tab is to the server: a websocket on /_stcore/stream that
sends BackMsg protobufs (rerun the script with these widget states, give me upload URLs)
and reads ForwardMsg protobufs (elements, script finished), plus an HTTP PUT of the photo
to /_stcore/upload_file/<session>/<file> with the XSRF token, exactly as the frontend
does. Every client has its own browser identity (the app's cookie), so the classroom
rules apply to each one as to a person.

1. one `streamlit run` server starts with its own empty studio home;
2. the teacher opens Train and presses Start (the quick preset); students open Photo;
3. once the run trains, every student uploads a different real photo at the same moment
   and waits for the answer (an answer or "not sure" box): upload -> answer is timed;
4. the run must finish (its job state on disk says done).

The resident memory of the server and its worker processes (the whole process tree, from
/proc) is sampled throughout: peak_rss_mb sums RSS (so TensorFlow's shared libraries count
once per process), peak_pss_mb counts shared pages once. Prints one JSON line: answers,
errors, answer_p50_s, answer_p95_s, peak_rss_mb, training_finished (and details). Exit status 1 when a
student got no answer, an error happened, or the training did not finish. The photos are
read where they are; nothing is copied.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import sys
import threading
import time
import uuid
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from server import StreamlitServer  # noqa: E402

PHOTO_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
XSRF_COOKIE = "_streamlit_xsrf"
BROWSER_COOKIE = "fashion_studio_browser"     # pages/common.py: the app's browser identity


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


# --- memory: the server and every process under it ----------------------------------------------

def tree_rss_mb(root: int, field: str = "VmRSS:") -> tuple[float, float]:
    """(RSS of root, RSS of all its descendants) in MB, from /proc. field="Pss:" gives the
    proportional set size instead: pages shared between processes (TensorFlow's libraries,
    mapped by the server and by each worker) counted once, as a container's memory limit
    counts them."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            parents[int(stat.parent.name)] = int(text[text.rindex(")") + 2:].split()[1])
        except (OSError, ValueError):
            continue
    family, frontier = set(), [root]
    while frontier:
        pid = frontier.pop()
        family.add(pid)
        frontier += [child for child, parent in parents.items() if parent == pid and child not in family]

    source = "status" if field == "VmRSS:" else "smaps_rollup"

    def rss(pid: int) -> float:
        try:
            for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
                if line.startswith(field):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    return rss(root), sum(rss(p) for p in family - {root})


class MemorySampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_total = self.peak_server = self.peak_workers = self.peak_pss = 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            server, workers = tree_rss_mb(self.pid)
            self.peak_server = max(self.peak_server, server)
            self.peak_workers = max(self.peak_workers, workers)
            self.peak_total = max(self.peak_total, server + workers)
            self.peak_pss = max(self.peak_pss, sum(tree_rss_mb(self.pid, "Pss:")))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# --- one tab, over Streamlit's protocol ------------------------------------------------------

class ProtocolClient:
    """One browser tab: a session on the server, driven with BackMsg / ForwardMsg."""

    def __init__(self, base_url: str, page: str, timeout: float):
        self.base_url, self.page, self.timeout = base_url.rstrip("/"), page, timeout
        self.http = requests.Session()
        self.http.cookies.set(BROWSER_COOKIE, secrets.token_urlsafe(18))   # a browser of its own
        self.ws = None
        self.session_id: str | None = None
        self.elements: dict[tuple, object] = {}      # delta path -> Element of the last full run
        self.fragments: dict[tuple, str] = {}        # delta path -> the st.fragment that drew it ("": none)
        self._pending: dict[str, asyncio.Future] = {}
        self._finished: asyncio.Queue = asyncio.Queue()
        self._reader: asyncio.Task | None = None

    async def open(self) -> None:
        import websockets
        # as the frontend: the health check hands out the XSRF cookie the upload must echo
        await asyncio.to_thread(self.http.get, self.base_url + "/_stcore/health", timeout=self.timeout)
        xsrf = self.http.cookies.get(XSRF_COOKIE, "")
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
                                           additional_headers={"Cookie": cookie}, origin=self.base_url,
                                           max_size=None, open_timeout=self.timeout)
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        async for raw in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.session_id = msg.new_session.initialize.session_id
                self.elements = {}
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self.elements[tuple(msg.metadata.delta_path)] = msg.delta.new_element
                self.fragments[tuple(msg.metadata.delta_path)] = msg.delta.fragment_id
            elif kind == "file_urls_response":
                future = self._pending.pop(msg.file_urls_response.response_id, None)
                if future and not future.done():
                    future.set_result(msg.file_urls_response)
            elif kind == "script_finished":
                await self._finished.put(msg.script_finished)

    async def _send(self, back) -> None:
        await self.ws.send(back.SerializeToString())

    async def rerun(self, widgets: list | None = None, fragment_id: str = "") -> None:
        """Run the page script with these widget states and wait until the run finishes; with
        fragment_id, run only that st.fragment, as the frontend does for a widget inside one."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        back = BackMsg()
        back.rerun_script.page_name = self.page
        back.rerun_script.query_string = ""
        if fragment_id:
            back.rerun_script.fragment_id = fragment_id
        for w in widgets or []:
            back.rerun_script.widget_states.widgets.append(w)
        while not self._finished.empty():
            self._finished.get_nowait()
        self.elements = {}
        await self._send(back)
        while True:
            status = await asyncio.wait_for(self._finished.get(), self.timeout)
            if fragment_id and status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                return
            if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN and status != ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                return

    def find(self, kind: str, predicate=lambda e: True):
        for element in self.elements.values():
            if element.WhichOneof("type") == kind and predicate(getattr(element, kind)):
                return getattr(element, kind)
        return None

    def alerts(self) -> list:
        return [e.alert for e in self.elements.values() if e.WhichOneof("type") == "alert"]

    def exceptions(self) -> list[str]:
        return [e.exception.message[:200] for e in self.elements.values() if e.WhichOneof("type") == "exception"]

    async def upload(self, uploader_id: str, photo: Path, kept: list | None = None) -> None:
        """What the frontend does for a file_uploader: ask for an upload URL, PUT the file,
        rerun with the uploader's new state. With `kept` (the uploader's earlier files, as
        (name, size, urls); the new one is appended) the new file joins them, as a
        multi-file uploader does."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetState
        request_id = uuid.uuid4().hex
        future = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        back = BackMsg()
        back.file_urls_request.request_id = request_id
        back.file_urls_request.session_id = self.session_id
        back.file_urls_request.file_names.append(photo.name)
        await self._send(back)
        response = await asyncio.wait_for(future, self.timeout)
        if response.error_msg:
            raise RuntimeError(f"upload URL refused: {response.error_msg}")
        urls = response.file_urls[0]
        data = photo.read_bytes()
        put = await asyncio.to_thread(
            self.http.put, self.base_url + urls.upload_url,
            files={"file": (photo.name, data, PHOTO_TYPES[photo.suffix.lower()])},
            headers={"X-Xsrftoken": self.http.cookies.get(XSRF_COOKIE, "")}, timeout=self.timeout)
        if put.status_code != 204 and put.status_code != 200:
            raise RuntimeError(f"upload PUT answered {put.status_code}: {put.text[:200]}")
        kept = [] if kept is None else kept
        kept.append((photo.name, len(data), urls))
        state = WidgetState(id=uploader_id)
        for name, size, file_urls in kept:
            info = state.file_uploader_state_value.uploaded_file_info.add()
            info.name, info.size, info.file_id = name, size, file_urls.file_id
            info.file_urls.CopyFrom(file_urls)
        await self.rerun([state])

    def fragment_of(self, kind: str, element_id: str) -> str:
        """The st.fragment the element `element_id` of the last run was drawn in ("" outside any)."""
        return next((self.fragments.get(path, "") for path, e in self.elements.items()
                     if e.WhichOneof("type") == kind and getattr(e, kind).id == element_id), "")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()


def component_states(component_id: str, state: dict | None = None, trigger: tuple | None = None) -> list:
    """The widget states the frontend sends when an st.components.v2 component calls
    setStateValue(name, value) (its whole state, as JSON, under the component's id) or
    setTriggerValue(event, value) (a list of {event, value} under the component's trigger id)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    states = []
    if state is not None:
        states.append(WidgetState(id=component_id, json_value=json.dumps(state)))
    if trigger is not None:
        event, value = trigger
        states.append(WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{component_id}__events",
                                  json_trigger_value=json.dumps([{"event": event, "value": value}])))
    return states


# --- the people ------------------------------------------------------------------------------

async def student(i: int, url: str, photo: Path, go: asyncio.Event, ready: list, timeout: float) -> dict:
    out = {"student": i, "photo": f"{photo.parent.name}/{photo.name}", "answer": None, "seconds": None,
           "errors": []}
    client = ProtocolClient(url, "photo", timeout)
    try:
        t0 = time.monotonic()
        await client.open()
        await client.rerun()
        uploader = client.find("file_uploader")
        if uploader is None:
            raise RuntimeError("the Photo page shows no file uploader")
        out["open_seconds"] = round(time.monotonic() - t0, 2)
        ready.append(i)
        await go.wait()                                    # everyone together, while the model trains
        t0 = time.monotonic()
        await client.upload(uploader.id, photo)
        out["seconds"] = round(time.monotonic() - t0, 2)
        answers = [a.body for a in client.alerts() if a.format in (2, 4)]   # WARNING (not sure), SUCCESS
        if answers:
            out["answer"] = answers[0][:80]
        else:
            out["errors"] += [f"refused: {a.body[:200]}" for a in client.alerts() if a.format == 1] or ["no answer"]
        out["errors"] += client.exceptions()
    except Exception as e:  # a timeout, a refusal: report it, keep the others going
        out["errors"].append(f"{type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}")
    finally:
        await client.close()
    return out


async def teacher(url: str, timeout: float) -> dict:
    """Open Train and press Start (the quick preset is the form's default)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState
    out = {"errors": []}
    client = ProtocolClient(url, "train", timeout)
    try:
        await client.open()
        await client.rerun()
        start = client.find("button", lambda b: b.id.endswith("tr_start"))
        if start is None:
            raise RuntimeError("the Train page shows no Start button")
        await client.rerun([WidgetState(id=start.id, trigger_value=True)])
        out["errors"] += [f"refused: {a.body[:200]}" for a in client.alerts() if a.format == 1]
        out["errors"] += client.exceptions()
    except Exception as e:
        out["errors"].append(f"{type(e).__name__}: {str(e)[:200]}")
    finally:
        await client.close()
    return out


def job_state(home: Path) -> dict | None:
    """The state of the (one) training run, as the server keeps it on disk."""
    for path in sorted((home / "jobs").glob("*/job.json")):
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return None
    return None


async def wait_for_job(home: Path, states: tuple, timeout: float) -> dict | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = job_state(home)
        if state and state.get("state") in states:
            return state
        await asyncio.sleep(0.5)
    return job_state(home)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return round(values[lo] + (values[hi] - values[lo]) * (k - lo), 2)


async def classroom(server: StreamlitServer, photos: list[Path], timeout: float, train_timeout: float) -> dict:
    go, ready = asyncio.Event(), []
    students = [asyncio.create_task(student(i, server.url, p, go, ready, timeout)) for i, p in enumerate(photos)]
    teach = await teacher(server.url, timeout)
    started = await wait_for_job(server.home, ("running",), timeout)
    # the worker is up and training (or the run ended early): then everyone uploads at once
    deadline = time.monotonic() + timeout
    while len(ready) < len(photos) and time.monotonic() < deadline and not all(s.done() for s in students):
        await asyncio.sleep(0.2)
    while time.monotonic() < deadline:                  # first training batches, so the load is real
        state = job_state(server.home) or {}
        if state.get("phase") not in ("waiting", "preparing") or state.get("history") or \
                state.get("state") not in ("queued", "running"):
            break
        await asyncio.sleep(0.5)
    go.set()
    go_at = time.monotonic()
    results = await asyncio.gather(*students)
    answered_at = time.monotonic()
    training = await wait_for_job(server.home, ("done", "stopped", "failed", "cancelled"), train_timeout)
    return {"students": results, "teacher": teach, "job_started": bool(started), "job": training,
            "uploads_window_s": round(answered_at - go_at, 2)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=20, help="students, each uploading a different photo")
    ap.add_argument("--photos", type=Path, default=Path("/work/shared/photos-dev"),
                    help="folder of photos (sub-folders per class are taken in turn)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds any one step may take")
    ap.add_argument("--train-timeout", type=float, default=1200, help="seconds the training may take")
    ap.add_argument("--json", action="store_true", help="print one JSON line only")
    ap.add_argument("--details", action="store_true", help="include every student's result")
    a = ap.parse_args(argv)
    photos = pick_photos(a.photos, a.students)

    t_start = time.monotonic()
    with StreamlitServer() as server:
        sampler = MemorySampler(server.proc.pid)
        sampler.start()
        run = asyncio.run(classroom(server, photos, a.timeout, a.train_timeout))
        sampler.stop()
        alive = server.proc.poll() is None
        log = (server.home / "server.log").read_text(errors="replace")
    tracebacks = [next((line for line in chunk.splitlines()[1:] if line.strip() and not line.startswith(" ")), "?")[:200]
                  for chunk in log.split("Traceback (most recent call last):")[1:]]

    students, job = run["students"], run["job"] or {}
    times = [s["seconds"] for s in students if s["answer"] is not None]
    errors = [f"student {s['student']} ({s['photo']}): {e}" for s in students for e in s["errors"]]
    errors += [f"teacher: {e}" for e in run["teacher"]["errors"]]
    errors += [f"server log: {e}" for e in tracebacks]
    if not alive:
        errors.append("the server died")
    result = job.get("result") or {}
    report = {
        "students": len(students),
        "answers": len(times),
        "errors": len(errors),
        "answer_p50_s": percentile(times, 0.5),
        "answer_p95_s": percentile(times, 0.95),
        "answer_max_s": max(times) if times else None,
        "peak_rss_mb": round(sampler.peak_total),
        "peak_rss_server_mb": round(sampler.peak_server),
        "peak_rss_workers_mb": round(sampler.peak_workers),
        "peak_pss_mb": round(sampler.peak_pss),
        "training_finished": job.get("state") == "done",
        "training_state": job.get("state"),
        "training_test_accuracy": (result.get("test_metrics") or {}).get("accuracy"),
        "training_fit_seconds": result.get("fit_seconds"),
        "uploads_window_s": run["uploads_window_s"],
        "wall_s": round(time.monotonic() - t_start, 1),
        "error_list": errors[:40],
    }
    if a.details:
        report["student_results"] = students
    print(json.dumps(report, ensure_ascii=False) if a.json else json.dumps(report, indent=2, ensure_ascii=False))
    ok = report["answers"] == len(students) and not errors and report["training_finished"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
