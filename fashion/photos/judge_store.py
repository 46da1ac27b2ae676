"""A model's fitted not-sure judge, kept beside the model file.

Fitting the judge (fashion/photos/judge.py) runs some 8,000 small inputs through the
network and fits a regression: 5-20 s of CPU on a cold server, paid before its first
photo is answered and again by every `python -m fashion predict`. What it learns depends
only on the model file and the pictures it is fitted on, so it is kept next to the model:

    <model>.judge.npz    the fitted arrays, and a `key` naming what they were fitted from:
                         the model file's SHA-256, the SHA-256 of each picture file the fit
                         reads (fashion/photos/photoset.py, calibration_data.py) and FORMAT

A kept judge whose key differs from the files here now (another model, rebuilt photo
arrays, a changed fit: bump FORMAT) or that cannot be read is ignored and fitted again.
Written atomically (fashion.files), so it is either whole or absent; a folder that cannot
be written (read-only hosting) just means fitting again next time.

    python -m fashion evaluate --store     # (re)builds the shipped model's kept judge too
"""
from __future__ import annotations

import io
import json
import zipfile

import numpy as np

from fashion.files import file_sha256, write_bytes
from fashion.paths import judge_path
from fashion.photos.calibration_data import CATALOGUE, NON_GARMENTS
from fashion.photos.photoset import SHIPPED

FORMAT = 1                                        # bump when what a fit computes changes
FITTED_FROM = (SHIPPED, NON_GARMENTS, CATALOGUE)  # the picture files a fit reads


def key_of(model_path) -> dict:
    """What a judge fitted now for this model would be fitted from."""
    pictures = {p.name: (file_sha256(p) if p.is_file() else None) for p in FITTED_FROM}
    return {"format": FORMAT, "model_sha256": file_sha256(model_path), "pictures": pictures}


def read(model_path) -> dict[str, np.ndarray] | None:
    """The kept judge's arrays, or None when there is none, it is damaged, or it was fitted
    from other files than those here now."""
    path = judge_path(model_path)
    try:
        if not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        if json.loads(str(arrays.pop("key"))) != key_of(model_path):
            return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):   # damaged: fit again
        return None
    return arrays


def write(model_path, arrays: dict[str, np.ndarray]) -> bool:
    """Keep a judge's arrays beside the model (atomically); False where the folder cannot be
    written (the judge is then simply fitted again next time)."""
    try:
        buf = io.BytesIO()
        np.savez_compressed(buf, key=np.str_(json.dumps(key_of(model_path))), **arrays)
        write_bytes(judge_path(model_path), buf.getvalue())
    except OSError:
        return False
    return True
