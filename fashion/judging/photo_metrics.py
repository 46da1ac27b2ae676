"""Accuracy on real photos, counted as `bench/photo_eval.py` counts it: a photo is right
when its answer is one a person accepts for its kind (micro over photos, macro over kinds,
shoes alone), and the photographers held out of a photo set are never trained on."""
from __future__ import annotations

import math

import numpy as np

from fashion.photos.photoset import PhotoSet, PhotoSetError, resolve

SHOE_KINDS = ("shoes",)


def photo_metrics(probabilities: np.ndarray, photos: PhotoSet) -> dict:
    """Accuracy on real photos as photo_eval counts it: micro over photos of a kind
    Fashion-MNIST has, macro over kinds, shoes alone, per kind; and how many photos."""
    top = probabilities.argmax(axis=1)
    right = photos.accept[np.arange(len(top)), top]
    scored = photos.scored
    per_kind = {}
    for kind in sorted(set(photos.kinds[scored].tolist())):
        sel = scored & (photos.kinds == kind)
        per_kind[kind] = float(right[sel].mean())
    shoes = [per_kind[k] for k in SHOE_KINDS if k in per_kind]
    n = int(scored.sum())
    return {"micro": float(right[scored].mean()) if n else math.nan,
            "macro": float(np.mean(list(per_kind.values()))) if per_kind else math.nan,
            "shoes": float(np.mean(shoes)) if shoes else math.nan,
            "per_kind": per_kind, "photos": n}


def held_out_metrics(classifier, source: str = "shipped") -> dict | None:
    """photo_metrics of a Classifier on the photographers held out of `source` (a
    TrainConfig.photos value; never trained on), with the photo set's SHA-256; None where
    there are no such photos."""
    try:
        photos = resolve(source)
    except PhotoSetError:
        return None
    held = photos.part(True)
    if not len(held):
        return None
    return {**photo_metrics(classifier.probabilities(held.images), held), "photos_sha256": photos.digest()}
