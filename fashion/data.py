"""Find and load Fashion-MNIST as uint8 arrays, straight from the original idx files.

Looks, in order, in `$FASHION_MNIST_DIR`, the Debian package `dataset-fashion-mnist`
(/usr/share/datasets/fashion-mnist), Keras' cache (~/.keras/datasets/fashion-mnist),
and only then downloads through Keras. Reading the idx `.gz` files with NumPy keeps
TensorFlow out of the import path of anything that only needs the data.
"""
from __future__ import annotations

import functools
import gzip
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fashion.backend import keras
from fashion.errors import DatasetError

CLASS_NAMES = {
    "en": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
    # The Spanish names of seed 000.
    "es": ["Camiseta/Top", "Pantalón", "Suéter", "Vestido", "Abrigo",
           "Sandalia", "Camisa", "Zapatilla", "Bolso", "Botín"],
}
NUM_CLASSES = 10
IMAGE_SHAPE = (28, 28)

FILES = {
    "x_train": ("train-images-idx3-ubyte.gz", 2051, 60000),
    "y_train": ("train-labels-idx1-ubyte.gz", 2049, 60000),
    "x_test": ("t10k-images-idx3-ubyte.gz", 2051, 10000),
    "y_test": ("t10k-labels-idx1-ubyte.gz", 2049, 10000),
}
DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"


@dataclass(frozen=True)
class FashionMNIST:
    """The four arrays (read-only, uint8 images) and where they came from."""
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    source: str


def class_names(lang: str = "en") -> list[str]:
    """The ten class names in English ('en') or Spanish ('es')."""
    return CLASS_NAMES.get(lang, CLASS_NAMES["en"])


def candidate_dirs() -> list[tuple[str, Path]]:
    """Where to look, in order, as (label, folder)."""
    dirs = []
    if os.environ.get("FASHION_MNIST_DIR"):
        dirs.append(("FASHION_MNIST_DIR", Path(os.environ["FASHION_MNIST_DIR"]).expanduser()))
    dirs.append(("debian", Path(DEBIAN_DIR)))
    dirs.append(("keras-cache", keras_cache_dir()))
    return dirs


def _has_all(folder: Path) -> bool:
    return all((folder / name).is_file() for name, _, _ in FILES.values())


def find_data_dir() -> tuple[str, Path] | None:
    """The first folder holding all four files, or None."""
    for label, folder in candidate_dirs():
        if _has_all(folder):
            return label, folder
    return None


def read_idx(path: Path, magic: int, count: int) -> np.ndarray:
    """One idx file (gzip) as a uint8 array, after checking magic number, count and size."""
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise DatasetError("data.err.damaged", path=path, error=e) from e
    if len(raw) < 8:
        raise DatasetError("data.err.too_short", path=path)
    found_magic, found_count = int.from_bytes(raw[0:4], "big"), int.from_bytes(raw[4:8], "big")
    if found_magic != magic:
        raise DatasetError("data.err.magic", path=path, found=found_magic, expected=magic)
    if found_count != count:
        raise DatasetError("data.err.count", path=path, found=found_count, expected=count)
    header = 16 if magic == 2051 else 8
    shape = (count, *IMAGE_SHAPE) if magic == 2051 else (count,)
    expected = header + int(np.prod(shape))
    if len(raw) != expected:
        raise DatasetError("data.err.size", path=path, found=len(raw), expected=expected)
    arr = np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)
    if magic == 2049 and arr.max() >= 10:
        raise DatasetError("data.err.labels", path=path)
    return arr  # np.frombuffer over bytes is read-only: safe to share


def load_from_dir(folder: Path, source: str | None = None) -> FashionMNIST:
    """Load the four files from one folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError("data.err.no_folder", folder=folder)
    arrays = {}
    for key, (name, magic, count) in FILES.items():
        path = folder / name
        if not path.is_file():
            raise DatasetError("data.err.missing", path=path)
        arrays[key] = read_idx(path, magic, count)
    return FashionMNIST(**arrays, source=source or str(folder))


KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def keras_cache_dir() -> Path:
    return Path("~/.keras/datasets/fashion-mnist").expanduser()


def _download_with_keras() -> Path:
    """Let Keras fetch the four files into its cache (the same place and origin as
    keras.datasets.fashion_mnist); returns the cache folder."""
    folder = keras_cache_dir()
    try:
        for name, _, _ in FILES.values():
            keras.utils.get_file(name, origin=KERAS_ORIGIN + name, cache_dir=str(folder.parent.parent),
                     cache_subdir="datasets/fashion-mnist")
    except Exception as e:  # no network, proxy, disk full...
        raise DatasetError("data.err.download", error=e) from e
    return folder


@functools.lru_cache(maxsize=1)
def load() -> FashionMNIST:
    """Fashion-MNIST, loaded once per process and shared read-only."""
    found = find_data_dir()
    if found is None:
        folder = _download_with_keras()
        return load_from_dir(folder, source=f"download ({folder})")
    label, folder = found
    return load_from_dir(folder, source=f"{label} ({folder})")


def to_model_input(images: np.ndarray) -> np.ndarray:
    """uint8 (N, 28, 28) -> float32 (N, 28, 28, 1) in [0, 1], as the seeds scale it."""
    return (np.asarray(images, dtype=np.float32) / 255.0)[..., None]
