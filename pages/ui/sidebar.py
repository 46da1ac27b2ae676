"""The sidebar's own boxes (drawn by streamlit_app.py): the active model (its choice, its
two accuracies in full, what happened when the chosen file cannot be used), the
projector-mode toggle and the teacher's box (its passphrase form with the wait after wrong
tries, and the teacher's controls)."""
from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from fashion import preferences
from fashion.errors import StudioError
from fashion.i18n.numbers import fmt_pct
from fashion.judging.stored import measured_accuracy, measured_real_photo_accuracy
from fashion.model import registry
from pages.ui.models import MODEL_KEY, active_model_path, chosen_model_path, replace_unusable_choice, set_active_model
from pages.ui.session import (
    browser_prefs,
    is_teacher,
    job_manager,
    lang,
    lock_teacher,
    set_browser_prefs,
    teacher_available,
    teacher_wait,
    tr,
    unlock_teacher,
    wait_text,
)
from pages.ui.text import as_text, file_name
from pages.ui.widgets import PROJECTOR_KEY


def model_sidebar() -> None:
    """The active model's select box (the shipped default and every saved model, with what
    we measured on each file, never a card's claim), both accuracies of the model in use in
    full under it, and, when the chosen file cannot be used, which model is used instead and why."""
    L = lang()
    listing = registry.list_models()
    labels, accuracies = {}, {}
    for m in listing.models:
        measured = measured_accuracy(m.path)
        photos = measured_real_photo_accuracy(m.path)   # held-out photographers' phone photos, same store
        accuracies[str(m.path)] = (measured, photos)
        acc = fmt_pct(measured, L) if measured is not None else tr("sidebar.not_measured")
        if photos is not None:
            acc += " · " + tr("sidebar.photo_accuracy", pct=fmt_pct(photos, L, 0))
        labels[str(m.path)] = f"{m.display_name} · {acc}" + (f" · {tr('sidebar.shipped')}" if m.shipped else "")
    if not labels:
        st.sidebar.warning(tr("model.missing"))
    else:
        chosen = chosen_model_path()
        used = replace_unusable_choice(chosen, list(labels))
        st.session_state["model_choice"] = used
        st.session_state[MODEL_KEY] = used
        st.sidebar.selectbox(tr("sidebar.model"), list(labels), format_func=labels.get, key="model_choice",
                             help=tr("sidebar.model_help"),
                             on_change=lambda: set_active_model(st.session_state["model_choice"]))
        name = as_text(next(m.display_name for m in listing.models if str(m.path) == used))
        fm, photos = accuracies[used]
        fm = fmt_pct(fm, L) if fm is not None else tr("sidebar.not_measured")
        st.sidebar.caption(tr("sidebar.model_accuracies", name=name, fm=fm, photos=fmt_pct(photos, L, 1))
                           if photos is not None else tr("sidebar.model_accuracy", name=name, fm=fm))
        if chosen != used:
            st.sidebar.error(tr("sidebar.model_replaced", chosen=file_name(chosen), used=name,
                                error=as_text(unusable_reason(chosen, listing))), icon=":material/report:")
        if all(m.shipped for m in listing.models):
            st.sidebar.caption(tr("sidebar.no_user_models"))
    if listing.problems:
        with st.sidebar.expander(tr("sidebar.problems")):
            st.caption(tr("sidebar.problems_help"))
            for p in listing.problems:
                st.text(p.message(L))


def unusable_reason(path: str, listing: registry.Listing) -> str:
    """Why a chosen model file is not offered: the listing's own words for it (a damaged
    file), else that it is gone or not among this server's models; no closing full stop."""
    problem = next((p for p in listing.problems if p.file == Path(path).name and not p.listed), None)
    if problem is not None:
        return problem.error.message(lang()).strip().rstrip(".")
    return tr("sidebar.model_gone") if not os.path.exists(path) else tr("sidebar.model_unlisted")


def projector_sidebar() -> None:
    """The projector-mode toggle, remembered for this browser like the model."""
    ss = st.session_state
    if PROJECTOR_KEY not in ss:
        try:
            ss[PROJECTOR_KEY] = bool(browser_prefs().get("projector", False))
        except Exception:  # no stored preferences yet (or unreadable): off
            ss[PROJECTOR_KEY] = False
    ss["projector_choice"] = ss[PROJECTOR_KEY]

    def changed() -> None:
        ss[PROJECTOR_KEY] = bool(ss["projector_choice"])
        try:
            set_browser_prefs(projector=ss[PROJECTOR_KEY])
        except Exception:  # kept for this session at least
            pass

    st.sidebar.toggle(tr("sidebar.projector"), key="projector_choice", help=tr("sidebar.projector_help"),
                      on_change=changed)


def teacher_unlock_form() -> None:
    """The passphrase form. Wrong tries make the next ones wait (per browser, address and
    server): while a wait is in force the box says how long, and a try is refused unchecked."""
    with st.form("teacher_unlock", clear_on_submit=True, border=False):
        given = st.text_input(tr("teacher.passphrase"), type="password", key="teacher_pass")
        submitted = st.form_submit_button(tr("teacher.unlock"))
    if submitted:
        outcome = unlock_teacher(given)
        if outcome.ok:
            st.rerun()
        if not outcome.refused:
            st.error(tr("teacher.wrong"))
    wait = teacher_wait()
    if wait > 0:
        st.error(tr("teacher.locked", wait=wait_text(wait)), icon=":material/timer:")


def clear_queue_button() -> None:
    """The teacher's one click against a flood of runs: every waiting run is cancelled."""
    waiting = job_manager().counts()["queued"]
    if waiting and st.button(tr("teacher.clear_queue", count=waiting), key="teacher_clear_queue",
                             help=tr("teacher.clear_queue_help"), icon=":material/playlist_remove:"):
        st.toast(tr("teacher.queue_cleared", count=job_manager().cancel_queued(teacher=True)))
        st.rerun()


def teacher_sidebar() -> None:
    """The sidebar's teacher box: unlock with the passphrase; then set the class's default
    model, delete models trained in class and cancel every waiting run (runs are stopped
    one by one on Train)."""
    with st.sidebar.expander(tr("teacher.title"), expanded=False):
        if not teacher_available():
            st.caption(tr("teacher.unavailable"))
            return
        if not is_teacher():
            teacher_unlock_form()
            return
        st.success(tr("teacher.on"))
        clear_queue_button()
        store = preferences.store()
        default = store.class_default()
        if default:
            st.caption(tr("teacher.default_is", name=as_text(Path(default).stem)))
        active = active_model_path()
        if active and active != default and st.button(tr("teacher.set_default"), key="teacher_default"):
            try:
                store.set_class_default(active)
            except StudioError as e:    # DiskFull: the sidebar goes on and says why
                st.warning(tr("disk.warn.preferences", error=e.message(lang())))
            else:
                st.rerun()
        user_models = [m for m in registry.list_models().models if not m.shipped]
        if user_models:
            by_path = {str(m.path): m for m in user_models}
            doomed = st.selectbox(tr("teacher.delete"), list(by_path), format_func=lambda p: by_path[p].display_name,
                                  key="teacher_delete_pick")
            if st.button(tr("teacher.delete_button"), key="teacher_delete", icon=":material/delete:"):
                registry.delete_model(by_path[doomed])
                if store.class_default() == doomed:
                    store.set_class_default(None)
                st.toast(tr("teacher.deleted", name=as_text(by_path[doomed].display_name)))
                st.rerun()
        else:
            st.caption(tr("teacher.no_user_models"))
        if st.button(tr("teacher.lock"), key="teacher_lock"):
            lock_teacher()
            st.rerun()
