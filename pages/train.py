"""Train: start from a preset or design a CNN, watch it learn live, stop it, keep it,
and compare runs.

Training never runs in this server process: `fashion.runs.jobs` runs it in a worker process
and this page polls the job with st.fragment(run_every=...). The job id sits in the
URL (?job=...) and in the session, and a browser's own queued or running run is found
from any of its tabs. Only the browser that started a run, or the teacher, can stop it.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from fashion.i18n import TABLE
from fashion.i18n.names import layer_kind
from fashion.i18n.numbers import fmt_clock, fmt_duration, fmt_float, fmt_int, fmt_pct
from fashion.judging import charts
from fashion.model import registry
from fashion.model.architectures import (
    ARCHITECTURES,
    CUSTOM_DEFAULTS,
    CUSTOM_LIMITS,
    build,
    custom_problems,
    summary_rows,
)
from fashion.photos.photoset import PhotoSetError, shipped
from fashion.runs import jobs
from fashion.training.train import AUGMENTATIONS, OPTIMIZERS, PRESETS, SCHEDULES, TrainConfig
from pages.common import (
    active_model_path,
    browser_id,
    is_teacher,
    job_manager,
    lang,
    metric_row,
    projector,
    scroll_into_view,
    set_active_model,
    tr,
)

JOB_KEY = "train_job_id"          # session: the job this browser tab follows
SAVED_KEY = "_train_form"         # session: the form's values, kept across page switches
DRAWN_KEY = "_train_form_drawn"   # session: the form widgets drawn in the last run
POLL_SECONDS = 1.0
PRESET_ORDER = ("quick", "seed", "overfit", "best", "custom")   # custom: the user's own settings
BASE_KEY = "_train_base_preset"   # session: the preset the user's own settings started from
BATCH_SIZES = (16, 32, 64, 128, 256, 512, 1024)
LEARNING_RATES = (1e-4, 3e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3, 8e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
FORM_KEYS = ("tr_preset", "tr_arch", "tr_blocks", "tr_filters", "tr_kernel", "tr_pool", "tr_dropout",
             "tr_dense", "tr_bn", "tr_epochs", "tr_batch", "tr_lr", "tr_sched", "tr_opt", "tr_aug",
             "tr_augs", "tr_subset", "tr_val", "tr_wd", "tr_ls", "tr_seed", "tr_name", "tr_photos")
COLORS = charts.RUN_COLORS


# --- the form: presets fill it, the user edits it ---------------------------------------

def preset_values(name: str) -> dict:
    """Widget values that show preset `name`."""
    c = PRESETS[name]
    custom = {**CUSTOM_DEFAULTS, **(c.arch_params if c.architecture == "custom" else {})}
    return {
        "tr_preset": name, "tr_arch": c.architecture,
        "tr_blocks": custom["conv_blocks"], "tr_filters": custom["filters"], "tr_kernel": custom["kernel_size"],
        "tr_pool": custom["pooling"], "tr_dropout": float(custom["dropout"]), "tr_dense": custom["dense_units"],
        "tr_bn": bool(custom["batch_norm"]),
        "tr_epochs": c.epochs, "tr_batch": c.batch_size, "tr_lr": c.learning_rate, "tr_sched": c.lr_schedule,
        "tr_opt": c.optimizer, "tr_aug": c.augment, "tr_augs": list(c.augmentations),
        "tr_subset": c.train_subset, "tr_val": float(c.validation_split),
        "tr_wd": float(c.weight_decay), "tr_ls": float(c.label_smoothing), "tr_seed": c.seed,
        "tr_photos": bool(c.photos),
    }


def apply_preset() -> None:
    ss = st.session_state
    if ss["tr_preset"] not in PRESETS:   # "your own settings": keep the form as it is, open it
        return
    ss[BASE_KEY] = ss["tr_preset"]
    values = preset_values(ss["tr_preset"])
    ss.update(values)
    ss[SAVED_KEY] = {**ss.get(SAVED_KEY, {}), **values}   # hidden widgets show these when drawn


def init_form() -> None:
    """Seed the widgets' state: the values this session had before, else the quick preset."""
    ss = st.session_state
    if "tr_preset" in ss:
        return
    values = preset_values("quick")
    values["tr_name"] = ""
    values.update(ss.get(SAVED_KEY, {}))
    ss.update(values)


