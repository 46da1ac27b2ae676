"""Saved models: atomic writes, unique names, corrupt files skipped and reported."""
import json
import threading

import keras
import pytest

from fashion import registry
from fashion.models import seed_cnn


def card(acc=0.9):
    return {"test_metrics": {"accuracy": acc, "loss": 0.3}, "config": {"architecture": "seed_cnn"}}


def test_save_list_and_load(studio_home):
    path = registry.save_model(seed_cnn(), card(0.91), "my run")
    assert path.parent == studio_home / "models" and path.name == "my-run.keras"
    listing = registry.list_models()
    mine = [m for m in listing.models if not m.shipped]
    assert [m.name for m in mine] == ["my-run"] and mine[0].accuracy == 0.91
    assert json.loads(path.with_suffix(".json").read_text())["name"] == "my-run"
    assert registry.load_model(path).count_params() == 93322


def test_shipped_default_is_listed_first():
    listing = registry.list_models()
    assert listing.models[0].path == registry.DEFAULT_MODEL and listing.models[0].shipped


def test_same_name_never_overwrites(studio_home):
    paths = []
    threads = [threading.Thread(target=lambda: paths.append(registry.save_model(seed_cnn(), card(), "run")))
               for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(p.name for p in paths) == ["run-1.keras", "run-2.keras", "run.keras"]
    assert len([m for m in registry.list_models().models if not m.shipped]) == 3


def test_crash_mid_save_leaves_registry_readable(studio_home, monkeypatch):
    registry.save_model(seed_cnn(), card(), "good")
    model = seed_cnn()

    def dies_halfway(path, *a, **k):
        with open(path, "wb") as f:
            f.write(b"PK\x03\x04 half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(model, "save", dies_halfway)
    with pytest.raises(OSError):
        registry.save_model(model, card(), "bad")
    folder = studio_home / "models"
    assert sorted(p.name for p in folder.iterdir()) == ["good.json", "good.keras"]
    listing = registry.list_models()
    assert [m.name for m in listing.models if not m.shipped] == ["good"] and not listing.problems


def test_corrupt_partial_and_foreign_files_are_skipped_and_reported(studio_home):
    registry.save_model(seed_cnn(), card(), "fine")
    folder = studio_home / "models"
    (folder / "broken.keras").write_bytes(b"this is not a zip")
    (folder / "foreign.keras").write_bytes((folder / "fine.keras").read_bytes())
    (folder / "foreign.json").write_text('{"something": "else"}')
    (folder / "garbled.keras").write_bytes((folder / "fine.keras").read_bytes())
    (folder / "garbled.json").write_text("{not json")
    listing = registry.list_models()
    mine = {m.name: m for m in listing.models if not m.shipped}
    # a broken model file is skipped; a model with a foreign or garbled card is still listed,
    # its card not trusted (no accuracy until measured)
    assert sorted(mine) == ["fine", "foreign", "garbled"]
    assert mine["fine"].card_valid and not mine["foreign"].card_valid and mine["garbled"].accuracy is None
    text = " ".join(str(p) for p in listing.problems)
    assert "broken.keras" in text and "foreign.json" in text and "garbled.json" in text
    with pytest.raises(ValueError, match="not a readable .keras file"):
        registry.load_model(folder / "broken.keras")


def test_names_cannot_escape_the_folder(studio_home):
    path = registry.save_model(seed_cnn(), card(), "../../etc/<b>passwd</b>")
    assert path.parent == studio_home / "models" and "/" not in path.stem and "<" not in path.stem


def test_oversized_model_is_refused(studio_home, monkeypatch):
    path = registry.save_model(seed_cnn(), card(), "big")
    monkeypatch.setattr(registry, "MAX_MODEL_BYTES", 1000)
    with pytest.raises(ValueError, match="refused"):
        registry.load_model(path)
