"""Training in background threads, with progress a page (or a test) can watch.

A page never trains in its own script: it submits a TrainConfig here and polls the
job it gets back. One JobManager per server process holds every job, so a reloaded
browser tab finds its job again by id, and it enforces a server-wide limit on
trainings that run at the same time (the rest wait in a visible queue):

    job = manager().submit(PRESETS["quick"], name="my-first-cnn")
    job.snapshot()       # state, queue position, progress, ETA, history, result
    job.stop()           # ends within a batch; the completed epochs are kept

States:  queued -> running -> done | stopped | failed
         queued -> cancelled (stopped while waiting)

The limit defaults to one training per 4 CPU cores (so 1 on 2 cores) and is set with
the environment variable FASHION_MAX_TRAININGS. Memory stays bounded: the dataset is
loaded once per process (read-only arrays, shared by every job), a finished job keeps
only its numbers and the path of its saved model (not the model), the per-batch loss
series is thinned as it grows, and only the newest finished jobs are kept.
"""
from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import shlex
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from .train import BatchProgress, TrainConfig, TrainingFailed

log = logging.getLogger(__name__)

ENV_MAX_TRAININGS = "FASHION_MAX_TRAININGS"
MAX_FINISHED_JOBS = 20          # finished jobs kept in memory (newest first)
MAX_LOSS_POINTS = 1000          # per-batch loss points kept per job (thinned beyond)

QUEUED, RUNNING, DONE, STOPPED, FAILED, CANCELLED = "queued", "running", "done", "stopped", "failed", "cancelled"
ACTIVE_STATES = (QUEUED, RUNNING)
FINAL_STATES = (DONE, STOPPED, FAILED, CANCELLED)