def ensure(key: str, default) -> None:
    """Give a widget that is only sometimes drawn the last value it showed (or a default):
    Streamlit forgets, or keeps a stale copy of, the state of a widget not drawn in a run."""
    ss = st.session_state
    if key in ss.get(DRAWN_KEY, ()) and key in ss:
        return   # drawn last run too: its state is the user's
    ss[key] = ss.get(SAVED_KEY, {}).get(key, default)


BUILDER_KEYS = ("tr_blocks", "tr_filters", "tr_kernel", "tr_pool", "tr_dropout", "tr_dense", "tr_bn")


def save_form() -> None:
    """Remember the values of the widgets drawn in this run (a hidden widget's state is
    stale, so the last value it showed is kept instead)."""
    ss = st.session_state
    hidden = set()
    if ss["tr_arch"] != "custom":
        hidden.update(BUILDER_KEYS)
    if not ss["tr_aug"]:
        hidden.add("tr_augs")
    drawn = {k: ss[k] for k in FORM_KEYS if k in ss and k not in hidden}
    ss[SAVED_KEY] = {**ss.get(SAVED_KEY, {}), **drawn}
    ss[DRAWN_KEY] = tuple(drawn)


def base_preset() -> str:
    """The preset the form shows, or the one the user's own settings started from."""
    ss = st.session_state
    return ss["tr_preset"] if ss.get("tr_preset") in PRESETS else ss.get(BASE_KEY, "quick")


def form_config() -> TrainConfig:
    """The TrainConfig the form describes (not yet validated)."""
    ss = st.session_state
    preset = PRESETS[base_preset()]
    arch = ss["tr_arch"]
    if arch == "custom":
        arch_params = {"conv_blocks": int(ss["tr_blocks"]), "filters": int(ss["tr_filters"]),
                       "kernel_size": int(ss["tr_kernel"]), "pooling": ss["tr_pool"],
                       "dropout": float(ss["tr_dropout"]), "dense_units": int(ss["tr_dense"]),
                       "batch_norm": bool(ss["tr_bn"])}
    else:  # a zoo architecture keeps the preset's sizes only when it is the preset's own
        arch_params = dict(preset.arch_params) if arch == preset.architecture else {}
    epochs = int(ss["tr_epochs"])
    warmup = preset.warmup_epochs if ss["tr_sched"] == "cosine" else 0.0
    return TrainConfig(
        architecture=arch, epochs=epochs, batch_size=int(ss["tr_batch"]), learning_rate=float(ss["tr_lr"]),
        lr_schedule=ss["tr_sched"], warmup_epochs=min(warmup, epochs - 1), optimizer=ss["tr_opt"],
        weight_decay=float(ss["tr_wd"]), label_smoothing=float(ss["tr_ls"]), augment=bool(ss["tr_aug"]),
        augmentations=tuple(ss.get("tr_augs") or preset.augmentations), validation_split=float(ss["tr_val"]),
        train_subset=int(ss["tr_subset"]), seed=int(ss["tr_seed"]),
        tta_flip=preset.tta_flip and arch == preset.architecture, arch_params=arch_params,
        photos="shipped" if ss.get("tr_photos") and real_photo_count() else "")


@st.cache_data(show_spinner=False)
def real_photo_count() -> int:
    """How many of the repo's processed phone photos a run can learn from (0 if missing)."""
    try:
        return int((~shipped().holdout).sum())
    except PhotoSetError:
        return 0


def form_problems(config: TrainConfig) -> list[str]:
    """Why these settings cannot run, in the user's language (empty when they can): the
    core's own rules (TrainConfig.problems, each an i18n key) plus the one only the form has."""
    ss = st.session_state
    problems = [("train.err.no_aug", {})] if ss["tr_aug"] and not ss.get("tr_augs") else []
    cap = job_manager().limits.max_epochs          # the server's cap (secrets / environment)
    if config.epochs > cap:
        problems.append(("train.err.epochs_cap", {"limit": cap}))
    return [tr(key, **params) for key, params in problems + config.problems()]


