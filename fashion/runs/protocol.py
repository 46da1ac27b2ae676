"""The contract between the server and a training worker (`python -m fashion.runs.worker`),
in one place: JSON lines both ways.

The server writes the job spec (one line: the job's config and its task, where it writes
files, thread cap, owner tag...) and then, at any time, `stop` lines to the
worker's stdin; the worker writes events to its stdout:

    {"kind": "phase", "phase": "preparing" | "measuring" | "training" | "validating" | "recalibrating" | "testing"
              | "saving",
     "fraction": 0.5 | null}
    {"kind": "batch", "epoch": 0, "epochs": 3, "batch": 12, "batches": 446, "loss": ..., ...}
    {"kind": "epoch", "epoch": 1, "metrics": {"loss": ..., "val_accuracy": ...}}
    {"kind": "stopping"}
    {"kind": "saving", "model_path": "..."}     # the name is chosen; nothing written yet
    {"kind": "saved", "model_path": "..."}
    {"kind": "finished", "state": "done" | "stopped" | "failed", "result": {...},
     "key": "train.err.nan", "params": {...}}          # key/params only when failed

Exactly-once save: the worker names the file it is about to write ("saving") and waits
(at most SAVING_NOTED_WAIT_S) for the server's `saving-noted` line, sent once the job
record on disk says so; the card it writes carries the job's id (`job_id`), the proof a
recovery looks for (fashion/runs/recovery.py). A worker whose stdin closes mid-save
finishes the save before it exits.

Everything else the process prints (TensorFlow's logs) goes to stderr, which the server
keeps in the job's folder. When stdin closes (the server went away) the worker exits at
once: the checkpoint of its last complete epoch stays for the next server to resume.

What a job runs is the spec's `task` (fashion.training.task.TrainTask as JSON: a config,
a fine-tune's photos), or, where it has none, a plain training run of its `config`.
"""
from __future__ import annotations

from fashion.training.config import TrainConfig
from fashion.training.task import TrainTask

WORKER_MODULE = "fashion.runs.worker"
STOP = "stop"
SAVING_NOTED = "saving-noted"
SAVING_NOTED_WAIT_S = 30.0


def failure(e: Exception) -> tuple[str, dict]:
    """The i18n key and parameters of a failure: a keyed error's own (fashion/errors.py),
    else train.err.failed with the error's one-line text."""
    key = getattr(e, "key", None)
    if isinstance(key, str) and key:
        params = getattr(e, "params", None) or {}
        return key, {k: v if isinstance(v, (str, int, float, bool)) or v is None else str(v)
                     for k, v in params.items()}
    return "train.err.failed", {"error": str(e)}


def plain(e: BaseException) -> str:
    """A one-line description of an unexpected error: the line of its message that says
    what went wrong, without the traceback TensorFlow folds into some messages."""
    lines = [line.strip() for line in str(e).splitlines()]
    skip = ("Graph execution error", "Detected at node", "File ", "[[", "Traceback")
    useful = [line for line in lines if line and not line.startswith(skip)]
    text = (useful[0] if useful else "").split("  ")[0][:200].rstrip(" .:")
    return f"unexpected error ({type(e).__name__}){': ' + text if text else ''}."


def task_of(spec: dict) -> TrainTask:
    """The TrainTask a job spec asks for; KeyError/TypeError/ValueError when it holds none."""
    task = spec.get("task")
    if isinstance(task, dict):
        return TrainTask.from_dict(task)
    return TrainTask(TrainConfig.from_dict(spec["config"]))
