"""Training jobs in worker processes: lifecycle, progress events in order, stop, a killed
worker, the classroom rules (owners, per-browser limit, caps), and resuming after a
server restart (a new JobManager over the same studio home).

Real Fashion-MNIST throughout, on small subsets and few epochs; each run is a real
`python -m fashion.runs.worker` process."""
from __future__ import annotations

import dataclasses
import json
import os
import signal
import threading

import numpy as np
import pytest

from fashion.i18n import t
from fashion.runs.job import CANCELLED, DONE, FAILED, MAX_LOSS_POINTS, RUNNING, STOPPED, Job
from fashion.runs.manager import JobManager
from fashion.runs.rules import (
    ENV_MAX_EPOCHS,
    ENV_MAX_TRAININGS,
    ENV_RESUME,
    JobRefused,
    Limits,
    default_max_trainings,
    default_worker_threads,
)
from fashion.training.train import TrainConfig, cli_command

TINY = TrainConfig(architecture="seed_cnn", epochs=1, batch_size=64, train_subset=600, validation_split=0.2, seed=3)
RUN_S = 300   # a worker starts TensorFlow, loads the data and trains a tiny net: slow on a busy 2-core box


def collect():
    """A listener that records every event (batch events included) in arrival order."""
    events, lock = [], threading.Lock()

    def listener(event):
        with lock:
            events.append(event)
    return events, listener


def test_a_job_trains_in_a_worker_reports_progress_in_order_and_saves(studio_home):
    m = JobManager(max_running=1)
    events, listener = collect()
    job = m.submit(dataclasses.replace(TINY, epochs=2), name="tiny run", listener=listener, owner="browser-a")
    assert m.get(job.id) is job and len(job.id) >= 16, "jobs are found by an unguessable id"
    assert job.wait(RUN_S), "the job did not finish"
    snap = job.snapshot()
    assert snap["state"] == DONE, snap["error"]
    assert m.worker_pids() == [], "the worker process is gone once the job is over"

    kinds = [e.kind for e in events]
    assert kinds[:2] == ["queued", "started"] and kinds[-2:] == ["saved", "done"]
    assert [e.seq for e in events] == list(range(1, len(events) + 1)), "events arrive in sequence order"
    batches = [e.data for e in events if e.kind == "batch"]
    assert batches[0]["batches"] == int(np.ceil(480 / 64))
    fractions = [b["fraction"] for b in batches]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    phases = [e.data["phase"] for e in events if e.kind == "phase"]
    assert {"preparing", "training", "validating", "testing", "saving"} <= set(phases), phases
    epoch_at = [i for i, k in enumerate(kinds) if k == "epoch"]
    assert [events[i].data["epoch"] for i in epoch_at] == [1, 2]

    assert len(snap["history"]["val_accuracy"]) == 2 and snap["loss_points"]
    result = snap["result"]
    assert result["epochs_completed"] == 2 and 0.3 < result["test_metrics"]["accuracy"] <= 1.0
    assert "--train-subset 600" in result["command"]
    from fashion.model import registry
    saved = [e for e in registry.list_models().models if str(e.path) == result["model_path"]]
    assert saved and saved[0].name.startswith("tiny-run") and saved[0].card["run_name"] == "tiny run"
    # measured as the app measures, beside the file: the sidebar has its accuracies at once
    from fashion.judging.stored import read_store
    stored = read_store(result["model_path"])
    assert stored is not None and stored.summary["accuracy"] == pytest.approx(result["test_metrics"]["accuracy"], abs=1e-3)
    # the state on disk says the same, and the checkpoint folder is gone with the model saved
    record = json.loads((m.job_dir(job) / "job.json").read_text())
    assert record["state"] == DONE and record["owner"] == "browser-a"
    assert not (m.job_dir(job) / "backup").exists()


def test_a_killed_worker_fails_only_its_job(studio_home):
    """Kill one worker mid-epoch (as the out-of-memory killer would): that job fails with a
    translated message; the manager and the next job go on."""
    m = JobManager(max_running=1)
    killed = {}

    def kill_mid_epoch(event):
        if event.kind == "batch" and event.data["batch"] >= 2 and not killed:
            killed["pid"] = m.worker_pids()[0]
            os.kill(killed["pid"], signal.SIGKILL)

    first = m.submit(dataclasses.replace(TINY, epochs=20), name="doomed", listener=kill_mid_epoch, owner="a")
    second = m.submit(TINY, name="survivor", save=False, owner="b")
    assert first.wait(RUN_S)
    snap = first.snapshot()
    assert killed and snap["state"] == FAILED
    assert snap["error_key"] == "train.err.worker_killed" and snap["error_params"] == {"signal": 9}
    assert t(snap["error_key"], "es", **snap["error_params"]).startswith("El entrenamiento falló")
    assert second.wait(RUN_S) and second.snapshot()["state"] == DONE, second.snapshot()["error"]
    assert m.counts()["running"] == 0


