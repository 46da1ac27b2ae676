"""A "not sure" a class can trust: the calibrated probability that an answer is right.

A network's top probability is not the chance it is right on a phone photo: trained on
catalogue images, it is as sure of a cat as of a shoe. So for each model we learn, from
pictures it has never been trained on, how its own signals relate to being right:

    inputs    photos by photographers held out of training (fashion/photoset.py):
              right when the answer is one a person accepts, wrong otherwise;
              photos of hats, shorts and skirts (no Fashion-MNIST class) and
              non-garment pictures (an animal, a face, a cup, a landscape, a screenshot,
              a test pattern; models/real-photos/non_garments.npz): always wrong
    signals   log-odds of the top probability, log-ratio of the top two, the energy
              z-score (how familiar the input is to the network, see fashion/predict.py)
              and whether a garment was found in the photo
    model     logistic regression -> P(right), the one number users see
    sure      P(right) >= threshold, the lowest threshold at which the answers it
              calls sure were right at least TARGET_PRECISION of the time

Fitting takes a second (about 1,000 small inputs through the network); it is done once
per model and kept with it (Classifier.memo). Where the arrays are missing the caller
falls back to its own rule.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

NON_GARMENTS = Path(__file__).resolve().parent.parent / "models" / "real-photos" / "non_garments.npz"
TARGET_PRECISION = 0.92     # a margin over the 90 % promised: the held-out set is a few hundred photos
Z_CLIP = 8.0


@dataclass
class Calibration:
    mean: np.ndarray            # (4,) feature standardisation
    scale: np.ndarray           # (4,)
    weights: np.ndarray         # (4,) logistic regression on standardised features
    bias: float
    threshold: float            # P(right) at or above which an answer is called sure
    uses_energy: bool           # False when the network's energy reference was unavailable
    fitted_on: dict             # counts of what it was fitted on

    def probability(self, probabilities: np.ndarray, z: np.ndarray | None, found: np.ndarray) -> np.ndarray:
        """(N,) calibrated P(right) for (N, 10) probabilities, energy z-scores, found flags."""
        f = (features(probabilities, z if self.uses_energy else None, found) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(f @ self.weights + self.bias)))

    def to_dict(self) -> dict:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist(), "weights": self.weights.tolist(),
                "bias": self.bias, "threshold": self.threshold, "uses_energy": self.uses_energy,
                "fitted_on": self.fitted_on}


def features(probabilities: np.ndarray, z: np.ndarray | None, found: np.ndarray) -> np.ndarray:
    """(N, 4): log-odds of the top probability, log(top / second), energy z, found."""
    p = np.clip(np.asarray(probabilities, np.float64), 1e-7, 1 - 1e-7)
    top2 = -np.sort(-p, axis=1)[:, :2]
    z = np.zeros(len(p)) if z is None else np.clip(np.asarray(z, np.float64), -Z_CLIP, Z_CLIP)
    return np.stack([np.log(top2[:, 0] / (1 - top2[:, 0])), np.log(top2[:, 0] / top2[:, 1]), z,
                     np.asarray(found, np.float64)], axis=1)


def choose_threshold(confidence: np.ndarray, right: np.ndarray, target: float = TARGET_PRECISION) -> float:
    """The lowest confidence t such that the answers with confidence >= t are right at
    least `target` of the time (1.0, i.e. never sure, if no t reaches it)."""
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(right[order]) / np.arange(1, len(order) + 1)
    ok = np.flatnonzero(hits >= target)
    if ok.size == 0:
        return 1.0
    # the largest prefix that keeps the precision: all answers down to that confidence
    k = ok.max()
    return float(confidence[order][k])


def fit(probabilities: np.ndarray, z: np.ndarray | None, found: np.ndarray, right: np.ndarray,
        fitted_on: dict | None = None) -> Calibration:
    """Logistic regression of `right` on the features, then the sure threshold."""
    from sklearn.linear_model import LogisticRegression
    f = features(probabilities, z, found)
    mean, scale = f.mean(axis=0), f.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=1000).fit((f - mean) / scale, right.astype(int))
    cal = Calibration(mean=mean, scale=scale, weights=lr.coef_[0].astype(np.float64),
                      bias=float(lr.intercept_[0]), threshold=1.0, uses_energy=z is not None,
                      fitted_on=dict(fitted_on or {}))
    cal.threshold = choose_threshold(cal.probability(probabilities, z, found), right.astype(float))
    return cal


# --- the pictures a model is calibrated on ------------------------------------------------------

@dataclass
class CalibrationSet:
    images: np.ndarray          # (N, 28, 28) uint8 pipeline outputs
    found: np.ndarray           # (N,) bool
    accept: np.ndarray          # (N, 10) bool; all False: no right answer exists
    kinds: np.ndarray           # (N,) str: photo kind, or 'non-garment'
    groups: np.ndarray          # (N,) str: photographer (or picture) for grouped validation


def load_non_garments(path: Path = NON_GARMENTS) -> CalibrationSet | None:
    if not Path(path).is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            images, found, names = z["images"], z["found"].astype(bool), z["names"]
    except (OSError, ValueError, KeyError):
        return None
    n = len(images)
    return CalibrationSet(images, found, np.zeros((n, 10), bool), np.array(["non-garment"] * n),
                          np.array([f"ng:{str(s).split('#')[0]}" for s in names]))


def calibration_set() -> CalibrationSet | None:
    """Held-out photographers' photos (all kinds) and the non-garment pictures."""
    from .photoset import PhotoSetError, shipped
    try:
        held = shipped().part(True)
    except PhotoSetError:
        return None
    if held.found is None:
        return None
    parts = [CalibrationSet(held.images, held.found, held.accept, held.kinds,
                            np.array([f"ph:{p}" for p in held.photographers]))]
    ng = load_non_garments()
    if ng is not None:
        parts.append(ng)
    return CalibrationSet(*(np.concatenate([getattr(p, f) for p in parts])
                            for f in ("images", "found", "accept", "kinds", "groups")))


