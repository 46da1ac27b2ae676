"""Independent reference figures for the shipped model, computed the way the seeds do it
(plain `keras.models.load_model`, images / 255, `model.predict`) and shared by the
page and report tests so the 10,000 test images are classified once per test process."""
from __future__ import annotations

import functools

import numpy as np

from fashion import data
from fashion.model import registry


@functools.lru_cache(maxsize=1)
def reference() -> dict:
    import keras
    ds = data.load()
    model = keras.models.load_model(registry.DEFAULT_MODEL, compile=False)
    probs = model.predict(ds.x_test.reshape(-1, 28, 28, 1) / 255.0, batch_size=1000, verbose=0)
    preds = probs.argmax(axis=1)
    labels = ds.y_test.astype(int)
    cm = np.zeros((10, 10), int)
    np.add.at(cm, (labels, preds), 1)
    return {"model": model, "probabilities": probs, "predictions": preds, "labels": labels, "confusion": cm,
            "accuracy": float((preds == labels).mean()),
            "recall": cm.diagonal() / cm.sum(axis=1), "precision": cm.diagonal() / np.maximum(1, cm.sum(axis=0))}
