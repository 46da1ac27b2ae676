"""One training run in its own process: `python -m fashion.runs.worker`, driven by fashion.runs.jobs.

Why a subprocess of our own module rather than multiprocessing: the child starts from a
clean interpreter whatever the parent's `__main__` is (the Streamlit CLI, pytest), nothing
is pickled, the operating system reclaims every byte TensorFlow took when it exits, and a
crash, a kill or the out-of-memory killer is just an exit status the server reads.

The protocol (JSON lines both ways) is fashion/runs/protocol.py.

The worker caps TensorFlow's thread pools and lowers its own priority, so a server on
the same two cores keeps answering students while it trains.
"""
from __future__ import annotations

import base64
import inspect
import json
import math
import os
import sys
import threading
from pathlib import Path
from typing import Callable

from fashion.backend import tf
from fashion.data import load
from fashion.errors import StudioError
from fashion.judging.measure import ensure
from fashion.model import registry
from fashion.model.classifier import Classifier
from fashion.photos.own import from_bytes
from fashion.runs.protocol import STOP, failure, plain
from fashion.training.finetune import FinetuneConfig, command, finetune, make_card
from fashion.training.train import TrainConfig, TrainingFailed, cli_command, train

NICENESS = 10   # the server's requests come first when both want a core


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
            self._out.write(line + "\n")


def run(spec: dict, channel: Channel, stop: threading.Event) -> None:
    send = channel.send
    send("phase", phase="preparing")
    threads = int(spec.get("threads") or 1)
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError:
        pass  # already initialised: the environment variables above did it
    if (spec.get("task") or {}).get("kind") == "finetune":
        run_finetune(spec, send, stop)
        return

    config = TrainConfig.from_dict(spec["config"])
    epochs_seen = {"n": 0}
    reports_phases = "on_phase" in inspect.signature(train).parameters   # train() tells its own silent steps

    def on_batch(p) -> None:
        eta = p.eta
        send("batch", epoch=p.epoch, epochs=p.epochs, batch=p.batch, batches=p.batches, loss=p.loss,
             accuracy=p.accuracy, elapsed=p.elapsed, fraction=p.fraction, eta=eta if math.isfinite(eta) else None)
        if p.batch == p.batches and not reports_phases:   # Keras now scores the validation set
            send("phase", phase="validating")

    def on_epoch(epoch: int, metrics: dict) -> None:
        epochs_seen["n"] = epoch + 1
        send("epoch", epoch=epoch + 1, metrics={k: float(v) for k, v in metrics.items()})
        last = epoch + 1 >= config.epochs or stop.is_set()
        if not last:
            send("phase", phase="training")
        elif not reports_phases:
            send("phase", phase="testing")

    extra = {}
    if reports_phases:
        extra["on_phase"] = lambda phase, fraction=None: send("phase", phase=phase, fraction=fraction)
    try:
        dataset = load()
        send("phase", phase="training")
        result = train(config, on_batch=on_batch, on_epoch=on_epoch, should_stop=stop.is_set,
                       dataset=dataset, backup_dir=spec.get("backup_dir"), **extra)
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
    except ValueError as e:       # settings the core refuses (a keyed ConfigError)
        key, params = failure(e)
        send("finished", state="failed", key=key, params=params)
        return

    summary = {"test_metrics": dict(result.test_metrics), "fit_seconds": float(result.fit_seconds),
               "epochs_completed": int(result.epochs_completed), "stopped_early": bool(result.stopped_early),
               "params": int(result.model.count_params()), "model_path": None, "command": cli_command(config),
               "history": {k: [float(x) for x in v] for k, v in result.history.items()}}
    card = registry.make_card(result, summary["command"],
                              extra={"run_name": spec.get("name"), "preset": spec.get("preset")})
    save_and_finish(send, spec, result.model, card, spec.get("name") or config.architecture, summary,
                    result.stopped_early)


def store_evaluation(model, path) -> None:
    """Measure the saved model as the app does and keep it beside the file
    (fashion/judging/stored.py): the sidebar and Evaluate show its accuracies at once,
    measured on this very file. Best effort: without it, the first visit computes it."""
    try:
        ensure(path, Classifier.of(model), load())     # the run's own Classifier: its passes are compiled
    except Exception:  # the model is saved; its evaluation can wait for the app
        import traceback
        traceback.print_exc()


