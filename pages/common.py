"""What every page shares: the language, the active model, cached loading of the
dataset, models and test-set predictions, friendly error boxes, and image galleries.

Heavy imports (TensorFlow) happen inside the cached loaders, never at import time,
so the home page paints fast.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import streamlit as st

from fashion import registry
from fashion.data import DatasetError, class_names
from fashion.i18n import t, language_from_locale

LANG_KEY = "lang"
MODEL_KEY = "model_path"
FRAME = Path(__file__).resolve().parent.parent / "streamlit_app.py"


def _leave_pages_folder_mode() -> None:
    """Run the page through the frame when Streamlit ran it alone.

    While no run has called st.navigation yet (the first run of a fresh server, and
    every AppTest run), Streamlit treats a folder named `pages/` next to the entry point
    as an old-style multipage app: opened on a page's URL (say /evaluate) it runs that
    page script alone, without this app's frame (no language or model choice, every
    file of pages/ listed as a page). When that happens, run the frame here instead, in
    the same run (so a button click is not lost), and stop: the frame's st.navigation
    switches the old mode off and runs the same page (page identity is its URL path)."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the old mode
        return
    if getattr(PagesManager, "uses_pages_directory", False):
        import runpy
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(FRAME), run_name="__main__")
        st.stop()


def lang() -> str:
    """'es' or 'en': the sidebar choice, first taken from the browser's locale."""
    _leave_pages_folder_mode()
    return session_language()


def session_language() -> str:
    """lang() for the frame itself: the frame runs before its st.navigation has switched
    the pages-folder mode off, so it must not start the frame again (see above)."""
    if LANG_KEY not in st.session_state:
        try:
            st.session_state[LANG_KEY] = language_from_locale(st.context.locale)
        except Exception:
            st.session_state[LANG_KEY] = "en"
    return st.session_state[LANG_KEY]


def tr(key: str, **fmt) -> str:
    """Translate into the session's language."""
    return t(key, lang(), **fmt)


PROJECTOR_KEY = "projector"


def projector() -> bool:
    """Projector mode (the sidebar toggle): larger chart text, one-screen layouts, tabs
    instead of long scrolls, durations in minutes."""
    return bool(st.session_state.get(PROJECTOR_KEY, False))


def names() -> list[str]:
    """Class names in the session's language."""
    return class_names(lang())


# --- cached resources (one copy per server process) ------------------------------------

@st.cache_resource(show_spinner=False)
def _dataset():
    from fashion import data
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
def _model(path: str, mtime: float):
    return registry.load_model(path)


def model_mtime(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


def active_model_path() -> str | None:
    """The model chosen in the sidebar (the shipped default until one is chosen)."""
    path = st.session_state.get(MODEL_KEY)
    if path and Path(path).exists():
        return path
    if registry.DEFAULT_MODEL.exists():
        return str(registry.DEFAULT_MODEL)
    listing = registry.list_models()
    return str(listing.models[0].path) if listing.models else None


def set_active_model(path: str) -> None:
    st.session_state[MODEL_KEY] = str(path)


def active_card() -> dict:
    path = active_model_path()
    if not path:
        return {}
    try:
        return registry.read_card(Path(path).with_suffix(".json"))
    except (OSError, ValueError):
        return {}


def model():
    """The active Keras model, or None after an explanation on the page."""
    path = active_model_path()
    if not path:
        st.warning(tr("model.missing"))
        return None
    try:
        return _model(path, model_mtime(path))
    except Exception as e:  # corrupt or foreign file: explain, keep the app running
        st.error(tr("model.load_failed", name=Path(path).name, error=str(e) or type(e).__name__))
        return None


@st.cache_data(show_spinner=False, max_entries=8)
def _test_probabilities(path: str, mtime: float) -> np.ndarray:
    from fashion.evaluate import predict_proba
    return predict_proba(_model(path, mtime), _dataset().x_test)


def test_probabilities() -> np.ndarray | None:
    """Probabilities of the active model on the 10,000 test images, computed once per model."""
    path = active_model_path()
    if path is None or model() is None or dataset() is None:
        return None
    try:
        return _test_probabilities(path, model_mtime(path))
    except Exception as e:  # a model with the wrong input shape
        _cannot_classify(path, e)
        return None


@st.cache_data(show_spinner=False, max_entries=16)
def _evaluation(path: str, mtime: float, language: str):
    from fashion.evaluate import evaluate_probabilities
    return evaluate_probabilities(_test_probabilities(path, mtime), _dataset().y_test, language)


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


def _cannot_classify(path: str, error: Exception) -> None:
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    st.error(tr("model.predict_failed", name=Path(path).name, error=first_line))


# --- showing Fashion-MNIST images ---------------------------------------------------------

def to_display(images: np.ndarray, scale: int = 3) -> np.ndarray:
    """uint8 (..., 28, 28) -> dark garment on white (seed 000's cmap=binary), each pixel
    a scale x scale block so the browser does not blur it."""
    a = 255 - np.asarray(images, dtype=np.uint8)
    return a.repeat(scale, axis=-2).repeat(scale, axis=-1)


def gallery(images, captions: list[str], columns: int = 8, scale: int = 3) -> None:
    """A grid of small images with a caption under each."""
    images = list(images)
    for start in range(0, len(images), columns):
        cols = st.columns(columns)
        for col, img, cap in zip(cols, images[start:start + columns], captions[start:start + columns]):
            col.image(to_display(img, scale), caption=cap)
