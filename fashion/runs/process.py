"""One worker process seen from the server: its command line and environment, the JSON
lines it reads and writes (fashion/runs/protocol.py), and how it is asked, then made, to stop.

Stop is a message (the worker keeps its completed epochs); the process is terminated only
if it has not finished `grace_s` seconds later, and `forced` then says so.

A worker's temp folder (TMPDIR) is `tmp/` in its job's folder, removed when it exits:
TensorFlow's autograph writes a `__autograph_generated_file*.py` there per traced
function and removes them only at interpreter exit, which a worker skips (os._exit).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

from fashion.paths import REPO_DIR
from fashion.runs.protocol import SAVING_NOTED, STOP, WORKER_MODULE

log = logging.getLogger(__name__)


def worker_command() -> list[str]:
    return [sys.executable, "-m", WORKER_MODULE]


def worker_environment(tmp_dir: Path | None = None) -> dict:
    """This process's environment, unbuffered, with TensorFlow's chatter down, the repository
    importable and, given tmp_dir, its temp files there."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    if tmp_dir is not None:
        env["TMPDIR"] = str(tmp_dir)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_DIR), env.get("PYTHONPATH")) if p)
    return env


class WorkerProcess:
    """A started `python -m fashion.runs.worker` that has been sent its job spec."""

    def __init__(self, spec: dict, log_path: Path):
        self.name = spec.get("job_id", "?")
        self.forced = False
        self.tmp_dir = Path(log_path).parent / "tmp"
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as stderr:
            self._proc = subprocess.Popen(worker_command(), cwd=REPO_DIR, env=worker_environment(self.tmp_dir),
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                                          text=True, encoding="utf-8", bufsize=1)
        try:
            self._proc.stdin.write(json.dumps(spec) + "\n")
            self._proc.stdin.flush()
        except OSError:
            pass   # it died at once; the exit status says how

    @property
    def pid(self) -> int:
        return self._proc.pid

    def alive(self) -> bool:
        return self._proc.poll() is None

    def messages(self) -> Iterator[dict]:
        """The worker's events, one dict per JSON line of its stdout, until it closes."""
        for line in self._proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict):
                yield message

    def wait(self) -> int:
        """Wait for the exit and return its status (negative: killed by that signal)."""
        code = self._proc.wait()
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        shutil.rmtree(self.tmp_dir, ignore_errors=True)
        return code

    def note_saving(self) -> None:
        """Tell the worker its job record names the file it is about to write."""
        try:
            self._proc.stdin.write(SAVING_NOTED + "\n")
            self._proc.stdin.flush()
        except (OSError, ValueError):
            pass

    def ask_to_stop(self, grace_s: float) -> None:
        if not self.alive():
            return
        try:
            self._proc.stdin.write(STOP + "\n")
            self._proc.stdin.flush()
        except (OSError, ValueError):
            pass
        timer = threading.Timer(grace_s, self._force_stop, args=(grace_s,))
        timer.daemon = True
        timer.start()

    def _force_stop(self, grace_s: float) -> None:
        if not self.alive():
            return
        log.warning("job %s did not stop within %.0f s; terminating its worker", self.name, grace_s)
        self.forced = True
        self._proc.terminate()
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()

    def kill(self) -> None:
        if self.alive():
            self._proc.kill()

    def join(self, timeout: float) -> None:
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