def calibrate(scores, data: CalibrationSet | None = None) -> Calibration | None:
    """Fit a model's calibration; `scores(x)` -> (probabilities, z or None) as in
    fashion.predict.photo_scores. None where there is nothing to calibrate on."""
    data = data if data is not None else calibration_set()
    if data is None or len(data.images) < 50:
        return None
    probs, z = scores(data.images.astype(np.float32) / 255.0)
    right = data.accept[np.arange(len(probs)), probs.argmax(axis=1)]
    counts = {"held_out_photos": int((data.kinds != "non-garment").sum()),
              "non_garments": int((data.kinds == "non-garment").sum())}
    return fit(probs, z, data.found, right, counts)


def sure_report(scores, data: CalibrationSet | None = None, folds: int = 5) -> dict:
    """Honest figures for the not-sure rule: grouped cross-validation (whole photographers
    and whole pictures never on both sides), pooled over folds: of the garment photos of a
    Fashion-MNIST kind, how many are called sure (coverage) and how many of those are right
    (accuracy); how many non-garment pictures and no-class photos are called sure."""
    data = data if data is not None else calibration_set()
    probs, z = scores(data.images.astype(np.float32) / 255.0)
    right = data.accept[np.arange(len(probs)), probs.argmax(axis=1)]
    groups = np.unique(data.groups)
    fold_of = {g: i % folds for i, g in enumerate(np.random.default_rng(0).permutation(groups))}
    fold = np.array([fold_of[g] for g in data.groups])
    sure = np.zeros(len(probs), bool)
    for k in range(folds):
        train, test = fold != k, fold == k
        cal = fit(probs[train], None if z is None else z[train], data.found[train], right[train])
        sure[test] = cal.probability(probs[test], None if z is None else z[test], data.found[test]) >= cal.threshold
    garment = data.accept.any(axis=1)
    ng = data.kinds == "non-garment"
    no_class = ~garment & ~ng
    return {"garment_photos": int(garment.sum()),
            "sure_coverage": float(sure[garment].mean()),
            "sure_accuracy": float(right[garment & sure].mean()) if (garment & sure).any() else math.nan,
            "accuracy_all": float(right[garment].mean()),
            "non_garments": int(ng.sum()), "non_garments_sure": int((sure & ng).sum()),
            "no_class_photos": int(no_class.sum()), "no_class_sure": int((sure & no_class).sum())}
