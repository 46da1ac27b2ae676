"""Spanish that is Spanish: every page rendered in Spanish (AppTest, the real app frame)
shows no English sentence or name of the translation table, no raw setting identifier
(cosine, adam, resnet...), and no number written the English way ("91.47 %", "60,000")."""
from __future__ import annotations

import json
import re
import string

import pytest
from conftest import run_page
from google.protobuf import text_format

from fashion.i18n import TABLE
from fashion.i18n.numbers import fmt_duration, fmt_float, fmt_int, fmt_pct
from fashion.model.architectures import ARCHITECTURES
from fashion.training.train import AUGMENTATIONS, OPTIMIZERS, SCHEDULES

PAGES = ("pages/home.py", "pages/dataset.py", "pages/evaluate.py", "pages/train.py", "pages/photo.py",
         "pages/explain.py")
PLOTLY_TEXT_KEYS = {"text", "name", "title"}


def _plotly_strings(node, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _plotly_strings(v, k)
    elif isinstance(node, list):
        if key in ("x", "y", "text", "customdata", "ticktext") and all(isinstance(v, str) for v in node):
            yield from node   # category names and bar labels
        else:
            for v in node:
                yield from _plotly_strings(v, key)
    elif isinstance(node, str) and key in PLOTLY_TEXT_KEYS:
        yield node


def _walk(block):
    for child in getattr(block, "children", {}).values():
        yield child
        yield from _walk(child)


def page_text(at) -> str:
    """Everything a person can read on the page: labels, options, captions, messages,
    table cells and chart titles (not the raw values behind the widgets)."""
    parts = []
    for node in list(_walk(at.main)) + list(_walk(at.sidebar)):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        kind = getattr(node, "type", "")
        if kind == "arrow_data_frame" or proto.DESCRIPTOR.name == "Arrow":
            try:
                frame = node.value
                parts += [str(c) for c in frame.columns] + [str(i) for i in frame.index]
                parts += [str(v) for v in frame.to_numpy().ravel()]
            except Exception:
                pass
            continue
        if proto.DESCRIPTOR.name == "PlotlyChart":
            try:
                parts += list(_plotly_strings(json.loads(proto.spec)))
            except ValueError:
                pass
            continue
        text = text_format.MessageToString(proto, as_utf8=True)
        for field in ("label", "body", "options", "help", "placeholder", "caption", "text", "value", "title"):
            for m in re.finditer(rf'^\s*{field}: "((?:[^"\\]|\\.)*)"', text, re.M):
                parts.append(m.group(1).encode("latin-1", "backslashreplace").decode("unicode_escape", "ignore")
                             if "\\" in m.group(1) else m.group(1))
    return "\n".join(parts)


def _literal_chunks(text: str) -> list[str]:
    return [lit for lit, *_ in string.Formatter().parse(text) if lit]


def english_phrases() -> dict[str, str]:
    """For each table string whose Spanish differs: its longest literal piece, when it is
    distinctive enough to be searched for (several words, or one long word)."""
    out = {}
    for key, (en, es) in TABLE.items():
        if en == es:
            continue
        chunks = sorted((c.strip(" .,:;·*#()-—") for c in _literal_chunks(en)), key=len, reverse=True)
        if not chunks:
            continue
        piece = chunks[0]
        if (" " in piece and len(piece) >= 8) or (len(piece) >= 6 and piece.isalpha()):
            if piece not in es:
                out[key] = piece
    return out


def outside_brackets(text: str) -> str:
    """An English term explained in brackets after its Spanish name is allowed: 'Reducción (pooling)'."""
    return re.sub(r"\([^()]*\)", " ", text)


RAW_NAMES = sorted(set(ARCHITECTURES) | set(OPTIMIZERS) | set(SCHEDULES) | set(AUGMENTATIONS)
                   | {"seed", "accuracy", "precision"})
ENGLISH_NUMBER = re.compile(r"\d+\.\d+\s?%|\b[1-9]\d{1,2},\d{3}\b")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every page in Spanish, rendered once (a photo uploaded on the Photo page)."""
    import os

    from test_page_photo import open_details
    from test_photo import encode, garment_photo
    old = os.environ.get("FASHION_EXPLAIN_SAMPLE")
    os.environ["FASHION_EXPLAIN_SAMPLE"] = "300"
    texts = {}
    try:
        for page in PAGES:
            at = run_page(page, "es")
            if page == "pages/photo.py":
                shirt, _ = garment_photo("light", colour=(30, 40, 90))
                at.file_uploader(key="photo_upload").set_value(
                    [("camisa.jpg", encode(shirt, "JPEG", quality=90), "image/jpeg"),
                     ("otra.jpg", encode(shirt, "JPEG", quality=70), "image/jpeg")])
                at.run()
                open_details(at)            # the steps, scores and heat maps are checked too
            assert not at.exception, (page, [e.value for e in at.exception])
            texts[page] = page_text(at)
    finally:
        if old is None:
            os.environ.pop("FASHION_EXPLAIN_SAMPLE", None)
        else:
            os.environ["FASHION_EXPLAIN_SAMPLE"] = old
    return texts


def test_the_checks_catch_what_they_look_for():
    """The detectors work: English from the table, raw names and English numbers are found."""
    phrases = english_phrases()
    assert phrases["train.start"] == "Start training" and "common.accuracy" in phrases
    sample = "Empezar · Start training · 91.47 % · 206,506 · cosine"
    assert "Start training" in outside_brackets(sample)
    assert ENGLISH_NUMBER.findall(sample) == ["91.47 %", "206,506"]
    assert not ENGLISH_NUMBER.findall(" ".join([fmt_pct(0.9147, "es"), fmt_int(206506, "es"),
                                                fmt_float(2.303, "es"), fmt_duration(3050, "es")]))
    assert re.search(r"\bcosine\b", outside_brackets("Descenso (cosine) y cosine")).group() == "cosine"


@pytest.mark.parametrize("page", PAGES)
def test_no_english_left_in_the_spanish_page(rendered, page):
    text = outside_brackets(rendered[page])
    assert len(text) > 200, "the page rendered almost nothing"
    left = {key: piece for key, piece in english_phrases().items()
            if re.search(rf"(?<![\w-]){re.escape(piece)}(?![\w-])", text)}
    assert not left, f"English in the Spanish {page}: {left}"
    raw = sorted({n for n in RAW_NAMES if re.search(rf"(?<![\w./-]){re.escape(n)}(?![\w./-])", text)})
    assert not raw, f"untranslated identifiers in the Spanish {page}: {raw}"
    numbers = sorted(set(ENGLISH_NUMBER.findall(text)))
    assert not numbers, f"numbers written the English way in the Spanish {page}: {numbers}"


def test_a_percentage_kept_whole_never_breaks_before_its_sign():
    """An answer in a narrow column ("Camisa · 79 %") wraps as one word, in both languages."""
    assert fmt_pct(0.79, "en", 0, whole=True) == "79\u00a0%"
    assert fmt_pct(0.7951, "es", 1, whole=True) == "79,5\u00a0%"
    assert fmt_pct(0.7951, "es", 1) == "79,5 %" and fmt_pct(None, "es", whole=True) == "-"