def test_ownership_per_browser_limit_and_caps(studio_home):
    m = JobManager(max_running=1, limits=Limits(max_running=1, max_epochs=10, max_queue=1))
    first = m.submit(dataclasses.replace(TINY, epochs=10), name="mine", save=False, owner="alice")
    try:
        with pytest.raises(JobRefused) as refused:
            m.submit(TINY, owner="alice")
        assert refused.value.key == "train.err.one_per_browser"
        with pytest.raises(JobRefused) as refused:
            m.submit(dataclasses.replace(TINY, epochs=11), owner="bob")
        assert refused.value.key == "train.err.epochs_cap" and refused.value.params == {"limit": 10}
        waiting = m.submit(TINY, name="bob's", save=False, owner="bob")
        with pytest.raises(JobRefused) as refused:
            m.submit(TINY, owner="carol")
        assert refused.value.key == "train.err.queue_full"

        # another browser may not stop alice's run; the teacher may
        with pytest.raises(JobRefused) as refused:
            m.stop(first.id, requester="bob")
        assert refused.value.key == "train.err.not_yours"
        with pytest.raises(JobRefused):
            m.stop(first.id, requester=None)
        assert not first.stop_requested and m.active_job_of("alice") is first
        assert m.stop(waiting.id, requester="bob") and waiting.state == CANCELLED
        assert m.stop(first.id, requester="someone", teacher=True)
        assert m.stop("no-such-job", requester="alice") is False
    finally:
        first.stop()
    assert first.wait(RUN_S)
    assert m.active_job_of("alice") is None


def test_a_taken_name_is_replaced_only_when_asked_and_allowed(studio_home):
    """A run name already taken is reported (name_clash), never silently suffixed when the
    user chose to replace: the browser that trained the model replaces it through the
    worker (same file, its card, its stale evaluation gone); another browser may not, the
    teacher may, nobody replaces the shipped model or the name of a run still training."""
    import keras

    from fashion.judging import stored as evaluation_store
    from fashion.model import registry, safe_load
    m = JobManager(max_running=1)
    old = registry.save_model(keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                                keras.layers.Dense(10, activation="softmax")]),
                              {"test_metrics": {"accuracy": 0.5}, "owner": registry.owner_tag("alice")}, "Mi red")
    evaluation_store.write_store(old, evaluation_store.StoredEvaluation(
        evaluation_store.file_sha256(old), np.full((3, 10), 0.1, dtype=np.float32), np.arange(3), np.arange(1),
        np.zeros((1, 2), dtype=np.float32), {"accuracy": 0.0, "sample_size": 1}))

    clash = m.name_clash("Mi red", requester="alice")
    assert clash.kind == "model" and clash.taken_by == "Mi red" and clash.may_replace
    assert clash.suggestion == "Mi red-2" and clash.model.path == old
    assert not m.name_clash("Mi red", requester="bob").may_replace
    assert m.name_clash("Mi red", requester="bob", teacher=True).may_replace
    assert m.name_clash("another name", requester="alice") is None
    with pytest.raises(JobRefused) as refused:
        m.submit(TINY, name="Mi red", owner="bob", overwrite=True)
    assert (refused.value.key, refused.value.params) == ("train.err.replace_not_yours", {"name": "Mi red"})
    shipped = registry.DEFAULT_MODEL.stem
    assert m.name_clash(shipped, requester="alice", teacher=True).kind == "shipped"
    with pytest.raises(JobRefused) as refused:
        m.submit(TINY, name=shipped, owner="bob", overwrite=True, teacher=True)
    assert refused.value.key == "train.err.replace_shipped"
    assert m.jobs() == [], "refused before anything is queued"

    job = m.submit(TINY, name="Mi red", owner="alice", overwrite=True)
    try:
        held = m.name_clash("Mi red", requester="carol", teacher=True)
        assert held.kind == "run" and not held.may_replace and held.suggestion == "Mi red-2"
        with pytest.raises(JobRefused) as refused:
            m.submit(TINY, name="Mi red", owner="carol", overwrite=True, teacher=True)
        assert refused.value.key == "train.err.replace_run"
    finally:
        assert job.wait(RUN_S), "the job did not finish"
    snap = job.snapshot()
    assert snap["state"] == DONE, snap["error"]
    assert snap["result"]["model_path"] == str(old), "replaced, not renamed"
    # the old store is gone; the one beside the file now is the new model's, measured by the worker
    fresh = evaluation_store.read_store(old)
    assert fresh is not None and fresh.model_sha256 == evaluation_store.file_sha256(old)
    assert len(fresh.labels) == 10000 and fresh.summary["accuracy"] != 0.0
    entry = registry.find_model("Mi red")
    assert entry.card["owner"] == registry.owner_tag("alice")
    assert entry.card["test_metrics"]["accuracy"] == snap["result"]["test_metrics"]["accuracy"], "the run's card"
    assert safe_load.load_model(old).count_params() > 7850, "the trained CNN, not the old one-layer model"


