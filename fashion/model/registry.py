"""Saved models on disk: the shipped ones in `models/`, the user's own in
`$FASHION_STUDIO_HOME/models` (default ~/.fashion-studio/models).

Each model is `<name>.keras` plus a `<name>.json` model card. Writes go to a temp file
first and are moved into place with `os.replace`, the card last, so a crash mid-save
never leaves a card pointing at half a model. Listing reads only the cards (no
TensorFlow import) and reports, rather than raises on, anything it cannot read.
"""
from __future__ import annotations

import errno
import hashlib
import hmac
import os
import re
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from fashion.backend import keras
from fashion.errors import CardError, ModelFileError, StudioError
from fashion.files import TEMP_PID, dump_json, remove_quietly, temp_beside, write_json
from fashion.i18n import t
from fashion.model import cards
from fashion.paths import DEFAULT_MODEL, SHIPPED_DIR, evaluation_paths, user_dir

MAX_MODEL_BYTES = 50 * 1024 * 1024      # the .keras file on disk
MAX_WEIGHTS_BYTES = 50 * 1024 * 1024    # its weights unpacked (the shipped model: 3.6 MB)
MAX_CONFIG_BYTES = 1024 * 1024          # config.json / metadata.json unpacked (the shipped model: 60 KB)
MAX_MEMBERS = 64                        # a .keras file holds 3
MAX_CONFIG_DEPTH = 64                   # nesting of config.json (nested models go ~20 deep)
STALE_SECONDS = 3600                    # a save takes seconds; a reservation or temp file this old is left over


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


def clean_display_name(name) -> str:
    """The name as given, minus control characters, at most 60 characters."""
    text = "".join(c for c in str(name) if unicodedata.category(c)[0] != "C")
    return " ".join(text.split())[:60]


def safe_name(name: str) -> str:
    """A file-system-safe model name: ASCII letters, digits, '-', '_'. Accented letters
    are transliterated (Camiseta-año -> Camiseta-ano); a name with no Latin letters at all
    (模型) becomes model-<hash of the name>, so different names stay different."""
    shown = clean_display_name(name)
    ascii_ = unicodedata.normalize("NFKD", shown).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_).strip("-_.")[:60]
    if safe:
        return safe
    if shown:
        return "model-" + hashlib.sha1(shown.encode("utf-8")).hexdigest()[:8]
    return "model"


def read_card(path: Path) -> dict:
    """The model card as a dict, checked against the schema (fashion/cards.py); CardError
    (a ValueError) if it is not a valid card, OSError if it cannot be read."""
    return cards.load_card(Path(path))


def _open_problem(path: Path, e: OSError) -> ModelFileError:
    if isinstance(e, IsADirectoryError) or path.is_dir():
        return ModelFileError("model.error.is_directory", name=path.name)
    if isinstance(e, PermissionError) or e.errno == errno.EACCES:
        return ModelFileError("model.error.no_permission", name=path.name)
    if isinstance(e, FileNotFoundError):
        return ModelFileError("model.error.missing", name=path.name)
    return ModelFileError("model.error.unloadable", name=path.name, error=e.strerror or type(e).__name__)


def _member_limit(name: str) -> int:
    return MAX_WEIGHTS_BYTES if name.endswith((".h5", ".npz")) else MAX_CONFIG_BYTES


