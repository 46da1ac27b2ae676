"""Classify photos with a model, and say when not to trust the answer: the shared core of
the Photo page and `python -m fashion predict`.

    classifier = Classifier.load(path)
    judge = Judge().fit_once(classifier)                            # once per model, kept
    predictions = classify_photos(classifier, judge, ["a.jpg", "b.png"])   # Prediction objects
    rows = classify_files(classifier, judge, ["a.jpg", "b.png"])           # JSON-ready dicts

Each photo goes through fashion.photos.pipeline.preprocess (photo -> 28x28). All inputs are
classified in one batch, each seen twice (as is and mirrored: a garment's left and right
are interchangeable) and the two answers averaged.

## Not sure
A CNN trained on Fashion-MNIST answers one of its 10 classes even for a hat, and its top
probability alone hardly differs between a shirt and a hat. What does differ is how much
evidence the network finds at all: its energy as a z-score against Fashion-MNIST
(fashion/photos/energy.py), turned into a "familiarity" in [0, 1] with a logistic curve.
Where the model's Judge has a calibration (fashion/photos/judge.py), confidence is its
calibrated P(right); without one, the uncalibrated rule is

    confidence = top-class probability x familiarity      (x 0.5 if no garment was found)

The answer is presented as sure when a garment was found and confidence reaches the
threshold; otherwise the reason is given (no garment found / unfamiliar to the network /
torn between two classes). `confidence` is exactly the number the rule compares and the one
the CLI prints. The curve and threshold were calibrated on phone photos of hats, shorts and
skirts (no Fashion-MNIST class) against phone photos of the ten classes.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass

import numpy as np

from fashion.data import class_names
from fashion.errors import PhotoError
from fashion.i18n import t
from fashion.photos.judge import Judge
from fashion.photos.pipeline import PhotoResult, preprocess

SURE_THRESHOLD = 0.45
FAMILIARITY_Z0 = -2.0        # energy z-score at which familiarity is 0.5
FAMILIARITY_SLOPE = 3.0      # steepness of the logistic curve
NOT_FOUND_PENALTY = 0.5


# --- one photo's answer -------------------------------------------------------------------------

@dataclass
class Prediction:
    """One photo's answer (or why it has none)."""
    file: str
    result: PhotoResult | None = None
    probabilities: np.ndarray | None = None      # (10,) averaged over the image and its mirror
    label: int | None = None
    confidence: float = 0.0                      # the number the not-sure rule compares
    familiarity: float | None = None             # how familiar the input is to the network, 0..1
    threshold: float | None = None               # the model's calibrated 'sure' threshold (None: uncalibrated)
    sure: bool = False
    reason: tuple = ("", {})                     # (i18n key, params) of why not sure; ("", {}) when sure
    error: tuple | None = None                   # (i18n key, params) when the file could not be used

    def reason_text(self, lang: str = "en") -> str:
        key, params = self.reason
        if not key:
            return ""
        params = dict(params)
        for k in ("label", "other"):
            if k in params:
                params[k] = class_names(lang)[params[k]]
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


def familiarity_of(z: float | None) -> float | None:
    """Energy z-score -> familiarity in [0, 1] (None when the network's energy is unknown)."""
    if z is None:
        return None
    return float(1.0 / (1.0 + np.exp(-FAMILIARITY_SLOPE * (z - FAMILIARITY_Z0))))


def warm_up_in_background(classifier, judge: Judge) -> threading.Thread:
    """Fit the judge and trace the classifier's passes on a daemon thread, once per judge
    (the Photo page calls this when it opens, so a class of 20 uploading at once is not
    queued behind the calibration fit)."""
    return judge.start_warm_up(classifier)