def save_and_finish(send: Callable, spec: dict, model, card: dict, name: str, summary: dict,
                    stopped_early: bool) -> None:
    """The end of every job: save the model with its card (unless the spec says not to),
    then report it; a failed save fails the job with its reason, the figures kept."""
    if spec.get("save", True):
        send("phase", phase="saving")
        if spec.get("owner_tag"):
            card = {**card, "owner": spec["owner_tag"]}    # who may replace it later
        try:
            path = registry.save_model(model, card, name, folder=spec.get("save_dir") or None,
                                       overwrite=bool(spec.get("overwrite")))
        except OSError as e:
            send("finished", state="failed", key="train.err.save", params={"error": e.strerror or str(e)},
                 result=summary)
            return
        summary["model_path"] = str(path)
        store_evaluation(model, path)
        send("saved", model_path=str(path))
    send("finished", state="stopped" if stopped_early else "done", result=summary)


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

    def listen() -> None:
        for line in sys.stdin:
            if line.strip() == STOP and not stop.is_set():
                stop.set()
                channel.send("stopping")
        os._exit(3)  # the server is gone: leave the checkpoint for the next one to resume

    threading.Thread(target=listen, name="control", daemon=True).start()
    try:
        run(spec, channel, stop)
    except Exception as e:  # the last line of defence: a message, not a silent death
        import traceback
        traceback.print_exc()
        channel.send("finished", state="failed", key="train.err.failed", params={"error": plain(e)})
    sys.stderr.flush()
    os._exit(0)   # skip TensorFlow's slow, occasionally crashing interpreter teardown


if __name__ == "__main__":
    sys.exit(main())


def run_finetune(spec: dict, send: Callable, stop) -> None:
    """The worker's side of a fine-tune job: the same events as a training run, then the
    model saved with its card and the before/after figures in the result."""
    t = spec["task"]
    try:
        config = FinetuneConfig(base=t["base"], epochs=int(t["epochs"]), freeze_base=bool(t["freeze_base"]),
                                learning_rate=float(t.get("learning_rate") or 0.0), seed=int(t.get("seed") or 0))
        photos = from_bytes(base64.b64decode(t.get("photos") or ""))
    except StudioError as e:
        send("finished", state="failed", key=e.key, params=e.to_dict()["params"])
        return
    except (KeyError, ValueError, TypeError) as e:
        send("finished", state="failed", key="train.err.failed", params={"error": str(e)[:200]})
        return

    def on_batch(p) -> None:
        eta = p.eta
        send("batch", epoch=p.epoch, epochs=p.epochs, batch=p.batch, batches=p.batches, loss=p.loss,
             accuracy=p.accuracy, elapsed=p.elapsed, fraction=p.fraction, eta=eta if math.isfinite(eta) else None)

    def on_epoch(epoch: int, metrics: dict) -> None:
        send("epoch", epoch=epoch + 1, metrics={k: float(v) for k, v in metrics.items()})

    try:
        result = finetune(config, photos, on_batch=on_batch, on_epoch=on_epoch, should_stop=stop.is_set,
                          on_phase=lambda phase, fraction=None: send("phase", phase=phase, fraction=fraction))
    except TrainingFailed as e:
        if stop.is_set() and e.key == "train.err.no_epoch":
            send("finished", state="stopped", result=None)
        else:
            send("finished", state="failed", key=e.key, params=e.to_dict()["params"])
        return
    except StudioError as e:
        send("finished", state="failed", key=e.key, params=e.to_dict()["params"])
        return
    summary = {**result.summary(), "test_metrics": {"accuracy": result.after["fashion_mnist"]["accuracy"]},
               "model_path": None, "command": command(config)}
    card = make_card(result, summary["command"], extra={"run_name": spec.get("name"), "preset": None})
    save_and_finish(send, spec, result.model, card, spec.get("name") or f"{Path(config.base).stem}-own", summary,
                    result.stopped_early)
