"""Saved models on disk: the shipped ones in `models/`, the user's own in
`$FASHION_STUDIO_HOME/models` (default ~/.fashion-studio/models).

Each model is `<name>.keras` plus a `<name>.json` model card. Writes go to a temp file
first and are moved into place with `os.replace`, the card last, so a crash mid-save
never leaves a card pointing at half a model. Listing reads only the cards (no
TensorFlow import) and reports, rather than raises on, anything it cannot read.
"""
from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from fashion.errors import CardError, ModelFileError, StudioError
from fashion.faults import fault_point
from fashion.files import dump_json, remove_quietly, temp_beside, write_json
from fashion.i18n import t
from fashion.model import cards
from fashion.model.naming import clean_display_name, clean_stale, hold_name, reserve_name, safe_name
from fashion.model.safe_load import check_keras_file
from fashion.paths import DEFAULT_MODEL, SHIPPED_DIR, kept_beside, user_dir


@dataclass
class ModelEntry:
    """A model found on disk with its card. A model whose card is missing or broken is
    still listed (card_valid False, card {}): nothing of its card is trusted, and its
    accuracy is None until measured."""
    name: str
    path: Path
    card: dict
    shipped: bool
    card_valid: bool = True

    @property
    def accuracy(self) -> float | None:
        if not self.card_valid:
            return None
        acc = (self.card.get("test_metrics") or {}).get("accuracy")
        return float(acc) if isinstance(acc, (int, float)) and not isinstance(acc, bool) else None

    @property
    def display_name(self) -> str:
        """The name as the user typed it (unicode kept), else the file's name."""
        shown = self.card.get("display_name") if self.card_valid else None
        return shown if isinstance(shown, str) and shown.strip() else self.name

    @property
    def card_path(self) -> Path:
        return self.path.with_suffix(".json")


@dataclass
class Problem:
    """One file the listing could not fully use: `error` says why (keyed), `listed` whether
    the model is still offered (a broken card) or skipped (a broken model file)."""
    file: str
    error: StudioError
    listed: bool

    def message(self, lang: str = "en") -> str:
        key = "card.problem.listed" if self.listed else "registry.problem.skipped"
        return t(key, lang, problem=self.error.message(lang))

    def __str__(self) -> str:
        return self.message("en")


