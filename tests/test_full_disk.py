"""A full disk in words: every write (checkpoint, model, card, evaluation, preferences, job
record) that finds no room raises the keyed DiskFull (how much is free, what to do, in
English and Spanish), leaves no temp file and the old file as it was; a job ends failed
on disk; the sidebar and the command line say so in one message. The disk is made full
by writers that raise ENOSPC (no small filesystem can be mounted here)."""
from __future__ import annotations

import errno
import json
import types

import pytest
from conftest import REPO, run_page

from fashion.files import DiskFull, atomic_write
from fashion.i18n import t
from fashion.model import registry

H5PY_FULL = ("Can't synchronously write data (file write failed: time = Mon Jan  1 00:00:00 2024, filename = "
             "'x.h5', file descriptor = 7, errno = 28, error message = 'No space left on device', buf = 0x1, "
             "total write size = 4096, bytes this sub-write = 4096, bytes actually written = 18446744073709551615, "
             "offset = 0)")


def no_space(*_args, **_kw):
    raise OSError(errno.ENOSPC, "No space left on device")


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("raised, key", [(OSError(errno.ENOSPC, "No space left on device"), "disk.err.full"),
                                         (OSError(errno.EDQUOT, "Disk quota exceeded"), "disk.err.quota"),
                                         (RuntimeError(H5PY_FULL), "disk.err.full")])
def test_a_write_without_room_is_a_keyed_error_and_leaves_the_old_file(raised, key, tmp_path):
    target = tmp_path / "evaluation.json"
    target.write_text('{"old": true}')

    def write(tmp):
        with open(tmp, "w") as f:
            f.write("half")
        raise raised

    with pytest.raises(DiskFull) as caught:
        atomic_write(target, write)
    e = caught.value
    assert e.key == key and isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT)
    assert e.params["file"] == "evaluation.json" and e.params["folder"] == str(tmp_path) and e.params["free"]
    english, spanish = e.message("en"), e.message("es")
    assert e.params["free"] in english and str(tmp_path) in english and spanish != english
    assert ("disk is full" in english or "quota" in english) and ("Free" in english or "Delete" in english)
    assert json.loads(target.read_text()) == {"old": True}, "the old file is untouched"
    assert leftovers(tmp_path) == [], "no temp file stays behind"


def test_a_model_save_that_finds_the_disk_full_keeps_the_old_model(studio_home):
    """h5py's "Can't synchronously write data" while Keras writes the model: the keyed
    error, the old model and card exactly as they were, no temp file, no reservation."""
    folder = studio_home / "models"
    folder.mkdir(parents=True)
    (folder / "mine.keras").write_bytes(b"old model")
    (folder / "mine.json").write_text('{"old": "card"}')

    def save(tmp):
        open(tmp, "wb").close()
        raise RuntimeError(H5PY_FULL)

    with pytest.raises(DiskFull) as caught:
        registry.save_model(types.SimpleNamespace(save=save), {"test_metrics": {}}, "mine", overwrite=True)
    assert "disk is full" in str(caught.value)
    assert (folder / "mine.keras").read_bytes() == b"old model"
    assert (folder / "mine.json").read_text() == '{"old": "card"}'
    assert leftovers(folder) == []


def test_a_checkpoint_without_room_is_the_keyed_error(tmp_path):
    from fashion.training.checkpoints import checkpoint_callback
    callback = checkpoint_callback(str(tmp_path), batches=3, state={"batch": 3})
    callback.set_model(types.SimpleNamespace(save_weights=lambda path, overwrite=True: no_space()))
    with pytest.raises(DiskFull):
        callback.on_epoch_end(0)
    assert leftovers(tmp_path) == [] and list(tmp_path.iterdir()) == []


def test_preferences_without_room_raise_the_keyed_error(tmp_path, monkeypatch):
    from fashion import files, preferences
    monkeypatch.setattr(files, "dump_json", no_space)
    store = preferences.PreferenceStore(tmp_path / "preferences.json")
    with pytest.raises(DiskFull):
        store.set("browser-a", model="x.keras")
    assert store.get("browser-a")["model"] == "x.keras", "kept for this server run"
    assert leftovers(tmp_path) == []