@st.cache_data(show_spinner=False, max_entries=64)
def model_summary(architecture: str, params_json: str) -> tuple[list[dict], int]:
    """Layer table and parameter count of a freshly built (untrained) model."""
    model = build(architecture, **json.loads(params_json))
    return summary_rows(model), int(model.count_params())


def prepare_form() -> None:
    """Give every form widget its value before anything is drawn, so the Start button at
    the top of the page sees the same settings the expander below shows."""
    ss = st.session_state
    init_form()
    if ss["tr_arch"] == "custom":
        for key, name in (("tr_blocks", "conv_blocks"), ("tr_filters", "filters"), ("tr_kernel", "kernel_size"),
                          ("tr_pool", "pooling"), ("tr_dropout", "dropout"), ("tr_dense", "dense_units"),
                          ("tr_bn", "batch_norm")):
            ensure(key, CUSTOM_DEFAULTS[name])
    if ss["tr_aug"]:
        ensure("tr_augs", list(PRESETS[base_preset()].augmentations))
    # The preset box follows the form: once a setting differs from the preset, it says so.
    if ss["tr_preset"] in PRESETS and form_config() != PRESETS[ss["tr_preset"]]:
        ss[BASE_KEY] = ss["tr_preset"]
        ss["tr_preset"] = "custom"


def preset_line(config: TrainConfig) -> str:
    """What Start will run, in one line: architecture, epochs, batch, images, augmentation."""
    L = lang()
    images = config.train_subset or 60000
    parts = [label("arch", config.architecture), tr("train.line.epochs", n=config.epochs),
             tr("train.line.batch", n=config.batch_size), tr("train.line.lr", lr=fmt_float(config.learning_rate, L, None)),
             tr("train.line.images", n=fmt_int(images * (1 - config.validation_split), L))]
    if config.augment:
        parts.append(", ".join(label("aug", a) for a in config.augmentations))
    if config.photos:
        parts.append(tr("train.line.photos", n=fmt_int(real_photo_count(), L)))
    return " · ".join(parts)


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


def ask_about_clash(clash: jobs.NameClash, config: TrainConfig) -> None:
    """A name already taken: ask, never rename behind the user's back. Replace (only where
    this browser may: the teacher, or the browser that trained that model), keep both
    under a free name shown on the button, or edit the name."""
    ss = st.session_state
    accuracy = clash.model.accuracy if clash.model is not None else None
    replace = False
    with st.container(key="tr_clash"):
        st.warning(tr(f"train.clash.{clash.kind}", name=clash.taken_by, accuracy=fmt_pct(accuracy, lang())),
                   icon=":material/warning:")
        b1, b2, b3 = st.columns(3)
        if clash.kind == "model":
            replace = b1.button(tr("train.clash_overwrite", name=clash.taken_by), key="tr_clash_overwrite",
                                icon=":material/sync:", disabled=not clash.may_replace, width="stretch")
        b2.button(tr("train.clash_keep_both", name=clash.suggestion), key="tr_clash_keep_both",
                  icon=":material/library_add:", on_click=_keep_both, args=(clash.suggestion,), width="stretch")
        b3.button(tr("train.clash_edit"), key="tr_clash_edit", icon=":material/edit:", on_click=_edit_name,
                  width="stretch")
        if clash.kind == "model" and not clash.may_replace:
            st.caption(tr(clash.refusal, name=clash.taken_by))
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
                                   teacher=is_teacher())
    except jobs.JobRefused as e:   # the classroom rules: one run per browser, the caps, who may replace
        st.error(tr(e.key, **e.params))
    except ValueError as e:   # a rule only the job manager knows; ConfigError says it in the user's language
        st.error(e.message(lang()) if hasattr(e, "message") else tr("train.err.other", error=str(e)))
    else:
        ss["_tr_scroll_to_run"] = True
        follow(job.id)
        st.rerun()


