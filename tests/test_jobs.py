"""Background training jobs: lifecycle, progress events in order, stop, failure, queue.

Real Fashion-MNIST throughout, on small subsets and one epoch so the file runs in
about a minute on 2 CPU cores."""
from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest

from fashion import jobs
from fashion.data import FashionMNIST, load
from fashion.train import TrainConfig, TrainingFailed

TINY = TrainConfig(architecture="seed_cnn", epochs=1, batch_size=64, train_subset=600, validation_split=0.2, seed=3)


def collect():
    """A listener that records every event (batch events included) in arrival order."""
    events, lock = [], threading.Lock()

    def listener(event):
        with lock:
            events.append(event)
    return events, listener


def test_a_job_trains_reports_progress_in_order_and_saves(studio_home):
    m = jobs.JobManager(max_running=1)
    events, listener = collect()
    config = dataclasses.replace(TINY, epochs=2)
    job = m.submit(config, name="tiny run", preset=None, listener=listener)
    assert m.get(job.id) is job, "jobs are found by id (a reloaded tab finds its run)"
    assert job.wait(300), "the job did not finish"
    snap = job.snapshot()
    assert snap["state"] == jobs.DONE, snap["error"]

    kinds = [e.kind for e in events]
    assert kinds[0] == "queued" and kinds[1] == "started"
    assert kinds[-2:] == ["saved", "done"]
    assert [e.seq for e in events] == list(range(1, len(events) + 1)), "events arrive in sequence order"
    batches = [e.data for e in events if e.kind == "batch"]
    per_epoch = batches[0]["batches"]
    assert per_epoch == int(np.ceil(480 / 64)) and len(batches) == 2 * per_epoch
    fractions = [b["fraction"] for b in batches]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert all(b["eta"] is not None and b["eta"] >= 0 for b in batches)
    # each epoch event follows that epoch's last batch
    epoch_at = [i for i, k in enumerate(kinds) if k == "epoch"]
    assert len(epoch_at) == 2
    assert events[epoch_at[0] - 1].data["batch"] == per_epoch and events[epoch_at[0] - 1].data["epoch"] == 0
    assert [events[i].data["epoch"] for i in epoch_at] == [1, 2]

    assert len(snap["history"]["val_accuracy"]) == 2 and len(snap["history"]["loss"]) == 2
    assert snap["loss_points"], "a smoothed per-batch loss series"
    assert all(l > 0 for _, l in snap["loss_points"])
    result = snap["result"]
    assert result["epochs_completed"] == 2 and 0.3 < result["test_metrics"]["accuracy"] <= 1.0
    assert "python -m fashion train" in result["command"] and "--train-subset 600" in result["command"]
    # saved to the registry, with a card, under the user's name (made file-safe)
    from fashion import registry
    listing = registry.list_models()
    saved = [e for e in listing.models if str(e.path) == result["model_path"]]
    assert saved and saved[0].name.startswith("tiny-run")
    assert saved[0].card["run_name"] == "tiny run" and len(saved[0].card["per_class"]) == 10
    assert saved[0].card["history"]["val_accuracy"] == snap["history"]["val_accuracy"]


def test_stop_keeps_completed_epochs(studio_home):
    m = jobs.JobManager(max_running=1)
    config = dataclasses.replace(TINY, epochs=20)
    stopped_at = {}

    def listener(event):
        if event.kind == "epoch" and event.data["epoch"] == 1:
            stopped_at["seq"] = event.seq
            job.stop()

    job = m.submit(config, name="stopme", listener=listener)
    assert job.wait(300)
    snap = job.snapshot()
    assert snap["state"] == jobs.STOPPED, snap["error"]
    assert snap["stop_requested"]
    kinds = [e.kind for e in snap["events"]]
    assert "stopping" in kinds and kinds[-1] == "stopped"
    # the stop is honoured within a batch: at most one more (partial) epoch ran
    assert 1 <= snap["result"]["epochs_completed"] <= 2
    assert snap["result"]["stopped_early"] and snap["result"]["model_path"]


def test_stop_before_the_first_epoch_keeps_nothing(studio_home):
    m = jobs.JobManager(max_running=1)

    def listener(event):
        if event.kind == "batch" and event.data["batch"] == 2:
            job.stop()

    job = m.submit(dataclasses.replace(TINY, epochs=3), name="early", listener=listener)
    assert job.wait(300)
    snap = job.snapshot()
    assert snap["state"] == jobs.STOPPED and snap["error"] is None
    assert snap["result"] is None and snap["history"] == {}