def verdict(probabilities: np.ndarray, result: PhotoResult, z: float | None = None,
            calibrated: tuple | None = None) -> tuple:
    """The not-sure rule for one photo -> (label, confidence, familiarity, sure, reason).

    With `calibrated` = (P(right), threshold, unfamiliar or None) from the model's
    calibration (Judge.assess), confidence is that probability, sure means
    P(right) >= threshold, and "may not be one of the 10 classes" is said only of inputs
    less like what the network learned from than 19 garment photos in 20; without it, the
    uncalibrated rule of the module docstring."""
    order = np.argsort(-probabilities, kind="stable")
    label, other = int(order[0]), int(order[1])
    top = float(probabilities[label])
    familiar = familiarity_of(z)
    if calibrated is not None:
        confidence, threshold, unfamiliar = (tuple(calibrated) + (None,))[:3]
        sure = bool(result.found and confidence >= threshold)
        if unfamiliar is not None:
            familiar = 0.0 if unfamiliar else 1.0
    else:
        confidence = top * (familiar if familiar is not None else 1.0)
        if not result.found:
            confidence *= NOT_FOUND_PENALTY
        sure = bool(result.found and confidence >= SURE_THRESHOLD)
    if sure:
        reason = ("", {})
    elif not result.found:
        reason = (result.note or "photo.reason.no_garment", {})
    elif familiar is not None and familiar < 0.5:
        reason = ("photo.reason.unfamiliar", {"label": label})
    elif float(probabilities[other]) >= 0.5 * top:
        reason = ("photo.reason.torn", {"label": label, "other": other})
    else:
        reason = ("photo.reason.low_confidence", {"confidence": confidence})
    return label, confidence, familiar, sure, reason


def _display_name(f) -> str:
    if isinstance(f, (bytes, bytearray, memoryview)):
        return "<bytes>"
    name = getattr(f, "name", None)
    if isinstance(name, str):
        return name
    return os.fspath(f)


def prepare(source, name: str | None = None) -> Prediction:
    """Preprocess one photo (path, bytes or upload) into an unclassified Prediction; a file
    that cannot be used gets its error instead (never an exception)."""
    name = name if name is not None else _display_name(source)
    try:
        return Prediction(file=name, result=preprocess(source))
    except PhotoError as e:
        return Prediction(file=name, error=(e.key, e.params))
    except Exception:  # never a traceback for one bad file
        return Prediction(file=name, error=("photo.error.unreadable", {}))


def classify(classifier, judge: Judge, predictions: list[Prediction]) -> list[Prediction]:
    """Classify every prepared photo in one batch and judge each (fills them in place). The
    judge is fitted first if it is not yet (a fit running on another thread is waited for)."""
    todo = [p for p in predictions if p.result is not None and not p.error]
    if todo:
        judge.fit_once(classifier)
        probs, z, p_right, threshold, unfamiliar = judge.assess(
            classifier, np.stack([p.result.model_input for p in todo]), np.array([p.result.found for p in todo]))
        for j, pred in enumerate(todo):
            pred.probabilities = probs[j]
            pred.threshold = threshold
            (pred.label, pred.confidence, pred.familiarity, pred.sure,
             pred.reason) = verdict(probs[j], pred.result, None if z is None else float(z[j]),
                                    None if p_right is None else
                                    (float(p_right[j]), threshold, None if unfamiliar is None else bool(unfamiliar[j])))
    return predictions


def classify_photos(classifier, judge: Judge, sources, names: list[str] | None = None) -> list[Prediction]:
    """Preprocess each photo (path, bytes or upload), classify them in one batch, judge each."""
    return classify(classifier, judge, [prepare(src, names[i] if names else None) for i, src in enumerate(sources)])


def nearest_example(images: np.ndarray, labels: np.ndarray, model_input: np.ndarray, label: int) -> int:
    """Index of the Fashion-MNIST image of class `label` closest (in pixels) to a photo's
    model input: a real example to show beside the photo."""
    idx = np.flatnonzero(labels == label)
    if idx.size == 0:
        raise ValueError(f"no image of class {label}")
    a = images[idx].reshape(len(idx), -1).astype(np.float32) / 255.0
    d = ((a - np.asarray(model_input, np.float32).reshape(1, -1)) ** 2).sum(axis=1)
    return int(idx[int(np.argmin(d))])


def classify_files(classifier, judge: Judge, files, lang: str = "en") -> list[dict]:
    """One JSON-ready dict per file, in order: file, label, name, confidence, sure, reason,
    probabilities; or file and error (what is wrong, in words)."""
    return [p.to_row(lang) for p in classify_photos(classifier, judge, files)]