def render_settings(config: TrainConfig, problems: list[str]) -> None:
    """Every setting, in an expander under the live run: presets fill it, the user edits it."""
    ss = st.session_state
    with st.expander(tr("train.settings"), expanded=ss["tr_preset"] == "custom", icon=":material/tune:"):
        left, right = st.columns([1, 1], gap="large")
        with left:
            st.markdown(f"**{tr('train.model')}**")
            st.selectbox(tr("train.architecture"), list(ARCHITECTURES), key="tr_arch",
                         format_func=lambda k: tr(f"train.arch.{k}"))
            st.caption(tr(f"train.arch.{ss['tr_arch']}.help"))
            if ss["tr_arch"] == "custom":
                b1, b2 = st.columns(2)
                b1.slider(tr("train.conv_blocks"), *CUSTOM_LIMITS["conv_blocks"], key="tr_blocks",
                          help=tr("train.conv_blocks_help"))
                b2.select_slider(tr("train.filters"), (8, 16, 32, 64, 128), key="tr_filters", help=tr("train.filters_help"))
                b1.select_slider(tr("train.kernel"), CUSTOM_LIMITS["kernel_size"], key="tr_kernel")
                b2.selectbox(tr("train.pooling"), CUSTOM_LIMITS["pooling"], key="tr_pool",
                             format_func=lambda k: tr(f"train.pool.{k}"))
                b1.slider(tr("train.dropout"), 0.0, 0.8, step=0.05, key="tr_dropout")
                b2.select_slider(tr("train.dense"), (0, 32, 64, 128, 256, 512, 1024), key="tr_dense",
                                 help=tr("train.dense_help"))
                st.checkbox(tr("train.batch_norm"), key="tr_bn")

        with right:
            st.markdown(f"**{tr('train.hyper')}**")
            h1, h2 = st.columns(2)
            h1.number_input(tr("train.epochs"), min_value=1, max_value=500, step=1, key="tr_epochs")
            h2.selectbox(tr("train.batch"), BATCH_SIZES, key="tr_batch")
            rates = sorted(set(LEARNING_RATES) | {float(ss["tr_lr"])})
            h1.select_slider(tr("train.lr"), rates, key="tr_lr", format_func=lambda v: fmt_float(v, lang(), None))
            h2.selectbox(tr("train.schedule"), SCHEDULES, key="tr_sched", format_func=lambda k: tr(f"train.sched.{k}"))
            h1.selectbox(tr("train.optimizer"), OPTIMIZERS, key="tr_opt", format_func=lambda k: tr(f"train.opt.{k}"))
            h2.number_input(tr("train.subset"), min_value=0, max_value=60000, step=500, key="tr_subset",
                            help=tr("train.subset_help"))
            st.slider(tr("train.val_split"), 0.0, 0.45, step=0.05, key="tr_val", help=tr("train.val_split_help"))
            if real_photo_count():
                st.toggle(tr("train.photos", n=fmt_int(real_photo_count(), lang())), key="tr_photos",
                          help=tr("train.photos_help"))
            st.toggle(tr("train.augment"), key="tr_aug", help=tr("train.augment_help"))
            if ss["tr_aug"]:
                st.multiselect(tr("train.augmentations"), AUGMENTATIONS, key="tr_augs",
                               format_func=lambda k: tr(f"train.aug.{k}"))
            st.markdown(f"**{tr('train.advanced')}**")
            a1, a2, a3 = st.columns(3)
            a1.number_input(tr("train.weight_decay"), min_value=0.0, max_value=0.1, step=1e-4, format="%.4f", key="tr_wd")
            a2.number_input(tr("train.label_smoothing"), min_value=0.0, max_value=0.45, step=0.05, key="tr_ls")
            a3.number_input(tr("train.seed"), min_value=0, max_value=2**31 - 1, step=1, key="tr_seed",
                            help=tr("train.seed_help"))

        st.markdown(f"**{tr('train.summary')}**")
        render_summary(config, problems)
        counts = jobs.manager().counts()
        st.caption(tr("train.server_status", running=counts["running"], queued=counts["queued"], limit=counts["limit"]))
    save_form()


def render_summary(config: TrainConfig, problems: list[str]) -> None:
    if config.architecture == "custom" and custom_problems(config.arch_params):
        st.caption(tr("train.summary_unavailable"))
        return
    try:
        rows, total = model_summary(config.architecture, json.dumps(config.arch_params, sort_keys=True))
    except ValueError:
        st.caption(tr("train.summary_unavailable"))
        return
    L = lang()
    for row in rows:
        row["type"] = layer_type_name(row["type"])
        row["params"] = fmt_int(row["params"], L)
    table = pd.DataFrame(rows).rename(columns={"name": tr("train.col.layer"), "type": tr("train.col.type"),
                                               "output_shape": tr("train.col.shape"),
                                               "params": tr("train.col.params")})
    st.dataframe(table, hide_index=True, width="stretch", height=min(420, 38 + 35 * len(table)))
    st.metric(tr("train.total_params"), fmt_int(total, L))