def test_queue_limit_positions_and_cancel(studio_home):
    m = jobs.JobManager(max_running=1)
    gate = threading.Event()
    first = m.submit(dataclasses.replace(TINY, epochs=30), name="first", save=False,
                     listener=lambda e: gate.set() if e.kind == "batch" else None)
    second = m.submit(TINY, name="second", save=False)
    third = m.submit(TINY, name="third", save=False)
    assert gate.wait(120), "the first job never started"
    assert first.state == jobs.RUNNING
    assert (second.state, third.state) == (jobs.QUEUED, jobs.QUEUED)
    assert (m.queue_position(first), m.queue_position(second), m.queue_position(third)) == (0, 1, 2)
    assert m.counts() == {"running": 1, "queued": 2, "limit": 1}

    third.stop()                      # leaving the queue is immediate
    assert third.state == jobs.CANCELLED and third.wait(0)
    assert m.queue_position(second) == 1 and m.counts()["queued"] == 1

    first.stop()
    assert first.wait(120) and second.wait(300)
    assert second.snapshot()["state"] == jobs.DONE
    assert second.started >= first.finished - 1e-3, "the second job waited for the first"
    assert m.counts() == {"running": 0, "queued": 0, "limit": 1}
    assert [j.name for j in m.jobs()] == ["third", "second", "first"]


def test_limit_from_environment(monkeypatch):
    monkeypatch.setenv(jobs.ENV_MAX_TRAININGS, "3")
    assert jobs.default_max_trainings() == 3 and jobs.JobManager().max_running == 3
    monkeypatch.setenv(jobs.ENV_MAX_TRAININGS, "lots")
    assert jobs.default_max_trainings() >= 1
    monkeypatch.delenv(jobs.ENV_MAX_TRAININGS)
    monkeypatch.setattr(jobs.os, "cpu_count", lambda: 2)
    assert jobs.default_max_trainings() == 1


def test_bad_config_is_refused_before_queueing():
    m = jobs.JobManager(max_running=1)
    with pytest.raises(ValueError, match="batch size"):
        m.submit(dataclasses.replace(TINY, batch_size=1024))
    assert m.jobs() == []


def test_a_crash_in_training_fails_the_job_with_a_message(studio_home):
    """Real images with one label out of range: Keras raises inside the thread; the job
    is marked failed with a one-line message and the manager goes on."""
    ds = load()
    y_train = np.array(ds.y_train)
    y_train[:] = 12  # not a class
    broken = FashionMNIST(ds.x_train, y_train, ds.x_test, ds.y_test, ds.source)
    m = jobs.JobManager(max_running=1, dataset=broken)
    job = m.submit(TINY, name="broken")
    assert job.wait(300)
    snap = job.snapshot()
    assert snap["state"] == jobs.FAILED
    assert snap["error"].startswith("unexpected error") and "Traceback" not in snap["error"]
    assert "label value of 12" in snap["error"] and "File " not in snap["error"]
    assert "\n" not in snap["error"]
    assert m.counts()["running"] == 0


def test_training_failed_becomes_the_jobs_message(studio_home):
    def diverging(config, **kw):
        raise TrainingFailed("the loss became NaN (not a number): the learning rate is probably too high.")

    m = jobs.JobManager(max_running=1, train_fn=diverging)
    job = m.submit(TINY, name="nan")
    assert job.wait(30)
    snap = job.snapshot()
    assert snap["state"] == jobs.FAILED and "NaN" in snap["error"]
    assert [e.kind for e in snap["events"]] == ["queued", "started", "failed"]


def test_memory_stays_bounded(studio_home):
    """Old finished jobs are forgotten and the batch-loss series is thinned."""
    from fashion.train import BatchProgress
    m = jobs.JobManager(max_running=1, train_fn=lambda config, **kw: (_ for _ in ()).throw(TrainingFailed("x")))
    made = [m.submit(TINY, name=f"j{i}") for i in range(jobs.MAX_FINISHED_JOBS + 5)]
    for j in made:
        assert j.wait(30)
    m.submit(TINY, name="last").wait(30)
    assert len(m.jobs()) <= jobs.MAX_FINISHED_JOBS + 1
    assert m.get(made[0].id) is None and m.get(made[-1].id) is not None

    job = jobs.Job(TINY, "series", None, False, None)
    for step in range(20 * jobs.MAX_LOSS_POINTS):
        job._on_batch(BatchProgress(step // 500, 40, step % 500 + 1, 500, 0.5, 0.8, float(step)))
    assert len(job.loss_points) <= jobs.MAX_LOSS_POINTS
    xs = [x for x, _ in job.loss_points]
    assert xs == sorted(xs) and xs[-1] > 39


def test_cli_command_reproduces_the_config():
    from fashion.__main__ import config_from_args
    import argparse
    import shlex
    from fashion.__main__ import _add_train_args
    config = TrainConfig(architecture="custom", epochs=2, augment=True, augmentations=("shift", "erase"),
                         arch_params={"conv_blocks": 3, "filters": 16, "kernel_size": 5, "pooling": "average",
                                      "dropout": 0.1, "dense_units": 64, "batch_norm": False})
    argv = shlex.split(jobs.cli_command(config))
    assert argv[:4] == ["python", "-m", "fashion", "train"]
    parser = argparse.ArgumentParser()
    _add_train_args(parser)
    assert config_from_args(parser.parse_args(argv[4:])) == config
