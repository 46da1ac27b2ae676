"""The Inside-the-CNN page's pieces: numbers in the user's language, the image card
(image, verdict, the 10 probabilities), the layer table, and the sections that become
tabs in projector mode."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from fashion.i18n.names import layer_kind
from fashion.i18n.numbers import fmt_int, fmt_pct
from pages.ui.display import enlarge
from pages.ui.probability_bars import probability_bars
from pages.ui.session import lang, tr


def num(n: int) -> str:
    """1,234 in English, 1.234 in Spanish."""
    return fmt_int(n, lang())


def pct(p: float) -> str:
    return fmt_pct(float(p), lang(), 1)


def shape_text(shape) -> str:
    return "×".join(str(s) for s in shape) if shape else "?"


def image_card(img, true_class, p, caption_text, key, class_names: list[str], stacked=False):
    """The image, the verdict and the bar chart of the 10 probabilities."""
    if stacked:
        left, right = st.container(), st.container()
    else:
        left, right = st.columns([1, 2])
    left.image(enlarge(img, 7), caption=caption_text)
    pred = int(np.argmax(p))
    with right:
        st.markdown(tr("explain.prediction", name=class_names[pred], prob=pct(p[pred])))
        if true_class is not None:
            if pred == true_class:
                st.success(tr("explain.right"))
            else:
                st.error(tr("explain.wrong", name=class_names[true_class]))
        colors = ["#9aa5b1"] * 10
        if true_class is not None:
            colors[true_class] = "#1f77b4"
            if pred != true_class:
                colors[pred] = "#d62728"
        else:
            colors[pred] = "#1f77b4"
        st.caption(tr("explain.probs_title"))
        st.plotly_chart(probability_bars(p, class_names, colors, lang()),
                        key=f"probs_{key}", config={"displayModeBar": False})


class Sections:
    """In projector mode each numbered section opens its own tab, so the class sees one
    screen at a time; otherwise each starts with a header in one scroll."""

    def __init__(self, titles: dict[str, str], tabs: bool):
        self.tabs = dict(zip(titles, st.tabs(list(titles.values())))) if tabs else {}
        self.current = None

    def start(self, name: str, title: str) -> None:
        if not self.tabs:
            st.header(title)
            return
        if name not in self.tabs:   # a part of the tab already open
            st.subheader(title)
            return
        if self.current is not None:
            self.current.__exit__(None, None, None)
        self.current = self.tabs[name]
        self.current.__enter__()


def layer_settings(cfg: dict) -> str:
    """A layer's filters, units, pooling, stride, padding, activation and rate, in words."""
    parts = []
    if "filters" in cfg:
        parts.append(tr("explain.set_filters", n=cfg["filters"], k=shape_text(cfg.get("kernel_size"))))
    if "units" in cfg:
        parts.append(tr("explain.set_units", n=cfg["units"]))
    if "pool_size" in cfg:
        parts.append(tr("explain.set_pool", p=shape_text(cfg["pool_size"])))
    strides = cfg.get("strides")
    if strides and (strides != cfg["pool_size"] if "pool_size" in cfg else any(s != 1 for s in strides)):
        parts.append(tr("explain.set_stride", s=shape_text(cfg["strides"])))
    if "padding" in cfg and ("filters" in cfg or "pool_size" in cfg):
        parts.append(tr("explain.set_padding", p=cfg["padding"]))
    if "activation" in cfg:
        parts.append(tr("explain.set_activation", a=cfg["activation"]))
    if "rate" in cfg:
        parts.append(tr("explain.set_rate", r=pct(cfg["rate"])))
    return ", ".join(parts)


def layer_table(rows: list[dict]) -> pd.DataFrame:
    """The network's layers, one row each, with the settings that define them in words."""
    return pd.DataFrame([{tr("explain.col_layer"): r["name"], tr("explain.col_type"): layer_kind(r["type"], lang()),
                          tr("explain.col_shape"): shape_text(r["output_shape"]), tr("explain.col_params"): r["params"],
                          tr("explain.col_settings"): layer_settings(r["config"])} for r in rows])
