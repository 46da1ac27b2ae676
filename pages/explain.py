"""Inside the CNN: pick an image and follow it through the active model: its layers,
first-layer filters, feature maps, Grad-CAM, and a clickable embedding map.

All computation is in `fashion.judging.explain`; here it is cached per model (path + mtime).
The map shows FASHION_EXPLAIN_SAMPLE test images (default 2,000; tests use fewer).
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative

from fashion.i18n import TABLE
from fashion.i18n.names import layer_kind
from fashion.i18n.numbers import fmt_int, fmt_pct
from fashion.judging import explain as ex
from fashion.model.classifier import Classifier
from pages.common import active_model_path, dataset, lang, model, model_mtime, names, projector, stored_evaluation, tr

SAMPLE = int(os.environ.get("FASHION_EXPLAIN_SAMPLE", "2000"))
MAP_KEY = "explain_map"
COLORS = qualitative.T10


# --- cached computation (per model: path + mtime; the model object itself is not hashed) --

@st.cache_data(show_spinner=False, max_entries=8)
def _structure(path: str, mtime: float, _model) -> dict:
    tta = ex.is_flip_tta(_model)
    convs = ex.conv_layers(_model)
    return {"table": ex.layer_table(_model), "convs": convs, "spatial": ex.spatial_layers(_model),
            "cam_layer": ex.gradcam_layer(_model) if convs else None, "tta": tta,
            "inner": ex.unwrap(_model).name, "filters": ex.first_layer_filters(_model),
            "params": int(_model.count_params())}


@st.cache_data(show_spinner=False, max_entries=64)
def _probabilities(path: str, mtime: float, _model, image: np.ndarray) -> np.ndarray:
    return Classifier.of(_model).probabilities(image)[0]


@st.cache_data(show_spinner=False, max_entries=16)
def _maps(path: str, mtime: float, _model, image: np.ndarray, layers: tuple) -> list:
    return ex.feature_maps(_model, image, list(layers))


@st.cache_data(show_spinner=False, max_entries=64)
def _cam(path: str, mtime: float, _model, image: np.ndarray, class_index: int, layer: str, method: str):
    return ex.grad_cam(_model, image, class_index, layer_name=layer, method=method)


@st.cache_data(show_spinner=False, max_entries=8)
def _embedding(path: str, mtime: float, _model, _stored, _x_test, y_test: np.ndarray, n: int) -> dict:
    idx = ex.embedding_sample(y_test, n)
    # the features and probabilities kept beside the model file (fashion.judging.stored)
    features = _stored.sample_features(idx) if _stored is not None else None
    if features is not None:
        probs = _stored.probabilities[idx]
    else:                                    # a map larger than the stored sample
        features, probs = ex.features_and_probabilities(_model, _x_test[idx], max_dims=2048)
    return {"indices": idx, "features": features, "labels": y_test[idx], "probs": probs,
            "pca": ex.project(features, "pca")}


@st.cache_data(show_spinner=False, max_entries=8)
def _tsne(path: str, mtime: float, _features: np.ndarray) -> np.ndarray:
    return ex.project_2d(_features, "tsne")


def _safely(fn, *args, **kwargs):
    """Run fn; on failure show a short message (never a stack trace) and return None."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # any model the user built or loaded: explain, keep the page alive
        st.error(tr("explain.error", error=str(e) or type(e).__name__))
        return None


def _num(n: int) -> str:
    """1,234 in English, 1.234 in Spanish."""
    return fmt_int(n, lang())


def _pct(p: float) -> str:
    return fmt_pct(float(p), lang(), 1)


def _shape(shape) -> str:
    return "×".join(str(s) for s in shape) if shape else "?"


# --- page -------------------------------------------------------------------------

st.title(tr("nav.explain"))
st.caption(tr("explain.intro"))

net = model()
data = dataset()
if net is None or data is None:
    st.stop()
path = active_model_path()
mtime = model_mtime(path)
class_names = names()
photos = [p for p in (st.session_state.get("photo_inputs") or [])
          if isinstance(p, dict) and np.shape(p.get("input")) == (28, 28)]

# Streamlit forgets a widget's value while another page is shown; keep the choice in plain
# session keys ("kept_*") and give it back to the widgets when this page is opened again.
KEPT = ("explain_source", "explain_class", "explain_index", "explain_photo")
for key in KEPT:
    if key not in st.session_state and f"kept_{key}" in st.session_state:
        if key != "explain_photo" or st.session_state[f"kept_{key}"] < len(photos):
            st.session_state[key] = st.session_state[f"kept_{key}"]

