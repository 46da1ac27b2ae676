"""The jobs on disk, so nothing is lost across a server restart.

Each job lives in `<home>/<id>/` (home: studio_home()/jobs by default): `job.json`, its
record, written atomically at every state change and epoch; `backup/`, the per-epoch
checkpoint of keras BackupAndRestore (as the CLI's --resume-dir); `worker.log`, the
worker's stderr; and `tmp/`, the worker's temp folder while it runs.

A full disk must not leave a finished job saying "running" (the next server would run it
again): when the atomic write finds no room, a final record is written over the old one
in place, in the blocks that file already holds (its loss curve left out when it is longer).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

from fashion.files import DiskFull, write_json
from fashion.runs.job import FINAL_STATES, Job

log = logging.getLogger(__name__)

RECORD = "job.json"


class JobStore:
    """The folder of every job: their records, checkpoints and worker logs."""

    def __init__(self, home: Path | str):
        self.home = Path(home)

    def folder(self, job: Job) -> Path:
        return self.home / job.id

    def backup_dir(self, job: Job) -> Path:
        return self.folder(job) / "backup"

    def save(self, job: Job) -> None:
        """Write the job's record; a full disk is logged, never raised into a training."""
        path = self.folder(job) / RECORD
        record = job.to_record()
        try:
            write_json(path, record)
        except DiskFull as e:
            if not (record["state"] in FINAL_STATES and _overwrite_in_place(path, record)):
                log.error("could not save the state of job %s: %s", job.id, e)
        except OSError:
            log.exception("could not save the state of job %s", job.id)

    def load(self) -> list[Job]:
        """Every readable job record, oldest first (an unreadable one is skipped and logged)."""
        if not self.home.is_dir():
            return []
        found = []
        for path in self.home.glob(f"*/{RECORD}"):
            try:
                with open(path, encoding="utf-8") as f:
                    found.append(Job.from_record(json.load(f)))
            except (OSError, ValueError, KeyError, TypeError) as e:
                log.warning("skipping unreadable job state %s: %s", path, e)
        found.sort(key=lambda j: j.created)
        return found

    def remove(self, job: Job) -> None:
        shutil.rmtree(self.folder(job), ignore_errors=True)

    def remove_backup(self, job: Job) -> None:
        shutil.rmtree(self.backup_dir(job), ignore_errors=True)


def _overwrite_in_place(path: Path, record: dict) -> bool:
    """Write record over the file at path without new disk blocks (a full disk): only when
    it fits in the file's present size, its loss curve left out if need be."""
    try:
        size = path.stat().st_size
        for candidate in (record, {**record, "loss_points": []}):
            data = json.dumps(candidate, ensure_ascii=False).encode("utf-8")
            if len(data) <= size:
                with open(path, "r+b") as f:
                    f.write(data)
                    f.truncate()
                    f.flush()
                    os.fsync(f.fileno())
                return True
    except OSError as e:
        log.error("could not write the final state over %s: %s", path, e)
    return False
