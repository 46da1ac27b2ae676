"""pages/ui/compat.py is the one place the app leans on Streamlit internals: these tests fail
when Streamlit changes what it relies on, and a static check keeps every other file off
Streamlit's private names."""
from __future__ import annotations

import re

from conftest import REPO


def test_the_pages_folder_switch_still_exists_and_works(monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager

    from pages.ui import compat
    assert hasattr(PagesManager, "uses_pages_directory"), "Streamlit renamed the pages-folder switch"
    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    assert compat.pages_folder_mode()
    monkeypatch.setattr(PagesManager, "uses_pages_directory", False)
    assert not compat.pages_folder_mode()


def test_no_private_streamlit_access_outside_compat():
    """No `streamlit.runtime` import and no `._name` attribute of a Streamlit object in the
    app's code, except in pages/ui/compat.py."""
    offenders = []
    files = [REPO / "streamlit_app.py", *sorted((REPO / "pages").rglob("*.py"))]
    for path in files:
        if path == REPO / "pages" / "ui" / "compat.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"streamlit\.runtime|script_runner|\bst\._[a-z]", text):
            offenders.append(str(path.relative_to(REPO)))
    assert not offenders, offenders


def test_streamlit_clears_keras_after_runs_and_compat_stops_only_that(monkeypatch):
    """Fails when Streamlit stops calling keras.backend.clear_session() after a run (then
    keep_keras_between_runs can go) or renames the hook it replaces."""
    import keras
    from streamlit.runtime.scriptrunner import script_runner

    from pages.ui import compat
    calls = []
    monkeypatch.setattr(keras.backend, "clear_session", lambda *a, **k: calls.append(1))
    monkeypatch.setattr(script_runner, "_clean_problem_modules", script_runner._clean_problem_modules)
    current = script_runner._clean_problem_modules
    original = getattr(current, "streamlit_original", current)   # an earlier app run may have replaced it
    original()
    assert calls == [1], "Streamlit no longer clears Keras after a run: drop keep_keras_between_runs"
    calls.clear()
    compat.keep_keras_between_runs()
    compat.keep_keras_between_runs()               # idempotent
    script_runner._clean_problem_modules()
    assert calls == [] and script_runner._clean_problem_modules.keeps_keras
    import inspect  # and the script runner calls it by this name
    assert "_clean_problem_modules" in inspect.getsource(script_runner.ScriptRunner)
