"""One chart style for the pages (Plotly) and the report (inline SVG): the same
colours, axis titles and number format everywhere, and a projector mode with larger
text for a classroom screen.

    fig = go.Figure(...); style(fig, lang, title=..., x_title=..., y_title=..., projector=True)
"""
from __future__ import annotations

import base64
import html
import io
import math

import numpy as np

from fashion.i18n.numbers import fmt_num

# --- the palette: training blue and dashed, validation orange and solid (as in seed 000) ---
BLUE, ORANGE, GREY = "#1f77b4", "#ff7f0e", "#555"
TRAIN_COLOR, VAL_COLOR, BATCH_COLOR = "#1f4fd1", "#d1461f", "#9aa7c7"
RUN_COLORS = ("#1f4fd1", "#d1461f", "#2a9d4b", "#8e44ad", "#c99a00", "#16a5a5", "#e377c2", "#7f7f7f")
CORRECT_RGB, WRONG_RGB = (31, 119, 180), (214, 39, 40)

# --- text sizes: normal screens and the projector ----------------------------------------
FONT = {False: {"base": 13, "title": 15, "tick": 12, "cell": 12},
        True: {"base": 18, "title": 22, "tick": 17, "cell": 17}}
INK = "#222"


def font_sizes(projector: bool = False) -> dict:
    return FONT[bool(projector)]


def style(fig, lang: str = "en", title: str | None = None, x_title: str | None = None, y_title: str | None = None,
          projector: bool = False, height: int | None = None, legend_below: bool = True):
    """Apply the app's chart style to a Plotly figure (in place) and return it: axis titles,
    dark axis labels, the language's decimal mark, larger text in projector mode."""
    f = font_sizes(projector)
    layout = {"font": {"size": f["base"], "color": INK},
              "margin": {"l": 10, "r": 10, "t": 48 if title else 16, "b": 10},
              "separators": ",." if lang == "es" else ".,"}
    if title is not None:
        layout["title"] = {"text": title, "font": {"size": f["title"]}}
    if height is not None:
        layout["height"] = int(height * (1.15 if projector else 1))
    if legend_below:
        layout["legend"] = {"orientation": "h", "y": -0.22, "font": {"size": f["base"]}}
    fig.update_layout(**layout)
    axis = {"tickfont": {"size": f["tick"], "color": INK}, "title_font": {"size": f["base"], "color": INK},
            "automargin": True}
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def loss_axis_range(values, floor: float = 0.05) -> list[float] | None:
    """A log-scale y range for loss curves that keeps the epoch points readable: the first
    batches' spike is clipped at 3x the median of the values."""
    vals = sorted(v for v in values if v is not None and math.isfinite(v) and v > 0)
    if not vals:
        return None
    top = min(vals[-1], 3 * vals[len(vals) // 2])
    low = max(min(vals[0], top / 2), 1e-4)
    return [math.log10(low * 0.9), math.log10(max(top * 1.1, low * 1.5, floor))]


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1e-3
    step = (hi - lo) / (n - 1)
    return [lo + i * step for i in range(n)]


def svg_lines(series: list[tuple[str, list[float], str, bool]], title: str, xlabel: str, ylabel: str,
              lang: str = "en", width: int = 460, height: int = 290) -> str:
    """A line chart: series are (label, values per epoch, colour, dashed)."""
    series = [s for s in series if s[1]]
    left, right, top, bottom = 58, 12, 30, 62
    pw, ph = width - left - right, height - top - bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" font-family="sans-serif" font-size="11">',
             f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">{_e(title)}</text>']
    if not series:
        return "".join(parts) + "</svg>"
    values = [v for s in series for v in s[1]]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or 0.01
    lo, hi = lo - pad, hi + pad
    n = max(len(s[1]) for s in series)

    def x(i):
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v):
        return top + ph * (1 - (v - lo) / (hi - lo))

    parts.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#ccc"/>')
    for v in _ticks(lo, hi):
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>'
                     f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{_e(fmt_num(v, lang, 3))}</text>')
    step = max(1, math.ceil(n / 10))
    for i in range(0, n, step):
        parts.append(f'<text x="{x(i):.1f}" y="{top + ph + 14}" text-anchor="middle">{i + 1}</text>')
    parts.append(f'<text x="{left + pw / 2}" y="{top + ph + 30}" text-anchor="middle">{_e(xlabel)}</text>'
                 f'<text transform="translate(14 {top + ph / 2}) rotate(-90)" text-anchor="middle">{_e(ylabel)}</text>')
    for label, vals, colour, dashed in series:
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vals))
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        parts.extend(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}"/>' for i, v in enumerate(vals))
    lx = left
    for label, _, colour, dashed in series:
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(f'<line x1="{lx}" x2="{lx + 22}" y1="{height - 10}" y2="{height - 10}" stroke="{colour}" '
                     f'stroke-width="2"{dash}/><text x="{lx + 26}" y="{height - 6}">{_e(label)}</text>')
        lx += 34 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)


def svg_confusion(confusion: np.ndarray, labels: list[str], title: str, xlabel: str, ylabel: str) -> str:
    """The confusion matrix as a grid: counts in each cell, shaded by the share of its row."""
    cm = np.asarray(confusion)
    k = len(labels)
    cell, left, top = 44, 118, 34
    bottom = 100
    width, height = left + k * cell + 12, top + k * cell + bottom
    rows = cm.sum(axis=1, keepdims=True)
    share = np.divide(cm, rows, out=np.zeros_like(cm, dtype=float), where=rows > 0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" font-family="sans-serif" font-size="11">',
             f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">{_e(title)}</text>']
    for i in range(k):
        parts.append(f'<text x="{left - 6}" y="{top + i * cell + cell / 2 + 4}" text-anchor="end">{_e(labels[i])}</text>')
        for j in range(k):
            s = float(share[i, j])
            shade = s if i == j else min(1.0, s * 4)       # make off-diagonal mistakes visible
            base = (31, 119, 180) if i == j else (214, 39, 40)
            r, g, b = (int(255 - (255 - c) * shade) for c in base)
            ink = "#fff" if shade > 0.55 else "#222"
            parts.append(f'<rect x="{left + j * cell}" y="{top + i * cell}" width="{cell}" height="{cell}" '
                         f'fill="rgb({r},{g},{b})" stroke="#fff"/>'
                         f'<text x="{left + j * cell + cell / 2}" y="{top + i * cell + cell / 2 + 4}" '
                         f'text-anchor="middle" fill="{ink}">{int(cm[i, j])}</text>')
    for j in range(k):
        cx, cy = left + j * cell + cell / 2, top + k * cell + 8
        parts.append(f'<text transform="translate({cx} {cy}) rotate(45)" text-anchor="start">{_e(labels[j])}</text>')
    parts.append(f'<text x="{left + k * cell / 2}" y="{height - 6}" text-anchor="middle" font-weight="bold">{_e(xlabel)}</text>'
                 f'<text transform="translate(12 {top + k * cell / 2}) rotate(-90)" text-anchor="middle" '
                 f'font-weight="bold">{_e(ylabel)}</text></svg>')
    return "".join(parts)


def png_data_uri(image: np.ndarray, scale: int = 3) -> str:
    """A uint8 28x28 Fashion-MNIST image as an inline PNG, dark on white as in seed 000."""
    from PIL import Image
    arr = (255 - np.asarray(image, dtype=np.uint8)).repeat(scale, 0).repeat(scale, 1)
    buf = io.BytesIO()
    Image.fromarray(arr, mode="L").save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
