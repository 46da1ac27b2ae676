"""The one place this app reaches into Streamlit beyond its public API (tested in
tests/test_compat.py, which fails when Streamlit changes what this relies on).

Streamlit lists every file of pages/ as a page of an old-style multipage app until a
script has called st.navigation, and offers no public switch for that: see
leave_pages_folder_mode below. Nothing else here; the browser identity cookie uses the
public st.components.v2 API (pages/common.py).
"""
from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st


def pages_folder_mode() -> bool:
    """True while Streamlit treats pages/ as an old-style multipage folder."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the old mode
        return False
    return bool(getattr(PagesManager, "uses_pages_directory", False))


def leave_pages_folder_mode(frame: Path) -> None:
    """Run the page through the frame when Streamlit ran it alone.

    While no run has called st.navigation yet (the first run of a fresh server, and
    every AppTest run), Streamlit treats a folder named `pages/` next to the entry point
    as an old-style multipage app: opened on a page's URL (say /evaluate) it runs that
    page script alone, without this app's frame (no language or model choice, every
    file of pages/ listed as a page). When that happens, run the frame here instead, in
    the same run (so a button click is not lost), and stop: the frame's st.navigation
    switches the old mode off and runs the same page (page identity is its URL path)."""
    if pages_folder_mode():
        from streamlit.runtime.pages_manager import PagesManager
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(frame), run_name="__main__")
        st.stop()
