"""Inside the CNN: pick an image and follow it through the active model: its layers,
first-layer filters, feature maps, Grad-CAM, and a clickable embedding map.

All computation is in `fashion.judging.explain`, cached per model in pages/ui/explain_cache.py.
The map shows FASHION_EXPLAIN_SAMPLE test images (default 2,000; tests use fewer).
"""
from __future__ import annotations

import os

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative

from fashion.i18n import TABLE
from fashion.i18n.names import layer_kind
from fashion.judging import explain as ex
from pages.ui.compat import run_through_frame
from pages.ui.display import overlay, tile
from pages.ui.explain_cache import embedding, feature_maps, grad_cam, model_structure, probabilities, safely, tsne
from pages.ui.explain_parts import Sections, image_card, layer_table, num, pct, shape_text
from pages.ui.models import active_model_path, classifier, dataset, model_mtime, stored_evaluation
from pages.ui.session import lang, names, tr
from pages.ui.widgets import projector

run_through_frame()

SAMPLE = int(os.environ.get("FASHION_EXPLAIN_SAMPLE", "2000"))
MAP_KEY = "explain_map"
COLORS = qualitative.T10

# --- page -------------------------------------------------------------------------


# Streamlit forgets a widget's value while another page is shown; keep the choice in plain
# session keys ("kept_*") and give it back to the widgets when this page is opened again.
KEPT = ("explain_source", "explain_class", "explain_index", "explain_photo")


# --- 1. the image -------------------------------------------------------------------------


def _another(data):
    rng = np.random.default_rng()
    c = st.session_state.get("explain_class", -1)
    pool = np.flatnonzero(data.y_test == c) if c is not None and c >= 0 else np.arange(len(data.y_test))
    st.session_state["explain_index"] = int(rng.choice(pool))


# --- sections 2-6: one long scroll, or (projector mode) one tab each ------------------------


# --- 2. the layers -------------------------------------------------------------------------


# --- 3. filters and 4. feature maps -------------------------------------------------------


# --- 5. Grad-CAM -------------------------------------------------------------------------


# --- 6. the embedding map ---------------------------------------------------------------


