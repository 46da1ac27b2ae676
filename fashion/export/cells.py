"""The two kinds of notebook cell the exporter writes, and the one way it quotes text into
the code it writes (so a translated label can never break the Python around it)."""
from __future__ import annotations

import nbformat

from fashion.i18n import t
from fashion.i18n.numbers import fmt_pct


def markdown(text: str):
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def code(source: str, tags: tuple[str, ...] = ()):
    cell = nbformat.v4.new_code_cell(source.strip("\n"))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def quoted(key: str, lang: str, **fmt) -> str:
    """A translated text as a Python string literal."""
    return repr(t(key, lang, **fmt))


def percent(share, lang: str) -> str:
    return fmt_pct(share, lang) if isinstance(share, (int, float)) and not isinstance(share, bool) else "—"