# A click on the embedding map (previous run) picks that test image, before widgets are drawn.
selection = (st.session_state.get(MAP_KEY) or {}).get("selection") or {}
points = selection.get("points") or []
clicked = None
for pt in points:
    cd = pt.get("customdata")
    cd = cd[0] if isinstance(cd, (list, tuple)) and cd else cd
    if isinstance(cd, (int, float)) and 0 <= cd < len(data.x_test):
        clicked = int(cd)
if clicked is None:
    st.session_state.pop("explain_seen_click", None)
elif st.session_state.get("explain_seen_click") != clicked:
    st.session_state["explain_seen_click"] = clicked
    st.session_state["explain_source"] = "test"
    st.session_state["explain_index"] = clicked

structure = _safely(_structure, path, mtime, net)
if structure is None:
    st.stop()

# --- 1. the image -------------------------------------------------------------------------

st.header(tr("explain.pick_header"))


def _another():
    rng = np.random.default_rng()
    c = st.session_state.get("explain_class", -1)
    pool = np.flatnonzero(data.y_test == c) if c is not None and c >= 0 else np.arange(len(data.y_test))
    st.session_state["explain_index"] = int(rng.choice(pool))


pick, show = st.columns([1, 2], gap="large")
with pick:
    source = st.radio(tr("explain.source"), ["test", "photo"], key="explain_source", horizontal=True,
                      format_func=lambda s: tr("explain.source_test") if s == "test"
                      else tr("explain.source_photo", count=len(photos)))
    if source == "test" or not photos:
        if source == "photo":
            st.info(tr("explain.no_photos"))
        st.selectbox(tr("explain.class_filter"), [-1] + list(range(10)), key="explain_class", on_change=_another,
                     format_func=lambda c: tr("explain.any_class") if c < 0 else class_names[c])
        st.button(tr("explain.another"), on_click=_another, help=tr("explain.another_help"))
        st.session_state.setdefault("explain_index", 0)
        index = int(st.number_input(tr("explain.index"), 0, len(data.x_test) - 1, step=1, key="explain_index"))
        image = data.x_test[index].astype(np.float32) / 255.0
        true = int(data.y_test[index])
        caption = tr("explain.test_caption", index=index, name=class_names[true])
        chosen_test = index
    else:
        k = st.selectbox(tr("explain.photo"), range(len(photos)), key="explain_photo",
                         format_func=lambda i: str(photos[i].get("name", i)))
        k = min(int(k or 0), len(photos) - 1)
        image = np.clip(np.asarray(photos[k]["input"], dtype=np.float32), 0.0, 1.0)
        true = None
        caption = tr("explain.photo_caption", name=photos[k].get("name", ""))
        chosen_test = None

for key in KEPT:
    if key in st.session_state:
        st.session_state[f"kept_{key}"] = st.session_state[key]

probs = _safely(_probabilities, path, mtime, net, image)
if probs is None:
    st.stop()
predicted = int(np.argmax(probs))