def main() -> None:
    """The page's work, freed when the run ends (why: tests/test_architecture.py)."""
    st.title(tr("nav.explain"))
    st.caption(tr("explain.intro"))
    data = dataset()
    if data is None:
        st.stop()
    class_names = names()
    photos = [p for p in (st.session_state.get("photo_inputs") or [])
              if isinstance(p, dict) and np.shape(p.get("input")) == (28, 28)]
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
    st.header(tr("explain.pick_header"))
    pick, show = st.columns([1, 2], gap="large")
    with pick:
        source = st.radio(tr("explain.source"), ["test", "photo"], key="explain_source", horizontal=True,
                          format_func=lambda s: tr("explain.source_test") if s == "test"
                          else tr("explain.source_photo", count=len(photos)))
        if source == "test" or not photos:
            if source == "photo":
                st.info(tr("explain.no_photos"))
            st.selectbox(tr("explain.class_filter"), [-1] + list(range(10)), key="explain_class",
                         on_change=_another, args=(data,), format_func=lambda c: tr("explain.any_class") if c < 0 else class_names[c])
            st.button(tr("explain.another"), on_click=_another, args=(data,), help=tr("explain.another_help"))
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
    with show, st.spinner(tr("model.loading")):   # the picker is up; a cold server starts TensorFlow here
        net = classifier()
    if net is None:
        st.stop()
    path = active_model_path()
    mtime = model_mtime(path)
    structure = safely(model_structure, path, mtime, net)
    if structure is None:
        st.stop()
    probs = safely(probabilities, path, mtime, net, image)
    if probs is None:
        st.stop()
    predicted = int(np.argmax(probs))
    with show:
        image_card(image, true, probs, caption, "top", class_names)
    _titles = {"layers": tr("explain.layers_header"), "filters": tr("explain.filters_header")}
    if structure["cam_layer"]:
        _titles["cam"] = tr("explain.cam_header")
    _titles["map"] = tr("explain.map_header", count=num(SAMPLE))
    sections = Sections(_titles, tabs=projector())
    sections.start("layers", tr("explain.layers_header"))
    st.caption(tr("explain.layers_help"))
    if structure["tta"]:
        inner = structure["inner"]
        st.info(tr("explain.tta_note", name=tr(f"train.arch.{inner}") if f"train.arch.{inner}" in TABLE else inner))
    table = layer_table(structure["table"])
    st.dataframe(table, hide_index=True, height="content",     # every layer, no inner scrollbar
                 column_config={tr("explain.col_layer"): st.column_config.TextColumn(pinned=True),   # kept in view
                                tr("explain.col_settings"): st.column_config.TextColumn(width="large")})
    st.caption(tr("explain.total_params", count=num(structure["params"])))
    sections.start("filters", tr("explain.filters_header"))
    if not structure["convs"]:
        st.info(tr("explain.no_conv"))
    else:
        filters = structure["filters"]
        st.caption(tr("explain.filters_help", name=structure["convs"][0]))
        if filters.size:
            st.image(tile(filters, columns=min(8, len(filters)), scale=max(1, 60 // filters.shape[1]), gap=3))

        sections.start("maps", tr("explain.maps_header"))
        st.caption(tr("explain.maps_help"))
        c1, c2 = st.columns([2, 1])
        every = c1.toggle(tr("explain.maps_all"), key="explain_maps_all")
        count = c2.slider(tr("explain.maps_count"), 4, 64, 16, step=4, key="explain_maps_count")
        layer_names = tuple(structure["spatial"] if every else structure["convs"])
        maps = safely(feature_maps, path, mtime, net, image, layer_names) or []
        types = {r["name"]: layer_kind(r["type"], lang()) for r in structure["table"]}
        grid = st.columns(2)
        for i, (name, fmap) in enumerate(maps):
            with grid[i % 2]:
                st.markdown(tr("explain.maps_layer", name=name, type=types.get(name, ""), shape=shape_text(fmap.shape)))
                shown = min(count, fmap.shape[-1])
                st.image(tile(np.moveaxis(fmap[..., :shown], -1, 0), scale=max(1, 84 // fmap.shape[0]), gap=2),
                         caption=tr("explain.maps_shown", shown=shown, total=fmap.shape[-1]))
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
        left, right = st.columns(2, gap="medium", vertical_alignment="bottom")   # the two maps side by side, level
        with left:
            cam = safely(grad_cam, path, mtime, net, image, predicted, cam_layer, method)
            if cam is not None:
                st.image(overlay(image, cam, scale=8), caption=tr("explain.cam_predicted", name=class_names[predicted],
                                                            prob=pct(probs[predicted])))
                if cam.max() <= 0:
                    st.caption(tr("explain.cam_empty", name=class_names[predicted]))
        with right:
            other = st.selectbox(tr("explain.cam_other"), range(10), index=runner_up, key="explain_cam_class",
                                 format_func=lambda c: class_names[c])
            cam_o = safely(grad_cam, path, mtime, net, image, int(other), cam_layer, method)
            if cam_o is not None:
                st.image(overlay(image, cam_o, scale=8), caption=tr("explain.cam_other_caption", name=class_names[other],
                                                              prob=pct(probs[other])))
                if cam_o.max() <= 0:
                    st.caption(tr("explain.cam_empty", name=class_names[other]))
    count = num(SAMPLE)
    sections.start("map", tr("explain.map_header", count=count))
    with st.spinner(tr("explain.map_computing", count=count)):
        emb = safely(embedding, path, mtime, net, stored_evaluation(), data.x_test, np.asarray(data.y_test), SAMPLE)
    if emb is None:
        st.stop()
    st.caption(tr("explain.map_help", dims=num(emb["features"].shape[1])))
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
                coords = safely(tsne, path, mtime, emb["features"])
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
                                 marker={"size": 6, "color": COLORS[c], "opacity": 0.75}))
    star, placed = None, False
    pos = np.flatnonzero(indices == chosen_test) if chosen_test is not None else np.zeros(0, int)
    if pos.size:
        star = coords[pos[0]]
    elif method == "pca":
        placed = True
        feats = safely(ex.penultimate_features, net, image[None], max_dims=2048)
        if feats is not None and feats.shape[1] == emb["features"].shape[1]:
            star = emb["pca"].transform(feats)[0]
    if star is not None:
        fig.add_trace(go.Scatter(x=[float(star[0])], y=[float(star[1])], mode="markers", name=tr("explain.map_chosen"),
                                 customdata=[int(chosen_test) if chosen_test is not None else -1], hoverinfo="skip",
                                 marker={"symbol": "star", "size": 22, "color": "#ffd400", "line": {"color": "black", "width": 2}}))
    axis = "explain.map_axis_pca" if method == "pca" else "explain.map_axis_tsne"
    fig.update_layout(height=680, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      legend={"itemsizing": "constant", "orientation": "h", "yanchor": "top", "y": -0.1, "x": 0},
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
        image_card(image, true, probs, caption, "map", class_names, stacked=True)


main()