def test_a_job_that_fails_on_a_full_disk_says_failed_on_disk(tmp_path, monkeypatch):
    """Even when the record itself cannot be written the usual way, the final state reaches
    the disk, so the next server does not run the job again."""
    from fashion.runs import store as store_module
    from fashion.runs.job import FAILED, Job
    from fashion.runs.store import JobStore
    from fashion.training.train import TrainConfig
    store = JobStore(tmp_path)
    job = Job(TrainConfig(), "full", None, True, None)
    job.attach(store.save, lambda job, running: None)
    job.state = "running"
    job.loss_points = [(i / 10, 1.0 / (i + 1)) for i in range(300)]
    store.save(job)

    def full(path, data, indent=None):
        raise DiskFull("disk.err.full", errno.ENOSPC, file="job.json", folder=str(path), free="0 bytes")

    monkeypatch.setattr(store_module, "write_json", full)
    job.fail("disk.err.full", file="latest.weights.h5", folder="/x", free="0 bytes")
    record = json.loads((tmp_path / job.id / "job.json").read_text())
    assert record["state"] == FAILED and record["error_key"] == "disk.err.full"
    assert [j.state for j in JobStore(tmp_path).load()] == [FAILED]


def test_the_worker_reports_a_full_disk_in_words(tmp_path, monkeypatch):
    from fashion.runs import worker
    sent = []
    monkeypatch.setattr(worker.registry, "save_model", lambda *a, **kw: no_space_model(tmp_path))
    result = types.SimpleNamespace(stopped_early=False, model=None)
    worker.save_and_finish(lambda kind, **data: sent.append((kind, data)), {"job_id": "j1"}, result, {}, "run",
                           {"model_path": None}, None, worker.SaveGuard())
    kind, data = sent[-1]
    assert kind == "finished" and data["state"] == "failed" and data["key"] == "disk.err.full"
    assert data["params"]["free"] and t(data["key"], "es", **data["params"]).startswith("El disco está lleno")


def no_space_model(folder):
    atomic_write(folder / "run.keras", no_space)


def test_cli_finetune_says_the_disk_is_full(studio_home, monkeypatch, capsys):
    """No "unexpected OSError: [Errno 28]": the keyed message, exit 1."""
    from fashion.cli import finetune, main
    from fashion.training.train import TrainConfig
    fake = types.SimpleNamespace(model=types.SimpleNamespace(save=no_space), config=TrainConfig(),
                                 card=lambda command: {"test_metrics": {}}, summary=lambda: {})
    monkeypatch.setattr(finetune, "finetune_config", lambda *a, **kw: types.SimpleNamespace(
        validate=lambda: None, default_name="base-own"))
    monkeypatch.setattr(finetune, "from_folder", lambda folder: None)
    monkeypatch.setattr(finetune, "train", lambda *a, **kw: fake)
    code = main.main(["finetune", "--from", str(registry.DEFAULT_MODEL), "--photos", str(REPO), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "The disk is full" in err and "free" in err and "unexpected" not in err, err


def test_the_sidebar_survives_a_full_disk_when_a_model_is_chosen(studio_home, monkeypatch):
    """Choosing a model while the preferences cannot be written: a warning, not Streamlit's
    error page, and the model is chosen for this session."""
    from fashion import files
    folder = studio_home / "models"
    folder.mkdir(parents=True)
    other = folder / "other.keras"
    other.write_bytes(registry.DEFAULT_MODEL.read_bytes())
    at = run_page("pages/home.py", session={"model_path": str(registry.DEFAULT_MODEL)})
    assert not at.exception
    monkeypatch.setattr(files, "dump_json", no_space)
    at.sidebar.selectbox(key="model_choice").set_value(str(other)).run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = " ".join(w.value for w in at.warning)
    assert "The disk is full" in warnings, warnings
    assert at.session_state["model_path"] == str(other)
