"""Model names: the file name a typed name becomes (`safe_name`), a free one when it is
taken (`free_name`), and reserving one with O_EXCL so two saves finishing at once never
get the same file (`reserve_name`); reservations and temp files of saves that died are
taken over or cleaned (`clean_stale`); a file outside the registry (a command line's
--output) is reserved the same way for a whole run (`reserve_file`).
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import time
import unicodedata
from pathlib import Path

from fashion.files import TEMP_PID, disk_full
from fashion.paths import SHIPPED_DIR, user_dir

STALE_SECONDS = 3600                    # a save takes seconds; a reservation or temp file this old is left over
LIVE_HOLD_SECONDS = 2 * 24 * 3600       # ...unless its owner still runs (a command line run holds its --output)


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
    try:                        # a zombie (killed, not yet reaped by its parent) is dead too
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rpartition(")")[2].split()[:1] != ["Z"]
    except OSError:
        return True


def _is_stale(path: Path, pid: int | None, now: float) -> bool:
    """Left over by a save that died: its owner is gone, or it is older than any save
    (a live owner holds it for LIVE_HOLD_SECONDS: a training that reserved its output)."""
    try:
        age = now - path.stat().st_mtime
    except OSError:
        return False
    if pid is not None and pid != os.getpid() and not _pid_alive(pid):
        return True
    alive = pid is not None and (pid == os.getpid() or _pid_alive(pid))
    return age > (LIVE_HOLD_SECONDS if alive else STALE_SECONDS)


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
    except OSError as e:
        raise (disk_full(e, lock) or e) from e
    try:
        with os.fdopen(fd, "w") as f:
            f.write(f"{os.getpid()} {time.time():.0f}\n")
    except OSError as e:
        os.unlink(lock)
        raise (disk_full(e, lock) or e) from e
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


def hold_name(folder: Path, stem: str, timeout: float = 120.0) -> None:
    """Reserve `stem` in folder for a replacing save, waiting for another save of the same
    name to finish (a reservation of a save that died is taken over)."""
    lock = folder / f".{stem}.reserved"
    deadline = time.time() + timeout
    while not _reserve_or_take_over(lock):
        if time.time() > deadline:
            raise OSError(errno.EBUSY, f"another save of {stem} is still running")
        time.sleep(0.2)


def reserve_file(path) -> Path | None:
    """Reserve the file path (a command line's --output) for this process with O_EXCL
    `.<name>.reserved` beside it, so two runs to one output never both claim it; the
    reservation's path, or None while another live process holds it (one left by a run
    that died is taken over). Remove it with release()."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.parent / f".{path.name}.reserved"
    return lock if _reserve_or_take_over(lock) else None


def release(reservation: Path | None) -> None:
    if reservation is not None:
        try:
            os.unlink(reservation)
        except FileNotFoundError:
            pass
