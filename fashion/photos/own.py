"""A class's own photos as fine-tuning data: photos sorted by Fashion-MNIST class -> a PhotoSet.

Where fashion/photoset.py reads folders of clothing *kinds* (t-shirt, shoes, hat...), each
accepting a set of labels, here every folder (or every pile of webcam shots in the app) is
named after one Fashion-MNIST class, in English or Spanish ("Sneaker", "Zapatilla",
"ankle-boot", "camiseta"), and a photo's accept mask is that one class. The result is a
plain PhotoSet (kinds = the English class name), so fashion.training.photo_mix's metrics and
fashion.photos.photoset's save/load work on it unchanged.

    photos = from_folder("my-photos")            # my-photos/Sneaker/*.jpg, my-photos/Camisa/*.jpg
    photos = from_images(images, labels, names)  # the app: 28x28 inputs kept in the session
    train_part, held_out = photos.part(False), photos.part(True)

Each class is split into training and held-out photos automatically and deterministically:
the photos are ordered by a hash of their 28x28 input (not by the order they were taken),
and the first HOLDOUT_SHARE of them (at least one) are held out.

Limits, refused with i18n-keyed OwnPhotosError before any training: at least
MIN_PER_CLASS photos in every class used, at most MAX_PER_CLASS per class, photo files of at
most MAX_PHOTO_BYTES, zips of at most MAX_ZIP_BYTES / MAX_ZIP_FILES / MAX_ZIP_PIXELS. A photo
that cannot be kept (already in its class, or its class full) is skipped before it is decoded.
"""
from __future__ import annotations

import hashlib
import io
import os
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np

from fashion.data import CLASS_NAMES, NUM_CLASSES, class_names
from fashion.errors import PhotoError, StudioError
from fashion.i18n import t
from fashion.photos.decode import ACCEPTED_EXTENSIONS, decoded_pixels
from fashion.photos.photoset import PhotoSet, cache_dir, process_file
from fashion.photos.pipeline import preprocess

MIN_PER_CLASS = 6                  # fewer cannot be split into something to learn from and something to test on
MAX_PER_CLASS = 60                 # a class's session stays small; a minute of fine-tuning is enough for this many
MAX_PHOTO_BYTES = 15 * 1024 * 1024  # one photo (a phone JPEG is 2-8 MB)
MAX_ZIP_BYTES = 200 * 1024 * 1024   # the whole zip, packed and unpacked
MAX_ZIP_FILES = 10 * MAX_PER_CLASS
# The pixels a zip's photos may make the decoder work through (a JPEG's counted at its draft
# scale, ~0.75 M for a 12 MP phone photo): the slowest decoding measured (a palette PNG with
# transparency, ~50 M pixels/s on one core) gets through 1 G in ~20 s; 600 phone photos are ~450 M.
MAX_ZIP_PIXELS = 1_000_000_000
HOLDOUT_SHARE = 0.25               # of each class's photos, never trained on


class OwnPhotosError(StudioError, ValueError):
    """Photos that cannot be fine-tuned on; `key`/`params` name a translated message.
    Where it names classes (`class_counts`: "label:count,..."), they are named in the
    language of the message, not in English."""

    def message(self, lang: str = "en") -> str:
        params = dict(self.params)
        counts = params.pop("class_counts", "")
        if counts:
            names = class_names(lang)
            params["classes"] = ", ".join(f"{names[int(k)]} ({n})"
                                          for k, n in (pair.split(":") for pair in counts.split(",")))
        return t(self.key, lang, **params)


# --- class names as folder names -------------------------------------------------------------

