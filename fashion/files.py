"""Writing files so that a crash, a kill or a full disk never leaves a half-written one:
every write goes to a temp file beside its target (same folder, so the move is atomic),
then `os.replace` puts it in place in one step; on any failure the temp file is removed
and the old file is left as it was. Also the one file hash.

A write that fails because the disk (or the user's quota) is full raises `DiskFull`, a
keyed error (disk.err.full / disk.err.quota) saying how much is free and what to do,
whatever said so underneath: an OSError with errno ENOSPC or EDQUOT, or h5py's and
Keras' "Can't synchronously write data (file write failed: … errno = 28 …)".

Temp files are named `.tmp-<pid>-<target name>-…`: the owner's pid in the name lets a
clean-up tell the left-over of a killed process from a write in progress."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable

from fashion.errors import StudioError

TEMP_PREFIX = ".tmp-"
TEMP_PID = re.compile(r"^\.tmp-(\d+)-")

_DIGESTS: dict = {}
_DIGESTS_LOCK = threading.Lock()

NO_SPACE_ERRNOS = {errno.ENOSPC: "disk.err.full", errno.EDQUOT: "disk.err.quota"}
NO_SPACE_WORDS = {"no space left on device": errno.ENOSPC, "errno = 28": errno.ENOSPC,
                  "disk quota exceeded": errno.EDQUOT, "errno = 122": errno.EDQUOT}


class DiskFull(StudioError, OSError):
    """A write failed because the disk (or the quota) is full: the key says which, the
    params which file, where, and how much is free. Still an OSError (errno ENOSPC or
    EDQUOT), so code that handles failed writes handles it too."""

    def __init__(self, key: str, code: int, **params):
        super().__init__(key, **params)
        self.errno, self.strerror, self.filename = code, os.strerror(code), params.get("file")

    def __str__(self) -> str:
        return self.message("en")


def no_space(e: BaseException | None) -> int | None:
    """ENOSPC or EDQUOT when e (or an exception it was raised from) says the disk or the
    quota is full, by its errno or, for h5py and Keras, by its message; else None."""
    for _ in range(8):
        if e is None:
            return None
        if isinstance(e, DiskFull):
            return e.errno
        code = getattr(e, "errno", None)
        if code in NO_SPACE_ERRNOS:
            return code
        text = str(e).lower()
        for words, code in NO_SPACE_WORDS.items():
            if words in text:
                return code
        e = e.__cause__ or e.__context__
    return None


def free_space(folder) -> str:
    """The free space of the disk that holds folder (its nearest existing parent), in words."""
    where = Path(folder).absolute()
    while not where.exists() and where != where.parent:
        where = where.parent
    try:
        free = shutil.disk_usage(where).free
    except OSError:
        return "?"
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if free >= 10 * size:      # whole numbers, so the text reads the same in every language
            return f"{free // size} {unit}"
    return f"{free} bytes"


def disk_full(e: BaseException, target) -> DiskFull | None:
    """The DiskFull that e stands for when it says there is no space (else None)."""
    code = no_space(e)
    if code is None:
        return None
    if isinstance(e, DiskFull):
        return e
    target = Path(target)
    return DiskFull(NO_SPACE_ERRNOS[code], code, file=target.name, folder=str(target.parent),
                    free=free_space(target.parent))


def temp_beside(target, write: Callable[[str], None], suffix: str = "") -> str:
    """write(tmp) into a new temp file beside target; its path (mode 0644), or the
    exception (DiskFull when the disk is full) with nothing left behind."""
    target = Path(target)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f"{TEMP_PREFIX}{os.getpid()}-{target.name}-",
                                   suffix=suffix or target.suffix)
        os.close(fd)
        write(tmp)
        os.chmod(tmp, 0o644)   # mkstemp makes 0600; the studio's files are meant to be shared
    except BaseException as e:
        if tmp is not None:
            remove_quietly(tmp)
        full = disk_full(e, target)
        if full is not None and full is not e:
            raise full from e
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
    except OSError as e:
        full = disk_full(e, target)
        if full is not None and full is not e:
            raise full from e
        raise
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
