"""Accuracy on real photos, counted as `bench/photo_eval.py` counts it: a photo is right
when its answer is one a person accepts for its kind (micro over photos, macro over kinds,
shoes alone). A photo set's photographers are split three ways (fashion.photos.photoset):
the figure shown is the test photographers', scored once per model and never chosen on."""
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
    """photo_metrics of a Classifier on the test photographers of `source` (a TrainConfig.photos
    value: never trained on, never used to choose anything) — the figure a user reads — with
    the validation photographers' figures beside it under "validation" (what choices are made
    on) and the photo set's SHA-256; None where there are no test photos."""
    try:
        photos = resolve(source)
    except PhotoSetError:
        return None
    test, validation = photos.subset("test"), photos.subset("val")
    if not len(test):
        return None
    figures = {**photo_metrics(classifier.probabilities(test.images), test), "split": "test",
               "photos_sha256": photos.digest()}
    if len(validation):
        figures["validation"] = photo_metrics(classifier.probabilities(validation.images), validation)
    return figures
