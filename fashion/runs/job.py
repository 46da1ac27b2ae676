"""One training run and its states, as a page (or a test) watches it.

    queued -> running -> done | stopped | failed
    queued -> cancelled (stopped while waiting)

A Job holds what its worker reported (progress, per-epoch history, a thinned loss curve,
the result) behind a lock, so snapshot() is safe while the run goes on. It runs nothing
itself: the JobManager (fashion/runs/manager.py) feeds it the worker's messages through
the public methods below, and hears back through the two callbacks it attaches — one to
persist the job at each state change, one when someone asks it to stop.
"""
from __future__ import annotations

import dataclasses
import logging
import math
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from fashion.i18n import t
from fashion.training.train import TrainConfig

log = logging.getLogger(__name__)

MAX_LOSS_POINTS = 1000          # per-batch loss points kept per job (thinned beyond)

QUEUED, RUNNING, DONE, STOPPED, FAILED, CANCELLED = "queued", "running", "done", "stopped", "failed", "cancelled"
ACTIVE_STATES = (QUEUED, RUNNING)
FINAL_STATES = (DONE, STOPPED, FAILED, CANCELLED)


@dataclass
class Event:
    """One thing that happened to a job. seq grows by one per event of the job."""
    seq: int
    time: float
    kind: str          # queued, started, batch, phase, epoch, stopping, saving, saved, done, stopped, failed, cancelled
    data: dict = field(default_factory=dict)


