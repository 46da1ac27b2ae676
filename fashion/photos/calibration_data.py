"""The pictures a model's "not sure" is calibrated on, and which of them each use may read.

    phone photos      the validation photographers' photos, every kind (hats, shorts and
                      skirts have no right answer); never the test photographers'
    non-garments      models/real-photos/non_garments.npz: crops of public test pictures,
                      drawings, and single objects on plain backdrops; each picture's group
                      split by a stable hash: train (training's outlier exposure), val
                      (calibration), test (measurement only)
    catalogue photos  models/real-photos/catalogue.npz: Fashion-MNIST training images
                      rendered as product photos, right when the answer is their label

Built by `python bench/non_garments.py` (the photos by `python -m fashion photos`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fashion.paths import REAL_PHOTOS_DIR
from fashion.photos.photoset import PhotoSet, PhotoSetError, shipped

NON_GARMENTS = REAL_PHOTOS_DIR / "non_garments.npz"
CATALOGUE = REAL_PHOTOS_DIR / "catalogue.npz"
PICTURE_TEST_PERCENT = 25
PICTURE_VALIDATION_PERCENT = 40     # the rest (35 %) teaches training to answer flat


@dataclass
class CalibrationSet:
    images: np.ndarray          # (N, 28, 28) uint8 pipeline outputs
    found: np.ndarray           # (N,) bool
    accept: np.ndarray          # (N, 10) bool; all False: no right answer exists
    kinds: np.ndarray           # (N,) str: photo kind, 'non-garment' or 'catalogue'
    groups: np.ndarray          # (N,) str: photographer (or picture) for grouped validation

    def __len__(self) -> int:
        return len(self.images)

    def select(self, keep: np.ndarray) -> "CalibrationSet":
        return CalibrationSet(self.images[keep], self.found[keep], self.accept[keep], self.kinds[keep],
                              self.groups[keep])


def joined(parts: list[CalibrationSet]) -> CalibrationSet:
    return CalibrationSet(*(np.concatenate([getattr(p, f) for p in parts])
                            for f in ("images", "found", "accept", "kinds", "groups")))


def picture_group(name: str) -> str:
    """'apple#2' -> 'apple': the variants of one picture stay on one side of the split."""
    return str(name).split("#")[0]


def split_of_picture(name: str) -> str:
    """A non-garment picture's side by a stable hash of its group: 'test', 'val' or 'train'."""
    bucket = int(hashlib.sha1(("pictures:" + picture_group(name)).encode()).hexdigest(), 16) % 100
    if bucket < PICTURE_TEST_PERCENT:
        return "test"
    return "val" if bucket < PICTURE_TEST_PERCENT + PICTURE_VALIDATION_PERCENT else "train"


def load_non_garments(split: str | None = "val", path: Path = NON_GARMENTS) -> CalibrationSet | None:
    """The non-garment pictures of one side of their split (None: all of them); arrays built
    before the split existed count as validation pictures."""
    if not Path(path).is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            images, found, names = z["images"], z["found"].astype(bool), z["names"]
            sides = z["split"] if "split" in z.files else np.array(["val"] * len(images))
    except (OSError, ValueError, KeyError):
        return None
    n = len(images)
    pictures = CalibrationSet(images, found, np.zeros((n, 10), bool), np.array(["non-garment"] * n),
                              np.array([f"ng:{picture_group(s)}" for s in names]))
    return pictures if split is None else pictures.select(sides == split)


def load_catalogue(path: Path = CATALOGUE) -> CalibrationSet | None:
    """Fashion-MNIST training images rendered as catalogue photos (right = their label)."""
    if not Path(path).is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            images, found, names, labels = z["images"], z["found"].astype(bool), z["names"], z["labels"]
    except (OSError, ValueError, KeyError):
        return None
    accept = np.zeros((len(images), 10), bool)
    accept[np.arange(len(images)), labels.astype(int)] = True
    return CalibrationSet(images, found, accept, np.array(["catalogue"] * len(images)),
                          np.array([f"cat:{picture_group(s)}:{str(s).split('#')[-1]}" for s in names]))


def photo_part(photos: PhotoSet) -> CalibrationSet:
    return CalibrationSet(photos.images, photos.found, photos.accept, photos.kinds,
                          np.array([f"ph:{p}" for p in photos.photographers]))


def calibration_set(split: str = "val") -> CalibrationSet | None:
    """The validation photographers' photos (all kinds), the validation non-garment pictures and
    the catalogue photos: what a model's not-sure rule is fitted on. `split="test"` gives the
    test photographers' photos and test non-garments instead (measurement only, no catalogue)."""
    try:
        photos = shipped().subset(split)
    except PhotoSetError:
        return None
    if photos.found is None or not len(photos):
        return None
    parts = [photo_part(photos)]
    for extra in (load_non_garments(split), load_catalogue() if split == "val" else None):
        if extra is not None and len(extra):
            parts.append(extra)
    return joined(parts)


def outlier_pictures() -> CalibrationSet | None:
    """The non-garment pictures training's outlier exposure may learn from (the train side)."""
    return load_non_garments("train")
