"""Opening a .keras file without trusting it: every part's unpacked size bounded and
config.json parsed with its nesting bounded before Keras sees the file, then Keras in safe
mode with no custom objects. A file that fails becomes a keyed ModelFileError.
"""
from __future__ import annotations

import errno
import zipfile
from pathlib import Path

from fashion.backend import keras
from fashion.errors import CardError, ModelFileError
from fashion.model import cards

MAX_MODEL_BYTES = 50 * 1024 * 1024      # the .keras file on disk
MAX_WEIGHTS_BYTES = 50 * 1024 * 1024    # its weights unpacked (the shipped model: 3.6 MB)
MAX_CONFIG_BYTES = 1024 * 1024          # config.json / metadata.json unpacked (the shipped model: 60 KB)
MAX_MEMBERS = 64                        # a .keras file holds 3
MAX_CONFIG_DEPTH = 64                   # nesting of config.json (nested models go ~20 deep)


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