def layer_type_name(kind: str) -> str:
    """Conv2D -> 'Convolution (Conv2D)': the layer's kind in the user's language, Keras' name after it."""
    return layer_kind(kind, lang())


def _timestamp() -> str:
    import time
    return time.strftime("%Y%m%d-%H%M%S")


# --- the live view of one job ------------------------------------------------------------

def follow(job_id: str | None) -> None:
    """Make this tab follow job_id (or nothing), in the session and in the URL."""
    if job_id:
        st.session_state[JOB_KEY] = job_id
        if st.query_params.get("job") != job_id:
            st.query_params["job"] = job_id
    else:
        st.session_state.pop(JOB_KEY, None)
        st.query_params.pop("job", None)


def current_job() -> jobs.Job | None:
    """The run this tab follows: the URL's or the session's, else this browser's own
    queued or running run (so any tab of the browser finds it)."""
    job_id = st.query_params.get("job") or st.session_state.get(JOB_KEY)
    if not job_id:
        mine = job_manager().active_job_of(browser_id())
        if mine is None:
            return None
        job_id = mine.id
    job = job_manager().get(job_id)
    if job is None:
        st.info(tr("train.job_gone"))
        follow(None)
        return None
    follow(job.id)
    return job


def _clock(seconds: float | None) -> str:
    return fmt_clock(seconds)


def _pct(value: float | None) -> str:
    return fmt_pct(value, lang())


def error_text(snap: dict) -> str:
    """The job's failure in the user's language, from the i18n key and parameters the
    core gave it (never by reading its English text)."""
    if snap.get("error_key"):
        return tr(snap["error_key"], **(snap.get("error_params") or {}))
    return tr("train.err.failed", error=snap.get("error") or "?")


TRAIN_COLOR, VAL_COLOR, BATCH_COLOR = charts.TRAIN_COLOR, charts.VAL_COLOR, charts.BATCH_COLOR


def curves_figure(snap: dict) -> tuple[go.Figure, go.Figure]:
    """Accuracy and loss: the running value of every batch (thin line, from the first
    batch on) and one point per epoch (training dashed, validation solid). Accuracy on a
    fixed 0-100 % axis; loss on a log axis with the first batches' spike clipped, so the
    epoch points stay readable. The x axis spans the whole planned run."""
    epochs = snap["config"]["epochs"]
    history = snap["history"]
    L, big = lang(), projector()
    x = list(range(1, len(history.get("loss", [])) + 1))
    acc, loss = go.Figure(), go.Figure()
    for fig, points, name in ((acc, snap.get("accuracy_points") or [], tr("train.curve.batch_accuracy")),
                              (loss, snap.get("loss_points") or [], tr("train.curve.batch_loss"))):
        if points:
            bx, by = zip(*points)
            fig.add_trace(go.Scatter(x=bx, y=by, name=name, mode="lines", line={"width": 1.5, "color": BATCH_COLOR}))
    for fig, metric in ((acc, "accuracy"), (loss, "loss")):
        for key, name, color, dash in ((metric, tr("train.curve.train"), TRAIN_COLOR, "dash"),
                                       (f"val_{metric}", tr("train.curve.val"), VAL_COLOR, "solid")):
            if history.get(key):
                fig.add_trace(go.Scatter(x=x, y=history[key], name=name, mode="lines+markers",
                                         line={"dash": dash, "color": color}, marker={"size": 9 if big else 7}))
    charts.style(acc, L, title=tr("train.chart.accuracy"), x_title=tr("train.col.epoch"),
                 y_title=tr("train.chart.accuracy"), projector=big, height=320)
    charts.style(loss, L, title=tr("train.chart.loss_log"), x_title=tr("train.col.epoch"),
                 y_title=tr("train.chart.loss"), projector=big, height=320)
    acc.update_yaxes(range=[0, 1.02], tickformat=".0%")
    values = [v for _, v in snap.get("loss_points") or []] + [v for k in ("loss", "val_loss") for v in history.get(k, [])]
    loss.update_yaxes(type="log", range=charts.loss_axis_range(values))
    for fig in (acc, loss):
        fig.update_xaxes(range=[0, max(epochs, 1) + 0.2], dtick=1 if epochs <= 20 else None)
    return acc, loss


