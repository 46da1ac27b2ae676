"""Writing files so that a crash, a kill or a full disk never leaves a half-written one:
every write goes to a temp file beside its target (same folder, so the move is atomic),
then `os.replace` puts it in place in one step; on any failure the temp file is removed
and the old file is left as it was. Also the one file hash.

Temp files are named `.tmp-<pid>-<target name>-…`: the owner's pid in the name lets a
clean-up tell the left-over of a killed process from a write in progress."""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Callable

TEMP_PREFIX = ".tmp-"
TEMP_PID = re.compile(r"^\.tmp-(\d+)-")

_DIGESTS: dict = {}
_DIGESTS_LOCK = threading.Lock()


def temp_beside(target, write: Callable[[str], None], suffix: str = "") -> str:
    """write(tmp) into a new temp file beside target; its path (mode 0644), or the
    exception with nothing left behind."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f"{TEMP_PREFIX}{os.getpid()}-{target.name}-",
                               suffix=suffix or target.suffix)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)   # mkstemp makes 0600; the studio's files are meant to be shared
    except BaseException:
        remove_quietly(tmp)
        raise
    return tmp


def remove_quietly(path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def atomic_write(target, write: Callable[[str], None], suffix: str = "") -> Path:
    """Call write(tmp_path), then move the temp file over target in one step."""
    tmp = temp_beside(target, write, suffix)
    try:
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            remove_quietly(tmp)
    return Path(target)


def write_bytes(target, data: bytes) -> Path:
    def write(tmp):
        with open(tmp, "wb") as f:
            f.write(data)
    return atomic_write(target, write)


def dump_json(path, data, indent: int | None = None) -> None:
    """JSON (UTF-8, non-ASCII kept) into path as it is; a trailing newline when indented."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=indent, ensure_ascii=False)
        if indent is not None:
            f.write("\n")


def write_json(target, data, indent: int | None = None) -> Path:
    """dump_json, atomically."""
    return atomic_write(target, lambda tmp: dump_json(tmp, data, indent))


def file_sha256(path) -> str:
    """SHA-256 of a file, remembered per (path, size, mtime) so a page rerun costs nothing."""
    p = Path(path)
    st = p.stat()
    key = (str(p.resolve()), st.st_size, st.st_mtime_ns)
    with _DIGESTS_LOCK:
        if key in _DIGESTS:
            return _DIGESTS[key]
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    with _DIGESTS_LOCK:
        _DIGESTS[key] = digest
    return digest
