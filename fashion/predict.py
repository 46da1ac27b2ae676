"""Classify photos with a model, and say when not to trust the answer: the shared core of
the Photo page and `python -m fashion predict`.

    predictions = classify_photos(model, ["a.jpg", "b.png"])   # Prediction objects
    rows = classify_files(model, ["a.jpg", "b.png"])           # JSON-ready dicts

Each photo goes through fashion.photo.preprocess (photo -> 28x28); all inputs are
classified in one batch, each seen twice (as is and mirrored, since a garment's left and
right are interchangeable) and the two probability vectors averaged.

Not sure. A CNN trained on Fashion-MNIST always answers one of its 10 classes, even for a
hat. The answer is presented as sure only when
  * a garment was found in the photo, and
  * `confidence` >= SURE_THRESHOLD, where `confidence` is the averaged probability of the
    top class (times SHAPE_PENALTY when the garment's height/width is far outside what
    that class has in Fashion-MNIST, e.g. a "Trouser" as wide as it is tall: shorts).
`confidence` is exactly the number the rule compares, and the one the CLI prints.
The threshold was calibrated on phone photos of hats, shorts and skirts (no Fashion-MNIST
class) against photos of the ten classes.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

import numpy as np

from .data import class_names
from .i18n import t
from .photo import PhotoError, PhotoResult, preprocess

SURE_THRESHOLD = 0.60
SHAPE_PENALTY = 0.5
NOT_FOUND_PENALTY = 0.5

# Height/width of the garment in Fashion-MNIST training images, per class: the 1st and 99th
# percentile of the bounding box of pixels > 20 (computed with fashion.data.load();
# see shape_range_from_data below). A photo framed outside [lo / SHAPE_SLACK, hi * SHAPE_SLACK]
# is unusual for the class.
SHAPE_RANGE = {
    0: (0.89, 2.15), 1: (1.33, 3.11), 2: (0.96, 1.65), 3: (1.17, 3.5), 4: (1.04, 2.0),
    5: (0.21, 1.17), 6: (0.82, 2.0), 7: (0.32, 0.75), 8: (0.46, 2.0), 9: (0.5, 1.23),
}
SHAPE_SLACK = 1.15


def shape_range_from_data(images: np.ndarray, labels: np.ndarray, threshold: int = 20) -> dict:
    """Recompute SHAPE_RANGE from Fashion-MNIST images (uint8, (N, 28, 28))."""
    m = images > threshold
    h = m.any(axis=2).sum(axis=1)
    w = m.any(axis=1).sum(axis=1)
    ratio = h / np.maximum(w, 1)
    return {k: tuple(round(float(v), 2) for v in np.percentile(ratio[labels == k], [1, 99])) for k in range(10)}


@dataclass
class Prediction:
    """One photo's answer (or why it has none)."""
    file: str
    result: PhotoResult | None = None
    probabilities: np.ndarray | None = None      # (10,) averaged over the views
    label: int | None = None
    confidence: float = 0.0
    sure: bool = False
    reason: tuple = ("", {})                     # (i18n key, params) of why not sure; ("", {}) when sure
    error: tuple | None = None                   # (i18n key, params) when the file could not be used

    def reason_text(self, lang: str = "en") -> str:
        key, params = self.reason
        if not key:
            return ""
        params = dict(params)
        if "label" in params:
            params["name"] = class_names(lang)[params.pop("label")]
        return t(key, lang, **params)

    def error_text(self, lang: str = "en") -> str:
        return t(self.error[0], lang, **self.error[1]) if self.error else ""

    def top(self, k: int = 3) -> list[tuple[int, float]]:
        order = np.argsort(-self.probabilities, kind="stable")[:k]
        return [(int(i), float(self.probabilities[i])) for i in order]

    def to_row(self, lang: str = "en") -> dict:
        if self.error:
            return {"file": self.file, "error": self.error_text(lang)}
        return {"file": self.file, "label": self.label, "name": class_names(lang)[self.label],
                "confidence": round(self.confidence, 6), "sure": self.sure,
                "reason": self.reason_text(lang),
                "probabilities": [round(float(v), 6) for v in self.probabilities]}


def views(x: np.ndarray) -> np.ndarray:
    """(N, 28, 28) -> (2N, 28, 28): each input as is, then mirrored."""
    return np.concatenate([x, x[:, :, ::-1]])


def judge(probabilities: np.ndarray, result: PhotoResult) -> tuple[int, float, bool, tuple]:
    """(label, confidence, sure, reason) for one photo: the not-sure rule."""
    label = int(np.argmax(probabilities))
    confidence = float(probabilities[label])
    reason = ("", {})
    lo, hi = SHAPE_RANGE[label]
    shape_ok = lo / SHAPE_SLACK <= result.aspect <= hi * SHAPE_SLACK
    if not result.found:
        confidence *= NOT_FOUND_PENALTY
        reason = (result.note or "photo.reason.no_garment", {})
    elif not shape_ok:
        confidence *= SHAPE_PENALTY
        reason = ("photo.reason.shape", {"aspect": result.aspect, "label": label})
    sure = result.found and confidence >= SURE_THRESHOLD
    if not sure and not reason[0]:
        reason = ("photo.reason.low_confidence", {"confidence": confidence})
    if sure:
        reason = ("", {})
    return label, confidence, sure, reason


def _display_name(f) -> str:
    if isinstance(f, (bytes, bytearray, memoryview)):
        return "<bytes>"
    name = getattr(f, "name", None)
    if isinstance(name, str):
        return name
    return os.fspath(f)


def classify_photos(model, sources, names: list[str] | None = None) -> list[Prediction]:
    """Preprocess each photo (path, bytes or upload), classify them in one batch, judge each."""
    preds, inputs, slots = [], [], []
    for i, src in enumerate(sources):
        name = names[i] if names else _display_name(src)
        try:
            result = preprocess(src)
        except PhotoError as e:
            preds.append(Prediction(file=name, error=(e.key, e.params)))
            continue
        except Exception:  # never a traceback for one bad file
            preds.append(Prediction(file=name, error=("photo.error.unreadable", {})))
            continue
        slots.append(len(preds))
        preds.append(Prediction(file=name, result=result))
        inputs.append(result.model_input)
    if inputs:
        from .evaluate import predict_proba
        x = np.stack(inputs)
        p = predict_proba(model, views(x))
        p = (p[:len(x)] + p[len(x):]) / 2
        for slot, probs in zip(slots, p):
            pred = preds[slot]
            pred.probabilities = probs
            pred.label, pred.confidence, pred.sure, pred.reason = judge(probs, pred.result)
    return preds


def classify_files(model, files, lang: str = "en") -> list[dict]:
    """One JSON-ready dict per file, in order: file, label, name, confidence, sure, reason,
    probabilities; or file and error (what is wrong, in words)."""
    return [p.to_row(lang) for p in classify_photos(model, files)]