def render_result(snap: dict) -> None:
    result = snap["result"] or {}
    path = result.get("model_path")
    st.success(tr("train.done", accuracy=_pct(result.get("test_metrics", {}).get("accuracy")),
                  epochs=result.get("epochs_completed", 0), duration=fmt_duration(result.get("fit_seconds", 0))))
    if not path:
        return
    st.caption(tr("train.saved_as", name=Path(path).stem))
    if active_model_path() == path:
        st.info(tr("train.is_active"))
    elif st.button(tr("train.make_active"), key=f"tr_activate_{snap['id']}", icon=":material/check_circle:"):
        set_active_model(path)
        st.rerun()   # the whole app: the sidebar shows the new active model


def render_job(job: jobs.Job, polling: bool) -> None:
    snap = job.snapshot()
    state = snap["state"]
    st.subheader(tr("train.run_title", name=snap["name"]))
    progress = snap["progress"]
    if state == jobs.QUEUED:
        m = jobs.manager()
        st.info(tr("train.queued", position=m.queue_position(job), limit=m.max_running))
        st.progress(0.0, text=tr("train.waiting"))
        if not may_stop(job):
            st.caption(tr("train.not_yours"))
        elif st.button(tr("train.cancel"), key="tr_stop", icon=":material/cancel:"):
            stop_job(job)
            st.rerun()
    elif state == jobs.RUNNING:
        phase = snap.get("phase")
        if progress is None or phase == "preparing":
            st.progress(0.0, text=tr("train.preparing"))
        elif phase == "validating":
            st.progress(min(1.0, snap.get("phase_fraction") or 0.0),
                        text=tr("train.phase.validating", epoch=progress["epoch"] + 1, epochs=progress["epochs"],
                                percent=f"{100 * (snap.get('phase_fraction') or 0.0):.0f}"))
        elif phase in ("recalibrating", "testing", "saving"):
            st.progress(1.0, text=tr(f"train.phase.{phase}"))
        else:
            st.progress(min(1.0, progress["fraction"]),
                        text=tr("train.progress", epoch=progress["epoch"] + 1, epochs=progress["epochs"],
                                batch=progress["batch"], batches=progress["batches"],
                                percent=f"{100 * progress['fraction']:.0f}"))
        val = snap["history"].get("val_accuracy") or [None]
        metric_row("tr_live_metrics", [(tr("train.eta"), _clock(progress and progress["eta"])),
                                       (tr("train.elapsed"), _clock(progress and progress["elapsed"])),
                                       (tr("train.batch_loss"), fmt_float(progress["loss"], lang(), 4) if progress else "—"),
                                       (tr("train.batch_accuracy"), _pct(progress and progress["accuracy"])),
                                       (tr("train.val_accuracy"), _pct(val[-1]))])
        if snap["stop_requested"]:
            st.warning(tr("train.stopping"))
        elif not may_stop(job):
            st.caption(tr("train.not_yours"))
        elif st.button(tr("train.stop"), key="tr_stop", icon=":material/stop_circle:"):
            stop_job(job)
            st.rerun(scope="fragment")
    elif state == jobs.DONE:
        st.progress(1.0, text=tr("train.finished"))
        render_result(snap)
    elif state == jobs.STOPPED:
        done = (snap["result"] or {}).get("epochs_completed", 0)
        st.warning(tr("train.stopped", epochs=done) if done else tr("train.stopped_empty"))
        if done:
            render_result(snap)
    elif state == jobs.FAILED:
        st.error(error_text(snap))
    elif state == jobs.CANCELLED:
        st.info(tr("train.cancelled"))

    if snap["history"] or snap["loss_points"]:
        acc, loss = curves_figure(snap)
        g1, g2 = st.columns(2)
        g1.plotly_chart(acc, width="stretch", key="tr_live_acc")
        g2.plotly_chart(loss, width="stretch", key="tr_live_loss")

    if polling and state in jobs.FINAL_STATES:
        st.rerun()   # the whole page: stop polling, list the new model everywhere
    if not polling and state in jobs.FINAL_STATES:
        if st.button(tr("train.new_run"), key="tr_dismiss", icon=":material/add:"):
            follow(None)
            st.rerun()