def test_limits_from_settings_then_environment(monkeypatch):
    monkeypatch.setenv(ENV_MAX_TRAININGS, "3")
    monkeypatch.setenv(ENV_MAX_EPOCHS, "12")
    limits = Limits.from_settings({"max_epochs": 7, "max_queue": "lots"})
    assert (limits.max_running, limits.max_epochs, limits.max_queue) == (3, 7, Limits.max_queue)
    assert JobManager().max_running == 3
    monkeypatch.delenv(ENV_MAX_TRAININGS)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_max_trainings() == 1 and default_worker_threads() == 1


def test_bad_config_is_refused_before_queueing(studio_home):
    m = JobManager(max_running=1)
    with pytest.raises(ValueError, match="batch size"):
        m.submit(dataclasses.replace(TINY, batch_size=1024))
    assert m.jobs() == [] and not (studio_home / "jobs").exists()


def test_a_restart_resumes_the_queue_and_the_interrupted_run(studio_home):
    """The server dies mid-run (every worker killed, a new manager in its place): the run
    continues from its last complete epoch and the queue comes back in order."""
    m = JobManager(max_running=1)
    stopped_after = threading.Event()

    def after_first_epoch(event):   # a batch of epoch 2: epoch 1's checkpoint is on disk
        if event.kind == "batch" and event.data["epoch"] >= 1:
            stopped_after.set()

    running = m.submit(dataclasses.replace(TINY, epochs=3), name="long", listener=after_first_epoch, owner="a")
    queued = m.submit(TINY, name="next", save=False, owner="b")
    assert stopped_after.wait(RUN_S)
    m.shutdown()                                   # the old server is gone
    assert json.loads((m.job_dir(running) / "job.json").read_text())["state"] == RUNNING

    again = JobManager(max_running=1)
    resumed, waiting = again.get(running.id), again.get(queued.id)
    assert resumed is not None and waiting is not None and resumed.resumes == 1
    assert resumed.owner == "a" and len(resumed.history["loss"]) >= 1
    assert again.queue_position(waiting) == 1, "the queue is back, in order"
    assert resumed.wait(RUN_S) and waiting.wait(RUN_S)
    snap = resumed.snapshot()
    assert snap["state"] == DONE, snap["error"]
    assert snap["result"]["epochs_completed"] == 3 and len(snap["history"]["val_accuracy"]) == 3
    assert waiting.snapshot()["state"] == DONE


def test_an_interrupted_run_that_cannot_resume_is_kept_as_stopped(studio_home, monkeypatch):
    """With resuming switched off, a run interrupted after an epoch becomes a stopped run
    whose completed epoch is saved as a model."""
    m = JobManager(max_running=1)
    one = threading.Event()
    job = m.submit(dataclasses.replace(TINY, epochs=5), name="halfway", owner="a",
                   listener=lambda e: one.set() if e.kind == "batch" and e.data["epoch"] >= 1 else None)
    assert one.wait(RUN_S)
    m.shutdown()
    monkeypatch.setenv(ENV_RESUME, "0")
    again = JobManager(max_running=1)
    kept = again.get(job.id)
    assert kept.wait(RUN_S)
    snap = kept.snapshot()
    assert snap["state"] == STOPPED, snap["error"]
    assert 1 <= snap["result"]["epochs_completed"] < 5 and snap["result"]["model_path"]


def test_loss_series_stays_bounded():
    job = Job(TINY, "series", None, False, None)
    for step in range(20 * MAX_LOSS_POINTS):
        job.on_batch({"epoch": step // 500, "epochs": 40, "batch": step % 500 + 1, "batches": 500,
                       "loss": 0.5, "accuracy": 0.8, "elapsed": float(step), "fraction": 0.5, "eta": 1.0})
    assert len(job.loss_points) <= MAX_LOSS_POINTS
    xs = [x for x, _ in job.loss_points]
    assert xs == sorted(xs) and xs[-1] > 39


def test_cli_command_reproduces_the_config():
    import argparse
    import shlex

    from fashion.cli.train import add_train_args, config_from_args
    config = TrainConfig(architecture="custom", epochs=2, augment=True, augmentations=("shift", "erase"),
                         arch_params={"conv_blocks": 3, "filters": 16, "kernel_size": 5, "pooling": "average",
                                      "dropout": 0.1, "dense_units": 64, "batch_norm": False})
    argv = shlex.split(cli_command(config))
    assert argv[:4] == ["python", "-m", "fashion", "train"]
    parser = argparse.ArgumentParser()
    add_train_args(parser)
    assert config_from_args(parser.parse_args(argv[4:])) == config
