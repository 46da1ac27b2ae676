"""How far "sure" can be trusted, measured where nothing was tuned: the judge (fitted on the
validation side) applied to one side of the split, as a user meets it.

    sure_figures(classifier, judge, "test")    # test photographers' photos + test non-garments
    catalogue_figures(classifier, judge, images, labels)   # rendered product photos

coverage   of garment photos of a Fashion-MNIST kind, the share answered "sure"
accuracy   of those sure answers, the share right
auroc      P(right) separating garment photos from non-garment pictures (1 = always apart)
"""
from __future__ import annotations

import math

import numpy as np

from fashion.photos.calibration_data import calibration_set
from fashion.photos.judge import Judge


def _sure(classifier, judge: Judge, images: np.ndarray, found: np.ndarray):
    """(P(right) (N,), sure (N,) bool, top label (N,)) as the photo page decides them."""
    probs, _z, p_right, threshold, _unfamiliar = judge.assess(classifier, images.astype(np.float32) / 255.0, found)
    if p_right is None:
        return None, np.zeros(len(images), bool), probs.argmax(axis=1)
    return p_right, found & (p_right >= threshold), probs.argmax(axis=1)


def auroc(positive: np.ndarray, negative: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    if not len(positive) or not len(negative):
        return math.nan
    scores = np.concatenate([positive, negative])
    order = scores.argsort(kind="mergesort")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    for value in np.unique(scores):                    # average ranks over ties
        tie = scores == value
        ranks[tie] = ranks[tie].mean()
    return float((ranks[:len(positive)].sum() - len(positive) * (len(positive) + 1) / 2)
                 / (len(positive) * len(negative)))


def sure_figures(classifier, judge: Judge, split: str = "test") -> dict | None:
    """Coverage and accuracy of sure answers on one side's garment photos, how many of its
    non-garment pictures and no-class photos (hats, shorts, skirts) are called sure, AUROC."""
    data = calibration_set(split)
    if data is None:
        return None
    p_right, sure, top = _sure(classifier, judge, data.images, data.found)
    right = data.accept[np.arange(len(top)), top]
    garment = data.accept.any(axis=1)
    non_garment = data.kinds == "non-garment"
    no_class = ~garment & ~non_garment
    return {"split": split, "garment_photos": int(garment.sum()),
            "accuracy_all": float(right[garment].mean()) if garment.any() else math.nan,
            "sure_coverage": float(sure[garment].mean()) if garment.any() else math.nan,
            "sure_accuracy": float(right[garment & sure].mean()) if (garment & sure).any() else math.nan,
            "non_garments": int(non_garment.sum()), "non_garments_sure": int((sure & non_garment).sum()),
            "non_garments_sure_share": float(sure[non_garment].mean()) if non_garment.any() else math.nan,
            "no_class_photos": int(no_class.sum()), "no_class_sure": int((sure & no_class).sum()),
            "auroc": math.nan if p_right is None else auroc(p_right[garment], p_right[non_garment])}


def catalogue_figures(classifier, judge: Judge, images: np.ndarray, found: np.ndarray, labels: np.ndarray) -> dict:
    """Rendered product photos (pipeline outputs): accuracy, share sure, accuracy when sure."""
    _p, sure, top = _sure(classifier, judge, images, found)
    right = top == labels
    return {"pictures": len(labels), "accuracy": float(right.mean()), "sure": float(sure.mean()),
            "sure_accuracy": float(right[sure].mean()) if sure.any() else math.nan}
