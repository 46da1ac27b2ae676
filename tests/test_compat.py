"""pages/compat.py is the one place the app leans on Streamlit internals: these tests fail
when Streamlit changes what it relies on, and a static check keeps every other file off
Streamlit's private names."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO


def test_the_pages_folder_switch_still_exists_and_works(monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager
    from pages import compat
    assert hasattr(PagesManager, "uses_pages_directory"), "Streamlit renamed the pages-folder switch"
    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    assert compat.pages_folder_mode()
    monkeypatch.setattr(PagesManager, "uses_pages_directory", False)
    assert not compat.pages_folder_mode()


def test_no_private_streamlit_access_outside_compat():
    """No `streamlit.runtime` import and no `._name` attribute of a Streamlit object in the
    app's code, except in pages/compat.py."""
    offenders = []
    files = [REPO / "streamlit_app.py", *sorted((REPO / "pages").glob("*.py"))]
    for path in files:
        if path.name == "compat.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"streamlit\.runtime|script_runner|\bst\._[a-z]", text):
            offenders.append(path.name)
    assert not offenders, offenders
