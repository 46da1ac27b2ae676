"""One training run in its own process: `python -m fashion.runs.worker`, driven by fashion.runs.manager.

Why a subprocess of our own module rather than multiprocessing: the child starts from a
clean interpreter whatever the parent's `__main__` is (the Streamlit CLI, pytest), nothing
is pickled, the operating system reclaims every byte TensorFlow took when it exits, and a
crash, a kill or the out-of-memory killer is just an exit status the server reads.

The protocol (JSON lines both ways) is fashion/runs/protocol.py. Every job runs the same
way: its TrainTask (fashion/training/task.py, a fine-tune being one configuration of it)
goes through train(), and the model is saved with its card and its stored evaluation.

The worker caps TensorFlow's thread pools and lowers its own priority, so a server on
the same two cores keeps answering students while it trains.
"""
from __future__ import annotations

import json
import math
import os
import sys
import threading
import traceback
from typing import Callable

from fashion.backend import tf
from fashion.data import load
from fashion.errors import StudioError, TrainingFailed
from fashion.faults import fault_point
from fashion.judging.measure import ensure
from fashion.model import registry
from fashion.runs.protocol import SAVING_NOTED, SAVING_NOTED_WAIT_S, STOP, failure, plain, task_of
from fashion.training.config import cli_command
from fashion.training.train import TrainResult, train

NICENESS = 10   # the server's requests come first when both want a core
SAVE_FINISH_S = 120.0   # a worker whose server went away mid-save finishes the save within this


class SaveGuard:
    """The save in progress: the server's note that the job record names the file, and
    whether a save is under way (a worker whose server went away finishes it first)."""

    def __init__(self):
        self.noted = threading.Event()
        self.gone = threading.Event()      # stdin closed: the server went away
        self.idle = threading.Event()
        self.idle.set()


def _cap_threads(threads: int) -> None:
    """Before TensorFlow starts: at most `threads` for its op pools and for OpenMP."""
    for var in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
        os.environ[var] = str(threads)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        os.nice(NICENESS)
    except (AttributeError, OSError):
        pass


class Channel:
    """The event stream to the parent: our real stdout, kept apart from stray prints."""

    def __init__(self):
        self._out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
        os.dup2(2, 1)                     # anything else printed lands in the log
        sys.stdout = sys.stderr
        self._lock = threading.Lock()

    def send(self, kind: str, **data) -> None:
        line = json.dumps({"kind": kind, **data}, allow_nan=True)
        with self._lock:
            try:
                self._out.write(line + "\n")
            except (OSError, ValueError):
                pass   # the server is gone; what is on disk is what counts now


def run(spec: dict, channel: Channel, stop: threading.Event, guard: SaveGuard | None = None) -> None:
    send = channel.send
    send("phase", phase="preparing")
    threads = int(spec.get("threads") or 1)
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass  # already initialised: the environment variables above did it
    try:
        task = task_of(spec)
        own_photos = task.own_photos()
    except StudioError as e:
        send("finished", state="failed", key=e.key, params=e.to_dict()["params"])
        return
    except (KeyError, ValueError, TypeError) as e:
        send("finished", state="failed", key="train.err.failed", params={"error": str(e)[:200]})
        return
    config = task.config
    epochs_seen = {"n": 0}

    def on_batch(p) -> None:
        eta = p.eta
        send("batch", epoch=p.epoch, epochs=p.epochs, batch=p.batch, batches=p.batches, loss=p.loss,
             accuracy=p.accuracy, elapsed=p.elapsed, fraction=p.fraction, eta=eta if math.isfinite(eta) else None)

    def on_epoch(epoch: int, metrics: dict) -> None:
        epochs_seen["n"] = epoch + 1
        send("epoch", epoch=epoch + 1, metrics={k: float(v) for k, v in metrics.items()})
        if not (epoch + 1 >= config.epochs or stop.is_set()):
            send("phase", phase="training")

    try:
        dataset = load()
        send("phase", phase="training")
        result = train(config, on_batch=on_batch, on_epoch=on_epoch, should_stop=stop.is_set,
                       dataset=dataset, backup_dir=spec.get("backup_dir"), own_photos=own_photos,
                       on_phase=lambda phase, fraction=None: send("phase", phase=phase, fraction=fraction))
    except TrainingFailed as e:
        key, params = failure(e)
        if stop.is_set() and epochs_seen["n"] == 0 and (key == "train.err.no_epoch" or "first epoch" in str(e)):
            send("finished", state="stopped", result=None)     # nothing complete to keep
        else:
            send("finished", state="failed", key=key, params=params)
        return
    except MemoryError:
        send("finished", state="failed", key="train.err.oom", params={})
        return
    except (StudioError, ValueError) as e:       # settings or photos the core refuses (keyed)
        key, params = failure(e)
        send("finished", state="failed", key=key, params=params)
        return

    summary = {**result.summary(), "model_path": None, "command": cli_command(result.config)}
    card = result.card(summary["command"], extra={"run_name": spec.get("name"), "preset": spec.get("preset")})
    save_and_finish(send, spec, result, card, spec.get("name") or config.default_name, summary, dataset,
                    guard or SaveGuard())