class Job:
    """One training run. Pages read it through snapshot(); the other methods are the manager's."""

    def __init__(self, config: TrainConfig, name: str, preset: str | None, save: bool,
                 listener: Callable[[Event], None] | None, owner: str | None = None):
        self.id = secrets.token_urlsafe(12)
        self.config = config
        self.name = name
        self.preset = preset
        self.save = save
        self.owner = owner
        self.created = time.time()
        self.started: float | None = None
        self.finished: float | None = None
        self.state = QUEUED
        self.error: str | None = None              # English sentence, for logs
        self.error_key: str | None = None          # i18n key of the failure, for pages
        self.error_params: dict = {}
        self.progress: dict | None = None          # the latest batch, as a dict
        self.phase_fraction: float | None = None   # how far a non-batch phase (validating) is
        self.history: dict[str, list[float]] = {}  # per epoch: loss, accuracy, val_loss, val_accuracy
        self.loss_points: list[tuple[float, float]] = []   # (epochs so far, smoothed batch loss), thinned
        self.accuracy_points: list[tuple[float, float]] = []   # (epochs so far, running accuracy of the epoch), thinned
        self._loss_stride = 1
        self._batch_count = 0
        self._running = (0, 0.0)       # (batch, running mean loss of the epoch) as Keras reports it
        self._smoothed: float | None = None
        self.phase = "waiting"                     # waiting, preparing, training, validating, testing, saving, finished
        self.result: dict | None = None            # test_metrics, fit_seconds, epochs_completed, model_path...
        self.events: list[Event] = []              # lifecycle and epoch events (batch events are not kept)
        self.resumes = 0                           # times this run came back after a restart
        self.finalize = False                      # on resume: stop at once and keep the completed epochs
        self.overwrite = False                     # the saved model replaces one of the same name
        self.task: dict | None = None              # another kind of run (fashion/training/finetune.py), else None
        self._listener = listener
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._lock = threading.RLock()
        self._seq = 0
        self._persist: Callable[[Job], None] | None = None
        self._on_stop: Callable[[Job, bool], None] | None = None
        self.thread: threading.Thread | None = None

    # --- what observers use --------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """Ask the job to stop (no ownership check: use JobManager.stop for requests from
        people). A queued job is cancelled at once, a running one stops after the current
        batch and keeps its completed epochs."""
        with self._lock:
            if self.state in FINAL_STATES or self._stop.is_set():
                return
            self._stop.set()
            running = self.state == RUNNING
            if running:
                self.emit("stopping")
        if self._on_stop is not None:
            self._on_stop(self, running)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished (any final state); False on timeout."""
        return self._finished.wait(timeout)

    def snapshot(self) -> dict:
        """A consistent copy of everything a page shows, safe to read while training runs."""
        with self._lock:
            return {
                "id": self.id, "name": self.name, "preset": self.preset, "state": self.state, "phase": self.phase,
                "phase_fraction": self.phase_fraction, "owner": self.owner,
                "config": self.config.to_dict(), "created": self.created, "started": self.started,
                "finished": self.finished, "error": self.error, "error_key": self.error_key,
                "error_params": dict(self.error_params), "stop_requested": self._stop.is_set(),
                "progress": dict(self.progress) if self.progress else None,
                "history": {k: list(v) for k, v in self.history.items()},
                "loss_points": list(self.loss_points), "accuracy_points": list(self.accuracy_points),
                "resumes": self.resumes,
                "task": {k: v for k, v in self.task.items() if k != "photos"} if self.task else None,
                "result": dict(self.result) if self.result else None,
                "events": [dataclasses.replace(e, data=dict(e.data)) for e in self.events],
            }

    # --- the record kept on disk (fashion/runs/store.py) ------------------------------

    def to_record(self) -> dict:
        with self._lock:
            return {"id": self.id, "name": self.name, "preset": self.preset, "save": self.save, "owner": self.owner,
                    "config": self.config.to_dict(), "created": self.created, "started": self.started,
                    "finished": self.finished, "state": self.state, "phase": self.phase, "error": self.error,
                    "error_key": self.error_key, "error_params": self.error_params,
                    "stop_requested": self._stop.is_set(), "history": self.history,
                    "loss_points": self.loss_points, "result": self.result, "resumes": self.resumes,
                    "overwrite": self.overwrite, "task": self.task}

    @classmethod
    def from_record(cls, record: dict) -> "Job":
        job = cls(TrainConfig.from_dict(record["config"]), record["name"], record.get("preset"),
                  bool(record.get("save", True)), None, record.get("owner"))
        job.id = record["id"]
        job.created = float(record["created"])
        job.started, job.finished = record.get("started"), record.get("finished")
        job.state = record["state"]
        job.phase = record.get("phase") or "waiting"
        job.error, job.error_key = record.get("error"), record.get("error_key")
        job.error_params = dict(record.get("error_params") or {})
        job.history = {k: [float(x) for x in v] for k, v in (record.get("history") or {}).items()}
        job.loss_points = [tuple(p) for p in record.get("loss_points") or []]
        job.result = record.get("result")
        job.resumes = int(record.get("resumes") or 0)
        job.overwrite = bool(record.get("overwrite"))
        job.task = record.get("task") if isinstance(record.get("task"), dict) else None
        if record.get("stop_requested"):
            job._stop.set()
        if job.state in FINAL_STATES:
            job._finished.set()
        return job

    # --- what the manager uses ------------------------------------------------------------

    def attach(self, persist: Callable[["Job"], None], on_stop: Callable[["Job", bool], None]) -> None:
        """Connect the job to its manager: persist(job) at each state change, on_stop(job,
        running) when a stop was asked for (running: the job had started)."""
        self._persist, self._on_stop = persist, on_stop

    def begin(self) -> None:
        """A slot is free: queued -> running (a resumed run keeps its first start time)."""
        with self._lock:
            self.state, self.started = RUNNING, self.started or time.time()
            self.phase = "preparing"

    def requeue(self, finalize: bool) -> None:
        """A run a previous server left running goes back to the queue (finalize: to end at once)."""
        with self._lock:
            self.state, self.phase, self.progress = QUEUED, "waiting", None
            self.resumes += 1
            self.finalize = finalize
        self.emit("resumed", epochs=len(self.history.get("loss", [])))

    def emit(self, kind: str, **data) -> Event:
        with self._lock:
            self._seq += 1
            event = Event(self._seq, time.time(), kind, data)
            if kind not in ("batch", "phase"):
                self.events.append(event)
        if self._listener:
            try:
                self._listener(event)
            except Exception:  # an observer's bug must not kill the training
                log.exception("job listener failed")
        return event

    def on_batch(self, progress: dict) -> None:
        progress = dict(progress)
        batch, loss = progress["batch"], progress["loss"]
        # Keras reports the running mean of the epoch; recover this batch's own loss
        # from two consecutive means, then smooth it with an exponential moving average.
        prev_batch, prev_mean = self._running
        if batch > prev_batch and prev_batch > 0:
            batch_loss = (batch * loss - prev_batch * prev_mean) / (batch - prev_batch)
        else:
            batch_loss = loss
        if not (batch_loss is not None and math.isfinite(batch_loss) and batch_loss >= 0):
            batch_loss = loss
        self._running = (batch, loss)
        if batch_loss is not None and math.isfinite(batch_loss):
            self._smoothed = batch_loss if self._smoothed is None else 0.9 * self._smoothed + 0.1 * batch_loss
        with self._lock:
            self.progress = progress
            self.phase = "training"
            self.phase_fraction = None
            self._batch_count += 1
            if self._batch_count % self._loss_stride == 0 and self._smoothed is not None:
                x = progress["epoch"] + batch / progress["batches"]
                self.loss_points.append((x, self._smoothed))
                accuracy = progress.get("accuracy")
                if accuracy is not None and math.isfinite(accuracy):
                    self.accuracy_points.append((x, float(accuracy)))
                if len(self.loss_points) > MAX_LOSS_POINTS:   # keep every other point
                    self.loss_points = self.loss_points[::2]
                    self.accuracy_points = self.accuracy_points[::2]
                    self._loss_stride *= 2
        self.emit("batch", **progress)

    def on_epoch(self, epoch: int, metrics: dict) -> None:
        """epoch is 1-based: the number of complete epochs so far (a resumed run counts its
        earlier epochs too)."""
        with self._lock:
            for key, value in metrics.items():
                series = self.history.setdefault(key, [])
                del series[epoch - 1:]
                series.append(float(value))
        self.emit("epoch", epoch=epoch, **{k: float(v) for k, v in metrics.items()})

    def on_phase(self, phase: str, fraction: float | None = None) -> None:
        with self._lock:
            self.phase = phase
            self.phase_fraction = fraction
        self.emit("phase", phase=phase, fraction=fraction)

    def on_saving(self, model_path: str) -> None:
        """The worker chose the file it is about to write: recorded (on disk) before it writes."""
        with self._lock:
            self.phase, self.phase_fraction = "saving", None
            self.result = {**(self.result or {}), "saving_path": model_path}
        if self._persist is not None:
            self._persist(self)
        self.emit("saving", model_path=model_path)

    def on_saved(self, model_path: str) -> None:
        """The model and its card are in place: recorded (on disk) at once."""
        with self._lock:
            self.result = {**(self.result or {}), "model_path": model_path}
        if self._persist is not None:
            self._persist(self)
        self.emit("saved", model_path=model_path)

    def add_result(self, result: dict) -> None:
        """The worker's final result; its per-epoch history replaces the one gathered so far."""
        with self._lock:
            history = result.pop("history", None)
            if history:
                self.history = history
            self.result = {**(self.result or {}), **result}

    def fail(self, key: str, **params) -> None:
        self.finish(FAILED, error=t(key, "en", **params), error_key=key, error_params=params)

    def finish(self, state: str, error: str | None = None, error_key: str | None = None,
               error_params: dict | None = None, **data) -> None:
        with self._lock:
            if self.state in FINAL_STATES:
                return
            self.state = state
            self.phase = "finished"
            self.phase_fraction = None
            self.error, self.error_key, self.error_params = error, error_key, dict(error_params or {})
            self.finished = time.time()
            self.progress = dict(self.progress, eta=0.0) if self.progress else None
            if self.task:      # a task's own data (a fine-tune's photos) is not kept past its run
                self.task = {k: v for k, v in self.task.items() if k != "photos"}
        if self._persist is not None:
            self._persist(self)
        self.emit(state, **({"error": error, "error_key": error_key} if error else {}), **data)
        self._finished.set()
