"""The active model of this browser and what pages load for it, cached once per server
process: the dataset, the model's Classifier, its stored evaluation (test-set
probabilities) and the Evaluation built from it. Failures become friendly error boxes.

Heavy imports (TensorFlow) happen inside the cached loaders, never at import time,
so the home page paints fast."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import streamlit as st

from fashion import data, preferences
from fashion.errors import DatasetError, StudioError
from fashion.judging.measure import ensure
from fashion.model import registry
from fashion.model.classifier import Classifier
from pages.ui.session import browser_id, lang, tr
from pages.ui.text import file_name

MODEL_KEY = "model_path"
REPLACED_KEY = "model_replaced"   # session: {"chosen": path, "used": path} when the chosen file cannot be used


@st.cache_resource(show_spinner=False)
def _dataset():
    return data.load()


def dataset():
    """The dataset, or None after showing what is wrong and what to do."""
    try:
        return _dataset()
    except DatasetError as e:
        st.error(tr("data.missing", error=str(e)))
        st.info(tr("data.missing_help"))
        return None


@st.cache_resource(show_spinner=False, max_entries=8)
def _classifier(path: str, mtime: float):
    """The one Classifier (loaded model + all its inference) per model file, per server."""
    return Classifier.load(path)


def model_mtime(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


def chosen_model_path() -> str | None:
    """The model this browser chose: its own choice in the sidebar (kept server-side for
    the browser, so it survives reloads and new tabs), else the class default the teacher
    set, else the shipped model. Usable or not: see active_model_path."""
    path = preferences.model_choice(browser_id())
    if path:
        return path
    if registry.DEFAULT_MODEL.exists():
        return str(registry.DEFAULT_MODEL)
    listing = registry.list_models()
    return str(listing.models[0].path) if listing.models else None


def active_model_path() -> str | None:
    """The model every page uses: the chosen one, unless the sidebar found in this run that
    its file cannot be used (damaged since it was chosen): then the model the sidebar shows,
    and says so, in its place (replace_unusable_choice)."""
    path = chosen_model_path()
    replaced = st.session_state.get(REPLACED_KEY)
    if isinstance(replaced, dict) and replaced.get("chosen") == path:
        return replaced.get("used")
    return path


def replace_unusable_choice(chosen: str | None, usable: list[str]) -> str | None:
    """The model to use this run when `usable` lists the files that can be used: the chosen
    one if it is among them, else the class default if it is, else the first. Remembered
    for this run (active_model_path); None when nothing is usable."""
    if chosen in usable or not usable:
        st.session_state.pop(REPLACED_KEY, None)
        return chosen if chosen in usable else None
    default = preferences.store().class_default()
    used = default if default in usable else usable[0]
    st.session_state[REPLACED_KEY] = {"chosen": chosen, "used": used}
    return used


def set_active_model(path: str) -> None:
    """Make path this browser's model, in every tab and after reloads (for this session
    only, with a warning, when the disk is too full to remember it)."""
    st.session_state[MODEL_KEY] = str(path)
    try:
        preferences.store().set(browser_id(), model=str(path))
    except StudioError as e:    # DiskFull: the page goes on
        st.warning(tr("disk.warn.preferences", error=e.message(lang())))


def active_card() -> dict:
    path = active_model_path()
    if not path:
        return {}
    try:
        return registry.read_card(Path(path).with_suffix(".json"))
    except (OSError, ValueError):
        return {}


def classifier():
    """The active model's Classifier (fashion.model.classifier), or None after an explanation."""
    path = active_model_path()
    if not path:
        st.warning(tr("model.missing"))
        return None
    try:
        return _classifier(path, model_mtime(path))
    except Exception as e:  # corrupt or foreign file: explain, keep the app running
        st.error(tr("model.load_failed", name=file_name(path), error=reason(e)))
        return None


def model():
    """The active Keras model, or None after an explanation on the page."""
    clf = classifier()
    return clf.model if clf is not None else None


@st.cache_resource(show_spinner=False, max_entries=8)
def _stored(path: str, mtime: float):
    """The model's stored evaluation (fashion.judging.stored): read from beside the model
    file when it matches the file's hash (the model is not even loaded), else computed once
    with the model's Classifier and written there."""
    return ensure(path, lambda: _classifier(path, mtime), _dataset())


def stored_evaluation():
    """The active model's StoredEvaluation (test-set probabilities, explain-sample
    features), or None after an explanation on the page."""
    path = active_model_path()
    if path is None:
        st.warning(tr("model.missing"))
        return None
    if dataset() is None:
        return None
    try:
        return _stored(path, model_mtime(path))
    except Exception as e:
        if classifier() is not None:   # the model loads (else that error is shown): it cannot classify these
            _cannot_classify(path, e)
        return None


def test_probabilities() -> np.ndarray | None:
    """Probabilities of the active model on the 10,000 test images, computed once per model
    file ever (the stored evaluation)."""
    stored = stored_evaluation()
    return stored.probabilities if stored is not None else None


@st.cache_data(show_spinner=False, max_entries=16)
def _evaluation(path: str, mtime: float, language: str):
    return _stored(path, mtime).evaluation(language)


def evaluation():
    """The active model's Evaluation on the test set (accuracy, confusion, per class, mistakes),
    or None after an explanation on the page. Inference runs once per model."""
    if test_probabilities() is None:
        return None
    path = active_model_path()
    try:
        return _evaluation(path, model_mtime(path), lang())
    except Exception as e:  # probabilities of the wrong shape: not a 10-class Fashion-MNIST model
        _cannot_classify(path, e)
        return None


def reason(error: Exception) -> str:
    """An error's first line in the session's language (a keyed error's own words), without
    its closing full stop: the sentence it goes into ends with its own."""
    text = error.message(lang()) if isinstance(error, StudioError) else str(error)
    text = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return text.rstrip(" .")


def _cannot_classify(path: str, error: Exception) -> None:
    st.error(tr("model.predict_failed", name=file_name(path), error=reason(error)))
