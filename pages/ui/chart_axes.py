"""Percentage axes that read like the page's labels: ticks written by fmt_pct ("50 %",
"92,5 %"), never Plotly's own ".0%" ("50%", no space, and "92.5%" on a Spanish page
whose labels say "92,5 %"). Plotly cannot put a space before its percent sign, so each
axis gets explicit tick values and texts.

    percent_axis(fig, lang, lo=0, hi=1)                 # a probability axis, 0 % .. 100 %
    percent_axis(fig, lang, values=history["accuracy"])  # an accuracy curve's own range
"""
from __future__ import annotations

import math

from fashion.i18n.numbers import fmt_pct

# Tick steps, as shares: 0.1 % up to 50 %; the smallest that gives at most `most` ticks.
STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5)


def percent_ticks(lo: float, hi: float, most: int = 6) -> tuple[list[float], int]:
    """Round tick values covering [lo, hi] (shares, 0.93 = 93 %), one step past each end
    (Plotly draws only those inside the axis' range, which it pads), and the decimals they
    need as percentages: (0.9, 0.95) -> ([0.9, 0.91, ..., 0.95], 0)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    lo, hi = min(lo, hi), max(lo, hi)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.005, hi + 0.005
    step = next((s for s in STEPS if (hi - lo) / s <= most - 1), STEPS[-1])
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    values = [round(k * step, 6) for k in range(first, last + 1)]
    digits = 0
    while digits < 2 and any(abs(round(v * 100, digits) - v * 100) > 1e-6 for v in values):
        digits += 1
    return values, digits


def percent_axis(fig, lang: str, lo: float | None = None, hi: float | None = None, values=None,
                 axis: str = "y", most: int = 6) -> None:
    """Write the percentage ticks of `fig`'s x or y axis with fmt_pct: over [lo, hi], or
    over the range of `values` (what the axis shows, e.g. every curve's points). The
    axis' range is left to the caller (or to Plotly)."""
    if values is not None:
        finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
        lo = min(finite) if lo is None and finite else lo
        hi = max(finite) if hi is None and finite else hi
    lo = 0.0 if lo is None else lo
    hi = 1.0 if hi is None else hi
    ticks, digits = percent_ticks(lo, hi, most)
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(tickmode="array", tickvals=ticks, ticktext=[fmt_pct(v, lang, digits) for v in ticks])

