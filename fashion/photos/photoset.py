"""Real phone photos as training data: a folder of labelled folders -> 28x28 arrays.

A photo folder looks like ../shared/photos-train: ROOT/<kind>/<image>, the kinds of the
public clothing-dataset-small (CC0). Each kind maps to the Fashion-MNIST labels a person
accepts as a right answer (a long-sleeved top may be a Pullover, a Shirt or a T-shirt);
kinds with no Fashion-MNIST class (hat, shorts, skirt) have an empty set and teach the
network to answer flat on what it does not know (outlier exposure).

Every photo goes through the same pipeline as the app (fashion.photos.pipeline.preprocess), once:
the 28x28 result is cached by the file's content hash and the pipeline version, so a
second build is instant and a pipeline change rebuilds everything.

    photos = build("../shared/photos-train")     # PhotoSet: images (N, 28, 28) uint8, accept (N, 10)
    save(photos, "models/real-photos/photos.npz")
    photos = shipped()                            # the processed photos that ship with the repo
    train_part, held_out = photos.part(False), photos.part(True)

Photographers (photographers.csv) are split three ways by a stable hash of their id, so
that no decision is tuned on the figure a user reads:

    train   the photos a network learns from
    val     validation: every choice (training stages, ratios, the not-sure calibration)
    test    scored once per shipped model, never used to choose anything: the figure shown

A photographer's photos stay on one side, whichever folder they come from.

    python -m fashion photos ../shared/photos-train ../shared/photos-dev ../shared/photos-extra-seen
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from fashion.errors import PhotoError, StudioError
from fashion.files import write_bytes
from fashion.paths import REAL_PHOTOS_DIR, photo_cache_dir
from fashion.photos.decode import ACCEPTED_EXTENSIONS
from fashion.photos.pipeline import PIPELINE_VERSION, preprocess

# T-shirt/top 0, Trouser 1, Pullover 2, Dress 3, Coat 4, Sandal 5, Shirt 6, Sneaker 7, Bag 8, Ankle boot 9
ACCEPT: dict[str, frozenset[int]] = {
    "t-shirt": frozenset({0, 6}), "shirt": frozenset({6, 0}), "longsleeve": frozenset({2, 6, 0}),
    "outwear": frozenset({4, 2}), "pants": frozenset({1}), "dress": frozenset({3}),
    "shoes": frozenset({5, 7, 9}),
    "hat": frozenset(), "shorts": frozenset(), "skirt": frozenset(),   # no Fashion-MNIST class
}
SPLITS = ("train", "val", "test")
TEST_PERCENT = 20              # of photographers, chosen by a hash of their id: stable across builds
VALIDATION_PERCENT = 20
SPLIT_SALT = "v2:"             # chosen before any model was scored: ~70 % of the photos in training
SHIPPED = REAL_PHOTOS_DIR / "photos.npz"
REBUILD_COMMAND = "python -m fashion photos ../shared/photos-train ../shared/photos-dev ../shared/photos-extra-seen"


class PhotoSetError(StudioError, ValueError):
    """A photo folder that cannot be trained on; `key`/`params` name a translated message."""


@dataclass
class PhotoSet:
    images: np.ndarray          # (N, 28, 28) uint8, Fashion-MNIST-like (garment light on black)
    accept: np.ndarray          # (N, 10) bool: the labels a person accepts; all False = no class
    kinds: np.ndarray           # (N,) str: the folder each photo came from
    photographers: np.ndarray   # (N,) str: '' where unknown
    holdout: np.ndarray         # (N,) bool: whole photographers never trained on (val or test)
    names: np.ndarray | None = None   # (N,) str: 'kind/file name', for attribution and checks
    found: np.ndarray | None = None   # (N,) bool: the pipeline found a garment (a not-sure cue)
    pipeline_version: int = PIPELINE_VERSION
    source: str = ""
    split: np.ndarray | None = None   # (N,) str: 'train', 'val' or 'test'; None: held out = 'test'

    def __len__(self) -> int:
        return len(self.images)

    @property
    def splits(self) -> np.ndarray:
        """(N,) str: each photo's side of the split (arrays without one: held out = 'test')."""
        if self.split is not None and len(self.split) == len(self.images):
            return self.split
        return np.where(self.holdout, "test", "train")

    def select(self, keep: np.ndarray) -> "PhotoSet":
        def pick(a):
            return None if a is None else a[keep]
        return PhotoSet(self.images[keep], self.accept[keep], self.kinds[keep], self.photographers[keep],
                        self.holdout[keep], pick(self.names), pick(self.found), self.pipeline_version, self.source,
                        self.splits[keep])

    def part(self, holdout: bool) -> "PhotoSet":
        """The photos trained on (False) or never trained on (True: validation and test)."""
        return self.select(self.holdout == holdout)

    def subset(self, split: str) -> "PhotoSet":
        """One side of the split: 'train', 'val' (every choice) or 'test' (the figure shown)."""
        return self.select(self.splits == split)

    @property
    def scored(self) -> np.ndarray:
        """(N,) bool: photos of a kind Fashion-MNIST has (the others measure 'not sure')."""
        return self.accept.any(axis=1)

    def counts(self) -> dict[str, int]:
        kinds, n = np.unique(self.kinds, return_counts=True)
        return {str(k): int(c) for k, c in zip(kinds, n)}

    def digest(self) -> str:
        """SHA-256 of the arrays a model learns from: recorded in model cards."""
        h = hashlib.sha256()
        for a in (self.images, self.accept, self.holdout):
            h.update(np.ascontiguousarray(a).tobytes())
        if self.split is not None:
            h.update("\n".join(self.split.tolist()).encode())
        return h.hexdigest()

    def describe(self) -> dict:
        """What a model card records about the photos a model learned from."""
        sides = self.splits
        return {"source": self.source, "photos": len(self), "held_out": int(self.holdout.sum()),
                "trained_on": int((~self.holdout).sum()), "validation": int((sides == "val").sum()),
                "test": int((sides == "test").sum()), "kinds": self.counts(),
                "photographers": {s: len(set(self.photographers[sides == s].tolist()) - {""}) for s in SPLITS},
                "sha256": self.digest(), "pipeline_version": int(self.pipeline_version)}


