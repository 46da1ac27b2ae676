"""The not-sure judge is kept beside its model file: read back instead of fitted again, never
taken for another model or other pictures, and never in the way when it cannot be kept."""
from __future__ import annotations

import numpy as np
import pytest

from fashion.backend import keras
from fashion.model import registry
from fashion.model.classifier import Classifier
from fashion.paths import judge_path
from fashion.photos import judge_store
from fashion.photos.judge import Judge

PROBE = np.random.default_rng(3).random((12, 28, 28)).astype(np.float32)
FOUND = np.array([True] * 10 + [False] * 2)


def small_network(seed: int):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                             keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(10, activation="softmax")])


@pytest.fixture
def model_path(studio_home):
    return registry.save_model(small_network(0), {"test_metrics": {}}, "judged")


def passes(classifier, work) -> int:
    """How many forward batches `work()` ran through the classifier (0: nothing was fitted)."""
    before = classifier.batches_run
    work()
    return classifier.batches_run - before


def test_a_fitted_judge_is_kept_and_read_back_with_the_same_answers(model_path):
    first = Classifier.load(model_path)
    fitted = Judge()
    assert passes(first, lambda: fitted.fit_once(first)) > 10
    assert judge_path(model_path).is_file()

    again = Classifier.load(model_path)           # another process, say: a fresh classifier and judge
    kept = Judge()
    assert passes(again, lambda: kept.fit_once(again)) == 0
    a, b = fitted.assess(first, PROBE, FOUND), kept.assess(again, PROBE, FOUND)
    np.testing.assert_allclose(a[0], b[0], rtol=1e-5)              # probabilities
    np.testing.assert_allclose(a[2], b[2], rtol=1e-6)              # P(right), the number shown
    assert a[3] == b[3] and np.array_equal(a[4], b[4])             # threshold, unfamiliar
    assert kept.calibration_.fitted_on == fitted.calibration_.fitted_on


def test_a_judge_kept_for_another_model_other_pictures_or_format_is_fitted_again(model_path, monkeypatch):
    classifier = Classifier.load(model_path)
    Judge().fit_once(classifier)
    kept = judge_path(model_path).read_bytes()

    # another model under the same name: the kept judge goes with the old one
    registry.save_model(small_network(1), {"test_metrics": {}}, "judged", overwrite=True)
    assert not judge_path(model_path).exists()
    judge_path(model_path).write_bytes(kept)            # even put back, it is not taken
    assert judge_store.read(model_path) is None
    other = Classifier.load(model_path)
    assert passes(other, lambda: Judge().fit_once(other)) > 10
    assert judge_store.read(model_path) is not None                 # the new model's judge, kept

    # rebuilt picture arrays, or a changed fit, make it stale too
    monkeypatch.setattr(judge_store, "FORMAT", judge_store.FORMAT + 1)
    assert judge_store.read(model_path) is None


def test_a_damaged_or_unwritable_store_only_means_fitting_again(model_path, monkeypatch):
    judge_path(model_path).write_bytes(b"PK\x03\x04 half a file")
    classifier = Classifier.load(model_path)
    judge = Judge()
    assert passes(classifier, lambda: judge.fit_once(classifier)) > 10
    assert judge.calibration_ is not None and judge_store.read(model_path) is not None

    def refuse(*_a, **_k):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(judge_store, "write_bytes", refuse)
    judge_path(model_path).unlink()
    fresh = Classifier.load(model_path)
    assert Judge().fit_once(fresh).calibration_ is not None        # answered all the same
    assert not judge_path(model_path).exists()


def test_the_command_lines_judge_reads_a_kept_judge_but_never_writes_one(model_path):
    """`python -m fashion predict` writes nothing (tests/test_safety.py): Judge(keep=False)."""
    classifier = Classifier.load(model_path)
    Judge(keep=False).fit_once(classifier)
    assert not judge_path(model_path).exists()
    Judge().fit_once(classifier)
    again = Classifier.load(model_path)
    assert passes(again, lambda: Judge(keep=False).fit_once(again)) == 0


def test_deleting_a_model_deletes_its_kept_judge(model_path):
    Judge().fit_once(Classifier.load(model_path))
    entry = registry.find_model("judged")
    registry.delete_model(entry)
    assert not judge_path(model_path).exists()


def test_the_shipped_models_kept_judge_is_current_and_is_what_a_fit_gives_now():
    """Fails when the shipped model, its photo arrays or the fit changed without
    `python -m fashion evaluate --store` (which keeps the judge again)."""
    assert judge_store.read(registry.DEFAULT_MODEL) is not None, "stale or missing: python -m fashion evaluate --store"
    classifier = Classifier.load(registry.DEFAULT_MODEL)
    kept = Judge()
    assert passes(classifier, lambda: kept.fit_once(classifier)) == 0
    fitted = Judge().fit(classifier)
    a, b = kept.assess(classifier, PROBE, FOUND), fitted.assess(classifier, PROBE, FOUND)
    np.testing.assert_allclose(a[2], b[2], atol=1e-6)
    assert a[3] == pytest.approx(b[3])
