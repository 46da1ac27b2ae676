"""Start `streamlit run streamlit_app.py` for a benchmark and read its memory.

Shared by bench/classroom.py and bench/idle_memory.py."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class StreamlitServer:
    """Context manager: a real server on a free port with its own studio home."""

    def __init__(self, extra_env: dict | None = None):
        self.home = Path(tempfile.mkdtemp(prefix="fashion-bench-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "FASHION_STUDIO_HOME": str(self.home), **(extra_env or {})}

    def __enter__(self):
        self.log = open(self.home / "server.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"), "--server.port",
             str(self.port), "--server.headless", "true", "--server.fileWatcherType", "none"],
            cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                return self
            except Exception:
                if self.proc.poll() is not None:
                    raise RuntimeError((self.home / "server.log").read_text()[-2000:])
                time.sleep(0.5)
        raise RuntimeError("streamlit did not start")

    def rss_mb(self) -> float:
        return rss_mb(self.proc.pid)

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)      # the log and any model trained here
