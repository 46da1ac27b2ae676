"""`python -m fashion train` and `evaluate` as a user runs them."""
import json
import subprocess
import sys

import keras
import pytest
from conftest import REPO
from reference import reference


def run_cli(*args, timeout=600):
    return subprocess.run([sys.executable, "-m", "fashion", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)


def test_evaluate_json_matches_plain_keras_on_the_shipped_model():
    r = run_cli("evaluate", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["accuracy"] >= 0.920
    assert len(out["per_class"]) == 10 and {"precision", "recall", "f1"} <= set(out["per_class"][0])
    assert out["loss"] > 0
    # plain keras.models.load_model on x / 255 (tests/reference.py, computed once per test process)
    assert reference()["accuracy"] == pytest.approx(out["accuracy"], abs=1e-4)


def test_shipped_model_card_records_how_it_was_made():
    card = json.loads((REPO / "models" / "fashion_mnist_cnn.json").read_text())
    assert card["command"].startswith("python -m fashion train")
    assert card["test_metrics"]["accuracy"] >= 0.92 and card["fit_seconds"] > 0
    assert "CPU cores" in card["machine"] and len(card["history"]["val_accuracy"]) == card["epochs_completed"]


def test_train_json_saves_a_loadable_model(tmp_path):
    out = tmp_path / "tiny.keras"
    r = run_cli("train", "--architecture", "seed_cnn", "--epochs", "1", "--train-subset", "3000",
                "--batch-size", "64", "--output", str(out), "--json")
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert result["model_path"] == str(out) and out.exists()
    assert 0.5 < result["test_accuracy"] <= 1 and result["fit_seconds"] > 0
    assert "epoch 1/1" in r.stderr and "ETA" in r.stderr  # the terminal progress bar
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["config"]["train_subset"] == 3000 and "--train-subset 3000" in card["command"]


def test_train_refuses_bad_settings_without_a_traceback():
    r = run_cli("train", "--epochs", "0")
    assert r.returncode == 2 and "epochs must be between" in r.stderr and "Traceback" not in r.stderr


def test_evaluate_with_a_broken_model_file(tmp_path):
    bad = tmp_path / "bad.keras"
    bad.write_text("nope")
    r = run_cli("evaluate", "--model", str(bad))
    assert r.returncode == 2 and "cannot load model" in r.stderr and "Traceback" not in r.stderr


def test_evaluate_store_writes_the_stored_evaluation_beside_the_model(tmp_path):
    """`evaluate --store` is the one command that (re)builds a model's stored evaluation."""
    from fashion.judging import stored as evaluation_store
    from fashion.model import architectures as models
    from fashion.model import registry
    keras.utils.set_random_seed(0)
    path = registry.save_model(models.build("custom", conv_blocks=1, filters=4, dense_units=8),
                               {"test_metrics": {}}, "tiny", folder=tmp_path)
    assert evaluation_store.read_store(path) is None
    r = run_cli("evaluate", "--model", str(path), "--store", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    stored = evaluation_store.read_store(path)
    assert stored is not None and stored.probabilities.shape == (10000, 10)
    assert out["accuracy"] == pytest.approx(stored.accuracy) == pytest.approx(evaluation_store.measured_accuracy(path))
    assert evaluation_store.REBUILD_COMMAND.split()[-1] == "--store" and "Traceback" not in r.stderr
