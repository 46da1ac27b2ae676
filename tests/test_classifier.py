"""fashion/classifier.py and fashion/judging/stored.py: one Classifier owns inference and
gives exactly the model's own answers; a model's evaluation is stored beside it, reused
while the model file is the same, recomputed when it changes or the store is damaged."""
from __future__ import annotations

import json

import keras
import numpy as np
import pytest
from reference import reference

from fashion import data
from fashion.errors import ClassifierError
from fashion.judging import measure
from fashion.judging import stored as store
from fashion.model import architectures as models
from fashion.model import registry
from fashion.model.classifier import Classifier, as_classifier
from fashion.model.network import as_input, unwrap


@pytest.fixture(scope="module")
def ref():
    return reference()


def test_probabilities_equal_plain_keras_on_x_over_255(ref):
    """The shipped model (a flip-TTA wrapper): the Classifier runs the inner network on the
    image and its mirror and averages, and that must be exactly what plain Keras gives."""
    clf = Classifier.load(registry.DEFAULT_MODEL)
    assert clf.flip_tta and clf.network is not clf.model
    x = data.load().x_test
    np.testing.assert_allclose(clf.probabilities(x), ref["probabilities"], atol=1e-5)
    # the same images as floats in [0, 1], with a channel axis: the same answer
    np.testing.assert_allclose(clf.probabilities(x[:50].reshape(-1, 28, 28, 1) / 255.0),
                               ref["probabilities"][:50], atol=1e-5)


def test_one_classifier_passed_explicitly_and_one_input_convention():
    keras.utils.set_random_seed(0)
    model = models.build("custom", conv_blocks=1, filters=4, dense_units=8)
    clf = Classifier(model)
    assert as_classifier(clf) is clf                   # a Classifier given is the one used
    assert as_classifier(model) is not clf             # nothing remembered per model: no hidden registry
    img = np.random.default_rng(0).integers(0, 256, (28, 28), dtype=np.uint8)
    np.testing.assert_array_equal(as_input(img), as_input(img.astype(np.float32) / 255.0))
    assert as_input(img).shape == (1, 28, 28, 1) and as_input(img).dtype == np.float32
    np.testing.assert_allclose(clf.probabilities(img), np.asarray(model(as_input(img), training=False)), atol=1e-6)
    with pytest.raises(ClassifierError, match="28x28"):
        clf.probabilities(np.zeros((3, 32, 32), np.float32))
    with pytest.raises(ClassifierError, match=r"\[0, 1\]"):
        clf.probabilities(np.full((2, 28, 28), 2.0, np.float32))


def test_mirror_scores_and_logits_of_a_wrapped_model():
    keras.utils.set_random_seed(0)
    base = models.build("custom", conv_blocks=1, filters=4, dense_units=8)
    wrapped = Classifier(models.with_flip_tta(base))
    assert unwrap(wrapped.model) is base and wrapped.network is base
    x = np.random.default_rng(1).random((5, 28, 28)).astype(np.float32)
    probs, energy = wrapped.mirror_scores(x)
    np.testing.assert_allclose(probs, np.asarray(wrapped.model(x[..., None], training=False)), atol=1e-6)
    logits = wrapped.logits(x)
    mirrored = wrapped.logits(x[:, :, ::-1])
    softmax = lambda z: np.exp(z) / np.exp(z).sum(1, keepdims=True)  # noqa: E731
    np.testing.assert_allclose((softmax(logits) + softmax(mirrored)) / 2, probs, atol=1e-5)
    lse = lambda z: np.log(np.exp(z.astype(np.float64)).sum(1))  # noqa: E731
    np.testing.assert_allclose(energy, (lse(logits) + lse(mirrored)) / 2, atol=1e-4)


# --- the stored evaluation -------------------------------------------------------------------

def test_the_shipped_store_matches_the_shipped_model(ref):
    """Fails when models/ ships a model without its evaluation (or a stale one)."""
    npz, meta_path = store.store_paths(registry.DEFAULT_MODEL)
    hint = f"the shipped model's stored evaluation is missing or stale; rebuild it with `{store.REBUILD_COMMAND}`"
    assert meta_path.exists() and npz.exists(), hint
    meta = json.loads(meta_path.read_text())
    assert meta["model_sha256"] == store.file_sha256(registry.DEFAULT_MODEL), hint
    stored = store.read_store(registry.DEFAULT_MODEL)
    assert stored is not None, hint
    np.testing.assert_allclose(stored.probabilities, ref["probabilities"], atol=1e-5)
    assert store.measured_accuracy(registry.DEFAULT_MODEL) == pytest.approx(ref["accuracy"], abs=1e-9)


class SmallData:
    """The first 300 real test images (a lean test; the store does not care how many)."""
    def __init__(self):
        ds = data.load()
        self.x_test, self.y_test, self.source = ds.x_test[:300], ds.y_test[:300], ds.source


def tiny_model(seed: int):
    keras.utils.set_random_seed(seed)
    return models.build("custom", conv_blocks=1, filters=4, dense_units=8)


def test_the_store_is_reused_and_recomputed_when_the_model_changes(tmp_path):
    small = SmallData()
    path = registry.save_model(tiny_model(0), {"test_metrics": {}}, "tiny", folder=tmp_path)
    assert store.measured_accuracy(path) is None                   # "not measured yet"

    first = Classifier.load(path)
    stored = measure.ensure(path, first, small, sample_size=100)
    assert first.batches_run > 0
    np.testing.assert_allclose(stored.probabilities, first.probabilities(small.x_test), atol=1e-6)
    assert len(stored.sample) == 100 and stored.features.shape == (100, first.features(small.x_test[:1]).shape[1])
    assert store.measured_accuracy(path) == pytest.approx(stored.accuracy)

    # a second load of the same file: nothing runs the model (the factory is never called)
    second = Classifier.load(path)
    again = measure.ensure(path, lambda: second, small, sample_size=100)
    assert second.batches_run == 0
    np.testing.assert_array_equal(again.probabilities, stored.probabilities)
    np.testing.assert_array_equal(again.features, stored.features)
    np.testing.assert_array_equal(again.sample_features(again.sample[:10]), stored.features[:10])

    # another model saved over the same file: the store is stale, recomputed
    registry.save_model(tiny_model(1), {"test_metrics": {}}, "tiny", folder=tmp_path, overwrite=True)
    assert store.read_store(path) is None and store.measured_accuracy(path) is None
    third = Classifier.load(path)
    fresh = measure.ensure(path, third, small, sample_size=100)
    assert third.batches_run > 0 and fresh.model_sha256 != stored.model_sha256
    assert not np.allclose(fresh.probabilities, stored.probabilities)


def test_a_corrupt_store_is_recomputed(tmp_path):
    small = SmallData()
    path = registry.save_model(tiny_model(2), {"test_metrics": {}}, "tiny", folder=tmp_path)
    measure.ensure(path, Classifier.load(path), small, sample_size=50)
    npz, meta_path = store.store_paths(path)
    npz.write_bytes(npz.read_bytes()[:100])                          # a half-copied file
    assert store.read_store(path) is None
    clf = Classifier.load(path)
    stored = measure.ensure(path, clf, small, sample_size=50)
    assert clf.batches_run > 0 and store.read_store(path) is not None
    meta_path.write_text("{not json")
    assert store.read_store(path) is None and store.measured_accuracy(path) is None
    assert stored.probabilities.shape == (300, 10)