# --- reading a photo folder ---------------------------------------------------------------------

def kind_of(folder: str) -> str | None:
    """The kind a folder name stands for (case and surrounding spaces ignored), or None."""
    name = folder.strip().lower()
    return name if name in ACCEPT else None


def scan(root: str | os.PathLike) -> list[tuple[str, Path]]:
    """[(kind, file)] of a folder of labelled folders, sorted; refuses what cannot be
    trained on before anything is processed: a missing folder, unknown folder names,
    empty folders, no photos at all."""
    root = Path(root)
    if not root.is_dir():
        raise PhotoSetError("photoset.error.no_folder", path=str(root))
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    unknown = [p.name for p in folders if kind_of(p.name) is None]
    if unknown:
        raise PhotoSetError("photoset.error.unknown_folders", names=", ".join(unknown),
                            known=", ".join(sorted(ACCEPT)))
    items, empty = [], []
    for folder in folders:
        files = sorted(f for f in folder.iterdir()
                       if f.is_file() and f.suffix.lower().lstrip(".") in ACCEPTED_EXTENSIONS)
        if not files:
            empty.append(folder.name)
        items += [(kind_of(folder.name), f) for f in files]
    if empty:
        raise PhotoSetError("photoset.error.empty_folders", names=", ".join(empty))
    if not items:
        raise PhotoSetError("photoset.error.no_photos", path=str(root))
    return items


def read_photographers(root: Path) -> dict[str, str]:
    """'kind/file name' -> photographer id, from ROOT/photographers.csv where present."""
    path = Path(root) / "photographers.csv"
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {row["photo"]: str(row.get("photographer", "")) for row in csv.DictReader(f) if row.get("photo")}


def split_of(photographer: str) -> str:
    """A photographer's side of the split by a stable hash: 'test', 'val' or 'train'
    (unknown photographers are trained on)."""
    if not photographer:
        return "train"
    bucket = int(hashlib.sha1((SPLIT_SALT + photographer).encode()).hexdigest(), 16) % 100
    return "test" if bucket < TEST_PERCENT else "val" if bucket < TEST_PERCENT + VALIDATION_PERCENT else "train"


def is_held_out(photographer: str) -> bool:
    """Never trained on: validation or test."""
    return split_of(photographer) != "train"


def cache_dir() -> Path:
    return photo_cache_dir() / f"v{PIPELINE_VERSION}"


def process_file(path: Path, cache: Path | None) -> tuple[np.ndarray, bool]:
    """One photo -> ((28, 28) uint8, garment found) through the app's pipeline, cached by
    content + pipeline version."""
    data = path.read_bytes()
    key = hashlib.sha256(data).hexdigest()
    cached = cache / key[:2] / f"{key}.npz" if cache else None
    if cached is not None and cached.is_file():
        try:
            with np.load(cached, allow_pickle=False) as z:
                a, found = z["image"], bool(z["found"])
            if a.shape == (28, 28) and a.dtype == np.uint8:
                return a, found
        except (OSError, ValueError, KeyError):
            pass                                      # a damaged cache entry is simply rebuilt
    result = preprocess(data)
    a = (result.model_input * 255).round().astype(np.uint8)
    if cached is not None:
        save_arrays(cached, compressed=False, image=a, found=np.bool_(result.found))
    return a, bool(result.found)


