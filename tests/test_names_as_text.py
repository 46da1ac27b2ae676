"""User-given names are shown as text, never as Markdown (issue 25): a run or model named
like an image, a link and bold text shows those characters, and two models with the same
name never crash the Train page (its Compare table once had two columns called "Run")."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import run_page

from fashion.model import registry
from fashion.model.naming import safe_name
from pages.ui.text import as_text, file_name
from pages.ui.train_compare import COMPARE_OPEN

HOSTILE = "![p](http://x.test/t)[C](/a)**BOLD**"
MARKDOWN_KINDS = ("markdown", "caption", "subheader", "header", "title", "info", "warning", "error", "success")


def rendered_markdown(at) -> list[str]:
    out = []
    for kind in MARKDOWN_KINDS:
        for element in getattr(at, kind, []):
            out += [v for v in (getattr(element, "value", None), getattr(element, "body", None)) if isinstance(v, str)]
    for element in getattr(at, "button", []):
        out.append(element.label)
    return out


def assert_shown_as_text(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    bodies = rendered_markdown(at)
    assert not [b for b in bodies if "**BOLD**" in b or "](http" in b], bodies


def test_as_text_escapes_markdown_and_html():
    shown = as_text(HOSTILE)
    assert "](" not in shown and "**" not in shown and shown.replace("\\", "") == HOSTILE
    assert as_text("<img src=x onerror=alert(1)>").startswith("\\<img")
    assert as_text("") == "?" and as_text("  a\n b ") == "a b"
    assert file_name("C:\\Users\\me\\**x**.jpg") == "\\*\\*x\\*\\*.jpg" and as_text("my_model") == "my_model"


def _hostile_model(studio_home, stem: str, accuracy: float):
    folder = studio_home / "models"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(registry.DEFAULT_MODEL, folder / f"{stem}.keras")
    card = json.loads(registry.DEFAULT_MODEL.with_suffix(".json").read_text())
    card.update({"display_name": HOSTILE, "name": stem, "file": f"{stem}.keras", "run_name": HOSTILE,
                 "test_metrics": {"accuracy": accuracy, "loss": 1.0}, "date": f"2099-01-0{1 + len(stem) % 8}T00:00:00+00:00"})
    (folder / f"{stem}.json").write_text(json.dumps(card))
    return folder / f"{stem}.keras"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_two_models_with_one_hostile_name_on_train(studio_home, lang):
    _hostile_model(studio_home, safe_name(HOSTILE), 0.8)
    _hostile_model(studio_home, "run-b", 0.7)
    at = run_page("pages/train.py", lang, session={COMPARE_OPEN: True})   # Compare runs, open
    assert_shown_as_text(at)
    table = at.dataframe[-1].value                       # Compare runs: settings x runs, one column per run
    assert len(set(table.columns)) == len(table.columns) >= 2
    if lang == "en":                                     # (AppTest re-reads the English preset label)
        at.text_input(key="tr_name").input(HOSTILE).run()   # the name is taken: the question names it, as text
        at.button(key="tr_start").click().run()
        assert_shown_as_text(at)
        assert any("BOLD" in b for b in rendered_markdown(at))


@pytest.mark.parametrize("page", ["pages/home.py", "pages/evaluate.py", "pages/photo.py", "pages/explain.py"])
def test_a_hostile_model_name_on_every_page(studio_home, page, monkeypatch):
    monkeypatch.setenv("FASHION_EXPLAIN_SAMPLE", "300")     # the map's size is not what this test is about
    path = _hostile_model(studio_home, "hostile", 0.8)
    at = run_page(page, "en", session={"model_path": str(path)})
    assert_shown_as_text(at)
