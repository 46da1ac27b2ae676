"""The ten class probabilities of one image as horizontal bars: the class names stand on
the left, one per line, so they never overlap at a phone's 390 px (Spanish names
included), and each bar's percentage and the axis read like the page's labels ("86 %").
Photo, Inside the CNN and Evaluate's prediction viewer draw it the same way."""
from __future__ import annotations

import plotly.graph_objects as go

from fashion.i18n.numbers import fmt_pct
from pages.ui.chart_axes import percent_axis

BAR_HEIGHT = 26          # pixels per class: ten classes and their names read on a phone


def probability_bars(probabilities, class_names: list[str], colours: list[str], lang: str,
                     axis_title: str | None = None, values_on_bars: bool = True) -> go.Figure:
    """A figure (not drawn): one bar per class, top to bottom in class order, coloured by
    `colours`, its percentage after it when `values_on_bars`."""
    shares = [float(p) for p in probabilities]
    fig = go.Figure(go.Bar(
        x=shares, y=list(class_names), orientation="h", marker_color=list(colours),
        text=[fmt_pct(p, lang, 0) for p in shares] if values_on_bars else None,
        textposition="outside", cliponaxis=False,
        customdata=[fmt_pct(p, lang, 1) for p in shares], hovertemplate="%{y}: %{customdata}<extra></extra>"))
    fig.update_layout(height=BAR_HEIGHT * len(shares) + (70 if axis_title else 50), bargap=0.25, showlegend=False,
                      margin={"l": 10, "r": 10, "t": 10, "b": 10}, separators=",." if lang == "es" else ".,")
    fig.update_yaxes(type="category", autorange="reversed", automargin=True, ticksuffix=" ")
    fig.update_xaxes(range=[0, 1.22 if values_on_bars else 1.0], title_text=axis_title, fixedrange=True,
                     automargin=True)              # room for the "100 %" tick at the right edge
    fig.update_yaxes(fixedrange=True)
    percent_axis(fig, lang, 0.0, 1.0, axis="x", most=3)
    return fig
