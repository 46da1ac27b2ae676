"""The one translation table of the app: every user-facing string, in English and Spanish.

The table is assembled from one module per area (common, dataset, evaluate, train,
photo, explain) so that each page's strings sit together; keys must be unique across
all of them (a test checks it). Each module defines STRINGS = {key: (english, spanish)}.

    t("home.title", "es")            -> Spanish text
    t("train.eta", "en", seconds=5)  -> formatted with str.format
"""
from __future__ import annotations

import importlib

LANGUAGES = {"es": "Español", "en": "English"}
AREAS = ("common", "dataset", "evaluate", "train", "photo", "explain", "errors", "classroom", "realphotos",
         "own_photos", "export", "widgets")


def _build_table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for area in AREAS:
        try:
            module = importlib.import_module(f"{__name__}.{area}")
        except ModuleNotFoundError:
            continue
        for key, value in module.STRINGS.items():
            if key in table:
                raise KeyError(f"translation key {key!r} defined twice ({area})")
            table[key] = value
    return table


TABLE = _build_table()


def t(key: str, lang: str = "en", **fmt) -> str:
    """The text for key in lang ('en' or 'es'), formatted with fmt. An unknown key
    shows itself (so a missing string is visible, never a crash)."""
    pair = TABLE.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "es" else pair[0]
    return text.format(**fmt) if fmt else text


def language_from_locale(locale: str | None) -> str:
    """'es' for any es-* browser locale, else 'en'."""
    return "es" if (locale or "").lower().replace("_", "-").split("-")[0] == "es" else "en"