def store_evaluation(result: TrainResult, path, dataset) -> None:
    """Keep the saved model's evaluation beside the file (fashion/judging/stored.py), from
    what train() already measured on this very model (its test set is classified once):
    the sidebar and Evaluate show its accuracies at once. Best effort: without it, the
    first visit computes it."""
    try:
        ensure(path, result.classifier, dataset, measured=result.measured())
    except Exception:  # the model is saved; its evaluation can wait for the app
        traceback.print_exc()


def save_and_finish(send: Callable, spec: dict, result: TrainResult, card: dict, name: str, summary: dict,
                    dataset, guard: SaveGuard) -> None:
    """The end of every job: save the model with its card (unless the spec says not to),
    then report it; a failed save fails the job with its reason, the figures kept.

    Exactly once: the chosen file is reported ("saving") and, once the server's record
    says so, written; the card names the job (job_id), so a kill at any point is finished
    from what is on disk, never saved a second time. A spec's save_stem (a save a kill
    interrupted) is saved at that very name."""
    if spec.get("save", True):
        send("phase", phase="saving")
        card = {**card, **({"owner": spec["owner_tag"]} if spec.get("owner_tag") else {}),   # who may replace it
                **({"job_id": spec["job_id"]} if spec.get("job_id") else {})}

        def chosen(path) -> None:
            send("saving", model_path=str(path))
            guard.noted.wait(SAVING_NOTED_WAIT_S)
            if guard.gone.is_set():
                os._exit(3)   # the server went away before its record named the file: the next one saves

        guard.idle.clear()
        try:
            path = registry.save_model(result.model, card, name, folder=spec.get("save_dir") or None,
                                       overwrite=bool(spec.get("overwrite")), stem=spec.get("save_stem"),
                                       on_chosen=chosen)
        except StudioError as e:          # the disk is full (DiskFull), in words
            key, params = failure(e)
            send("finished", state="failed", key=key, params=params, result=summary)
            return
        except OSError as e:
            send("finished", state="failed", key="train.err.save", params={"error": e.strerror or str(e)},
                 result=summary)
            return
        finally:
            guard.idle.set()
        summary["model_path"] = str(path)
        send("saved", model_path=str(path))
        fault_point("worker.saved")
        store_evaluation(result, path, dataset)
    send("finished", state="stopped" if result.stopped_early else "done", result=summary)


def main() -> int:
    channel = Channel()
    line = sys.stdin.readline()
    if not line:
        return 2
    spec = json.loads(line)
    _cap_threads(int(spec.get("threads") or 1))
    stop = threading.Event()
    if spec.get("stop"):
        stop.set()   # finish an interrupted run with the epochs it completed
    guard = SaveGuard()

    def listen() -> None:
        for line in sys.stdin:
            if line.strip() == STOP and not stop.is_set():
                stop.set()
                channel.send("stopping")
            elif line.strip() == SAVING_NOTED:
                guard.noted.set()
        guard.gone.set()
        guard.noted.set()
        guard.idle.wait(SAVE_FINISH_S)   # a save under way ends whole: the card proves it to the next server
        os._exit(3)  # the server is gone: leave the checkpoint for the next one to resume

    threading.Thread(target=listen, name="control", daemon=True).start()
    try:
        run(spec, channel, stop, guard)
    except Exception as e:  # the last line of defence: a message, not a silent death
        traceback.print_exc()
        channel.send("finished", state="failed", key="train.err.failed", params={"error": plain(e)})
    sys.stderr.flush()
    os._exit(0)   # skip TensorFlow's slow, occasionally crashing interpreter teardown


if __name__ == "__main__":
    sys.exit(main())
