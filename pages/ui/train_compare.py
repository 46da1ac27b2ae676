"""The Train page's comparison of runs: their curves on one chart and every setting of
each run side by side."""
from __future__ import annotations

import hashlib

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from fashion.i18n.numbers import fmt_duration, fmt_float, fmt_int, fmt_pct
from fashion.judging import charts
from fashion.model import registry
from pages.ui.chart_axes import percent_axis
from pages.ui.session import lang, tr
from pages.ui.train_form import label
from pages.ui.widgets import projector

COLORS = charts.RUN_COLORS
COMPARE_OPEN = "tr_compare_open"   # the Compare expander's state (pages/train.py): drawn only while open


def _pct(value: float | None) -> str:
    return fmt_pct(value, lang())


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
    if metric == "accuracy":       # ticks written like the labels: "92 %", "92,5 %"
        percent_axis(fig, lang(), values=[v for m in chosen for k in ("accuracy", "val_accuracy")
                                          for v in by_path[m].card.get("history", {}).get(k) or []])
    else:
        fig.update_yaxes(type="log")
    st.plotly_chart(fig, width="stretch", key="tr_compare_chart")
    st.caption(tr("train.compare_legend"))
    # settings as rows, runs as columns: every setting reads on a projector and a phone
    table = pd.DataFrame(rows).set_index(tr("train.col.number")).T
    st.dataframe(table, width="stretch", height="content")
