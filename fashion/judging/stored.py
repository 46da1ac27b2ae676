"""A model's evaluation, computed once and kept beside the model file.

Judging a model means classifying the 10,000 test images (seconds of CPU for the shipped
ResNet) and, for the Explain page's embedding map, computing the penultimate features of a
balanced sample of them. Both depend only on the model file and the test set, so they are
computed once and stored next to the model:

    <model>.eval.npz    test-set probabilities (N, 10), labels, the sample's indices and features
    <model>.eval.json   the model file's SHA-256, the npz file's SHA-256, accuracy and loss

The JSON is written last (each file through a temp file and `os.replace`), so a store is
either complete or absent. A store whose model hash differs from the model file (the model
was replaced) or whose npz does not match its recorded hash (corrupt, half-copied) is
ignored and recomputed. Reading the JSON needs no TensorFlow, so the sidebar can show the
accuracy we measured, never a number a card merely claims.

    stored = read_store(path)                 # None: not measured yet (fashion.judging.measure)
    python -m fashion evaluate --store        # (re)builds the store of the shipped model
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fashion.files import atomic_write, file_sha256, write_json
from fashion.judging.evaluate import evaluate_probabilities
from fashion.paths import evaluation_paths as store_paths

FORMAT = 1
EXPLAIN_SAMPLE = 2000          # test images on the Explain page's map (a balanced, seeded sample)
MAX_FEATURE_DIMS = 2048        # wider features are stored randomly projected to this many
REBUILD_COMMAND = "python -m fashion evaluate --store"



@dataclass
class StoredEvaluation:
    """What a model's evaluation leaves behind: enough to draw Evaluate, Explain's map and
    the sidebar without running the model."""
    model_sha256: str
    probabilities: np.ndarray      # (N, 10) float32: the model's own output on the test set, in order
    labels: np.ndarray             # (N,) the test labels they were scored against
    sample: np.ndarray             # (n,) sorted indices of the embedding sample (explain.embedding_sample)
    features: np.ndarray           # (n, D) float32 penultimate features of the sample (D <= MAX_FEATURE_DIMS)
    summary: dict = field(default_factory=dict)   # accuracy, loss, test_images, feature_dims, ...

    @property
    def accuracy(self) -> float:
        return float(self.summary["accuracy"])

    def evaluation(self, lang: str = "en"):
        """The full Evaluation (metrics, confusion, per class, mistakes) from the stored probabilities."""
        return evaluate_probabilities(self.probabilities, self.labels, lang)

    def sample_features(self, indices: np.ndarray) -> np.ndarray | None:
        """The stored features of these test images, or None if any is not in the sample."""
        indices = np.asarray(indices)
        pos = np.searchsorted(self.sample, indices)
        if len(indices) == 0 or pos.max() >= len(self.sample) or not np.array_equal(self.sample[pos], indices):
            return None
        return self.features[pos]


# --- reading ------------------------------------------------------------------------------

def _read_json(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None


def measured_accuracy(model_path) -> float | None:
    """The test accuracy we measured for this exact model file, or None when it has no
    valid store yet. Reads the small JSON only (no TensorFlow, no npz)."""
    npz, meta_path = store_paths(model_path)
    meta = _read_json(meta_path)
    try:
        if meta is None or meta.get("model_sha256") != file_sha256(model_path):
            return None
        acc = meta.get("accuracy")
        return float(acc) if isinstance(acc, (int, float)) and 0 <= acc <= 1 else None
    except OSError:
        return None


def read_store(model_path) -> StoredEvaluation | None:
    """The stored evaluation of this exact model file, or None when missing, stale
    (another model's hash) or corrupt (npz not matching its recorded hash, bad arrays)."""
    npz_path, meta_path = store_paths(model_path)
    meta = _read_json(meta_path)
    if meta is None:
        return None
    try:
        if meta.get("model_sha256") != file_sha256(model_path) or meta.get("npz_sha256") != file_sha256(npz_path):
            return None
        with np.load(npz_path, allow_pickle=False) as z:
            arrays = {k: z[k] for k in ("probabilities", "labels", "sample", "features")}
    except (OSError, ValueError, KeyError):
        return None
    p, y, s, f = (arrays[k] for k in ("probabilities", "labels", "sample", "features"))
    if p.ndim != 2 or p.shape[1] != 10 or y.shape != (len(p),) or f.ndim != 2 or len(f) != len(s):
        return None
    return StoredEvaluation(meta["model_sha256"], p.astype(np.float32), y.astype(np.int64), s.astype(np.int64),
                            f.astype(np.float32), {k: v for k, v in meta.items() if k not in ("format",)})


# --- computing and writing ---------------------------------------------------------------------


def measured_real_photo_accuracy(model_path) -> float | None:
    """Real-photo accuracy (micro, held-out photographers) we measured for this exact model
    file, or None when it has no valid store yet (JSON only, no TensorFlow)."""
    npz, meta_path = store_paths(model_path)
    meta = _read_json(meta_path)
    try:
        if meta is None or meta.get("model_sha256") != file_sha256(model_path):
            return None
        micro = (meta.get("real_photos") or {}).get("micro")
        return float(micro) if isinstance(micro, (int, float)) and 0 <= micro <= 1 else None
    except (OSError, AttributeError):
        return None


def write_store(model_path, stored: StoredEvaluation) -> None:
    """Write the npz, then the JSON that vouches for it (each atomically)."""
    npz_path, meta_path = store_paths(model_path)

    def write_npz(tmp):
        with open(tmp, "wb") as f:
            np.savez_compressed(f, probabilities=stored.probabilities.astype(np.float32),
                                labels=stored.labels.astype(np.uint8), sample=stored.sample.astype(np.int32),
                                features=stored.features.astype(np.float32))

    atomic_write(npz_path, write_npz)
    meta = {"format": FORMAT, **stored.summary, "model_sha256": stored.model_sha256,
            "model_file": Path(model_path).name, "npz_sha256": file_sha256(npz_path),
            "command": REBUILD_COMMAND}

    write_json(meta_path, meta, indent=2)