def _image_card(img, true_class, p, caption_text, key, stacked=False):
    """The image, the verdict and the bar chart of the 10 probabilities."""
    if stacked:
        left, right = st.container(), st.container()
    else:
        left, right = st.columns([1, 2])
    left.image(ex.enlarge((img * 255).round().astype(np.uint8), 7), caption=caption_text)
    pred = int(np.argmax(p))
    with right:
        st.markdown(tr("explain.prediction", name=class_names[pred], prob=_pct(p[pred])))
        if true_class is not None:
            if pred == true_class:
                st.success(tr("explain.right"))
            else:
                st.error(tr("explain.wrong", name=class_names[true_class]))
        colors = ["#9aa5b1"] * 10
        if true_class is not None:
            colors[true_class] = "#1f77b4"
            if pred != true_class:
                colors[pred] = "#d62728"
        else:
            colors[pred] = "#1f77b4"
        st.caption(tr("explain.probs_title"))
        fig = go.Figure(go.Bar(x=class_names, y=[float(v) for v in p], marker_color=colors,
                               hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
        fig.update_layout(height=260, margin=dict(l=10, r=10, t=10, b=10),
                          yaxis=dict(range=[0, 1], tickformat=".0%"), showlegend=False)
        st.plotly_chart(fig, key=f"probs_{key}", config={"displayModeBar": False})


with show:
    _image_card(image, true, probs, caption, "top")

# --- sections 2-6: one long scroll, or (projector mode) one tab each ------------------------

class Sections:
    """In projector mode each numbered section opens its own tab, so the class sees one
    screen at a time; otherwise each starts with a header in one scroll."""

    def __init__(self, titles: dict[str, str], tabs: bool):
        self.tabs = dict(zip(titles, st.tabs(list(titles.values())))) if tabs else {}
        self.current = None

    def start(self, name: str, title: str) -> None:
        if not self.tabs:
            st.header(title)
            return
        if name not in self.tabs:   # a part of the tab already open
            st.subheader(title)
            return
        if self.current is not None:
            self.current.__exit__(None, None, None)
        self.current = self.tabs[name]
        self.current.__enter__()


_titles = {"layers": tr("explain.layers_header"), "filters": tr("explain.filters_header")}
if structure["cam_layer"]:
    _titles["cam"] = tr("explain.cam_header")
_titles["map"] = tr("explain.map_header", count=_num(SAMPLE))
sections = Sections(_titles, tabs=projector())

# --- 2. the layers -------------------------------------------------------------------------

sections.start("layers", tr("explain.layers_header"))
st.caption(tr("explain.layers_help"))
if structure["tta"]:
    inner = structure["inner"]
    st.info(tr("explain.tta_note", name=tr(f"train.arch.{inner}") if f"train.arch.{inner}" in TABLE else inner))


def _settings(cfg: dict) -> str:
    parts = []
    if "filters" in cfg:
        parts.append(tr("explain.set_filters", n=cfg["filters"], k=_shape(cfg.get("kernel_size"))))
    if "units" in cfg:
        parts.append(tr("explain.set_units", n=cfg["units"]))
    if "pool_size" in cfg:
        parts.append(tr("explain.set_pool", p=_shape(cfg["pool_size"])))
    strides = cfg.get("strides")
    if strides and (strides != cfg["pool_size"] if "pool_size" in cfg else any(s != 1 for s in strides)):
        parts.append(tr("explain.set_stride", s=_shape(cfg["strides"])))
    if "padding" in cfg and ("filters" in cfg or "pool_size" in cfg):
        parts.append(tr("explain.set_padding", p=cfg["padding"]))
    if "activation" in cfg:
        parts.append(tr("explain.set_activation", a=cfg["activation"]))
    if "rate" in cfg:
        parts.append(tr("explain.set_rate", r=_pct(cfg["rate"])))
    return ", ".join(parts)


table = pd.DataFrame([{tr("explain.col_layer"): r["name"], tr("explain.col_type"): layer_kind(r["type"], lang()),
                       tr("explain.col_shape"): _shape(r["output_shape"]), tr("explain.col_params"): r["params"],
                       tr("explain.col_settings"): _settings(r["config"])} for r in structure["table"]])
st.dataframe(table, hide_index=True, height=min(36 * (len(table) + 1) + 4, 520))
st.caption(tr("explain.total_params", count=_num(structure["params"])))

# --- 3. filters and 4. feature maps -------------------------------------------------------

sections.start("filters", tr("explain.filters_header"))
if not structure["convs"]:
    st.info(tr("explain.no_conv"))
else:
    filters = structure["filters"]
    st.caption(tr("explain.filters_help", name=structure["convs"][0]))
    if filters.size:
        st.image(ex.tile(filters, columns=min(8, len(filters)), scale=max(1, 60 // filters.shape[1]), gap=3))

    sections.start("maps", tr("explain.maps_header"))
    st.caption(tr("explain.maps_help"))
    c1, c2 = st.columns([2, 1])
    every = c1.toggle(tr("explain.maps_all"), key="explain_maps_all")
    count = c2.slider(tr("explain.maps_count"), 4, 64, 16, step=4, key="explain_maps_count")
    layer_names = tuple(structure["spatial"] if every else structure["convs"])
    maps = _safely(_maps, path, mtime, net, image, layer_names) or []
    types = {r["name"]: layer_kind(r["type"], lang()) for r in structure["table"]}
    grid = st.columns(2)
    for i, (name, fmap) in enumerate(maps):
        with grid[i % 2]:
            st.markdown(tr("explain.maps_layer", name=name, type=types.get(name, ""), shape=_shape(fmap.shape)))
            shown = min(count, fmap.shape[-1])
            st.image(ex.tile(np.moveaxis(fmap[..., :shown], -1, 0), scale=max(1, 84 // fmap.shape[0]), gap=2),
                     caption=tr("explain.maps_shown", shown=shown, total=fmap.shape[-1]))

# --- 5. Grad-CAM -------------------------------------------------------------------------

if structure["cam_layer"]:
    sections.start("cam", tr("explain.cam_header"))
    with st.expander(tr("explain.cam_settings")):
        spatial = structure["spatial"]
        cam_layer = st.selectbox(tr("explain.cam_layer"), spatial, index=spatial.index(structure["cam_layer"]),
                                 key="explain_cam_layer")
        method = st.radio(tr("explain.cam_method"), ["element", "classic"], key="explain_cam_method",
                          format_func=lambda m: tr(f"explain.cam_{m}"))
    st.caption(tr("explain.cam_help", layer=cam_layer))
    runner_up = int(np.argsort(probs)[-2])
    left, right = st.columns(2)
    with left:
        cam = _safely(_cam, path, mtime, net, image, predicted, cam_layer, method)
        if cam is not None:
            st.image(ex.overlay(image, cam), caption=tr("explain.cam_predicted", name=class_names[predicted],
                                                        prob=_pct(probs[predicted])))
            if cam.max() <= 0:
                st.caption(tr("explain.cam_empty", name=class_names[predicted]))
    with right:
        other = st.selectbox(tr("explain.cam_other"), range(10), index=runner_up, key="explain_cam_class",
                             format_func=lambda c: class_names[c])
        cam_o = _safely(_cam, path, mtime, net, image, int(other), cam_layer, method)
        if cam_o is not None:
            st.image(ex.overlay(image, cam_o), caption=tr("explain.cam_other_caption", name=class_names[other],
                                                          prob=_pct(probs[other])))
            if cam_o.max() <= 0:
                st.caption(tr("explain.cam_empty", name=class_names[other]))

# --- 6. the embedding map ---------------------------------------------------------------

count = _num(SAMPLE)
sections.start("map", tr("explain.map_header", count=count))
with st.spinner(tr("explain.map_computing", count=count)):
    emb = _safely(_embedding, path, mtime, net, stored_evaluation(), data.x_test, np.asarray(data.y_test), SAMPLE)
if emb is None:
    st.stop()
st.caption(tr("explain.map_help", dims=_num(emb["features"].shape[1])))
method = st.radio(tr("explain.map_method"), ["pca", "tsne"], key="explain_projection", horizontal=True,
                  format_func=lambda m: tr(f"explain.{m}"))
coords = emb["pca"].coords
if method == "tsne":
    done = st.session_state.setdefault("explain_tsne_done", [])
    if [path, mtime] not in done:
        st.info(tr("explain.tsne_info"))
        st.button(tr("explain.tsne_button"), key="explain_tsne_go",
                  on_click=lambda: st.session_state["explain_tsne_done"].append([path, mtime]))
        method = "pca"
    else:
        with st.spinner(tr("explain.tsne_running", count=count)):
            coords = _safely(_tsne, path, mtime, emb["features"])
        if coords is None:
            st.stop()

indices, labels, sample_probs = emb["indices"], emb["labels"], emb["probs"]
preds = sample_probs.argmax(axis=1)
fig = go.Figure()
for c in range(10):
    sel = np.flatnonzero(labels == c)
    hover = [tr("explain.map_hover", index=int(indices[i]), true=class_names[c], pred=class_names[preds[i]])
             for i in sel]
    fig.add_trace(go.Scatter(x=coords[sel, 0].tolist(), y=coords[sel, 1].tolist(), mode="markers",
                             name=class_names[c], customdata=indices[sel].tolist(), text=hover, hovertemplate="%{text}<extra></extra>",
                             marker=dict(size=6, color=COLORS[c], opacity=0.75)))
star, placed = None, False
pos = np.flatnonzero(indices == chosen_test) if chosen_test is not None else np.zeros(0, int)
if pos.size:
    star = coords[pos[0]]
elif method == "pca":
    placed = True
    feats = _safely(ex.penultimate_features, net, image[None], max_dims=2048)
    if feats is not None and feats.shape[1] == emb["features"].shape[1]:
        star = emb["pca"].transform(feats)[0]
if star is not None:
    fig.add_trace(go.Scatter(x=[float(star[0])], y=[float(star[1])], mode="markers", name=tr("explain.map_chosen"),
                             customdata=[int(chosen_test) if chosen_test is not None else -1], hoverinfo="skip",
                             marker=dict(symbol="star", size=22, color="#ffd400", line=dict(color="black", width=2))))
axis = "explain.map_axis_pca" if method == "pca" else "explain.map_axis_tsne"
fig.update_layout(height=680, margin=dict(l=10, r=10, t=10, b=10),
                  legend=dict(itemsizing="constant", orientation="h", yanchor="top", y=-0.1, x=0),
                  xaxis_title=tr(axis, n=1), yaxis_title=tr(axis, n=2), clickmode="event+select")

map_col, detail_col = st.columns([3, 1], gap="medium")
with map_col:
    st.plotly_chart(fig, key=MAP_KEY, on_select="rerun", selection_mode="points", config={"displaylogo": False})
with detail_col:
    st.subheader(tr("explain.map_selected"))
    if star is None:
        st.caption(tr("explain.map_not_on_map", count=count))
    elif placed:
        st.caption(tr("explain.map_placed", count=count))
    _image_card(image, true, probs, caption, "map", stacked=True)