def may_stop(job: jobs.Job) -> bool:
    """Only the browser that started a run, or the teacher, may stop it."""
    return job_manager().can_control(job, browser_id(), is_teacher())


def stop_job(job: jobs.Job) -> None:
    try:
        job_manager().stop(job.id, requester=browser_id(), teacher=is_teacher())
    except jobs.JobRefused as e:
        st.error(tr(e.key, **e.params))


def render_all_runs() -> None:
    """The teacher's view: every queued or running run on the server, each with Stop."""
    active = [j for j in job_manager().jobs() if j.active]
    with st.expander(tr("train.all_runs"), icon=":material/school:", expanded=bool(active)):
        if not active:
            st.caption(tr("train.all_runs_empty"))
        for j in active:
            c1, c2, c3 = st.columns([6, 1, 1], vertical_alignment="center")
            c1.write(tr("train.run_line", name=j.name, state=tr(f"train.state.{j.state}"),
                        owner=(j.owner or "?")[-4:]))
            if c2.button(tr("train.open_run"), key=f"tr_open_{j.id}"):
                follow(j.id)
                st.rerun()
            if c3.button(tr("train.stop_run"), key=f"tr_teacher_stop_{j.id}", disabled=j.stop_requested):
                stop_job(j)
                st.rerun()


def render_live(job: jobs.Job) -> None:
    polling = job.active

    @st.fragment(run_every=POLL_SECONDS if polling else None)
    def live():
        render_job(job, polling)

    live()


# --- compare runs ------------------------------------------------------------------------

def label(kind: str, value) -> str:
    """The translated name of a setting's value; the value itself when it has none."""
    key = f"train.{kind}.{value}"
    return tr(key) if key in TABLE else str(value)


def run_label(m: registry.ModelEntry, number: int) -> str:
    """'#3 · fast-demo · 14:05 12/03 · 91,02 %': runs with the same name and settings stay apart."""
    when = str(m.card.get("date", ""))[:16].replace("T", " ")
    return " · ".join(x for x in (f"#{number}", m.display_name, when, _pct(m.accuracy)) if x)


def settings_row(m: registry.ModelEntry, number: int) -> dict:
    """Every setting of a run, translated, for the Compare table."""
    L = lang()
    c = m.card.get("config", {})
    h = m.card.get("history", {})
    p = c.get("arch_params") or {}
    aug = ", ".join(label("aug", a) for a in c.get("augmentations", [])) if c.get("augment") else tr("train.no")
    subset = c.get("train_subset") or 60000
    val = float(c.get("validation_split") or 0)
    row = {
        tr("train.col.number"): f"#{number}",
        tr("train.col.run"): m.display_name,
        tr("train.col.date"): str(m.card.get("date", ""))[:16].replace("T", " "),
        tr("train.col.test_accuracy"): _pct(m.accuracy),
        tr("train.col.architecture"): label("arch", c.get("architecture") or m.card.get("architecture")),
        tr("train.col.blocks"): p.get("conv_blocks", "—"),
        tr("train.col.filters"): p.get("filters", "—"),
        tr("train.col.kernel"): p.get("kernel_size", "—"),
        tr("train.col.pooling"): label("pool", p["pooling"]) if "pooling" in p else "—",
        tr("train.col.dropout"): fmt_float(p["dropout"], L, 2) if "dropout" in p else "—",
        tr("train.col.dense"): p.get("dense_units", "—"),
        tr("train.col.batch_norm"): (tr("train.yes") if p["batch_norm"] else tr("train.no")) if "batch_norm" in p else "—",
        tr("train.col.epochs"): m.card.get("epochs_completed", len(h.get("loss", []))),
        tr("train.col.batch"): c.get("batch_size"),
        tr("train.col.lr"): fmt_float(c.get("learning_rate"), L, None),
        tr("train.col.optimizer"): label("opt", c.get("optimizer")),
        tr("train.col.schedule"): label("sched", c.get("lr_schedule")),
        tr("train.col.weight_decay"): fmt_float(c.get("weight_decay", 0.0), L, None),
        tr("train.col.label_smoothing"): fmt_float(c.get("label_smoothing", 0.0), L, None),
        tr("train.col.augmentation"): aug,
        tr("train.col.photos"): fmt_int((m.card.get("photos") or {}).get("trained_on"), L)
        if isinstance(m.card.get("photos"), dict) else tr("train.no"),
        tr("train.col.subset"): fmt_int(subset * (1 - val), L),
        tr("train.col.val_split"): fmt_pct(val, L, 0),
        tr("train.col.seed"): c.get("seed"),
        tr("train.col.params"): fmt_int(m.card.get("params"), L),
        tr("train.col.fit_time"): fmt_duration(m.card.get("fit_seconds"), L),
    }
    return {k: ("—" if v is None else str(v)) for k, v in row.items()}


