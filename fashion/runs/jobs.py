"""Training runs in worker processes, with progress a page (or a test) can watch,
a queue, owners, and nothing lost across a server restart.

A page never trains in its own script: it submits a TrainConfig here and polls the
job it gets back. One JobManager per server process holds every job; each running job
is a `python -m fashion.runs.worker` process (see fashion/worker.py for why a subprocess)
whose events stream back over its stdout:

    job = manager().submit(PRESETS["quick"], name="my-first-cnn", owner=browser_id)
    job.snapshot()                          # state, phase, progress, ETA, history, result
    manager().stop(job.id, requester=browser_id)   # only the owner (or the teacher)

States:  queued -> running -> done | stopped | failed
         queued -> cancelled (stopped while waiting)

The classroom rules live here, not in the pages:
- a run belongs to the browser that started it (`owner`); only that browser, or the
  teacher, may stop it; job ids are unguessable (secrets.token_urlsafe);
- one queued-or-running run per owner; server-wide caps on epochs and on the queue
  (`Limits`, from `.streamlit/secrets.toml` or environment variables);
- a run name already taken (name_clash) is the page's to ask about: replacing a saved
  model is for the browser that trained it (its card keeps a one-way tag of the owner)
  or the teacher, never a shipped model nor the name of a run still training;
- the worker saves its model to the registry itself and reports the path, so the
  server never holds a training's memory; a worker that crashes, is killed or runs out
  of memory becomes a FAILED job with an i18n-keyed message, and the server goes on;
- Stop is a message to the worker (it keeps the completed epochs); the process is
  terminated only if it has not finished STOP_GRACE_S seconds later.

Persistence: each job lives in `studio_home()/jobs/<id>/` — `job.json` (written
atomically at every state change and epoch), `backup/` (the per-epoch checkpoint of
keras BackupAndRestore, as the CLI's --resume-dir) and `worker.log`. A new JobManager
(after a server restart) takes the queue back and resumes interrupted runs from their
last complete epoch; a run whose stop was already asked for, or every interrupted run
when resuming is switched off (FASHION_RESUME_JOBS=0), is instead finished at once as
stopped, its completed epochs saved as a model.
"""
from __future__ import annotations

import dataclasses
import hmac
import json
import logging
import math
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from fashion.files import write_json
from fashion.i18n import t
from fashion.model import registry
from fashion.paths import REPO_DIR, jobs_dir, user_dir
from fashion.runs.protocol import STOP, WORKER_MODULE, plain
from fashion.training.train import TrainConfig

log = logging.getLogger(__name__)

ENV_MAX_TRAININGS = "FASHION_MAX_TRAININGS"
ENV_MAX_EPOCHS = "FASHION_MAX_EPOCHS"
ENV_MAX_QUEUE = "FASHION_MAX_QUEUE"
ENV_WORKER_THREADS = "FASHION_WORKER_THREADS"
ENV_RESUME = "FASHION_RESUME_JOBS"
MAX_FINISHED_JOBS = 20          # finished jobs remembered (newest first)
MAX_LOSS_POINTS = 1000          # per-batch loss points kept per job (thinned beyond)
STOP_GRACE_S = 180.0            # after Stop, the worker has this long to save and exit

QUEUED, RUNNING, DONE, STOPPED, FAILED, CANCELLED = "queued", "running", "done", "stopped", "failed", "cancelled"
ACTIVE_STATES = (QUEUED, RUNNING)
FINAL_STATES = (DONE, STOPPED, FAILED, CANCELLED)


# --- settings -------------------------------------------------------------------------

