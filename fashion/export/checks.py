"""What the exporter refuses before it writes anything: an unknown language, an output it
cannot write, a model or card it cannot read. Each refusal is a keyed ExportError (or the
model file's own ModelFileError / CardError), so the command line and the pages say it in
the user's language."""
from __future__ import annotations

import os
from pathlib import Path

from fashion.errors import StudioError
from fashion.i18n import LANGUAGES


class ExportError(StudioError, ValueError):
    """A notebook or zip that cannot be written; the key says why (export.err.*)."""


def check_language(lang) -> str:
    if lang not in LANGUAGES:
        raise ExportError("export.err.language", language=str(lang)[:20], choices=", ".join(sorted(LANGUAGES)))
    return lang


def check_output(out_path) -> Path:
    """The output path, when its folder exists and can be written and it is no folder itself."""
    out = Path(out_path)
    if out.is_dir():
        raise ExportError("export.err.output_is_folder", path=str(out))
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError("export.err.unwritable", path=str(out), error="no such folder")
    if not os.access(folder, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ExportError("export.err.unwritable", path=str(out), error="permission denied")
    return out


def unwritable(out_path, error: OSError) -> ExportError:
    return ExportError("export.err.unwritable", path=str(out_path), error=error.strerror or type(error).__name__)
