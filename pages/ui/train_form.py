"""The Train page's form: presets fill it, the user edits it; what it describes as a
TrainConfig, why that cannot run, the one-line summary under Start, and the settings
expander with the model's layer table.

The widgets' values live in st.session_state (keys tr_*), kept across page switches. The
settings expander draws its widgets only while it is open (so the page paints its first
row at once, and a cold server starts TensorFlow for the layer table only when asked);
while it is closed, its widgets' values are kept as plain session values (prepare_form)."""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from fashion.i18n import TABLE
from fashion.i18n.names import layer_kind
from fashion.i18n.numbers import fmt_float, fmt_int
from fashion.model.architectures import (
    ARCHITECTURES,
    CUSTOM_DEFAULTS,
    CUSTOM_LIMITS,
    build,
    custom_problems,
    summary_rows,
)
from fashion.photos.photoset import PhotoSetError, shipped
from fashion.runs.manager import manager
from fashion.training.train import AUGMENTATIONS, OPTIMIZERS, PRESETS, SCHEDULES, TrainConfig
from pages.ui.session import job_manager, lang, tr
from pages.ui.train_augment import render_augmentation_preview

SAVED_KEY = "_train_form"         # session: the form's values, kept across page switches
DRAWN_KEY = "_train_form_drawn"   # session: the form widgets drawn in the last run
PRESET_ORDER = ("quick", "seed", "overfit", "best", "custom")   # custom: the user's own settings
BASE_KEY = "_train_base_preset"   # session: the preset the user's own settings started from
BATCH_SIZES = (16, 32, 64, 128, 256, 512, 1024)
LEARNING_RATES = (1e-4, 3e-4, 5e-4, 1e-3, 2e-3, 3e-3, 5e-3, 8e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
SETTINGS_OPEN = "tr_settings_open"   # the settings expander's state: its content runs only while open
START_KEYS = ("tr_preset", "tr_name")  # the first row's widgets, drawn on every run
FORM_KEYS = ("tr_preset", "tr_arch", "tr_blocks", "tr_filters", "tr_kernel", "tr_pool", "tr_dropout",
             "tr_dense", "tr_bn", "tr_epochs", "tr_batch", "tr_lr", "tr_sched", "tr_opt", "tr_aug",
             "tr_augs", "tr_subset", "tr_val", "tr_wd", "tr_ls", "tr_seed", "tr_name", "tr_photos")


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
        ss[SETTINGS_OPEN] = True
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


def save_form(settings_drawn: bool) -> None:
    """Remember the values of the widgets drawn in this run (a hidden widget's state is
    stale, so the last value it showed is kept instead). With the settings expander
    closed only the first row was drawn; the others keep the values prepare_form gave them."""
    ss = st.session_state
    hidden = set()
    if ss["tr_arch"] != "custom":
        hidden.update(BUILDER_KEYS)
    if not ss["tr_aug"]:
        hidden.add("tr_augs")
    kept = {k: ss[k] for k in FORM_KEYS if k in ss and k not in hidden}
    ss[SAVED_KEY] = {**ss.get(SAVED_KEY, {}), **kept}
    ss[DRAWN_KEY] = tuple(kept) if settings_drawn else tuple(k for k in START_KEYS if k in kept)


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
    defaults = preset_values(base_preset())
    for key in FORM_KEYS:                   # the settings' widgets: drawn only while their expander is open
        if key not in START_KEYS and key not in BUILDER_KEYS and key != "tr_augs":
            ensure(key, defaults[key])
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


def label(kind: str, value) -> str:
    """The translated name of a setting's value; the value itself when it has none."""
    key = f"train.{kind}.{value}"
    return tr(key) if key in TABLE else str(value)


def render_settings(config: TrainConfig, problems: list[str]) -> None:
    """Every setting, in an expander under the live run: presets fill it, the user edits it.
    Drawn only while the expander is open (its state is the session key SETTINGS_OPEN)."""
    ss = st.session_state
    box = st.expander(tr("train.settings"), icon=":material/tune:", key=SETTINGS_OPEN, on_change="rerun")
    if not box.open:
        save_form(settings_drawn=False)
        return
    with box:
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
                render_augmentation_preview(list(ss.get("tr_augs") or []))
            st.markdown(f"**{tr('train.advanced')}**")
            a1, a2, a3 = st.columns(3)
            a1.number_input(tr("train.weight_decay"), min_value=0.0, max_value=0.1, step=1e-4, format="%.4f", key="tr_wd")
            a2.number_input(tr("train.label_smoothing"), min_value=0.0, max_value=0.45, step=0.05, key="tr_ls")
            a3.number_input(tr("train.seed"), min_value=0, max_value=2**31 - 1, step=1, key="tr_seed",
                            help=tr("train.seed_help"))

        # Every setting is on screen now: remember them before the slow layer table. A value
        # typed while the table is still being built interrupts this run; the next run must
        # know these widgets were drawn, or prepare_form would put the old value back.
        save_form(settings_drawn=True)
        st.markdown(f"**{tr('train.summary')}**")
        with st.spinner(tr("train.summary_loading")):   # a cold server starts TensorFlow to build the model
            render_summary(config, problems)
        counts = manager().counts()
        st.caption(tr("train.server_status", running=counts["running"], queued=counts["queued"], limit=counts["limit"]))


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
    st.dataframe(table, hide_index=True, width="stretch", height="content")     # every layer
    st.metric(tr("train.total_params"), fmt_int(total, L))


def layer_type_name(kind: str) -> str:
    """Conv2D -> 'Convolution (Conv2D)': the layer's kind in the user's language, Keras' name after it."""
    return layer_kind(kind, lang())