def default_max_trainings() -> int:
    """FASHION_MAX_TRAININGS if set to a positive integer, else one per 4 CPU cores (min 1)."""
    raw = os.environ.get(ENV_MAX_TRAININGS, "").strip()
    if raw:
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value >= 1:
            return value
        log.warning("%s=%r is not a positive integer; using the default", ENV_MAX_TRAININGS, raw)
    return max(1, (os.cpu_count() or 1) // 4)


def cli_command(config: TrainConfig) -> str:
    """The `python -m fashion train` command line that reproduces this config."""
    default = TrainConfig()
    parts = ["python", "-m", "fashion", "train"]
    for f in dataclasses.fields(TrainConfig):
        value = getattr(config, f.name)
        if f.name != "architecture" and value == getattr(default, f.name):
            continue
        if f.name == "augmentations":
            text = ",".join(value)
        elif f.name == "arch_params":
            text = json.dumps(value, sort_keys=True)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = str(value)
        parts += ["--" + f.name.replace("_", "-"), text]
    return " ".join(shlex.quote(p) for p in parts)


@dataclass
class Event:
    """One thing that happened to a job. seq grows by one per event of the job."""
    seq: int
    time: float
    kind: str          # queued, started, batch, epoch, stopping, saved, done, stopped, failed, cancelled
    data: dict = field(default_factory=dict)


class Job:
    """One training run. Read it through snapshot(); everything else is for the manager."""

    def __init__(self, config: TrainConfig, name: str, preset: str | None, save: bool,
                 listener: Callable[[Event], None] | None):
        self.id = uuid.uuid4().hex[:12]
        self.config = config
        self.name = name
        self.preset = preset
        self.save = save
        self.created = time.time()
        self.started: float | None = None
        self.finished: float | None = None
        self.state = QUEUED
        self.error: str | None = None              # a sentence, for failed jobs
        self.progress: dict | None = None          # the latest batch, as a dict
        self.history: dict[str, list[float]] = {}  # per epoch: loss, accuracy, val_loss, val_accuracy
        self.loss_points: list[tuple[float, float]] = []   # (epochs so far, smoothed batch loss), thinned
        self._loss_stride = 1
        self._batch_count = 0
        self._running = (0, 0.0)       # (batch, running mean loss of the epoch) as Keras reports it
        self._smoothed: float | None = None
        self.phase = "waiting"                     # waiting, preparing, training, testing, saving, finished
        self.result: dict | None = None            # test_metrics, fit_seconds, epochs_completed, model_path...
        self.events: list[Event] = []              # lifecycle and epoch events (batch events are not kept)
        self._listener = listener
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._lock = threading.RLock()
        self._seq = 0
        self.thread: threading.Thread | None = None
        self._manager: "JobManager | None" = None

    # --- what observers use --------------------------------------------------------

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """Ask the job to stop: a queued job is cancelled at once, a running one stops
        after the current batch and keeps its completed epochs."""
        with self._lock:
            if self.state in FINAL_STATES or self._stop.is_set():
                return
            self._stop.set()
            running = self.state == RUNNING
            if running:
                self._emit("stopping")
        if not running and self._manager is not None:
            self._manager._dispatch()   # a queued job is cancelled and leaves the queue now

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has finished (any final state); False on timeout."""
        return self._finished.wait(timeout)

    def snapshot(self) -> dict:
        """A consistent copy of everything a page shows, safe to read while training runs."""
        with self._lock:
            return {
                "id": self.id, "name": self.name, "preset": self.preset, "state": self.state, "phase": self.phase,
                "config": self.config.to_dict(), "created": self.created, "started": self.started,
                "finished": self.finished, "error": self.error, "stop_requested": self._stop.is_set(),
                "progress": dict(self.progress) if self.progress else None,
                "history": {k: list(v) for k, v in self.history.items()},
                "loss_points": list(self.loss_points),
                "result": dict(self.result) if self.result else None,
                "events": [dataclasses.replace(e, data=dict(e.data)) for e in self.events],
            }

    # --- what the training thread uses ---------------------------------------------

    def _emit(self, kind: str, **data) -> Event:
        with self._lock:
            self._seq += 1
            event = Event(self._seq, time.time(), kind, data)
            if kind != "batch":
                self.events.append(event)
        if self._listener:
            try:
                self._listener(event)
            except Exception:  # an observer's bug must not kill the training
                log.exception("job listener failed")
        return event

    def _on_batch(self, p: BatchProgress) -> None:
        eta = p.eta
        progress = {"epoch": p.epoch, "epochs": p.epochs, "batch": p.batch, "batches": p.batches,
                    "loss": p.loss, "accuracy": p.accuracy, "elapsed": p.elapsed,
                    "fraction": p.fraction, "eta": eta if math.isfinite(eta) else None}
        # Keras reports the running mean of the epoch; recover this batch's own loss
        # from two consecutive means, then smooth it with an exponential moving average.
        prev_batch, prev_mean = self._running
        batch_loss = p.batch * p.loss - prev_batch * prev_mean if p.batch == prev_batch + 1 else p.loss
        if not (math.isfinite(batch_loss) and batch_loss >= 0):
            batch_loss = p.loss
        self._running = (p.batch, p.loss)
        if math.isfinite(batch_loss):
            self._smoothed = batch_loss if self._smoothed is None else 0.9 * self._smoothed + 0.1 * batch_loss
        with self._lock:
            self.progress = progress
            self.phase = "testing" if self._stop.is_set() else "training"
            self._batch_count += 1
            if self._batch_count % self._loss_stride == 0 and self._smoothed is not None:
                self.loss_points.append((p.epoch + p.batch / p.batches, self._smoothed))
                if len(self.loss_points) > MAX_LOSS_POINTS:   # keep every other point
                    self.loss_points = self.loss_points[::2]
                    self._loss_stride *= 2
        self._emit("batch", **progress)

    def _on_epoch(self, epoch: int, metrics: dict) -> None:
        with self._lock:
            for key, value in metrics.items():
                self.history.setdefault(key, []).append(float(value))
            if epoch + 1 >= self.config.epochs:
                self.phase = "testing"     # fit is over; train() now scores the test set
        self._emit("epoch", epoch=epoch + 1, **{k: float(v) for k, v in metrics.items()})

    def _finish(self, state: str, error: str | None = None, **data) -> None:
        with self._lock:
            self.state = state
            self.phase = "finished"
            self.error = error
            self.finished = time.time()
            self.progress = dict(self.progress, eta=0.0) if self.progress else None
        self._emit(state, **({"error": error} if error else {}), **data)
        self._finished.set()


class JobManager:
    """Every job of this process, and the queue in front of the training slots."""

    def __init__(self, max_running: int | None = None, dataset=None, train_fn: Callable | None = None,
                 save_dir=None):
        self.max_running = max_running or default_max_trainings()
        self._dataset = dataset          # None: fashion.data.load() (cached once per process)
        self._train_fn = train_fn        # None: fashion.train.train
        self._save_dir = save_dir        # None: the registry's user folder
        self._jobs: dict[str, Job] = {}
        self._queue: deque[Job] = deque()
        self._lock = threading.RLock()    # re-entrant: a listener may ask the manager things

    # --- public -----------------------------------------------------------------------

    def submit(self, config: TrainConfig, name: str | None = None, preset: str | None = None,
               save: bool = True, listener: Callable[[Event], None] | None = None) -> Job:
        """Queue a training run; it starts as soon as a slot is free. A config that
        cannot work raises ValueError here, before anything is queued."""
        config = dataclasses.replace(config).validate()
        name = name or f"{config.architecture}-{time.strftime('%Y%m%d-%H%M%S')}"
        job = Job(config, name, preset, save, listener)
        job._manager = self
        with self._lock:
            self._jobs[job.id] = job
            self._queue.append(job)
            job._emit("queued", position=len(self._queue))
            self._forget_old()
        self._dispatch()
        return job

    def get(self, job_id: str | None) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id or "")

    def jobs(self) -> list[Job]:
        """All remembered jobs, newest first."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)

    def queue_position(self, job: Job) -> int:
        """1 for the next job to start, 2 for the one after...; 0 when not waiting."""
        with self._lock:
            for i, queued in enumerate(self._queue):
                if queued is job:
                    return i + 1
        return 0

    def busy(self) -> bool:
        """True while any job waits or trains."""
        with self._lock:
            return any(j.state in ACTIVE_STATES for j in self._jobs.values())

    def counts(self) -> dict:
        with self._lock:
            running = sum(1 for j in self._jobs.values() if j.state == RUNNING)
            return {"running": running, "queued": len(self._queue), "limit": self.max_running}

    def stop(self, job_id: str) -> bool:
        job = self.get(job_id)
        if job is None:
            return False
        job.stop()
        return True

    # --- scheduling ---------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Start queued jobs while there are free slots; drop cancelled ones."""
        with self._lock:
            for job in [j for j in self._queue if j.stop_requested]:
                self._queue.remove(job)
                job._finish(CANCELLED)
            running = sum(1 for j in self._jobs.values() if j.state == RUNNING)
            while self._queue and running < self.max_running:
                job = self._queue.popleft()
                job.state, job.started = RUNNING, time.time()
                running += 1
                job.thread = threading.Thread(target=self._run, args=(job,), name=f"train-{job.id}", daemon=True)
                job.thread.start()

    def _forget_old(self) -> None:
        finished = sorted((j for j in self._jobs.values() if j.state in FINAL_STATES),
                          key=lambda j: j.created, reverse=True)
        for job in finished[MAX_FINISHED_JOBS:]:
            del self._jobs[job.id]

    def _run(self, job: Job) -> None:
        try:
            self._train(job)
        except Exception as e:  # the last line of defence: the server goes on
            log.exception("training job %s crashed", job.id)
            job._finish(FAILED, error=_plain(e))
        finally:
            self._dispatch()

    def _train(self, job: Job) -> None:
        from . import train as fm_train
        with job._lock:
            job.phase = "preparing"
        job._emit("started")
        train_fn = self._train_fn or fm_train.train
        try:
            result = train_fn(job.config, on_batch=job._on_batch, on_epoch=job._on_epoch,
                              should_stop=lambda: job.stop_requested, dataset=self._dataset)
        except TrainingFailed as e:
            if job.stop_requested and not job.history:
                job._finish(STOPPED, epochs_completed=0)   # stopped before one epoch: nothing to keep
            else:
                job._finish(FAILED, error=str(e))
            return
        except ValueError as e:
            job._finish(FAILED, error=str(e))
            return
        except MemoryError:
            job._finish(FAILED, error="ran out of memory; lower the batch size or use a smaller network.")
            return

        summary = {"test_metrics": dict(result.test_metrics), "fit_seconds": float(result.fit_seconds),
                   "epochs_completed": int(result.epochs_completed), "stopped_early": bool(result.stopped_early),
                   "params": int(result.model.count_params()), "model_path": None, "command": cli_command(job.config)}
        with job._lock:
            job.history = {k: [float(x) for x in v] for k, v in result.history.items()}
            job.result = summary
            job.phase = "saving" if job.save else job.phase
        if job.save:
            from . import registry
            card = registry.make_card(result, summary["command"],
                                      extra={"run_name": job.name, "preset": job.preset})
            try:
                path = registry.save_model(result.model, card, job.name, folder=self._save_dir)
            except OSError as e:
                job._finish(FAILED, error=f"the model trained but could not be saved: {e.strerror or e}.")
                return
            with job._lock:
                job.result["model_path"] = str(path)
            job._emit("saved", model_path=str(path))
        del result  # the model lives on disk now, not in this process
        job._finish(STOPPED if job.stop_requested else DONE, epochs_completed=summary["epochs_completed"],
                    test_accuracy=summary["test_metrics"].get("accuracy"))


def _plain(e: BaseException) -> str:
    """A one-line description of an unexpected error: the line of its message that says
    what went wrong, without the traceback TensorFlow folds into some messages."""
    lines = [line.strip() for line in str(e).splitlines()]
    skip = ("Graph execution error", "Detected at node", "File ", "[[", "Traceback")
    useful = [line for line in lines if line and not line.startswith(skip)]
    text = (useful[0] if useful else "").split("  ")[0][:200].rstrip(" .:")
    return f"unexpected error ({type(e).__name__}){': ' + text if text else ''}."


_MANAGER: JobManager | None = None
_MANAGER_LOCK = threading.Lock()


def manager() -> JobManager:
    """The server-wide job manager (one per process)."""
    global _MANAGER
    with _MANAGER_LOCK:
        if _MANAGER is None:
            _MANAGER = JobManager()
        return _MANAGER
