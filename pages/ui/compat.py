"""The one place this app reaches into Streamlit beyond its public API (tested in
tests/test_compat.py, which fails when Streamlit changes what this relies on).

Streamlit lists every file of pages/ as a page of an old-style multipage app until a
script has called st.navigation, and offers no public switch for that: see
leave_pages_folder_mode below. And after every script or fragment run Streamlit calls
keras.backend.clear_session(), with no setting to turn it off: see
keep_keras_between_runs. The browser identity cookie uses the public st.components.v2
API (pages/ui/session.py).
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

import streamlit as st

FRAME = Path(__file__).resolve().parents[2] / "streamlit_app.py"


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


def run_through_frame() -> None:
    """The first call of every page: when Streamlit ran the page alone (see
    leave_pages_folder_mode), run it through the app's frame instead, and stop."""
    leave_pages_folder_mode(FRAME)


def keep_keras_between_runs() -> None:
    """Skip Streamlit's keras.backend.clear_session() after each run; keep its other clean-up.

    Streamlit's script runner calls `_clean_problem_modules()` after every script and
    fragment run; for Keras that is `clear_session()`, a full garbage collection and a
    reset of Keras' global state. Training no longer runs in the server (fashion/runs/manager.py),
    but the server still answers students with Keras models held in st.cache_resource,
    and each clean-up costs about 0.26 s of CPU holding the GIL (measured with the shipped
    model loaded and warmed up; the same as a gc.collect(2), which is why
    .streamlit/config.toml also sets runner.postScriptGC = false): 20 students uploading at
    once would queue ~5 s behind it, and every second of the Train page's live poll pays it. The app keeps no Keras state that needs clearing between runs: its
    models are loaded once per file and never built inside a page script. Idempotent."""
    from streamlit.runtime.scriptrunner import script_runner
    if getattr(script_runner._clean_problem_modules, "keeps_keras", False):
        return

    def clean_problem_modules() -> None:
        if "matplotlib.pyplot" in sys.modules:   # the rest of Streamlit's clean-up, as it is
            try:
                sys.modules["matplotlib.pyplot"].close("all")
            except Exception:
                pass

    clean_problem_modules.keeps_keras = True
    clean_problem_modules.streamlit_original = script_runner._clean_problem_modules
    script_runner._clean_problem_modules = clean_problem_modules
