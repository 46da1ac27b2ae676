"""Which training run a browser tab follows, one rule for every page that starts runs
(Train, Your own photos): the run named in the URL (on pages that put it there) or in the
session, else this browser's own queued or running run of the page's kind, so that any
tab of the browser finds it. A run the server no longer knows is dropped, with a notice."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from fashion.runs.job import Job
from pages.ui.session import browser_id, job_manager, tr

URL_PARAM = "job"


def follow(key: str, job_id: str | None, in_url: bool = False) -> None:
    """Make this tab follow job_id (or nothing): in the session under `key`, and in the URL if in_url."""
    if job_id:
        st.session_state[key] = job_id
        if in_url and st.query_params.get(URL_PARAM) != job_id:
            st.query_params[URL_PARAM] = job_id
    else:
        st.session_state.pop(key, None)
        if in_url:
            st.query_params.pop(URL_PARAM, None)


def followed_job(key: str, in_url: bool = False, wanted: Callable[[Job], bool] | None = None) -> Job | None:
    """The run this tab follows (see the module's docstring); `wanted` picks which of this
    browser's active runs the page shows when the tab follows none yet."""
    job_id = (st.query_params.get(URL_PARAM) if in_url else None) or st.session_state.get(key)
    if not job_id:
        mine = job_manager().active_job_of(browser_id())
        if mine is None or (wanted is not None and not wanted(mine)):
            return None
        job_id = mine.id
    job = job_manager().get(job_id)
    if job is None:
        st.info(tr("train.job_gone"))
        follow(key, None, in_url)
        return None
    follow(key, job.id, in_url)
    return job