def build(roots, cache: Path | None | bool = True,
          on_progress: Callable[[int, int], None] | None = None) -> PhotoSet:
    """Process every photo of one or more labelled photo folders (see the module docstring);
    a photo found twice (the same bytes in two folders) is kept once. Unreadable photos are
    refused all together, named, before any training starts."""
    roots = [Path(r) for r in ([roots] if isinstance(roots, (str, os.PathLike)) else roots)]
    items, who = [], {}
    for root in roots:
        items += scan(root)
        who.update({(root / name).as_posix(): p for name, p in read_photographers(root).items()})
    cache = cache_dir() if cache is True else (cache or None)
    images, found, kept, bad, seen = [], [], [], [], set()
    for i, (kind, f) in enumerate(items, 1):
        try:
            data_key = hashlib.sha256(f.read_bytes()).hexdigest()
            if data_key not in seen:
                image, garment = process_file(f, cache)
                seen.add(data_key)
                images.append(image)
                found.append(garment)
                kept.append((kind, f))
        except PhotoError as e:
            bad.append(f"{f.parent.name}/{f.name} ({e})")
        except OSError as e:
            bad.append(f"{f.parent.name}/{f.name} ({e.strerror or e})")
        if on_progress:
            on_progress(i, len(items))
    if bad:
        shown = "; ".join(bad[:5]) + (f"; … (+{len(bad) - 5})" if len(bad) > 5 else "")
        raise PhotoSetError("photoset.error.unreadable", count=len(bad), names=shown)
    accept = np.zeros((len(kept), 10), bool)
    for row, (kind, _) in enumerate(kept):
        accept[row, sorted(ACCEPT[kind])] = True
    photographers = np.array([who.get(f.as_posix(), "") for _, f in kept], dtype=str)
    split = np.array([split_of(p) for p in photographers], dtype="<U5")
    return PhotoSet(images=np.stack(images), accept=accept,
                    kinds=np.array([k for k, _ in kept], dtype=str), photographers=photographers,
                    holdout=split != "train",
                    names=np.array([f"{f.parent.name}/{f.name}" for _, f in kept], dtype=str),
                    found=np.array(found, bool), source="+".join(r.name for r in roots), split=split)


# --- the shipped arrays -----------------------------------------------------------------------

def save(photos: PhotoSet, path: str | os.PathLike) -> Path:
    """Write the arrays (compressed npz) atomically."""
    return save_arrays(path, images=photos.images, accept=photos.accept, kinds=photos.kinds,
                       photographers=photos.photographers, holdout=photos.holdout,
                       names=photos.names if photos.names is not None else np.array([], dtype=str),
                       found=photos.found if photos.found is not None else np.array([], dtype=bool),
                       pipeline_version=np.int64(photos.pipeline_version), source=np.str_(photos.source),
                       split=photos.splits)


def save_arrays(path: str | os.PathLike, compressed: bool = True, **arrays) -> Path:
    """An npz written atomically (fashion.files)."""
    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, **arrays)
    return write_bytes(path, buf.getvalue())


def load(path: str | os.PathLike, check_version: bool = True) -> PhotoSet:
    """Read arrays written by save(); refuses arrays made by another pipeline version."""
    path = Path(path)
    if not path.is_file():
        raise PhotoSetError("photoset.error.missing", path=str(path), command=REBUILD_COMMAND)
    try:
        with np.load(path, allow_pickle=False) as z:
            photos = PhotoSet(images=z["images"], accept=z["accept"].astype(bool), kinds=z["kinds"],
                              photographers=z["photographers"], holdout=z["holdout"].astype(bool),
                              names=z["names"] if "names" in z and len(z["names"]) else None,
                              found=z["found"].astype(bool) if "found" in z and len(z["found"]) else None,
                              pipeline_version=int(z["pipeline_version"]), source=str(z["source"]),
                              split=z["split"] if "split" in z and len(z["split"]) else None)
    except (OSError, ValueError, KeyError) as e:
        raise PhotoSetError("photoset.error.damaged", path=str(path), command=REBUILD_COMMAND) from e
    n = len(photos.images)
    if (photos.images.shape[1:] != (28, 28) or photos.images.dtype != np.uint8 or photos.accept.shape != (n, 10)
            or not (len(photos.kinds) == len(photos.photographers) == len(photos.holdout) == n)):
        raise PhotoSetError("photoset.error.damaged", path=str(path), command=REBUILD_COMMAND)
    if check_version and photos.pipeline_version != PIPELINE_VERSION:
        raise PhotoSetError("photoset.error.stale", path=str(path), found=photos.pipeline_version,
                            current=PIPELINE_VERSION, command=REBUILD_COMMAND)
    return photos


def shipped() -> PhotoSet:
    """The processed real photos that ship with the repo (models/real-photos/)."""
    return load(SHIPPED)


def resolve(source: str) -> PhotoSet:
    """A TrainConfig's `photos`: 'shipped' for the repo's arrays, a .npz file, or a photo folder."""
    if source == "shipped":
        return shipped()
    if str(source).endswith(".npz"):
        return load(source)
    return build(source)
