"""Saved models: atomic writes, unique names, corrupt files skipped and reported."""
import json
import threading

import keras
import pytest

from fashion.model import naming, registry, safe_load
from fashion.model.architectures import seed_cnn


def card(acc=0.9):
    return {"test_metrics": {"accuracy": acc, "loss": 0.3}, "config": {"architecture": "seed_cnn"}}


def test_save_list_and_load(studio_home):
    path = registry.save_model(seed_cnn(), card(0.91), "my run")
    assert path.parent == studio_home / "models" and path.name == "my-run.keras"
    listing = registry.list_models()
    mine = [m for m in listing.models if not m.shipped]
    assert [m.name for m in mine] == ["my-run"] and mine[0].accuracy == 0.91
    assert json.loads(path.with_suffix(".json").read_text())["name"] == "my-run"
    assert safe_load.load_model(path).count_params() == 93322


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
        safe_load.load_model(folder / "broken.keras")


def test_names_cannot_escape_the_folder(studio_home):
    path = registry.save_model(seed_cnn(), card(), "../../etc/<b>passwd</b>")
    assert path.parent == studio_home / "models" and "/" not in path.stem and "<" not in path.stem


def test_oversized_model_is_refused(studio_home, monkeypatch):
    path = registry.save_model(seed_cnn(), card(), "big")
    monkeypatch.setattr(safe_load, "MAX_MODEL_BYTES", 1000)
    with pytest.raises(ValueError, match="refused"):
        safe_load.load_model(path)


# --- replacing a model of the same name, deleting, and what a replaced model leaves ----------

def tiny(units=4):
    """A small real Keras model; `units` makes two of them different files."""
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(units),
                             keras.layers.Dense(10, activation="softmax")])


def stored_evaluation_of(path):
    """Write a (small, real-format) stored evaluation beside the model file `path`."""
    import numpy as np

    from fashion.judging import stored as es
    probs = np.full((5, 10), 0.1, dtype=np.float32)
    stored = es.StoredEvaluation(es.file_sha256(path), probs, np.arange(5), np.arange(2),
                                 np.zeros((2, 3), dtype=np.float32), {"accuracy": 0.2, "sample_size": 2})
    es.write_store(path, stored)
    return es.store_paths(path)


def test_replacing_a_model_swaps_both_files_and_drops_its_stale_evaluation(studio_home):
    from fashion.judging import stored as es
    old = registry.save_model(tiny(4), card(0.8), "mine")
    npz, meta = stored_evaluation_of(old)
    old_npz, old_meta = npz.read_bytes(), meta.read_bytes()
    assert es.read_store(old) is not None
    old_hash = es.file_sha256(old)

    new = registry.save_model(tiny(8), card(0.9), "mine", overwrite=True)
    assert new == old and sorted(p.name for p in new.parent.iterdir()) == ["mine.json", "mine.keras"]
    assert es.file_sha256(new) != old_hash and safe_load.load_model(new).count_params() > 4000
    assert registry.read_card(new.with_suffix(".json"))["test_metrics"]["accuracy"] == 0.9
    # the old store is gone; and even put back, it is not taken for the new model's
    npz.write_bytes(old_npz)
    meta.write_bytes(old_meta)
    assert es.read_store(new) is None and es.measured_accuracy(new) is None


@pytest.mark.parametrize("fails_at", ["model", "card"])
def test_a_failed_replacement_leaves_the_old_model_as_it_was(studio_home, monkeypatch, fails_at):
    old = registry.save_model(tiny(4), card(0.8), "mine")
    npz, _ = stored_evaluation_of(old)
    before = {p.name: p.read_bytes() for p in old.parent.iterdir()}
    model = tiny(8)
    if fails_at == "model":
        def dies_halfway(path, *a, **k):
            with open(path, "wb") as f:
                f.write(b"PK\x03\x04 half a zip")
            raise OSError("disk full")
        monkeypatch.setattr(model, "save", dies_halfway)
    else:
        def card_fails(path, card, **kwargs):
            raise OSError("disk full")
        monkeypatch.setattr(registry, "dump_json", card_fails)   # the card's write (fashion.files.dump_json)
    with pytest.raises(OSError):
        registry.save_model(model, card(0.9), "mine", overwrite=True)
    after = {p.name: p.read_bytes() for p in old.parent.iterdir()}
    assert after == before, "the old model, its card and its evaluation untouched; no temp file, no reservation"


def test_delete_removes_the_model_its_card_and_its_stored_evaluation(studio_home):
    path = registry.save_model(tiny(), card(), "gone")
    stored_evaluation_of(path)
    registry.save_model(tiny(), card(), "kept")
    [entry] = [m for m in registry.list_models().models if m.name == "gone"]
    registry.delete_model(entry)
    assert sorted(p.name for p in path.parent.iterdir()) == ["kept.json", "kept.keras"]
    with pytest.raises(ValueError):
        registry.delete_model(registry.list_models().models[0])    # the shipped default


def test_who_may_replace_and_the_free_name_that_keeps_both(studio_home):
    registry.save_model(tiny(), {**card(), "owner": registry.owner_tag("alice-browser")}, "Camiseta año")
    registry.save_model(tiny(), card(), "Camiseta año-2")
    registry.save_model(tiny(), card(), "ownerless")
    mine = registry.find_model("Camiseta año")
    assert mine is not None and not mine.shipped and mine.display_name == "Camiseta año"
    assert registry.owner_tag("alice-browser") not in ("alice-browser", None), "the identity is not stored as is"
    assert registry.may_replace(mine, "alice-browser")
    assert not registry.may_replace(mine, "bob-browser") and not registry.may_replace(mine, None)
    assert registry.may_replace(mine, "bob-browser", teacher=True)
    unowned = registry.find_model("ownerless")
    assert not registry.may_replace(unowned, "alice-browser") and registry.may_replace(unowned, None, teacher=True)
    shipped = registry.find_model(registry.DEFAULT_MODEL.stem)
    assert shipped.shipped and shipped.path == registry.DEFAULT_MODEL
    assert not registry.may_replace(shipped, "alice-browser", teacher=True), "the shipped model never"
    assert registry.find_model("nobody has this") is None
    # -2 is taken by a saved model, -3 by a run still training: -4 keeps all of them
    assert naming.free_name("Camiseta año", taken=["Camiseta año-3"]) == "Camiseta año-4"
    assert naming.free_name(registry.DEFAULT_MODEL.stem) == registry.DEFAULT_MODEL.stem + "-2"
