"""Where the studio's files live: the repository's shipped models and photos, and the
studio home (`$FASHION_STUDIO_HOME`, default `~/.fashion-studio`) that holds the user's
models, training jobs, browser preferences and caches. One place, so a move of a folder
is one edit."""
from __future__ import annotations

import os
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
SHIPPED_DIR = REPO_DIR / "models"
DEFAULT_MODEL = SHIPPED_DIR / "fashion_mnist_cnn.keras"
REAL_PHOTOS_DIR = SHIPPED_DIR / "real-photos"


def studio_home() -> Path:
    return Path(os.environ.get("FASHION_STUDIO_HOME", "~/.fashion-studio")).expanduser()


def user_dir() -> Path:
    return studio_home() / "models"


def jobs_dir() -> Path:
    return studio_home() / "jobs"


def photo_cache_dir() -> Path:
    return studio_home() / "cache" / "photos"


def evaluation_paths(model_path) -> tuple[Path, Path]:
    """A model's stored evaluation beside it: (<model>.eval.npz, <model>.eval.json)."""
    p = Path(model_path)
    return p.with_suffix(".eval.npz"), p.with_suffix(".eval.json")


def judge_path(model_path) -> Path:
    """A model's kept not-sure judge beside it (fashion/photos/judge_store.py)."""
    return Path(model_path).with_suffix(".judge.npz")


def kept_beside(model_path) -> tuple[Path, ...]:
    """Everything computed from a model file and kept beside it: its stored evaluation and
    its kept judge (removed with the model, or when another model takes its name)."""
    return (*evaluation_paths(model_path), judge_path(model_path))
