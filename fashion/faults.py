"""Test-only fault injection, so tests can kill a save at a named point of its way to disk.

Set `FASHION_FAULT=<point>:<action>` in a worker's (or any process's) environment and the
process that reaches `fault_point(<point>)` does the action; without the variable a fault
point does nothing. Never set it outside tests.

Points: save.chosen (the file name is chosen and, in a job, recorded), save.before_model
(model and card written to temp files), save.after_model (the model in place, its card
not yet), save.after_card (both in place), worker.saved (the job told about the model,
its evaluation not yet stored).

Actions: kill (SIGKILL this process, as the out-of-memory killer would), kill-parent
(SIGKILL the parent, the server, then this process: a server killed at that moment,
whose worker dies with it), pause (sleep FASHION_FAULT_PAUSE_S seconds, default 3600).
With FASHION_FAULT_ONCE=<file> the fault fires only in the process that creates that
file first (a retried save then goes through).
"""
from __future__ import annotations

import os
import signal
import time

ENV_FAULT = "FASHION_FAULT"
ENV_PAUSE = "FASHION_FAULT_PAUSE_S"
ENV_ONCE = "FASHION_FAULT_ONCE"


def fault_point(name: str) -> None:
    """Do what FASHION_FAULT asks at this point, if it names this point."""
    spec = os.environ.get(ENV_FAULT)
    if not spec:
        return
    point, _, action = spec.partition(":")
    if point != name:
        return
    if once := os.environ.get(ENV_ONCE):
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            return
    if action == "pause":
        time.sleep(float(os.environ.get(ENV_PAUSE) or 3600))
        return
    if action == "kill-parent":
        os.kill(os.getppid(), signal.SIGKILL)
    if action in ("kill", "kill-parent"):
        os.kill(os.getpid(), signal.SIGKILL)
