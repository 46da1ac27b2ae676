"""pages/ui/compat.py is the one place the app leans on Streamlit internals: these tests fail
when Streamlit changes what it relies on, and a static check keeps every other file off
Streamlit's private names."""
from __future__ import annotations

import re
from pathlib import Path

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


# --- Streamlit's own widget texts, and the style sheet's selectors ---------------------------------

def _frontend_bundle() -> str:
    """The installed Streamlit's frontend JavaScript, as one text."""
    import streamlit
    folder = Path(streamlit.__file__).parent / "static" / "static" / "js"
    files = sorted(folder.glob("*.js"))
    assert files, f"no frontend bundle under {folder}"
    return "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in files)


def _as_js_literal(english: str) -> re.Pattern:
    """Streamlit's text as its bundle writes it: a template literal, each {hole} a ${...}."""
    parts = re.split(r"\{(?:size|name|type)\}", english)
    return re.compile(r"`\s*" + r"\$\{.*?\}".join(re.escape(p) for p in parts) + r"\s*`")


def test_streamlit_still_writes_every_widget_text_compat_translates():
    """Fails when Streamlit rewords, drops or starts translating one of the uploader's or
    camera's texts (then fashion/i18n/widgets.py and speak_widget_texts must follow), or
    writes file sizes another way than "19.3KB"."""
    from fashion.i18n import widgets
    bundle = _frontend_bundle()
    gone = [english for english, _ in widgets.STRINGS.values() if not _as_js_literal(english).search(bundle)]
    assert not gone, f"Streamlit no longer writes these texts: {gone}"
    assert re.search(r"`\$\{\w+\.toFixed\(\w+\)\}\$\{\w+\.toUpperCase\(\)\}`", bundle), \
        "Streamlit writes file sizes another way than number+unit ('19.3KB'): update the size rule"
    assert re.search(r"`\$\{\w+\(\w+,\w+\.Byte,0\)\} per file`", bundle), "the drop zone's limit text changed"


def test_the_dom_compat_relies_on_is_still_there():
    """Every data-testid the widget-text component and the style sheet select by."""
    from pages.ui import compat
    bundle = _frontend_bundle()
    missing = [t for t in (*compat.WIDGETS, *compat.UNTOUCHED, *compat.STYLED) if f"`{t}`" not in bundle]
    assert not missing, f"Streamlit no longer renders these data-testid values: {missing}"
    # a row of images is one flex row of image containers, without a gap between them
    assert re.search(r'"data-testid":`stImage`', bundle) and re.search(r'"data-testid":`stImageContainer`', bundle)


def test_the_widget_text_rules_cover_every_text_in_both_languages():
    """The component gets one rule per text; Spanish differs from English, holes kept."""
    from fashion.i18n import widgets
    for key, (english, spanish) in widgets.STRINGS.items():
        assert spanish != english, key
        assert sorted(re.findall(r"\{\w+\}", english)) == sorted(re.findall(r"\{\w+\}", spanish)), key
