"""The Train page's first screen: preset, run name and Start in one row; a name already
taken is asked about (replace, keep both, edit) before the run is submitted."""
from __future__ import annotations

import time

import streamlit as st

from fashion.errors import StudioError
from fashion.i18n.numbers import fmt_pct
from fashion.runs.rules import NameClash
from fashion.training.train import PRESETS, TrainConfig
from pages.ui.session import browser_id, client_address, is_teacher, job_manager, lang, tr
from pages.ui.text import as_text
from pages.ui.train_form import PRESET_ORDER, apply_preset, base_preset, preset_line
from pages.ui.train_live import SCROLL_KEY, follow

ASKED_KEY = "_tr_clash_asked"     # session: the taken name the page is asking about
START_AS_KEY = "_tr_start_as"     # session: the free name "keep both" chose, to start with


def render_start(config: TrainConfig, problems: list[str]) -> None:
    """The first screen: preset, run name and Start in one row, what will run under it."""
    ss = st.session_state
    c1, c2, c3 = st.columns([3, 3, 2], vertical_alignment="bottom")
    c1.selectbox(tr("train.preset"), PRESET_ORDER, key="tr_preset", on_change=apply_preset,
                 format_func=lambda k: tr(f"train.preset.{k}"))
    c2.text_input(tr("train.run_name"), key="tr_name", placeholder=tr("train.run_name_placeholder"), max_chars=60)
    with c3:
        clicked = st.button(tr("train.start"), type="primary", disabled=bool(problems), key="tr_start",
                            icon=":material/play_arrow:", width="stretch")
    st.caption(tr(f"train.preset.{ss['tr_preset']}.help") + "  \n" + preset_line(config))
    for problem in problems:
        st.error(problem)
    start_as = ss.pop(START_AS_KEY, None)        # "keep both" was clicked: start under the free name
    if start_as and not problems:
        start_run(config, start_as)
        return
    name = ss["tr_name"].strip()
    clash = job_manager().name_clash(name, requester=browser_id(), teacher=is_teacher()) if name else None
    if clash and (clicked or ss.get(ASKED_KEY) == name):
        ss[ASKED_KEY] = name
        ask_about_clash(clash, config)
        return
    if clicked:
        start_run(config, name)


def ask_about_clash(clash: NameClash, config: TrainConfig) -> None:
    """A name already taken: ask, never rename behind the user's back. Replace (only where
    this browser may: the teacher, or the browser that trained that model), keep both
    under a free name shown on the button, or edit the name."""
    ss = st.session_state
    accuracy = clash.model.accuracy if clash.model is not None else None
    replace = False
    with st.container(key="tr_clash"):
        st.warning(tr(f"train.clash.{clash.kind}", name=as_text(clash.taken_by), accuracy=fmt_pct(accuracy, lang())),
                   icon=":material/warning:")
        b1, b2, b3 = st.columns(3)
        if clash.kind == "model":
            replace = b1.button(tr("train.clash_overwrite", name=as_text(clash.taken_by)), key="tr_clash_overwrite",
                                icon=":material/sync:", disabled=not clash.may_replace, width="stretch")
        b2.button(tr("train.clash_keep_both", name=as_text(clash.suggestion)), key="tr_clash_keep_both",
                  icon=":material/library_add:", on_click=_keep_both, args=(clash.suggestion,), width="stretch")
        b3.button(tr("train.clash_edit"), key="tr_clash_edit", icon=":material/edit:", on_click=_edit_name,
                  width="stretch")
        if clash.kind == "model" and not clash.may_replace:
            st.caption(tr(clash.refusal, name=as_text(clash.taken_by)))
    if replace:
        ss.pop(ASKED_KEY, None)
        start_run(config, clash.name, overwrite=True)


def _keep_both(name: str) -> None:
    """Before the next run draws the form: the name box shows the free name; the run starts."""
    ss = st.session_state
    ss["tr_name"] = name
    ss[START_AS_KEY] = name
    ss.pop(ASKED_KEY, None)


def _edit_name() -> None:
    st.session_state.pop(ASKED_KEY, None)
    st.toast(tr("train.clash_edit_hint", label=tr("train.run_name")), icon=":material/edit:")


def start_run(config: TrainConfig, name: str, overwrite: bool = False) -> None:
    ss = st.session_state
    preset = base_preset() if config == PRESETS[base_preset()] else None
    name = name or f"{preset or config.architecture}-{_timestamp()}"
    try:
        job = job_manager().submit(config, name=name, preset=preset, owner=browser_id(), overwrite=overwrite,
                                   teacher=is_teacher(), address=client_address())
    except StudioError as e:   # the classroom rules (JobRefused), settings (ConfigError): in the user's language
        st.error(e.message(lang()))
    except ValueError as e:   # a rule only the job manager knows
        st.error(tr("train.err.other", error=str(e)))
    else:
        ss[SCROLL_KEY] = True
        follow(job.id)
        st.rerun()


def _timestamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")
