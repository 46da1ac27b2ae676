"""Saved models on disk: the shipped ones in `models/`, the user's own in
`$FASHION_STUDIO_HOME/models` (default ~/.fashion-studio/models).

Each model is `<name>.keras` plus a `<name>.json` model card. Writes go to a temp file
first and are moved into place with `os.replace`, the card last, so a crash mid-save
never leaves a card pointing at half a model. Listing reads only the cards (no
TensorFlow import) and reports, rather than raises on, anything it cannot read.
"""
from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
SHIPPED_DIR = REPO_DIR / "models"
DEFAULT_MODEL = SHIPPED_DIR / "fashion_mnist_cnn.keras"
MAX_MODEL_BYTES = 50 * 1024 * 1024


def studio_home() -> Path:
    return Path(os.environ.get("FASHION_STUDIO_HOME", "~/.fashion-studio")).expanduser()


def user_dir() -> Path:
    return studio_home() / "models"


@dataclass
class ModelEntry:
    """A model found on disk with its card."""
    name: str
    path: Path
    card: dict
    shipped: bool

    @property
    def accuracy(self) -> float | None:
        acc = (self.card.get("test_metrics") or {}).get("accuracy")
        return float(acc) if isinstance(acc, (int, float)) else None

    @property
    def card_path(self) -> Path:
        return self.path.with_suffix(".json")


@dataclass
class Listing:
    models: list[ModelEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # one sentence per skipped file


def safe_name(name: str) -> str:
    """A file-system-safe model name: letters, digits, '-', '_' (nothing else survives)."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", str(name)).strip("-_")[:60]
    return name or "model"


def read_card(path: Path) -> dict:
    """The model card as a dict; ValueError if it is not one of ours."""
    with open(path, encoding="utf-8") as f:
        card = json.load(f)
    if not isinstance(card, dict) or "test_metrics" not in card:
        raise ValueError("not a Fashion Studio model card")
    return card


def check_keras_file(path: Path) -> None:
    """Cheap structural check of a .keras file (a zip with config.json); ValueError if not."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_MODEL_BYTES:
        raise ValueError(f"{path.name} is {size / 1e6:.0f} MB; models over {MAX_MODEL_BYTES // 2**20} MB are refused")
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError) as e:
        raise ValueError(f"{path.name} is not a readable .keras file ({e})") from e
    if "config.json" not in names:
        raise ValueError(f"{path.name} is not a Keras model (no config.json inside)")


def _scan(folder: Path, shipped: bool, listing: Listing) -> None:
    if not folder.is_dir():
        return
    for model_path in sorted(folder.glob("*.keras")):
        if model_path.name.startswith("."):
            continue  # temp files of a save in progress
        card_path = model_path.with_suffix(".json")
        try:
            check_keras_file(model_path)
            card = read_card(card_path) if card_path.exists() else {"test_metrics": {}}
        except (OSError, ValueError) as e:
            listing.problems.append(f"{model_path.name}: skipped ({e}).")
            continue
        listing.models.append(ModelEntry(model_path.stem, model_path, card, shipped))


def list_models() -> Listing:
    """Shipped models first (the default on top), then the user's, newest first."""
    listing = Listing()
    _scan(SHIPPED_DIR, True, listing)
    listing.models.sort(key=lambda m: m.path != DEFAULT_MODEL)
    user = Listing()
    _scan(user_dir(), False, user)
    user.models.sort(key=lambda m: str(m.card.get("date", "")), reverse=True)
    listing.models += user.models
    listing.problems += user.problems
    return listing


def _atomic_write_bytes(target: Path, write) -> None:
    """Call write(tmp_path) then move the temp file over target in one step."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".tmp-{target.stem}-", suffix=target.suffix)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; models are meant to be shared
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_card(path: Path, card: dict) -> None:
    def write(tmp):
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(card, f, indent=2, ensure_ascii=False)
            f.write("\n")
    _atomic_write_bytes(Path(path), write)


def reserve_name(folder: Path, base: str) -> Path:
    """A fresh `<base>[-n].keras` path in folder, reserved with O_EXCL so two trainings
    finishing at the same moment never get the same name."""
    folder.mkdir(parents=True, exist_ok=True)
    base = safe_name(base)
    for n in range(0, 10000):
        stem = base if n == 0 else f"{base}-{n}"
        lock = folder / f".{stem}.reserved"
        if (folder / f"{stem}.keras").exists():
            continue
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue
        return folder / f"{stem}.keras"
    raise RuntimeError(f"no free model name for {base!r} in {folder}")


def save_model(model, card: dict, name: str, folder: Path | None = None, overwrite: bool = False) -> Path:
    """Save model and card atomically; returns the .keras path. Without overwrite, a
    taken name gets a numeric suffix."""
    folder = Path(folder) if folder else user_dir()
    if overwrite:
        path = folder / f"{safe_name(name)}.keras"
        folder.mkdir(parents=True, exist_ok=True)
    else:
        path = reserve_name(folder, name)
    try:
        _atomic_write_bytes(path, model.save)
        card = {**card, "name": path.stem, "file": path.name}
        write_card(path.with_suffix(".json"), card)
    finally:
        reserved = folder / f".{path.stem}.reserved"
        if reserved.exists():
            reserved.unlink()
    return path


def load_model(path: Path | str):
    """Load a .keras model safely (size-checked, safe_mode=True, no custom objects)."""
    path = Path(path)
    check_keras_file(path)
    import keras
    return keras.models.load_model(path, compile=False, safe_mode=True)


def delete_model(entry: ModelEntry) -> None:
    if entry.shipped:
        raise ValueError("shipped models cannot be deleted")
    for p in (entry.path, entry.card_path):
        if p.exists():
            p.unlink()


def make_card(result, command: str, extra: dict | None = None) -> dict:
    """The model card of a finished TrainResult."""
    import platform
    model = result.model
    card = {
        "architecture": result.config.architecture,
        "config": result.config.to_dict(),
        "history": result.history,
        "test_metrics": result.test_metrics,
        "per_class": result.per_class,
        "epochs_completed": result.epochs_completed,
        "stopped_early": result.stopped_early,
        "fit_seconds": round(result.fit_seconds, 1),
        "params": int(model.count_params()),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data_source": result.data_source,
        "command": command,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, {platform.python_implementation()} {platform.python_version()}",
    }
    if extra:
        card.update(extra)
    return card
