"""What each browser chose, kept on the server: its model, its display settings, whether
the teacher unlocked it; and the class's default model, set by the teacher.

Pages key it by the browser's identity (a cookie the app sets; see pages/common.py),
so a choice survives reloads and new tabs of the same browser, which query parameters
and Streamlit's per-tab session state do not. One JSON file under the studio home,
written atomically (temp file, then os.replace), re-read when another process changed
it, and bounded: the least recently active browsers are forgotten beyond MAX_BROWSERS.

    store = preferences.store()
    store.set(browser_id, model="/…/my-cnn.keras")
    store.get(browser_id)["model"]
    store.class_default() / store.set_class_default(path)
"""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from fashion.files import write_json
from fashion.paths import studio_home

MAX_BROWSERS = 5000
CLASS_KEY = "class_default_model"


def preferences_path() -> Path:
    return studio_home() / "preferences.json"


class PreferenceStore:
    """A small server-side dict of dicts, one per browser, persisted as JSON."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else preferences_path()
        self._lock = threading.RLock()
        self._data: dict = {"browsers": {}, CLASS_KEY: None}
        self._mtime: float | None = None

    def _refresh(self) -> None:
        """Read the file again when it changed on disk (another server process, a restore)."""
        try:
            mtime = self.path.stat().st_mtime_ns
        except OSError:
            return
        if mtime == self._mtime:
            return
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
            if isinstance(data, dict) and isinstance(data.get("browsers"), dict):
                self._data = {"browsers": data["browsers"], CLASS_KEY: data.get(CLASS_KEY)}
        except (OSError, ValueError):
            pass   # unreadable: keep what we had; the next write replaces it whole
        self._mtime = mtime

    def _write(self) -> None:
        browsers = self._data["browsers"]
        if len(browsers) > MAX_BROWSERS:
            keep = sorted(browsers, key=lambda b: browsers[b].get("seen", 0), reverse=True)[:MAX_BROWSERS]
            self._data["browsers"] = {b: browsers[b] for b in keep}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_json(self.path, self._data)
        self._mtime = self.path.stat().st_mtime_ns

    def get(self, browser: str | None) -> dict:
        """A copy of this browser's preferences (empty when it has none)."""
        if not browser:
            return {}
        with self._lock:
            self._refresh()
            return dict(self._data["browsers"].get(browser) or {})

    def set(self, browser: str, **values) -> None:
        """Store values for this browser (None removes a value)."""
        if not browser:
            return
        with self._lock:
            self._refresh()
            entry = dict(self._data["browsers"].get(browser) or {})
            for key, value in values.items():
                if value is None:
                    entry.pop(key, None)
                else:
                    entry[key] = value
            entry["seen"] = time.time()
            self._data["browsers"][browser] = entry
            self._write()

    def class_default(self) -> str | None:
        with self._lock:
            self._refresh()
            return self._data.get(CLASS_KEY)

    def set_class_default(self, model_path: str | None) -> None:
        with self._lock:
            self._refresh()
            self._data[CLASS_KEY] = str(model_path) if model_path else None
            self._write()


_STORES: dict[Path, PreferenceStore] = {}
_STORES_LOCK = threading.Lock()


def store() -> PreferenceStore:
    """The store of the current studio home (one per folder per process)."""
    path = preferences_path()
    with _STORES_LOCK:
        if path not in _STORES:
            _STORES[path] = PreferenceStore(path)
        return _STORES[path]


def model_choice(browser: str | None, exists=os.path.exists) -> str | None:
    """The model this browser uses: its own choice, else the class default the teacher
    set, else None (the caller falls back to the shipped model). Deleted files are skipped."""
    s = store()
    for path in (s.get(browser).get("model"), s.class_default()):
        if path and exists(path):
            return path
    return None
