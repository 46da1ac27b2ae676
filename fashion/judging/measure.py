"""Measuring a model once for everything that shows it: its test-set probabilities, the
penultimate features of the Explain page's sample, its layer table and its real-photo
accuracy, computed in one pass and written with `fashion.judging.stored` (whose file
format this module does not need to know)."""
from __future__ import annotations

import numpy as np

from fashion.errors import ClassifierError
from fashion.files import file_sha256
from fashion.judging.explain import embedding_sample
from fashion.judging.photo_metrics import held_out_metrics
from fashion.judging.stored import EXPLAIN_SAMPLE, MAX_FEATURE_DIMS, StoredEvaluation, read_store, write_store
from fashion.model.architectures import summary_rows


def compute(classifier, dataset, model_sha256: str, sample_size: int = EXPLAIN_SAMPLE,
            measured: dict | None = None) -> StoredEvaluation:
    """Run the model over the test set (probabilities) and the explain sample (features).
    `measured` holds what the caller already measured on this model, not measured again:
    "probabilities" (of dataset.x_test) and "real_photos" (held_out_metrics of it)."""
    measured = measured or {}
    probs = measured.get("probabilities")
    probs = classifier.probabilities(dataset.x_test) if probs is None else np.asarray(probs, np.float32)
    if probs.ndim != 2 or probs.shape[1] != 10:
        raise ClassifierError("classifier.err.outputs", shape=probs.shape[1:])
    labels = np.asarray(dataset.y_test).astype(np.int64)
    sample = embedding_sample(labels, sample_size)
    features = classifier.features(dataset.x_test[sample], max_dims=MAX_FEATURE_DIMS)
    picked = probs[np.arange(len(labels)), labels]
    summary = {"accuracy": float((probs.argmax(axis=1) == labels).mean()),
               "loss": float(-np.mean(np.log(np.clip(picked, 1e-7, 1.0)))),
               "test_images": int(len(labels)), "sample_size": int(len(sample)),
               "feature_dims": int(features.shape[1]), "data_source": getattr(dataset, "source", ""),
               "model_sha256": model_sha256, "layers": _layer_rows(classifier.model),
               "real_photos": measured["real_photos"] if "real_photos" in measured else held_out_metrics(classifier)}
    return StoredEvaluation(model_sha256, probs, labels, sample, features, summary)


def _layer_rows(model) -> list[dict] | None:
    """The model's layer table for reports (models.summary_rows), kept so that drawing
    the Evaluate page needs no TensorFlow."""
    try:
        return summary_rows(model)
    except Exception:
        return None


def ensure(model_path, classifier, dataset, sample_size: int = EXPLAIN_SAMPLE,
           measured: dict | None = None) -> StoredEvaluation:
    """The stored evaluation of the model file: read when valid, else computed with
    `classifier` (a Classifier, or a function returning one, called only when needed) and
    written beside the model. A folder we cannot write to (e.g. a read-only deployment)
    only means the result is not kept on disk. `measured`: as for compute."""
    stored = read_store(model_path)
    if stored is not None and stored.summary.get("sample_size", 0) >= min(sample_size, len(stored.labels)):
        return stored
    digest = file_sha256(model_path)
    clf = classifier() if callable(classifier) else classifier
    stored = compute(clf, dataset, digest, sample_size, measured)
    try:
        write_store(model_path, stored)
    except OSError:
        pass
    return stored