def check_keras_file(path: Path) -> None:
    """Cheap structural check of a .keras file from its zip directory: size on disk, a
    config.json inside, and every member's declared unpacked size within its limit.
    ModelFileError (a ValueError) if not; nothing is unpacked."""
    path = Path(path)
    if path.is_dir():
        raise ModelFileError("model.error.is_directory", name=path.name)
    try:
        size = path.stat().st_size
        if size > MAX_MODEL_BYTES:
            raise ModelFileError("model.error.too_big", name=path.name, mb=round(size / 2**20),
                                 limit=MAX_MODEL_BYTES // 2**20)
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except OSError as e:
        raise _open_problem(path, e) from None
    except (zipfile.BadZipFile, ValueError, EOFError) as e:
        if isinstance(e, ModelFileError):
            raise
        raise ModelFileError("model.error.not_zip", name=path.name) from None
    if "config.json" not in {i.filename for i in infos}:
        raise ModelFileError("model.error.no_config", name=path.name)
    total = 0
    for info in infos[:MAX_MEMBERS + 1]:
        limit = _member_limit(info.filename)
        total += info.file_size
        if info.file_size > limit or len(infos) > MAX_MEMBERS or total > MAX_WEIGHTS_BYTES + MAX_CONFIG_BYTES:
            raise ModelFileError("model.error.member_too_big", name=path.name, member=info.filename[:80],
                                 limit=limit // 2**20)


def verify_keras_file(path: Path) -> None:
    """check_keras_file, then unpack every member as a stream, counting bytes against its
    limit (a member that inflates past what it declares is stopped there, never held in
    memory), and parse config.json with its nesting bounded. Run before Keras opens it."""
    path = Path(path)
    check_keras_file(path)
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                limit = _member_limit(info.filename)
                keep = info.filename == "config.json"
                parts, n = [], 0
                with z.open(info) as f:
                    while chunk := f.read(1 << 20):
                        n += len(chunk)
                        if n > limit:
                            raise ModelFileError("model.error.member_too_big", name=path.name,
                                                 member=info.filename[:80], limit=limit // 2**20)
                        if keep:
                            parts.append(chunk)
                if keep:
                    config = b"".join(parts)
    except ModelFileError:
        raise
    except OSError as e:
        raise _open_problem(path, e) from None
    except (zipfile.BadZipFile, ValueError, EOFError, RuntimeError, NotImplementedError):
        raise ModelFileError("model.error.not_zip", name=path.name) from None
    try:
        parsed = cards.parse_bounded(config, "config.json", max_depth=MAX_CONFIG_DEPTH)
    except CardError:
        parsed = None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("class_name"), str) \
            or not isinstance(parsed.get("config"), dict):
        raise ModelFileError("model.error.config_invalid", name=path.name)


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


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True            # alive, another user's
    except OSError:
        return False
    return True


def _is_stale(path: Path, pid: int | None, now: float) -> bool:
    """Left over by a save that died: its owner is gone, or it is older than any save."""
    try:
        age = now - path.stat().st_mtime
    except OSError:
        return False
    if pid is not None and pid != os.getpid() and not _pid_alive(pid):
        return True
    return age > STALE_SECONDS


def _reservation_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="ignore").split()
        return int(text[0]) if text else None
    except (OSError, ValueError):
        return None


def clean_stale(folder: Path) -> list[str]:
    """Remove reservations and temp files that a killed save left behind in folder (the
    owner process is dead, or the file is older than STALE_SECONDS); their names become
    free again. Files of saves still running are left alone. Returns the names removed."""
    removed = []
    if not folder.is_dir():
        return removed
    now = time.time()
    try:
        names = [p for p in folder.iterdir() if p.name.startswith(".")]
    except OSError:
        return removed
    for p in names:
        if p.name.endswith(".reserved"):
            pid = _reservation_pid(p)
        elif p.name.startswith(".tmp-"):
            m = TEMP_PID.match(p.name)
            pid = int(m.group(1)) if m else None
        else:
            continue
        if p.is_file() and _is_stale(p, pid, now):
            try:
                p.unlink()
                removed.append(p.name)
            except OSError:
                pass
    return removed


def _try_reserve(lock: Path) -> bool:
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w") as f:
        f.write(f"{os.getpid()} {time.time():.0f}\n")
    return True


def _reserve_or_take_over(lock: Path) -> bool:
    """Reserve with O_EXCL; a reservation left by a save that died is taken over."""
    if _try_reserve(lock):
        return True
    if not _is_stale(lock, _reservation_pid(lock), time.time()):
        return False
    try:
        lock.unlink()
    except OSError:
        return False
    return _try_reserve(lock)


def reserve_name(folder: Path, base: str) -> Path:
    """A fresh `<base>[-n].keras` path in folder, reserved with O_EXCL so two trainings
    finishing at the same moment never get the same name. A reservation left by a save
    that died is taken over, so names are not burned."""
    folder.mkdir(parents=True, exist_ok=True)
    base = safe_name(base)
    for n in range(0, 10000):
        stem = base if n == 0 else f"{base}-{n}"
        lock = folder / f".{stem}.reserved"
        if (folder / f"{stem}.keras").exists():
            continue
        if _reserve_or_take_over(lock):
            return folder / f"{stem}.keras"
    raise RuntimeError(f"no free model name for {base!r} in {folder}")


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


def free_name(name: str, folder: Path | None = None, taken=()) -> str:
    """The first of name-2, name-3... that no shipped model, no saved model in folder, no
    save in progress and no name in `taken` has (the name as typed, unicode kept)."""
    folder = Path(folder) if folder else user_dir()
    busy = {safe_name(t) for t in taken}
    for n in range(2, 10000):
        candidate = f"{clean_display_name(name) or 'model'}-{n}"
        stem = safe_name(candidate)
        if stem in busy or (SHIPPED_DIR / f"{stem}.keras").exists() or (folder / f"{stem}.keras").exists() \
                or (folder / f".{stem}.reserved").exists():
            continue
        return candidate
    raise RuntimeError(f"no free model name for {name!r} in {folder}")


def _hold_name(folder: Path, stem: str, timeout: float = 120.0) -> None:
    """Reserve `stem` in folder for a replacing save, waiting for another save of the same
    name to finish (a reservation of a save that died is taken over)."""
    lock = folder / f".{stem}.reserved"
    deadline = time.time() + timeout
    while not _reserve_or_take_over(lock):
        if time.time() > deadline:
            raise OSError(errno.EBUSY, f"another save of {stem} is still running")
        time.sleep(0.2)


def save_model(model, card: dict, name: str, folder: Path | None = None, overwrite: bool = False) -> Path:
    """Save model and card atomically; returns the .keras path. Without overwrite, a
    taken name gets a numeric suffix; with it, the model of that name is replaced (the
    caller asked the user). The name as given (unicode and all) is kept in the card as
    display_name; the file name is its safe transliteration.

    Both files are written to temp files first and only then moved into place, the model
    before its card: a save that fails (disk full, a model Keras cannot write) leaves the
    old model and card exactly as they were. A replaced model's stored evaluation goes
    (it is another model's)."""
    folder = Path(folder) if folder else user_dir()
    clean_stale(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if overwrite:
        path = folder / f"{safe_name(name)}.keras"
        _hold_name(folder, path.stem)
    else:
        path = reserve_name(folder, name)
    temps = []
    try:
        temps.append(temp_beside(path, model.save))
        card = {**card, "name": path.stem, "file": path.name,
                "display_name": clean_display_name(name) or path.stem}
        temps.append(temp_beside(path.with_suffix(".json"), lambda tmp: dump_json(tmp, card, indent=2)))
        os.replace(temps[0], path)
        for stale in evaluation_paths(path):     # another model's evaluation
            remove_quietly(stale)
        os.replace(temps[1], path.with_suffix(".json"))
    finally:
        for tmp in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
        reserved = folder / f".{path.stem}.reserved"
        if reserved.exists():
            reserved.unlink()
    return path


def load_model(path: Path | str):
    """Load a .keras model safely: every part's unpacked size bounded and config.json
    checked before Keras sees the file (verify_keras_file), then safe_mode=True with no
    custom objects. Anything Keras cannot build becomes a ModelFileError."""
    path = Path(path)
    verify_keras_file(path)
    try:
        return keras.models.load_model(path, compile=False, safe_mode=True)
    except (MemoryError, RecursionError) as e:
        raise ModelFileError("model.error.unloadable", name=path.name, error=type(e).__name__) from None
    except Exception as e:  # a config Keras cannot build: unknown layers, wrong shapes, ...
        raise ModelFileError("model.error.unloadable", name=path.name, error=_first_line(e)) from None


def _first_line(e: BaseException) -> str:
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    return (lines[0][:160] if lines else type(e).__name__)


def delete_model(entry: ModelEntry) -> None:
    """Delete a user's model: its file, its stored evaluation, its card."""
    if entry.shipped:
        raise ValueError("shipped models cannot be deleted")
    if entry.path.exists():
        entry.path.unlink()
    for p in evaluation_paths(entry.path):
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
                                      **{f"kind.{k}": v for k, v in m.get("per_kind", {}).items()}}
    if extra:
        card.update(extra)
    return card