def render_compare() -> None:
    listing = registry.list_models()
    runs = [m for m in listing.models if m.card.get("history", {}).get("loss")]
    if not runs:
        st.info(tr("train.compare_empty"))
        return
    by_path = {str(m.path): m for m in runs}
    # Run numbers count from the oldest run, so a new run never renumbers the others.
    oldest_first = sorted(runs, key=lambda m: (not m.shipped, str(m.card.get("date", ""))))
    number = {str(m.path): i for i, m in enumerate(oldest_first, 1)}
    labels = {p: run_label(m, number[p]) for p, m in by_path.items()}
    user_runs = [p for p, m in by_path.items() if not m.shipped]   # newest first
    # A new run changes the widget's key, so it appears with the newest runs selected.
    key = "tr_compare_" + hashlib.sha1("|".join(by_path).encode()).hexdigest()[:10]
    chosen = st.multiselect(tr("train.compare_pick"), list(by_path), default=user_runs[:3] or list(by_path)[:1],
                            format_func=labels.get, key=key)
    if not chosen:
        st.caption(tr("train.compare_none"))
        return
    metric = st.radio(tr("train.compare_metric"), ("accuracy", "loss"), horizontal=True, key="tr_compare_metric",
                      format_func=lambda k: tr(f"train.chart.{k}"))
    fig = go.Figure()
    rows = []
    for i, p in enumerate(chosen):
        m = by_path[p]
        color = COLORS[i % len(COLORS)]
        h = m.card.get("history", {})
        for key, dash, part in ((metric, "dash", tr("train.curve.train")), (f"val_{metric}", "solid", tr("train.curve.val"))):
            if h.get(key):
                fig.add_trace(go.Scatter(x=list(range(1, len(h[key]) + 1)), y=h[key], mode="lines+markers",
                                         name=f"#{number[p]} {m.display_name} · {part}",
                                         line={"color": color, "dash": dash}))
        rows.append(settings_row(m, number[p]))
    charts.style(fig, lang(), title=tr(f"train.chart.{metric}"), x_title=tr("train.col.epoch"),
                 y_title=tr(f"train.chart.{metric}"), projector=projector(), height=420)
    if metric == "accuracy":
        fig.update_yaxes(tickformat=".0%")
    else:
        fig.update_yaxes(type="log")
    st.plotly_chart(fig, width="stretch", key="tr_compare_chart")
    st.caption(tr("train.compare_legend"))
    # settings as rows, runs as columns: every setting reads on a projector and a phone
    table = pd.DataFrame(rows).set_index(tr("train.col.number")).T
    st.dataframe(table, width="stretch", height=38 + 35 * len(table))


# --- the page -------------------------------------------------------------------------------

st.title(tr("train.title"))
prepare_form()
_config = form_config()
_problems = form_problems(_config)
render_start(_config, _problems)
st.caption(tr("train.visible_to_class"))
if is_teacher():
    render_all_runs()

job = current_job()
if job is not None:
    with st.container(key="tr_live_run"):
        render_live(job)
    if st.session_state.pop("_tr_scroll_to_run", False):
        scroll_into_view("tr_live_run", nonce=str(job.id))   # right after Start (the page may be scrolled down)
    if job.active:
        st.caption(tr("train.busy_hint"))

render_settings(_config, _problems)
with st.expander(tr("train.tab_compare"), icon=":material/compare_arrows:"):
    render_compare()
st.caption(tr("train.intro"))