def _positive_int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def default_max_trainings() -> int:
    """FASHION_MAX_TRAININGS if set to a positive integer, else one per 4 CPU cores (min 1)."""
    raw = os.environ.get(ENV_MAX_TRAININGS, "").strip()
    if raw:
        value = _positive_int(raw)
        if value:
            return value
        log.warning("%s=%r is not a positive integer; using the default", ENV_MAX_TRAININGS, raw)
    return max(1, (os.cpu_count() or 1) // 4)


def default_worker_threads() -> int:
    """All cores but one for a training, so the server always keeps one for its users."""
    return max(1, (os.cpu_count() or 1) - 1)


@dataclass
class Limits:
    """Server-wide caps. Each is read from the settings mapping (st.secrets: max_trainings,
    max_epochs, max_queue, worker_threads), else from its environment variable, else
    the default."""
    max_running: int = 1            # trainings at the same time
    max_epochs: int = 50            # epochs one run may ask for
    max_queue: int = 8              # runs waiting for a slot
    worker_threads: int = 1         # TensorFlow threads of one worker

    @classmethod
    def from_settings(cls, settings: Mapping | None = None) -> "Limits":
        settings = settings or {}

        def pick(key: str, env: str, default: int) -> int:
            for raw in (settings.get(key), os.environ.get(env)):
                if raw is not None and str(raw).strip():
                    value = _positive_int(raw)
                    if value:
                        return value
                    log.warning("%s=%r is not a positive integer; using the default", key, raw)
            return default

        return cls(max_running=pick("max_trainings", ENV_MAX_TRAININGS, default_max_trainings()),
                   max_epochs=pick("max_epochs", ENV_MAX_EPOCHS, cls.max_epochs),
                   max_queue=pick("max_queue", ENV_MAX_QUEUE, cls.max_queue),
                   worker_threads=pick("worker_threads", ENV_WORKER_THREADS, default_worker_threads()))


@dataclass
class NameClash:
    """A run name that is already taken, for the page to ask about (never renamed behind
    the user's back). kind: "model" (a saved model of the user's registry), "shipped" (a
    model that comes with the app) or "run" (a queued or running run that will save under
    it). `suggestion` is a free name that keeps both; `may_replace` says whether the
    requester may replace the saved model, and `refusal` (an i18n key) why not."""
    name: str
    kind: str
    taken_by: str
    model: object | None
    may_replace: bool
    suggestion: str

    @property
    def refusal(self) -> str | None:
        if self.may_replace:
            return None
        return {"shipped": "train.err.replace_shipped", "run": "train.err.replace_run"}.get(
            self.kind, "train.err.replace_not_yours")


class JobRefused(Exception):
    """The classroom rules refuse a request; `key` and `params` say why (for fashion.i18n.t)."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


# --- one job -------------------------------------------------------------------------------

@dataclass
class Event:
    """One thing that happened to a job. seq grows by one per event of the job."""
    seq: int
    time: float
    kind: str          # queued, started, batch, phase, epoch, stopping, saved, done, stopped, failed, cancelled
    data: dict = field(default_factory=dict)


class Job:
    """One training run. Read it through snapshot(); everything else is for the manager."""

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
        self.task: dict | None = None              # another kind of run (fashion/finetune.py), else None
        self._listener = listener
        self._stop = threading.Event()
        self._finished = threading.Event()
        self._lock = threading.RLock()
        self._seq = 0
        self._proc: subprocess.Popen | None = None
        self._forced = False
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
        """Ask the job to stop (no ownership check: use JobManager.stop for requests from
        people). A queued job is cancelled at once, a running one stops after the current
        batch and keeps its completed epochs."""
        with self._lock:
            if self.state in FINAL_STATES or self._stop.is_set():
                return
            self._stop.set()
            running = self.state == RUNNING
            if running:
                self._emit("stopping")
        if self._manager is not None:
            self._manager._save(self)
            if running:
                self._manager._ask_worker_to_stop(self)
            else:
                self._manager._dispatch()   # a queued job is cancelled and leaves the queue now

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

    # --- persistence ---------------------------------------------------------------

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

    # --- what the manager's reader thread uses ---------------------------------------

    def _emit(self, kind: str, **data) -> Event:
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

    def _on_batch(self, progress: dict) -> None:
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
        self._emit("batch", **progress)

    def _on_epoch(self, epoch: int, metrics: dict) -> None:
        """epoch is 1-based: the number of complete epochs so far (a resumed run counts its
        earlier epochs too)."""
        with self._lock:
            for key, value in metrics.items():
                series = self.history.setdefault(key, [])
                del series[epoch - 1:]
                series.append(float(value))
        self._emit("epoch", epoch=epoch, **{k: float(v) for k, v in metrics.items()})

    def _on_phase(self, phase: str, fraction: float | None = None) -> None:
        with self._lock:
            self.phase = phase
            self.phase_fraction = fraction
        self._emit("phase", phase=phase, fraction=fraction)

    def _fail(self, key: str, **params) -> None:
        self._finish(FAILED, error=t(key, "en", **params), error_key=key, error_params=params)

    def _finish(self, state: str, error: str | None = None, error_key: str | None = None,
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
        if self._manager is not None:
            self._manager._save(self)
        self._emit(state, **({"error": error, "error_key": error_key} if error else {}), **data)
        self._finished.set()


# --- the manager ---------------------------------------------------------------------------

class JobManager:
    """Every job of this server, the queue in front of the training slots, and the rules."""

    def __init__(self, max_running: int | None = None, limits: Limits | None = None, save_dir=None,
                 home: Path | str | None = None, resume: bool | None = None):
        self.limits = limits or Limits.from_settings()
        if max_running:
            self.limits = dataclasses.replace(self.limits, max_running=max_running)
        self._save_dir = save_dir                  # None: the registry's user folder
        self.home = Path(home) if home else jobs_dir()
        self.resume = resume if resume is not None else os.environ.get(ENV_RESUME, "1").strip() not in ("0", "false", "no")
        self._jobs: dict[str, Job] = {}
        self._queue: deque[Job] = deque()
        self._lock = threading.RLock()    # re-entrant: a listener may ask the manager things
        self._closing = False
        self._recover()
        self._dispatch()

    @property
    def max_running(self) -> int:
        return self.limits.max_running

    # --- public -----------------------------------------------------------------------

    def submit(self, config: TrainConfig, name: str | None = None, preset: str | None = None,
               save: bool = True, listener: Callable[[Event], None] | None = None,
               owner: str | None = None, overwrite: bool = False, task: dict | None = None,
               teacher: bool = False) -> Job:
        """Queue a training run; it starts as soon as a slot is free. A config that cannot
        work raises ValueError, a request the classroom rules refuse raises JobRefused,
        before anything is queued. overwrite: the saved model replaces one of the same name
        (the user was asked, see name_clash) — refused unless `owner` may replace it (its
        owner, or the teacher; never a shipped model, nor a name a queued or running run
        holds); otherwise a taken name gets a numeric suffix. task: another kind of run
        than train(config), run by the worker (fashion/finetune.py's task())."""
        config = dataclasses.replace(config).validate()
        if config.epochs > self.limits.max_epochs:
            raise JobRefused("train.err.epochs_cap", limit=self.limits.max_epochs)
        name = name or f"{config.architecture}-{time.strftime('%Y%m%d-%H%M%S')}"
        with self._lock:
            if owner is not None and self.active_job_of(owner) is not None:
                raise JobRefused("train.err.one_per_browser")
            if overwrite and save:
                clash = self.name_clash(name, requester=owner, teacher=teacher)
                if clash is not None and not clash.may_replace:
                    raise JobRefused(clash.refusal, name=clash.taken_by)
            running = sum(1 for j in self._jobs.values() if j.state == RUNNING)
            if running >= self.limits.max_running and len(self._queue) >= self.limits.max_queue:
                raise JobRefused("train.err.queue_full", limit=self.limits.max_queue)
            job = Job(config, name, preset, save, listener, owner)
            job.overwrite = bool(overwrite)
            job.task = dict(task) if task else None
            job._manager = self
            self._jobs[job.id] = job
            self._queue.append(job)
            self._save(job)
            job._emit("queued", position=len(self._queue))
            self._forget_old()
        self._dispatch()
        return job

    def name_clash(self, name: str | None, requester: str | None = None, teacher: bool = False) -> NameClash | None:
        """What already holds this run name, if anything: a queued or running run that will
        save under it, a shipped model, or a saved model (see NameClash). None when free."""
        name = (name or "").strip()
        if not name:
            return None
        folder = self._save_dir or user_dir()
        stem = registry.safe_name(name)
        with self._lock:
            running = [j for j in self._jobs.values() if j.active and j.save]
        holder = next((j for j in running if registry.safe_name(j.name) == stem), None)
        taken = [j.name for j in running]
        if holder is not None:
            return NameClash(name, "run", holder.name, None, False, registry.free_name(name, folder, taken))
        entry = registry.find_model(name, folder)
        if entry is None:
            return None
        return NameClash(name, "shipped" if entry.shipped else "model", entry.display_name, entry,
                         registry.may_replace(entry, requester, teacher), registry.free_name(name, folder, taken))

    def get(self, job_id: str | None) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id or "")

    def jobs(self) -> list[Job]:
        """All remembered jobs, newest first."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)

    def active_job_of(self, owner: str | None) -> Job | None:
        """The owner's queued or running job (there is at most one)."""
        if not owner:
            return None
        with self._lock:
            return next((j for j in self.jobs() if j.active and j.owner == owner), None)

    def can_control(self, job: Job, requester: str | None, teacher: bool = False) -> bool:
        """Only the browser that started a run, or the teacher, may stop it."""
        if teacher:
            return True
        return bool(job.owner and requester) and hmac.compare_digest(job.owner, requester)

    def stop(self, job_id: str, requester: str | None = None, teacher: bool = False) -> bool:
        """Stop a job on behalf of `requester`; False when there is no such job, JobRefused
        when the requester may not."""
        job = self.get(job_id)
        if job is None:
            return False
        if not self.can_control(job, requester, teacher):
            raise JobRefused("train.err.not_yours")
        job.stop()
        return True

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
            return {"running": running, "queued": len(self._queue), "limit": self.limits.max_running}

    def worker_pids(self) -> list[int]:
        """Process ids of the running workers (for memory measurements)."""
        with self._lock:
            return [j._proc.pid for j in self._jobs.values() if j._proc is not None and j._proc.poll() is None]

    def shutdown(self, timeout: float = 10.0) -> None:
        """End every worker now, as a server shutdown would (their checkpoints stay, so a
        new manager resumes them); for tests and tools."""
        with self._lock:
            self._closing = True            # the jobs stay as they are on disk: running, queued
            procs = [j._proc for j in self._jobs.values() if j._proc is not None]
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        for proc in procs:
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass

    # --- persistence --------------------------------------------------------------------

    def job_dir(self, job: Job) -> Path:
        return self.home / job.id

    def _save(self, job: Job) -> None:
        if self._closing:
            return
        try:
            write_json(self.job_dir(job) / "job.json", job.to_record())
        except OSError:
            log.exception("could not save the state of job %s", job.id)

    def _recover(self) -> None:
        """Take back the jobs a previous server left: finished ones to show, queued ones
        in their order, interrupted ones first (to resume, or to finish as stopped)."""
        if not self.home.is_dir():
            return
        found = []
        for path in self.home.glob("*/job.json"):
            try:
                with open(path, encoding="utf-8") as f:
                    found.append(Job.from_record(json.load(f)))
            except (OSError, ValueError, KeyError, TypeError) as e:
                log.warning("skipping unreadable job state %s: %s", path, e)
        found.sort(key=lambda j: j.created)
        interrupted = [j for j in found if j.state == RUNNING]
        waiting = [j for j in found if j.state == QUEUED]
        for job in found:
            job._manager = self
            self._jobs[job.id] = job
        for job in interrupted:
            job.state, job.phase, job.progress = QUEUED, "waiting", None
            job.resumes += 1
            job.finalize = job.stop_requested or not self.resume
            job._emit("resumed", epochs=len(job.history.get("loss", [])))
            self._save(job)
        for job in interrupted + waiting:
            if job.stop_requested and not job.finalize:
                job._finish(CANCELLED)
            else:
                self._queue.append(job)
        self._forget_old()

    # --- scheduling ---------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Start queued jobs while there are free slots; drop cancelled ones."""
        with self._lock:
            for job in [j for j in self._queue if j.stop_requested and not j.finalize]:
                self._queue.remove(job)
                job._finish(CANCELLED)
            running = sum(1 for j in self._jobs.values() if j.state == RUNNING)
            while self._queue and running < self.limits.max_running:
                job = self._queue.popleft()
                job.state, job.started = RUNNING, job.started or time.time()
                job.phase = "preparing"
                running += 1
                self._save(job)
                job.thread = threading.Thread(target=self._run, args=(job,), name=f"train-{job.id}", daemon=True)
                job.thread.start()

    def _forget_old(self) -> None:
        finished = sorted((j for j in self._jobs.values() if j.state in FINAL_STATES),
                          key=lambda j: j.created, reverse=True)
        for job in finished[MAX_FINISHED_JOBS:]:
            del self._jobs[job.id]
            shutil.rmtree(self.job_dir(job), ignore_errors=True)

    def _run(self, job: Job) -> None:
        try:
            self._train(job)
        except Exception as e:  # the last line of defence: the server goes on
            log.exception("training job %s crashed", job.id)
            job._fail("train.err.failed", error=plain(e))
        finally:
            if not self._closing:
                self._dispatch()

    def _spec(self, job: Job) -> dict:
        return {"job_id": job.id, "config": job.config.to_dict(), "name": job.name, "preset": job.preset,
                "save": job.save, "overwrite": job.overwrite, "save_dir": str(self._save_dir or user_dir()),
                "backup_dir": str(self.job_dir(job) / "backup"), "threads": self.limits.worker_threads,
                "owner_tag": registry.owner_tag(job.owner),
                "stop": bool(job.finalize or job.stop_requested), "task": job.task}

    def _train(self, job: Job) -> None:
        job._emit("started")
        folder = self.job_dir(job)
        folder.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_DIR), env.get("PYTHONPATH")) if p)
        with open(folder / "worker.log", "ab") as stderr:
            proc = subprocess.Popen([sys.executable, "-m", WORKER_MODULE], cwd=REPO_DIR, env=env,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                                    text=True, encoding="utf-8", bufsize=1)
        with job._lock:
            job._proc = proc
        try:
            proc.stdin.write(json.dumps(self._spec(job)) + "\n")
            proc.stdin.flush()
        except OSError:
            pass   # it died at once; the exit status below says how
        if job.stop_requested and not job.finalize:
            self._ask_worker_to_stop(job)   # stopped between dispatch and start
        final = None
        for line in proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            kind = message.pop("kind", None)
            if kind == "batch":
                job._on_batch(message)
            elif kind == "phase":
                job._on_phase(message.get("phase", "training"), message.get("fraction"))
            elif kind == "epoch":
                job._on_epoch(int(message["epoch"]), message.get("metrics") or {})
                self._save(job)
            elif kind == "saved":
                with job._lock:
                    job.result = {**(job.result or {}), "model_path": message["model_path"]}
                job._emit("saved", model_path=message["model_path"])
            elif kind == "finished":
                final = message
        code = proc.wait()
        try:
            proc.stdin.close()
        except OSError:
            pass
        with job._lock:
            job._proc = None
        if self._closing:
            return    # the server is going away: the job stays "running" on disk, to resume
        self._conclude(job, final, code)

    def _conclude(self, job: Job, final: dict | None, code: int) -> None:
        """Turn the worker's last word (or its silence and exit status) into the job's end."""
        if final is None:
            if job._forced:
                job._fail("train.err.stop_forced", seconds=int(STOP_GRACE_S))
            elif code < 0:
                job._fail("train.err.worker_killed", signal=-code)
            else:
                job._fail("train.err.worker_died", code=code)
            return
        result = final.get("result")
        if result:
            with job._lock:
                history = result.pop("history", None)
                if history:
                    job.history = history
                job.result = {**(job.result or {}), **result}
        state = final.get("state")
        if state == FAILED:
            job._fail(final.get("key") or "train.err.failed", **(final.get("params") or {}))
            return
        shutil.rmtree(self.job_dir(job) / "backup", ignore_errors=True)   # the model is saved (or nothing was)
        if state == STOPPED and not result:
            job._finish(STOPPED, epochs_completed=0)    # stopped before one epoch: nothing to keep
        else:
            job._finish(STOPPED if state == STOPPED else DONE,
                        epochs_completed=(result or {}).get("epochs_completed", 0),
                        test_accuracy=((result or {}).get("test_metrics") or {}).get("accuracy"))

    def _ask_worker_to_stop(self, job: Job) -> None:
        """Stop is a message; the process is ended only if it outstays the grace period."""
        with job._lock:
            proc = job._proc
        if proc is None or proc.poll() is not None:
            return
        try:
            proc.stdin.write(STOP + "\n")
            proc.stdin.flush()
        except (OSError, ValueError):
            pass
        timer = threading.Timer(STOP_GRACE_S, self._force_stop, args=(job, proc))
        timer.daemon = True
        timer.start()

    def _force_stop(self, job: Job, proc: subprocess.Popen) -> None:
        if proc.poll() is not None:
            return
        log.warning("job %s did not stop within %.0f s; terminating its worker", job.id, STOP_GRACE_S)
        job._forced = True
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


_MANAGER: JobManager | None = None
_MANAGER_LOCK = threading.Lock()


def manager(settings: Mapping | None = None) -> JobManager:
    """The server-wide job manager (one per process). `settings` (st.secrets) update its
    limits on every call, so an edited secrets file takes effect without a restart."""
    global _MANAGER
    with _MANAGER_LOCK:
        if _MANAGER is None:
            _MANAGER = JobManager(limits=Limits.from_settings(settings))
        elif settings is not None:
            _MANAGER.limits = Limits.from_settings(settings)
        return _MANAGER
