"""Your own photos: class-named folders and zips -> a split PhotoSet, fine-tuning a saved
model on them (head only / whole network), before and after, the CLI's JSON, and a
fine-tune run as a job in a worker process."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO
from test_photo_training import garment_jpeg

from fashion.data import class_names
from fashion.model import registry, safe_load
from fashion.photos import own as op
from fashion.photos.own import OwnPhotosError
from fashion.photos.photoset import shipped
from fashion.runs.job import DONE
from fashion.runs.manager import JobManager
from fashion.training import finetune as ft
from fashion.training.config import TrainConfig, cli_command
from fashion.training.network import all_layers
from fashion.training.task import TrainTask
from fashion.training.train import train

# Shipped real photos of kinds that have one Fashion-MNIST class (or one we call them):
# the "own photos" of these tests. Taken from the part the shipped model trained on, so
# they never overlap the held-out shipped photos that are measured beside them.
OWN_KINDS = (("pants", 1), ("dress", 3), ("shoes", 7))
PER_CLASS = 20


@pytest.fixture(scope="module")
def base_model(tmp_path_factory):
    """A small CNN that has seen a little Fashion-MNIST and no real photo."""
    result = train(TrainConfig(architecture="fast", epochs=1, train_subset=3000, batch_size=64, seed=3))
    folder = tmp_path_factory.mktemp("base")
    return str(registry.save_model(result.model, registry.make_card(result, "test"), "tiny-base", folder=folder))


def own_set(per_class: int = PER_CLASS):
    photos = shipped().part(False)
    rows, labels = [], []
    for kind, label in OWN_KINDS:
        picked = np.flatnonzero(photos.kinds == kind)[:per_class]
        rows += list(picked)
        labels += [label] * len(picked)
    return op.from_images(photos.images[rows], labels, [str(n) for n in photos.names[rows]])


# --- own photos ---------------------------------------------------------------------------------

def test_folder_names_in_english_or_spanish_name_classes():
    assert op.class_index("Sneaker") == op.class_index("zapatilla") == 7
    assert op.class_index("ankle_boot") == op.class_index("Botín") == op.class_index("botin") == 9
    assert op.class_index("T-shirt") == op.class_index("camiseta") == op.class_index("tshirt") == 0
    assert op.class_index("Pantalón") == op.class_index("trouser") == 1
    assert op.class_index("hat") is None and op.class_index("shoes") is None


def test_split_is_per_class_deterministic_and_independent_of_order():
    s = own_set()
    held = s.holdout
    for _, label in OWN_KINDS:
        in_class = op.labels_of(s) == label
        assert held[in_class].sum() == op.held_out_count(PER_CLASS) == 5
    order = np.random.default_rng(0).permutation(len(s))
    again = op.from_images(s.images[order], op.labels_of(s)[order])
    assert np.array_equal(again.holdout, held[order])


def test_too_few_photos_are_refused_with_how_many_are_needed():
    s = own_set()
    images, labels = s.images[:8], np.array([1] * 4 + [3] * 4)
    with pytest.raises(OwnPhotosError) as e:
        op.from_images(images, labels)
    assert e.value.key == "own.error.too_few" and e.value.params["missing"] == op.MIN_PER_CLASS - 4
    assert f"at least {op.MIN_PER_CLASS}" in str(e.value) and "Trouser (4)" in str(e.value)
    spanish = e.value.message("es")          # the classes named in Spanish, not in English
    assert "al menos" in spanish and f"{class_names('es')[1]} (4)" in spanish and "Trouser" not in spanish
    with pytest.raises(OwnPhotosError, match="at most"):
        op.from_images(np.zeros((op.MAX_PER_CLASS + 1, 28, 28), np.uint8), [2] * (op.MAX_PER_CLASS + 1))


def test_folders_and_zips_of_class_named_folders(tmp_path):
    root = tmp_path / "mine"
    for k, folder in enumerate(("Zapatilla", "Shirt")):
        (root / folder).mkdir(parents=True)
        for i in range(op.MIN_PER_CLASS):
            (root / folder / f"{i}.jpg").write_bytes(garment_jpeg(50 * k + i))
    s = op.from_folder(root, cache=False)
    assert sorted(set(s.kinds)) == ["Shirt", "Sneaker"] and len(s) == 2 * op.MIN_PER_CLASS
    assert s.images.shape == (12, 28, 28) and s.holdout.sum() == 2 * op.held_out_count(op.MIN_PER_CLASS)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("fotos/Bolso/a.jpg", garment_jpeg(1))
        z.writestr("fotos/Bolso/b.jpg", garment_jpeg(2))
        z.writestr("__MACOSX/fotos/Bolso/._a.jpg", b"junk")
    items = op.read_zip(buf.getvalue())
    assert [(label, name) for label, name, _ in items] == [(8, "Bolso/a.jpg"), (8, "Bolso/b.jpg")]
    bad = io.BytesIO()
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("hats/a.jpg", garment_jpeg(1))
    with pytest.raises(OwnPhotosError, match="hats"):
        op.read_zip(bad.getvalue())
    with pytest.raises(OwnPhotosError) as e:
        op.read_zip(b"not a zip")
    assert e.value.key == "own.error.not_zip"
    (root / "gorros").mkdir()
    with pytest.raises(OwnPhotosError, match="gorros"):
        op.from_folder(root, cache=False)


# --- fine-tuning ---------------------------------------------------------------------------------

def test_finetuning_the_whole_network_improves_held_out_own_photos(base_model):
    s = own_set()
    result = train(ft.finetune_config(base_model, epochs=3, freeze_base=False), own_photos=s)
    before, after = result.finetune.before, result.finetune.after
    assert before["own"]["photos"] == after["own"]["photos"] == int(s.holdout.sum())
    assert after["own"]["accuracy"] >= before["own"]["accuracy"] + 0.15, (before["own"], after["own"])
    assert after["fashion_mnist"]["images"] == 10000 and 0.5 < after["fashion_mnist"]["accuracy"] <= 1
    assert after["real_photos"]["photos"] == before["real_photos"]["photos"] > 100
    assert np.asarray(after["own"]["confusion"]).sum() == int(s.holdout.sum())
    assert result.epochs_completed == 3 and len(result.history["val_accuracy"]) == 3
    card = result.card(cli_command(result.config))
    from fashion.model.cards import validate_card
    validate_card(json.loads(json.dumps(card)), "card")
    assert card["finetune"]["choice"] == "whole" and card["finetune"]["base_model"] == "tiny-base"
    assert card["finetune"]["photos_per_class"]["Trouser"] == {"trained_on": 15, "held_out": 5}
    assert card["finetune"]["before"]["own"]["accuracy"] == before["own"]["accuracy"]


def test_freeze_base_leaves_every_convolution_weight_unchanged(base_model):
    import keras

    from fashion.model.classifier import unwrap
    base = unwrap(safe_load.load_model(base_model))
    result = train(ft.finetune_config(base_model, epochs=1, freeze_base=True), own_photos=own_set(8))
    tuned = unwrap(result.model)
    frozen = changed = 0
    for old, new in zip(all_layers(base), all_layers(tuned)):
        assert type(old) is type(new)
        same = all(np.array_equal(a, b) for a, b in zip(old.get_weights(), new.get_weights()))
        if isinstance(old, keras.layers.Dense):
            changed += not same
        elif old.get_weights():
            assert same, old.name
            frozen += isinstance(old, keras.layers.Conv2D)
    assert frozen >= 2 and changed >= 1
    assert all(layer.trainable for layer in all_layers(tuned))     # the saved model is an ordinary one


# --- the command line -------------------------------------------------------------------------------

def test_cli_prints_before_and_after_as_one_json_object(base_model, tmp_path, studio_home):
    root = tmp_path / "mine"
    for k, folder in enumerate(("Sneaker", "Camisa")):
        (root / folder).mkdir(parents=True)
        for i in range(op.MIN_PER_CLASS):
            (root / folder / f"{i}.jpg").write_bytes(garment_jpeg(70 * k + i, dark=bool(k)))
    r = subprocess.run([sys.executable, "-m", "fashion", "finetune", "--from", base_model, "--photos", str(root),
                        "--epochs", "1", "--freeze-base", "--json", "--quiet"],
                       cwd=REPO, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["choice"] == "head" and out["freeze_base"] is True and out["epochs_completed"] == 1
    assert set(out["photos"]) == {"Sneaker", "Shirt"}
    for when in ("before", "after"):
        assert set(out[when]) == {"own", "real_photos", "fashion_mnist"}
        assert 0 <= out[when]["own"]["accuracy"] <= 1 and out[when]["own"]["photos"] == 4
        assert out[when]["fashion_mnist"]["images"] == 10000
    assert out["model_path"].startswith(str(studio_home)) and json.loads(
        open(out["model_path"][:-len(".keras")] + ".json").read())["finetune"]["choice"] == "head"

    (root / "Camisa" / "0.jpg").unlink()
    (root / "Camisa" / "1.jpg").unlink()
    r = subprocess.run([sys.executable, "-m", "fashion", "finetune", "--from", base_model, "--photos", str(root),
                        "--epochs", "1", "--json"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"at least {op.MIN_PER_CLASS}" in r.stderr and "Add 2 more" in r.stderr


# --- as a job in a worker process -------------------------------------------------------------------------

def test_a_finetune_runs_as_a_job_and_forgets_the_photos_when_it_ends(base_model, studio_home):
    m = JobManager(max_running=1)
    config = ft.finetune_config(base_model, epochs=1, freeze_base=True)
    task = ft.task(own_set(8), config)
    again = TrainTask.from_dict(json.loads(json.dumps(task)))     # a job's record round-trips its task
    assert again.config == config and len(again.own_photos()) == len(own_set(8))
    job = m.submit(TrainConfig(architecture="fast", epochs=1, init_from=base_model, validation_split=0.0),
                   name="my-clothes", owner="browser-a" * 3, task=task)
    assert job.wait(300)
    snap = job.snapshot()
    assert snap["state"] == DONE, snap["error"]
    assert snap["task"]["kind"] == "finetune" and "photos" not in snap["task"]
    result = snap["result"]
    assert result["before"]["own"]["photos"] == result["after"]["own"]["photos"] == 6
    assert result["model_path"] and registry.read_card(
        Path(result["model_path"]).with_suffix(".json"))["finetune"]["choice"] == "head"
    assert snap["history"]["val_accuracy"] and any(e.kind == "epoch" for e in snap["events"])
    record = json.loads((m.job_dir(job) / "job.json").read_text())
    assert "photos" not in record["task"]