def _plain(text: str) -> str:
    """Lower case, accents dropped, every run of non-letters one space ('Ankle_boot' -> 'ankle boot')."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def _aliases() -> dict[str, int]:
    table: dict[str, int] = {}
    for names in CLASS_NAMES.values():
        for index, name in enumerate(names):
            for form in [name, *name.split("/")]:      # 'T-shirt/top' -> also 't-shirt' and 'top'
                plain = _plain(form)
                if plain:
                    table.setdefault(plain, index)
                    table.setdefault(plain.replace(" ", ""), index)   # 'tshirt', 'ankleboot'
    return table


ALIASES = _aliases()


def class_index(folder: str) -> int | None:
    """The Fashion-MNIST class a folder name stands for (English or Spanish, any case,
    accents, spaces, dashes or underscores), or None."""
    plain = _plain(folder)
    return ALIASES.get(plain, ALIASES.get(plain.replace(" ", "")))


def english_name(label: int) -> str:
    return CLASS_NAMES["en"][label]


# --- one photo --------------------------------------------------------------------------------

def process_bytes(data: bytes) -> tuple[np.ndarray, bool]:
    """One photo's bytes -> ((28, 28) uint8 input, garment found), exactly as
    photoset.process_file makes it (the app's pipeline), without writing anything to disk.
    Raises PhotoError (keyed) for what the pipeline cannot use, OwnPhotosError above the cap."""
    if len(data) > MAX_PHOTO_BYTES:
        raise OwnPhotosError("own.error.photo_too_big", mb=len(data) // 2**20, limit=MAX_PHOTO_BYTES // 2**20)
    result = preprocess(data)
    return (result.model_input * 255).round().astype(np.uint8), bool(result.found)


def file_key(data: bytes) -> str:
    """A file's identity: SHA-256 of its bytes (finds a file added twice before decoding it)."""
    return hashlib.sha256(data).hexdigest()


def admit(kept: list[dict], label: int, name: str, data: bytes, dedupe: bool = True) -> tuple[dict | None, str]:
    """One photo for the class `label`, given the photos already kept ([{label, key, file, ...}]):
    (the photo to keep: {label, name, image, found, key, file}, "") or (None, "duplicate" |
    "class_full"). The same file in the class and a full class are told before decoding;
    dedupe=False (a webcam shot is always a new photo) skips the duplicate checks. Raises
    StudioError (keyed) for a file that cannot be used."""
    mine = [p for p in kept if p["label"] == label]
    fkey = file_key(data)
    if dedupe and any(p.get("file") == fkey for p in mine):
        return None, "duplicate"
    if len(mine) >= MAX_PER_CLASS:
        return None, "class_full"
    image, found = process_bytes(data)
    key = image_key(image)
    if dedupe and any(p["key"] == key for p in mine):
        return None, "duplicate"
    return {"label": int(label), "name": name, "image": image, "found": found, "key": key, "file": fkey}, ""


def image_key(image: np.ndarray) -> str:
    """A photo's identity: SHA-256 of its 28x28 input (orders the split, finds duplicates)."""
    return hashlib.sha256(np.ascontiguousarray(image, dtype=np.uint8).tobytes()).hexdigest()


# --- the split and the limits -------------------------------------------------------------------

def held_out_count(n: int) -> int:
    """How many of a class's n photos are held out: HOLDOUT_SHARE, at least one."""
    return max(1, int(round(n * HOLDOUT_SHARE)))


def split(images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """(N,) bool: the held-out photos. Per class, photos ordered by image_key; the first
    held_out_count of them are held out. The same photos give the same split in any order."""
    holdout = np.zeros(len(labels), bool)
    keys = np.array([image_key(im) for im in images])
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        rows = rows[np.argsort(keys[rows], kind="stable")]
        holdout[rows[:held_out_count(len(rows))]] = True
    return holdout


def check_counts(counts: dict[int, int]) -> None:
    """Refuse classes with too few or too many photos, naming them and how many are needed."""
    if not counts or not any(counts.values()):
        raise OwnPhotosError("own.error.no_photos", minimum=MIN_PER_CLASS)
    few = {k: n for k, n in sorted(counts.items()) if n < MIN_PER_CLASS}
    if few:
        raise OwnPhotosError("own.error.too_few", minimum=MIN_PER_CLASS,
                             classes=", ".join(f"{english_name(k)} ({n})" for k, n in few.items()),
                             class_counts=",".join(f"{k}:{n}" for k, n in few.items()),
                             missing=max(MIN_PER_CLASS - n for n in few.values()))
    many = {k: n for k, n in sorted(counts.items()) if n > MAX_PER_CLASS}
    if many:
        raise OwnPhotosError("own.error.too_many", maximum=MAX_PER_CLASS,
                             classes=", ".join(f"{english_name(k)} ({n})" for k, n in many.items()),
                             class_counts=",".join(f"{k}:{n}" for k, n in many.items()))


def counts_of(labels) -> dict[int, int]:
    labels = np.asarray(labels, dtype=np.int64)
    return {int(k): int((labels == k).sum()) for k in np.unique(labels)}


def from_images(images, labels, names=None, found=None, source: str = "own photos") -> PhotoSet:
    """The app's photos (28x28 uint8 inputs and their class indices) as a split PhotoSet;
    refuses counts outside the limits."""
    images = np.asarray(images, dtype=np.uint8).reshape(-1, 28, 28)
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    if len(images) != len(labels) or (len(labels) and (labels.min() < 0 or labels.max() >= NUM_CLASSES)):
        raise OwnPhotosError("own.error.bad_labels")
    check_counts(counts_of(labels))
    accept = np.zeros((len(labels), NUM_CLASSES), bool)
    accept[np.arange(len(labels)), labels] = True
    n = len(labels)
    return PhotoSet(images=images, accept=accept, kinds=np.array([english_name(k) for k in labels], dtype=str),
                    photographers=np.array([""] * n, dtype=str), holdout=split(images, labels),
                    names=np.array(list(names) if names is not None else [f"photo {i + 1}" for i in range(n)],
                                   dtype=str),
                    found=np.asarray(found, bool) if found is not None else np.ones(n, bool), source=source)


def labels_of(photos: PhotoSet) -> np.ndarray:
    """(N,) the one class each photo was given (own photos have one-hot accept masks)."""
    return photos.accept.argmax(axis=1)


# --- a folder of class-named folders -----------------------------------------------------------

def scan(root: str | os.PathLike) -> list[tuple[int, Path]]:
    """[(class, file)] of ROOT/<class name>/<photo>, sorted; refuses a missing folder,
    folder names that are no class, and a class with no photos."""
    root = Path(root)
    if not root.is_dir():
        raise OwnPhotosError("own.error.no_folder", path=str(root))
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    unknown = [p.name for p in folders if class_index(p.name) is None]
    if unknown:
        raise OwnPhotosError("own.error.unknown_folders", names=", ".join(unknown)[:300])
    items = []
    for folder in folders:
        items += [(class_index(folder.name), f) for f in sorted(folder.iterdir())
                  if f.is_file() and f.suffix.lower().lstrip(".") in ACCEPTED_EXTENSIONS]
    if not items:
        raise OwnPhotosError("own.error.no_photos", minimum=MIN_PER_CLASS)
    return items


def from_folder(root: str | os.PathLike, cache: Path | None | bool = True) -> PhotoSet:
    """Process a folder of class-named folders (through photoset.process_file: cached by
    content and pipeline version) into a split PhotoSet. Counts are checked before any
    photo is processed; unreadable photos are refused all together, named."""
    items = scan(root)
    check_counts(counts_of([label for label, _ in items]))
    if cache is True:
        cache = cache_dir()
    images, found, bad = [], [], []
    for _, f in items:
        try:
            if f.stat().st_size > MAX_PHOTO_BYTES:
                raise OwnPhotosError("own.error.photo_too_big", mb=f.stat().st_size // 2**20,
                                     limit=MAX_PHOTO_BYTES // 2**20)
            image, garment = process_file(f, cache or None)
            images.append(image)
            found.append(garment)
        except (PhotoError, OwnPhotosError) as e:
            bad.append(f"{f.parent.name}/{f.name} ({e})")
        except OSError as e:
            bad.append(f"{f.parent.name}/{f.name} ({e.strerror or e})")
    if bad:
        shown = "; ".join(bad[:5]) + (f"; … (+{len(bad) - 5})" if len(bad) > 5 else "")
        raise OwnPhotosError("own.error.unreadable", count=len(bad), names=shown)
    return from_images(np.stack(images), [label for label, _ in items],
                       [f"{f.parent.name}/{f.name}" for _, f in items], found, source=Path(root).name)


# --- a zip of class-named folders (the app's upload) ------------------------------------------------

def read_zip(data: bytes) -> list[tuple[int, str, bytes]]:
    """[(class, 'folder/file', bytes)] of the photos in a zip of class-named folders (at
    any depth: the folder right above each photo names its class). Refuses a file that is
    no zip, folder names that are no class, and zips above the size caps, before
    unpacking more than the caps allow, and zips whose photos would make the decoder work
    through more than MAX_ZIP_PIXELS (read from each header; every distinct file counts,
    since photos that turn out the same never fill a class), before decoding any."""
    if len(data) > MAX_ZIP_BYTES:
        raise OwnPhotosError("own.error.zip_too_big", limit=MAX_ZIP_BYTES // 2**20)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise OwnPhotosError("own.error.not_zip") from None
    photos, unknown = [], set()
    for m in members:
        path = PurePosixPath(m.filename.replace("\\", "/"))
        if any(part.startswith((".", "__MACOSX")) for part in path.parts):
            continue
        if path.suffix.lower().lstrip(".") not in ACCEPTED_EXTENSIONS:
            continue
        if len(path.parts) < 2:
            unknown.add(path.name)
            continue
        label = class_index(path.parent.name)
        if label is None:
            unknown.add(path.parent.name)
            continue
        photos.append((label, m, f"{path.parent.name}/{path.name}"))
    if unknown:
        raise OwnPhotosError("own.error.unknown_folders", names=", ".join(sorted(unknown))[:300])
    if not photos:
        raise OwnPhotosError("own.error.zip_empty")
    if len(photos) > MAX_ZIP_FILES:
        raise OwnPhotosError("own.error.zip_too_many", count=len(photos), limit=MAX_ZIP_FILES)
    if sum(m.file_size for _, m, _ in photos) > MAX_ZIP_BYTES:
        raise OwnPhotosError("own.error.zip_too_big", limit=MAX_ZIP_BYTES // 2**20)
    out, budget, seen = [], 0, set()
    for label, m, name in photos:
        if m.file_size > MAX_PHOTO_BYTES:
            raise OwnPhotosError("own.error.photo_too_big", mb=m.file_size // 2**20, limit=MAX_PHOTO_BYTES // 2**20)
        try:
            with archive.open(m) as f:
                content = f.read(MAX_PHOTO_BYTES + 1)      # never more than the cap, whatever the header says
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
            raise OwnPhotosError("own.error.not_zip") from None
        if len(content) > MAX_PHOTO_BYTES:
            raise OwnPhotosError("own.error.photo_too_big", mb=len(content) // 2**20, limit=MAX_PHOTO_BYTES // 2**20)
        out.append((label, name, content))
        fkey = (label, file_key(content))
        if fkey not in seen:                        # a file twice in a class is decoded once at most
            seen.add(fkey)
            budget += decoded_pixels(content)       # from the header, nothing decoded
            if budget > MAX_ZIP_PIXELS:
                raise OwnPhotosError("own.error.zip_too_many_pixels", limit=MAX_ZIP_PIXELS // 1_000_000)
    return out


# --- the photos in transit (to the training worker) --------------------------------------------------

def to_bytes(photos: PhotoSet) -> bytes:
    """The arrays a fine-tune needs as compressed npz bytes (the 28x28 inputs only)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, images=photos.images, labels=labels_of(photos),
                        names=photos.names if photos.names is not None else np.array([], dtype=str),
                        found=photos.found if photos.found is not None else np.ones(len(photos), bool))
    return buf.getvalue()


def from_bytes(data: bytes) -> PhotoSet:
    """Inverse of to_bytes (the split is recomputed: it depends on the images only)."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            images, labels, names, found = z["images"], z["labels"], z["names"], z["found"]
    except (OSError, ValueError, KeyError, EOFError):
        raise OwnPhotosError("own.error.bad_labels") from None
    return from_images(images, labels, names if len(names) else None, found)
