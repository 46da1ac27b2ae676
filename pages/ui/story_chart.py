"""The whole training of a model trained in stages (fashion.judging.story), drawn for
Evaluate: one curve over all its epochs, stage boundaries marked and named, and a table
of the stages; and the headline numbers (epochs, time) of the whole training."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from fashion.i18n.numbers import fmt_duration, fmt_int, fmt_pct
from fashion.judging import charts
from fashion.judging.story import TrainingStory
from pages.ui.chart_axes import percent_axis
from pages.ui.session import lang, tr
from pages.ui.widgets import projector

GREEN = "#2a9d4b"


def epochs_text(story: TrainingStory) -> str:
    """'23 (3 stages)' or '10'."""
    if story.epochs is None:
        return tr("common.unknown")
    text = fmt_int(story.epochs, lang())
    return tr("eval.story.epochs", epochs=text, stages=len(story.stages)) if story.staged else text


def time_text(story: TrainingStory) -> str:
    return fmt_duration(story.fit_seconds, lang()) if story.fit_seconds is not None else tr("common.unknown")


def render_whole_training(story: TrainingStory) -> None:
    """Test accuracy where each stage ended, the per-epoch curves where the card has them,
    a dotted line between stages; then the stages as a table."""
    L = lang()
    fig = go.Figure()
    ends = [s for s in story.stages if s.test_accuracy is not None]
    fig.add_scatter(x=[s.last_epoch for s in ends], y=[s.test_accuracy for s in ends], mode="lines+markers",
                    name=tr("eval.story.test_at_end"), line={"color": GREEN, "width": 3},
                    hovertext=[tr("eval.story.stage_hover", n=s.number, what=s.what, acc=fmt_pct(s.test_accuracy, L))
                               for s in ends], hoverinfo="text")
    for s in story.stages:
        for key, label, colour, dash in (("accuracy", tr("common.train"), charts.BLUE, "solid"),
                                         ("val_accuracy", tr("common.validation"), charts.ORANGE, "dash")):
            values = s.history.get(key) or []
            if values:
                fig.add_scatter(x=list(range(s.first_epoch, s.first_epoch + len(values))), y=values,
                                name=f"{label} · {tr('eval.story.stage', n=s.number)}", mode="lines+markers",
                                line={"color": colour, "dash": dash})
    for s in story.stages:
        if s.first_epoch > 1:
            fig.add_vline(x=s.first_epoch - 0.5, line={"color": charts.GREY, "width": 1, "dash": "dot"})
        fig.add_annotation(x=(s.first_epoch + s.last_epoch) / 2, y=1.0, yref="paper", yanchor="bottom",
                           text=str(s.number), showarrow=False)
    charts.style(fig, L, title=tr("eval.story.title", epochs=fmt_int(story.epochs or 0, L), stages=len(story.stages)),
                 x_title=tr("eval.story.x"), y_title=tr("common.accuracy"), projector=projector(), height=360)
    percent_axis(fig, L, values=[y for trace in fig.data for y in trace.y or []])   # "92,5 %", as the labels
    st.plotly_chart(fig, key="curve_story")
    st.caption(tr("eval.story.caption"))
    rows = [{tr("eval.story.col.stage"): s.number, tr("eval.story.col.what"): s.what,
             tr("eval.story.col.epochs"): f"{s.first_epoch}–{s.last_epoch}",
             tr("eval.story.col.accuracy"): fmt_pct(s.test_accuracy, L) if s.test_accuracy is not None else "—",
             tr("eval.story.col.time"): fmt_duration(s.fit_seconds, L) if s.fit_seconds is not None else "—"}
            for s in story.stages]
    with st.expander(tr("eval.story.stages", n=len(story.stages))):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height="content")
