"""A run's model is saved exactly once, whatever is killed around its save: fault points
(fashion/faults.py, FASHION_FAULT=<point>:<action>) kill the worker, or the server with
its worker, at several steps of the save; the job then ends done from what is on disk,
with one model whose card names the job, never failed and never a `victim-1`.

Each run is a real worker on a tiny subset of Fashion-MNIST; the "server" killed is a
JobManager in its own process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

from fashion.faults import ENV_FAULT, ENV_ONCE
from fashion.model import registry
from fashion.runs.job import DONE
from fashion.runs.manager import JobManager
from fashion.training.train import TrainConfig

TINY = TrainConfig(architecture="seed_cnn", epochs=1, batch_size=64, train_subset=300, validation_split=0.2, seed=3)
RUN_S = 400


def models_of(home) -> list[str]:
    folder = home / "models"
    return sorted(p.name for p in folder.glob("*.keras")) if folder.is_dir() else []


def assert_saved_once(job, home):
    snap = job.snapshot()
    assert snap["state"] == DONE, (snap["state"], snap["error_key"], snap["error"])
    assert models_of(home) == ["victim.keras"], models_of(home)
    assert snap["result"]["model_path"].endswith("victim.keras")
    card = registry.read_card(home / "models" / "victim.json")
    assert card["job_id"] == job.id and card["run_name"] == "victim"
    leftovers = [p.name for p in (home / "models").iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers
    record = json.loads((home / "jobs" / job.id / "job.json").read_text())
    assert record["state"] == DONE and record["result"]["model_path"] == snap["result"]["model_path"]


@pytest.mark.parametrize("point", ["save.after_model", "save.after_card", "worker.saved"])
def test_a_worker_killed_during_its_save_ends_done_with_one_model(point, studio_home, monkeypatch, tmp_path):
    """Killed with its model and card in place: done from them. Killed between the two: its
    save is finished once more at the same name (no second model)."""
    monkeypatch.setenv(ENV_FAULT, f"{point}:kill")
    monkeypatch.setenv(ENV_ONCE, str(tmp_path / "fired"))
    m = JobManager(max_running=1)
    job = m.submit(TINY, name="victim", owner="browser-a")
    assert job.wait(RUN_S), "the job did not finish"
    assert (tmp_path / "fired").exists(), "the fault point was never reached"
    assert_saved_once(job, studio_home)


def worker_pids(home) -> list[int]:
    """The processes holding a model name in home (a name reservation holds its owner's pid)."""
    pids = []
    for lock in (home / "models").glob(".*.reserved"):
        try:
            pids.append(int(lock.read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            pass                                        # released meanwhile: its owner is done
    return pids


def wait_until_dead(pids: list[int], timeout: float = 60.0) -> None:
    """The fault kills the server, then the worker kills itself: a moment apart (longer on a
    busy machine). The next server starts once both are gone, as after a real restart."""
    deadline = time.time() + timeout
    for pid in pids:
        while time.time() < deadline:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
            except (OSError, IndexError):
                break                                   # gone
            if state == "Z":
                break                                   # dead, not yet reaped
            time.sleep(0.05)
        else:
            raise AssertionError(f"worker {pid} still alive {timeout:.0f} s after its server was killed")


SERVER = """
import sys
from fashion.runs.manager import JobManager
from fashion.training.train import TrainConfig
m = JobManager(max_running=1)
job = m.submit(TrainConfig(**{config}), name="victim", owner="browser-a")
print(job.id, flush=True)
job.wait(600)
"""


@pytest.mark.parametrize("point", ["save.chosen", "save.after_model", "save.after_card"])
def test_a_server_killed_during_a_save_is_finished_once_by_the_next_one(point, studio_home, tmp_path):
    """The server dies (its worker with it) at each step of the save; the next server
    finishes the job from what is on disk: one model, the job done."""
    config = {k: v for k, v in TINY.to_dict().items() if k in ("architecture", "epochs", "batch_size",
                                                                  "train_subset", "validation_split", "seed")}
    env = {**os.environ, "FASHION_STUDIO_HOME": str(studio_home), ENV_FAULT: f"{point}:kill-parent",
           ENV_ONCE: str(tmp_path / "fired"), "PYTHONPATH": str(REPO)}
    server = subprocess.run([sys.executable, "-c", SERVER.format(config=config)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=RUN_S)
    assert server.returncode == -9, server.stderr[-2000:]
    wait_until_dead(worker_pids(studio_home))
    job_id = server.stdout.split()[0]
    record = json.loads((studio_home / "jobs" / job_id / "job.json").read_text())
    assert record["state"] == "running" and record["result"]["saving_path"].endswith("victim.keras"), \
        "the record names the file before it is written"

    m = JobManager(max_running=1)          # the restarted server
    job = m.get(job_id)
    assert job is not None and job.wait(RUN_S)
    assert_saved_once(job, studio_home)
