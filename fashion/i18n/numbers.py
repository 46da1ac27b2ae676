"""The one number formatter of the app: every page and the report print figures
through these functions, so a percentage reads "92.31 %" in English and "92,31 %"
in Spanish everywhere, thousands read "206,506" / "206.506", and durations read
"50 min 50 s" in both.

    fmt_pct(0.9231, "es")      -> '92,31 %'
    fmt_int(206506, "es")      -> '206.506'
    fmt_float(0.001, "es")     -> '0,001'
    fmt_duration(3050, "es")   -> '50 min 50 s'
"""
from __future__ import annotations

import math

MISSING = "-"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _localise(text: str, lang: str) -> str:
    """English '1,234.5' -> Spanish '1.234,5' (swap the two marks)."""
    if lang != "es":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


NO_BREAK_SPACE = "\u00a0"


def fmt_pct(value: float | None, lang: str = "en", digits: int = 2, whole: bool = False) -> str:
    """A share as a percentage: 0.9231 -> '92.31 %' / '92,31 %'; None or NaN -> '-'.
    whole=True joins number and sign with a no-break space, for text that may wrap
    (an answer in a narrow column must never end a line with '79' and start one with '%')."""
    if _missing(value):
        return MISSING
    return _localise(f"{100 * value:.{digits}f}{NO_BREAK_SPACE if whole else ' '}%", lang)


def fmt_float(value: float | None, lang: str = "en", digits: int | None = 3) -> str:
    """A plain decimal (loss, F1, a learning rate) with the language's decimal mark.
    digits=None: the shortest form ('0.001', '1e-05')."""
    if _missing(value):
        return MISSING
    text = f"{value:g}" if digits is None else f"{value:,.{digits}f}"
    return _localise(text, lang)


fmt_num = fmt_float   # the report's older name


def fmt_int(value: int | None, lang: str = "en") -> str:
    """A count with thousands grouped: 206506 -> '206,506' / '206.506'."""
    if _missing(value):
        return MISSING
    return _localise(f"{int(round(value)):,}", lang)


def fmt_points(value: float | None, lang: str = "en", digits: int = 1) -> str:
    """A difference of two accuracies in percentage points: 0.034 -> '3.4' / '3,4'."""
    if _missing(value):
        return MISSING
    return _localise(f"{100 * value:.{digits}f}", lang)


def fmt_duration(seconds: float | None, lang: str = "en") -> str:
    """A duration as people say it: '45 s', '50 min 50 s', '1 h 05 min' (same in both languages)."""
    if _missing(seconds):
        return MISSING
    s = max(0, int(round(seconds)))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s" if s % 60 else f"{s // 60} min"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def fmt_clock(seconds: float | None) -> str:
    """A running clock, m:ss ('…' while unknown): for countdowns that tick every second."""
    if _missing(seconds):
        return "…"
    s = max(0, int(round(seconds)))
    return f"{s // 60}:{s % 60:02d}"
