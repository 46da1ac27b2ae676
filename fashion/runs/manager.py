"""Training runs in worker processes, with progress a page (or a test) can watch,
a queue, owners, and nothing lost across a server restart.

A page never trains in its own script: it submits a TrainConfig here and polls the
job it gets back (fashion/runs/job.py). One JobManager per server process holds every
job; each running job is a `python -m fashion.runs.worker` process (fashion/runs/process.py;
see fashion/runs/worker.py for why a subprocess) whose events stream back over its stdout:

    job = manager().submit(PRESETS["quick"], name="my-first-cnn", owner=browser_id)
    job.snapshot()                          # state, phase, progress, ETA, history, result
    manager().stop(job.id, requester=browser_id)   # only the owner (or the teacher)

The classroom rules (fashion/runs/rules.py) are enforced here, not in the pages:
- a run belongs to the browser that started it (`owner`); only that browser, or the
  teacher, may stop it; job ids are unguessable (secrets.token_urlsafe);
- one queued-or-running run per owner and per client address (rules.refuse_second_slot);
  server-wide caps on epochs and on the queue; the teacher empties the queue at once
  (cancel_queued);
- a run name already taken (name_clash) is the page's to ask about: replacing a saved
  model is for the browser that trained it (its card keeps a one-way tag of the owner)
  or the teacher, never a shipped model nor the name of a run still training;
- the worker saves its model to the registry itself and reports the path, so the
  server never holds a training's memory; a worker that crashes, is killed or runs out
  of memory becomes a FAILED job with an i18n-keyed message, and the server goes on;
- Stop is a message to the worker (it keeps the completed epochs); the process is
  terminated only if it has not finished STOP_GRACE_S seconds later.

Every state change and epoch is written to disk (fashion/runs/store.py). A new JobManager
(after a server restart) takes the queue back and resumes interrupted runs from their
last complete epoch; a run whose stop was already asked for, or every interrupted run
when resuming is switched off (FASHION_RESUME_JOBS=0), is instead finished at once as
stopped, its completed epochs saved as a model.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import deque
from pathlib import Path
from typing import Callable, Mapping

from fashion.model import registry
from fashion.model.naming import free_name, safe_name
from fashion.paths import jobs_dir, user_dir
from fashion.runs.job import ACTIVE_STATES, CANCELLED, DONE, FAILED, FINAL_STATES, QUEUED, RUNNING, STOPPED, Event, Job
from fashion.runs.process import WorkerProcess
from fashion.runs.protocol import plain
from fashion.runs.recovery import finish_from_disk, resave_stem, retry_save, was_saving
from fashion.runs.rules import JobRefused, Limits, NameClash, may_control, refuse_second_slot, resume_by_default
from fashion.runs.store import JobStore
from fashion.training.train import TrainConfig

log = logging.getLogger(__name__)

MAX_FINISHED_JOBS = 20          # finished jobs remembered (newest first)
STOP_GRACE_S = 180.0            # after Stop, the worker has this long to save and exit


class JobManager:
    """Every job of this server, the queue in front of the training slots, and the rules."""

    def __init__(self, max_running: int | None = None, limits: Limits | None = None, save_dir=None,
                 home: Path | str | None = None, resume: bool | None = None):
        self.limits = limits or Limits.from_settings()
        if max_running:
            self.limits = dataclasses.replace(self.limits, max_running=max_running)
        self._save_dir = save_dir                  # None: the registry's user folder
        self.store = JobStore(home if home else jobs_dir())
        self.resume = resume if resume is not None else resume_by_default()
        self._jobs: dict[str, Job] = {}
        self._queue: deque[Job] = deque()
        self._workers: dict[str, WorkerProcess] = {}   # job id -> its running worker
        self._addresses: dict[str, str] = {}            # job id -> the client address that asked (memory only)
        self._lock = threading.RLock()    # re-entrant: a listener may ask the manager things
        self._closing = False
        self._recover()
        self._dispatch()

    @property
    def home(self) -> Path:
        return self.store.home

    @property
    def max_running(self) -> int:
        return self.limits.max_running

    # --- public -----------------------------------------------------------------------

    def submit(self, config: TrainConfig, name: str | None = None, preset: str | None = None,
               save: bool = True, listener: Callable[[Event], None] | None = None,
               owner: str | None = None, overwrite: bool = False, task: dict | None = None,
               teacher: bool = False, address: str | None = None) -> Job:
        """Queue a training run; it starts as soon as a slot is free. A config that cannot
        work raises ValueError, a request the classroom rules refuse raises JobRefused,
        before anything is queued. overwrite: the saved model replaces one of the same name
        (the user was asked, see name_clash) — refused unless `owner` may replace it (its
        owner, or the teacher; never a shipped model, nor a name a queued or running run
        holds); otherwise a taken name gets a numeric suffix. task: another kind of run
        than train(config), run by the worker (fashion/training/finetune.py's task()).
        address: the client's network address if known (rules.refuse_second_slot; memory only)."""
        config = dataclasses.replace(config).validate()
        if config.epochs > self.limits.max_epochs:
            raise JobRefused("train.err.epochs_cap", limit=self.limits.max_epochs)
        name = name or f"{config.architecture}-{time.strftime('%Y%m%d-%H%M%S')}"
        with self._lock:
            refuse_second_slot([(j.owner, self._addresses.get(j.id)) for j in self._jobs.values() if j.active],
                               owner, address, self.limits, teacher)
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
            job.attach(self._save, self._stop_requested)
            self._jobs[job.id] = job
            if address and not teacher:        # the teacher's runs take no student's slot
                self._addresses[job.id] = address
            self._queue.append(job)
            self._save(job)
            job.emit("queued", position=len(self._queue))
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
        stem = safe_name(name)
        with self._lock:
            running = [j for j in self._jobs.values() if j.active and j.save]
        holder = next((j for j in running if safe_name(j.name) == stem), None)
        taken = [j.name for j in running]
        if holder is not None:
            return NameClash(name, "run", holder.name, None, False, free_name(name, folder, taken))
        entry = registry.find_model(name, folder)
        if entry is None:
            return None
        return NameClash(name, "shipped" if entry.shipped else "model", entry.display_name, entry,
                         registry.may_replace(entry, requester, teacher), free_name(name, folder, taken))

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
        return may_control(job.owner, requester, teacher)

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

    def cancel_queued(self, teacher: bool = False) -> int:
        """The teacher's one click against a flood: every waiting run cancelled (how many); teacher only."""
        if not teacher:
            raise JobRefused("train.err.not_yours")
        with self._lock:             # re-entrant: no run leaves the queue for a slot meanwhile
            waiting = [j for j in self._queue if not j.finalize and not j.stop_requested]
            for job in waiting:
                job.stop()
        return len(waiting)

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
            return [w.pid for w in self._workers.values() if w.alive()]

    def shutdown(self, timeout: float = 10.0) -> None:
        """End every worker now, as a server shutdown would (their checkpoints stay, so a
        new manager resumes them); for tests and tools."""
        with self._lock:
            self._closing = True            # the jobs stay as they are on disk: running, queued
            workers = list(self._workers.values())
        for worker in workers:
            worker.kill()
        for worker in workers:
            worker.join(timeout)

    def job_dir(self, job: Job) -> Path:
        return self.store.folder(job)

    # --- persistence --------------------------------------------------------------------

    def _save(self, job: Job) -> None:
        if not self._closing:
            self.store.save(job)

    def _recover(self) -> None:
        """Take back the jobs a previous server left: finished ones to show, queued ones
        in their order, interrupted ones first (to resume, or to finish as stopped)."""
        found = self.store.load()
        interrupted = [j for j in found if j.state == RUNNING]
        waiting = [j for j in found if j.state == QUEUED]
        for job in found:
            job.attach(self._save, self._stop_requested)
            self._jobs[job.id] = job
        # killed around its save: finished from its saved model, else saved again (fashion/runs/recovery.py)
        interrupted = [j for j in interrupted if not finish_from_disk(j, self._save_dir or user_dir(), self.store)]
        for job in interrupted:
            job.requeue(finalize=job.stop_requested or not self.resume or was_saving(job))
            self._save(job)
        for job in interrupted + waiting:
            if job.stop_requested and not job.finalize:
                job.finish(CANCELLED)
            else:
                self._queue.append(job)
        self._forget_old()

    # --- scheduling ---------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Start queued jobs while there are free slots; drop cancelled ones."""
        with self._lock:
            for job in [j for j in self._queue if j.stop_requested and not j.finalize]:
                self._queue.remove(job)
                job.finish(CANCELLED)
            running = sum(1 for j in self._jobs.values() if j.state == RUNNING)
            while self._queue and running < self.limits.max_running:
                job = self._queue.popleft()
                job.begin()
                running += 1
                self._save(job)
                job.thread = threading.Thread(target=self._run, args=(job,), name=f"train-{job.id}", daemon=True)
                job.thread.start()

    def _forget_old(self) -> None:
        finished = sorted((j for j in self._jobs.values() if j.state in FINAL_STATES),
                          key=lambda j: j.created, reverse=True)
        for job in finished[MAX_FINISHED_JOBS:]:
            del self._jobs[job.id]
            self.store.remove(job)
        for job_id in [i for i in self._addresses if i not in self._jobs or not self._jobs[i].active]:
            del self._addresses[job_id]

    def _stop_requested(self, job: Job, running: bool) -> None:
        """A running job's worker is told to stop; a queued job is cancelled and leaves the queue now."""
        self._save(job)
        if running:
            self._ask_worker_to_stop(job)
        else:
            self._dispatch()

    def _ask_worker_to_stop(self, job: Job) -> None:
        with self._lock:
            worker = self._workers.get(job.id)
        if worker is not None:
            worker.ask_to_stop(STOP_GRACE_S)

    # --- one run, in its own thread -----------------------------------------------------

    def _run(self, job: Job) -> None:
        try:
            self._train(job)
        except Exception as e:  # the last line of defence: the server goes on
            log.exception("training job %s crashed", job.id)
            job.fail("train.err.failed", error=plain(e))
        finally:
            if not self._closing:
                self._dispatch()

    def _spec(self, job: Job) -> dict:
        return {"job_id": job.id, "config": job.config.to_dict(), "name": job.name, "preset": job.preset,
                "save": job.save, "overwrite": job.overwrite, "save_dir": str(self._save_dir or user_dir()),
                "backup_dir": str(self.store.backup_dir(job)), "threads": self.limits.worker_threads,
                "owner_tag": registry.owner_tag(job.owner), "save_stem": resave_stem(job, self._save_dir or user_dir()),
                "stop": bool(job.finalize or job.stop_requested), "task": job.task}

    def _train(self, job: Job) -> None:
        """Start the job's worker, feed its messages to the job, and conclude from its last word."""
        job.emit("started")
        folder = self.store.folder(job)
        folder.mkdir(parents=True, exist_ok=True)
        worker = WorkerProcess(self._spec(job), folder / "worker.log")
        with self._lock:
            self._workers[job.id] = worker
        if job.stop_requested and not job.finalize:
            self._ask_worker_to_stop(job)   # stopped between dispatch and start
        final = None
        try:
            for message in worker.messages():
                kind = message.pop("kind", None)
                if kind == "batch":
                    job.on_batch(message)
                elif kind == "phase":
                    job.on_phase(message.get("phase", "training"), message.get("fraction"))
                elif kind == "epoch":
                    job.on_epoch(int(message["epoch"]), message.get("metrics") or {})
                    self._save(job)
                elif kind == "saving":
                    job.on_saving(message["model_path"])      # on disk before the worker writes
                    worker.note_saving()
                elif kind == "saved":
                    job.on_saved(message["model_path"])
                elif kind == "finished":
                    final = message
            code = worker.wait()
        finally:
            with self._lock:
                self._workers.pop(job.id, None)
        if self._closing:
            return    # the server is going away: the job stays "running" on disk, to resume
        self._conclude(job, final, code, worker.forced)

    def _conclude(self, job: Job, final: dict | None, code: int, forced: bool) -> None:
        """Turn the worker's last word (or its silence and exit status) into the job's end."""
        cut_short = final is None or final.get("state") == FAILED   # but its model may be saved: recovery.py
        if cut_short and finish_from_disk(job, self._save_dir or user_dir(), self.store):
            return
        if final is None and not forced and retry_save(job):
            with self._lock:
                self._queue.appendleft(job)
            return
        if final is None:
            if forced:
                job.fail("train.err.stop_forced", seconds=int(STOP_GRACE_S))
            elif code < 0:
                job.fail("train.err.worker_killed", signal=-code)
            else:
                job.fail("train.err.worker_died", code=code)
            return
        result = final.get("result")
        if result:
            job.add_result(result)
        state = final.get("state")
        if state == FAILED:
            job.fail(final.get("key") or "train.err.failed", **(final.get("params") or {}))
            return
        self.store.remove_backup(job)   # the model is saved (or nothing was)
        if state == STOPPED and not result:
            job.finish(STOPPED, epochs_completed=0)    # stopped before one epoch: nothing to keep
        else:
            job.finish(STOPPED if state == STOPPED else DONE,
                       epochs_completed=(result or {}).get("epochs_completed", 0),
                       test_accuracy=((result or {}).get("test_metrics") or {}).get("accuracy"))


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