@dataclass
class Listing:
    models: list[ModelEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # one per file with something wrong


def read_card(path: Path) -> dict:
    """The model card as a dict, checked against the schema (fashion/cards.py); CardError
    (a ValueError) if it is not a valid card, OSError if it cannot be read."""
    return cards.load_card(Path(path))


def _scan(folder: Path, shipped: bool, listing: Listing) -> None:
    if not folder.is_dir():
        return
    for model_path in sorted(folder.glob("*.keras")):
        if model_path.name.startswith("."):
            continue  # temp files of a save in progress
        try:
            check_keras_file(model_path)
        except ModelFileError as e:
            listing.problems.append(Problem(model_path.name, e, listed=False))
            continue
        card_path = model_path.with_suffix(".json")
        card, valid = {}, False
        if card_path.exists():
            try:
                card, valid = read_card(card_path), True
            except CardError as e:
                listing.problems.append(Problem(card_path.name, e, listed=True))
            except OSError as e:
                listing.problems.append(Problem(card_path.name, CardError(
                    "card.error.unreadable", file=card_path.name, error=e.strerror or type(e).__name__), listed=True))
        listing.models.append(ModelEntry(model_path.stem, model_path, card, shipped, card_valid=valid))


def list_models() -> Listing:
    """Shipped models first (the default on top), then the user's, newest first.
    Left-overs of saves that died (see clean_stale) are removed on the way."""
    listing = Listing()
    _scan(SHIPPED_DIR, True, listing)
    listing.models.sort(key=lambda m: m.path != DEFAULT_MODEL)
    user = Listing()
    clean_stale(user_dir())
    _scan(user_dir(), False, user)
    user.models.sort(key=lambda m: str(m.card.get("date", "")), reverse=True)
    listing.models += user.models
    listing.problems += user.problems
    return listing


def write_card(path: Path, card: dict) -> None:
    write_json(path, card, indent=2)


def owner_tag(owner: str | None) -> str | None:
    """What a model card records of the browser that trained it: a one-way tag of the
    browser's identity (never the identity itself, which works like a password)."""
    if not owner:
        return None
    return hashlib.sha256(("fashion-studio-owner:" + str(owner)).encode("utf-8")).hexdigest()[:32]


def find_model(name: str, folder: Path | None = None) -> ModelEntry | None:
    """The saved model that a new model called `name` would collide with: a shipped model
    of that (safe) name, else the one in folder (the user's registry). None when it is free."""
    stem = safe_name(name)
    for where, shipped in ((SHIPPED_DIR, True), (Path(folder) if folder else user_dir(), False)):
        path = where / f"{stem}.keras"
        if path.is_file():
            try:
                card, valid = read_card(path.with_suffix(".json")), True
            except (OSError, CardError):
                card, valid = {}, False
            return ModelEntry(stem, path, card, shipped, card_valid=valid)
    return None


def may_replace(entry: ModelEntry, requester: str | None = None, teacher: bool = False) -> bool:
    """Whether a browser may replace this saved model with a new one of the same name: never
    a shipped model; the teacher always; otherwise only the browser its card names as owner."""
    if entry.shipped:
        return False
    if teacher:
        return True
    recorded = entry.card.get("owner") if entry.card_valid else None
    mine = owner_tag(requester)
    return isinstance(recorded, str) and bool(mine) and hmac.compare_digest(recorded, mine)


def save_model(model, card: dict, name: str, folder: Path | None = None, overwrite: bool = False,
               stem: str | None = None, on_chosen: Callable[[Path], None] | None = None) -> Path:
    """Save model and card atomically; returns the .keras path. Without overwrite, a
    taken name gets a numeric suffix; with it, the model of that name is replaced (the
    caller asked the user). stem: save exactly as `<stem>.keras`, replacing what is there
    (a job finishing a save a kill interrupted, at the name it had chosen). The name as
    given (unicode and all) is kept in the card as display_name; the file name is its
    safe transliteration. on_chosen(path) is called once the name is reserved, before
    anything is written (a job records it, so a kill mid-save is finished, not repeated).

    Both files are written to temp files first and only then moved into place, the model
    before its card: a save that fails (disk full: DiskFull, a model Keras cannot write)
    leaves the old model and card exactly as they were and no temp file. A replaced
    model's stored evaluation goes (it is another model's)."""
    folder = Path(folder) if folder else user_dir()
    clean_stale(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if overwrite or stem:
        path = folder / f"{safe_name(stem or name)}.keras"
        hold_name(folder, path.stem)
    else:
        path = reserve_name(folder, name)
    temps = []
    try:
        if on_chosen is not None:
            on_chosen(path)
        fault_point("save.chosen")
        temps.append(temp_beside(path, model.save))
        card = {**card, "name": path.stem, "file": path.name,
                "display_name": clean_display_name(name) or path.stem}
        temps.append(temp_beside(path.with_suffix(".json"), lambda tmp: dump_json(tmp, card, indent=2)))
        fault_point("save.before_model")
        os.replace(temps[0], path)
        fault_point("save.after_model")
        for stale in kept_beside(path):          # another model's evaluation and judge
            remove_quietly(stale)
        os.replace(temps[1], path.with_suffix(".json"))
        fault_point("save.after_card")
    finally:
        for tmp in temps:
            remove_quietly(tmp)
        remove_quietly(folder / f".{path.stem}.reserved")
    return path


def delete_model(entry: ModelEntry) -> None:
    """Delete a user's model: its file, its stored evaluation and kept judge, its card."""
    if entry.shipped:
        raise ValueError("shipped models cannot be deleted")
    if entry.path.exists():
        entry.path.unlink()
    for p in kept_beside(entry.path):
        remove_quietly(p)
    if entry.card_path.exists():
        entry.card_path.unlink()


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
    if getattr(result, "photos", None):
        card["photos"] = result.photos                       # the real photos it learned from
    if getattr(result, "photo_metrics", None):               # held-out photographers, flat numbers
        m = result.photo_metrics
        card["real_photo_metrics"] = {**{k: m[k] for k in ("micro", "macro", "shoes", "photos") if k in m},
                                      **{f"kind.{k}": v for k, v in m.get("per_kind", {}).items()},
                                      **{f"validation.{k}": v for k, v in (m.get("validation") or {}).items()
                                         if k in ("micro", "macro", "shoes", "photos")}}
    if extra:
        card.update(extra)
    return card
