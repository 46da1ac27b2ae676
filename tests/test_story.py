"""The shipped model's true story (issue 24): trained in 5 stages over 43 epochs, it is
shown as one training of 43 epochs and 3 h 11 min, with its whole curve (every stage's
per-epoch curves recorded in its lineage), never as its last 5-epoch stage."""
from __future__ import annotations

from conftest import all_text, run_page

from fashion.i18n.numbers import fmt_duration
from fashion.judging.story import story_of
from fashion.model import registry


def shipped_card() -> dict:
    return registry.read_card(registry.DEFAULT_MODEL.with_suffix(".json"))


def test_the_shipped_model_is_one_training_of_all_its_stages():
    card = shipped_card()
    story = story_of(card)
    assert story.staged and len(story.stages) == len(card["lineage"]) == 5
    assert story.epochs == card["epochs_total"] == 43 and story.epochs > card["epochs_completed"]
    assert story.fit_seconds == card["fit_seconds_total"] > card["fit_seconds"]
    assert [s.first_epoch for s in story.stages] == [1, 11, 19, 24, 36] and story.stages[-1].last_epoch == 43
    last = story.stages[-1]
    assert last.history["loss"] == card["history"]["loss"]
    assert all(len(s.history["accuracy"]) == s.epochs for s in story.stages)   # every stage's own curve


def test_a_stage_without_curves_shows_where_it_ended():
    card = {"history": {"loss": [0.5, 0.4]}, "epochs_completed": 2, "test_metrics": {"accuracy": 0.9},
            "lineage": [{"stage": 0, "epochs": 3, "test_accuracy": 0.8},
                        {"stage": 1, "epochs": 2, "test_accuracy": 0.9, "history": {"loss": [0.5]}}]}
    story = story_of(card)
    assert not story.stages[0].history                       # none recorded
    assert story.stages[1].history == {"loss": [0.5, 0.4]}   # its own is short: the card's last-stage curves


def test_a_single_run_is_its_own_story():
    card = {"history": {"loss": [1, 0.5, 0.4], "accuracy": [0.5, 0.8, 0.9]}, "epochs_completed": 3,
            "fit_seconds": 12.0, "test_metrics": {"accuracy": 0.9}}
    story = story_of(card)
    assert not story.staged and story.epochs == 3 and story.fit_seconds == 12.0 and story.stages[0].history


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_evaluate_and_home_show_all_43_epochs_and_the_whole_time():
    card = shipped_card()
    at = run_page("pages/evaluate.py", "en")
    assert not at.exception
    text = all_text(at)
    assert "43 in 5 stages" in text and fmt_duration(card["fit_seconds_total"], "en") in text
    assert "The whole training: 43 epochs in 5 stages" in text or any(
        "curve_story" in str(getattr(c, "key", "")) for c in at.get("plotly_chart"))
    home = run_page("pages/home.py", "es")
    assert not home.exception
    assert _metric(home, "Épocas") == "43 en 5 etapas"

