"""The Inside-the-CNN page's computations, cached per model (path + mtime; the model
object itself is not hashed). All the work is in fashion.judging.explain."""
from __future__ import annotations

import numpy as np
import streamlit as st

from fashion.judging import explain as ex
from pages.ui.session import tr


@st.cache_data(show_spinner=False, max_entries=8)
def model_structure(path: str, mtime: float, _classifier) -> dict:
    _model = _classifier.model
    tta = ex.is_flip_tta(_model)
    convs = ex.conv_layers(_model)
    return {"table": ex.layer_table(_model), "convs": convs, "spatial": ex.spatial_layers(_model),
            "cam_layer": ex.gradcam_layer(_model) if convs else None, "tta": tta,
            "inner": ex.unwrap(_model).name, "filters": ex.first_layer_filters(_model),
            "params": int(_model.count_params())}


@st.cache_data(show_spinner=False, max_entries=64)
def probabilities(path: str, mtime: float, _classifier, image: np.ndarray) -> np.ndarray:
    return _classifier.probabilities(image)[0]


@st.cache_data(show_spinner=False, max_entries=16)
def feature_maps(path: str, mtime: float, _classifier, image: np.ndarray, layers: tuple) -> list:
    return ex.feature_maps(_classifier, image, list(layers))


@st.cache_data(show_spinner=False, max_entries=64)
def grad_cam(path: str, mtime: float, _classifier, image: np.ndarray, class_index: int, layer: str, method: str):
    return ex.grad_cam(_classifier, image, class_index, layer_name=layer, method=method)


@st.cache_data(show_spinner=False, max_entries=8)
def embedding(path: str, mtime: float, _classifier, _stored, _x_test, y_test: np.ndarray, n: int) -> dict:
    idx = ex.embedding_sample(y_test, n)
    # the features and probabilities kept beside the model file (fashion.judging.stored)
    features = _stored.sample_features(idx) if _stored is not None else None
    if features is not None:
        probs = _stored.probabilities[idx]
    else:                                    # a map larger than the stored sample
        features, probs = ex.features_and_probabilities(_classifier, _x_test[idx], max_dims=2048)
    return {"indices": idx, "features": features, "labels": y_test[idx], "probs": probs,
            "pca": ex.project(features, "pca")}


@st.cache_data(show_spinner=False, max_entries=8)
def tsne(path: str, mtime: float, _features: np.ndarray) -> np.ndarray:
    return ex.project_2d(_features, "tsne")


def safely(fn, *args, **kwargs):
    """Run fn; on failure show a short message (never a stack trace) and return None."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # any model the user built or loaded: explain, keep the page alive
        st.error(tr("explain.error", error=str(e) or type(e).__name__))
        return None
