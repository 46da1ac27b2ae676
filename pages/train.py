"""Train: start from a preset or design a CNN, watch it learn live, stop it, keep it,
and compare runs.

Training never runs in this server process: `fashion.runs.manager` runs it in a worker process
and this page polls the job with st.fragment(run_every=...). The job id sits in the
URL (?job=...) and in the session, and a browser's own queued or running run is found
from any of its tabs. Only the browser that started a run, or the teacher, can stop it.
"""
from __future__ import annotations

import streamlit as st

from pages.ui.compat import run_through_frame
from pages.ui.following import followed_job
from pages.ui.session import is_teacher, tr
from pages.ui.train_compare import COMPARE_OPEN, render_compare
from pages.ui.train_form import form_config, form_problems, prepare_form, render_settings
from pages.ui.train_live import JOB_KEY, SCROLL_KEY, render_all_runs, render_live
from pages.ui.train_start import render_start
from pages.ui.widgets import scroll_into_view

run_through_frame()

# --- the page -------------------------------------------------------------------------------


def main() -> None:
    """The page's work, freed when the run ends (why: tests/test_architecture.py)."""
    st.title(tr("train.title"))
    prepare_form()
    _config = form_config()
    _problems = form_problems(_config)
    render_start(_config, _problems)
    st.caption(tr("train.visible_to_class"))
    if is_teacher():
        render_all_runs()
    job = followed_job(JOB_KEY, in_url=True)
    if job is not None:
        with st.container(key="tr_live_run"):
            render_live(job)
        if st.session_state.pop(SCROLL_KEY, False):
            scroll_into_view("tr_live_run", nonce=str(job.id))   # right after Start (the page may be scrolled down)
        if job.active:
            st.caption(tr("train.busy_hint"))
    render_settings(_config, _problems)        # drawn only while open: the first row paints at once
    compare = st.expander(tr("train.tab_compare"), icon=":material/compare_arrows:", key=COMPARE_OPEN,
                          on_change="rerun")
    if compare.open:                           # its chart and table are drawn only while open too
        with compare:
            render_compare()
    st.caption(tr("train.intro"))


main()
