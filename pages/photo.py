"""Classify a photo: upload photos or take one with the webcam; see each step from photo to
28x28, the answer (or an honest "not sure" and why), the top 3, all 10 probabilities, a
real Fashion-MNIST example of the answer, and Grad-CAM over the input and the photo.

All the work is in `fashion.photos.pipeline` (photo -> 28x28) and `fashion.photos.predict` (answer and the
not-sure rule); Grad-CAM comes from `fashion.judging.explain`. Preprocessing is cached per file
content, heat maps per model and input.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from fashion.data import NUM_CLASSES
from fashion.i18n.numbers import fmt_pct
from fashion.judging.explain import grad_cam
from fashion.photos import predict as pr
from fashion.photos.judge import Judge
from pages.ui.compat import run_through_frame
from pages.ui.display import enlarge, overlay
from pages.ui.live_camera import kept_sources, live_section, live_toggle, switch_off_live
from pages.ui.models import active_card, active_model_path, classifier, dataset, model_mtime
from pages.ui.probability_bars import probability_bars
from pages.ui.scores import top_scores
from pages.ui.session import lang, names, tr
from pages.ui.text import as_text, file_name
from pages.ui.widgets import scroll_into_view

run_through_frame()

UPLOAD_TYPES = ["jpg", "jpeg", "png", "webp", "bmp", "gif", "heic", "heif"]
DETAILED = 10            # photos shown in full; all of them are in the table
SESSION_INPUTS = "photo_inputs"
SESSION_CAP = 20
ANSWERS_KEY = "photo_answers"   # session: {content digest: answer without its images}, for one model file


# --- cached work ------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=64)
def _prepare(digest: str, _data: bytes, name: str) -> pr.Prediction:
    """Preprocess one photo (cached by content): an unclassified Prediction."""
    return pr.prepare(_data, name)


@st.cache_resource(show_spinner=False, max_entries=8)
def _judge(path: str, mtime: float) -> Judge:
    """The model's not-sure judge, one per model file per server: fitted once (in the
    background when the page opens, see warm_up_in_background) and shared by every session."""
    return Judge()


@st.cache_data(show_spinner=False, max_entries=64)
def _cam(path: str, mtime: float, _classifier, model_input: np.ndarray, label: int) -> np.ndarray | None:
    return grad_cam(_classifier, model_input, label)


@st.cache_data(show_spinner=False, max_entries=16)
def _example(label: int, model_input: np.ndarray) -> np.ndarray | None:
    data = dataset()
    if data is None:
        return None
    return data.x_train[pr.nearest_example(data.x_train, data.y_train, model_input, label)]


def pct(p: float) -> str:
    """A percentage that never wraps between the number and its sign ("79 %")."""
    return fmt_pct(float(p), lang(), 0, whole=True)


def model_name(path: str) -> str:
    """The active model as the sidebar names it."""
    shown = active_card().get("display_name")
    return shown if isinstance(shown, str) and shown.strip() else Path(path).stem


# --- one photo ----------------------------------------------------------------------------------

def probability_chart(pred: pr.Prediction, class_names: list[str], key: str) -> None:
    """The network's ten scores as horizontal bars, the class names on the left (readable on a
    phone); no number on the bars: the answer's one number is its confidence."""
    colours = ["#1f77b4" if k == pred.label else "#b0b0b0" for k in range(NUM_CLASSES)]
    fig = probability_bars(pred.probabilities, class_names, colours, lang(), axis_title=tr("photo.probability"),
                           values_on_bars=False)
    st.plotly_chart(fig, key=key, config={"displayModeBar": False})


def thumbnail(image: np.ndarray, size: int = 168) -> np.ndarray:
    """The photo scaled down so its longer side is `size` pixels: a card stays short on a phone."""
    from PIL import Image
    im = Image.fromarray(np.asarray(image))
    im.thumbnail((size, size))
    return np.asarray(im)


def show_prediction(i: int, pred: pr.Prediction, digest: str, net, path: str, mtime: float,
                    class_names: list[str], newest: bool = False) -> None:
    """One compact card: the photo and the 28x28 it became side by side, the answer with its
    one calibrated probability, the top-3 bars; the steps and Grad-CAM wait in an expander."""
    result = pred.result
    name = class_names[pred.label]
    with st.container(border=True, key="photo_card_newest" if newest else f"photo_card_{i}"):
        st.markdown(f"**{i + 1}. {file_name(pred.file)}**")
        st.image([thumbnail(result.photo), enlarge(result.model_input)],
                 caption=[tr("photo.card.photo"), tr("photo.card.input")], width=150)
        if pred.sure:
            st.success(tr("photo.answer", name=name, confidence=pct(pred.confidence)))
        else:
            reason = pred.reason_text(lang())
            st.warning(tr("photo.not_sure", reason=reason[:1].upper() + reason[1:], name=name,
                          confidence=pct(pred.confidence)))
        top_scores(pred, class_names)
        st.caption(tr("photo.answered_by", model=as_text(model_name(path))))

        # Lazy: the steps, the nearest example, all ten scores and Grad-CAM are computed only
        # while this expander is open (a class of 20 uploading at once pays for the card only).
        details = st.expander(tr("photo.details"), icon=":material/zoom_in:", on_change="rerun",
                              key=f"photo_details_{i}_{digest[:12]}")
        if details.open:
            with details:
                show_details(i, pred, net, path, mtime, class_names)


def show_details(i: int, pred: pr.Prediction, net, path: str, mtime: float, class_names: list[str]) -> None:
    """Every step from photo to 28x28, a real example of the answer, all 10 scores, Grad-CAM."""
    result = pred.result
    name = class_names[pred.label]
    st.markdown(f"**{tr('photo.steps')}**")
    images, captions = [], []
    for key, image in result.steps:
        images.append(enlarge(image) if image.shape[:2] == (28, 28) else thumbnail(image, 140))
        captions.append(tr(key))
    example = _example(pred.label, result.model_input)
    if example is not None:
        images.append(enlarge(example))
        captions.append(tr("photo.example", name=name))
    st.image(images, caption=captions, width=110)
    if pred.threshold is not None:      # the model's calibrated probability (fashion/calibration.py)
        st.caption(tr("photo.confidence_calibrated", confidence=pct(pred.confidence), threshold=pct(pred.threshold)))
    else:
        familiar = "—" if pred.familiarity is None else pct(pred.familiarity)
        st.caption(tr("photo.confidence_explained", confidence=pct(pred.confidence),
                      familiarity=familiar, threshold=pct(pr.SURE_THRESHOLD)))
    st.markdown(f"**{tr('photo.all10')}**")
    probability_chart(pred, class_names, key=f"photo_chart_{i}")

    st.markdown(f"**{tr('photo.cam_header', name=name)}**")
    try:
        cam = _cam(path, mtime, net, result.model_input, pred.label)
    except Exception:
        cam = None
    if cam is None:
        st.info(tr("photo.cam_unavailable"))
    else:
        st.image([overlay(result.model_input, cam, scale=8),
                  thumbnail(overlay(result.photo, result.heat_on_photo(cam), alpha=0.45), 168)],
                 caption=[tr("photo.cam_input"), tr("photo.cam_photo")], width=150)
        st.caption(tr("photo.cam_caption"))


def scroll_to_newest(digests: tuple) -> None:
    """A new answer lands at the top of the list; bring it into view (the photos' content
    digests make the nonce: a new photo scrolls again, even under an old file name)."""
    scroll_into_view("photo_card_newest", nonce=hashlib.sha1(repr(digests).encode()).hexdigest())


def remember_inputs(predictions: list[pr.Prediction]) -> None:
    """Keep the photos' model inputs for the Inside the CNN page (most recent last)."""
    kept = list(st.session_state.get(SESSION_INPUTS) or [])
    for pred in predictions:
        if pred.result is None:
            continue
        x = pred.result.model_input
        kept = [k for k in kept if not (k.get("name") == pred.file and np.array_equal(k.get("input"), x))]
        kept.append({"name": pred.file, "input": x})
    st.session_state[SESSION_INPUTS] = kept[-SESSION_CAP:]


def results_table(predictions: list[pr.Prediction], class_names: list[str]) -> None:
    """Three narrow columns that read on a phone: the photo, the answer (a question mark
    when not sure), its probability."""
    rows = []
    for i, pred in enumerate(predictions):
        file = f"{i + 1}. {pred.file}"
        if pred.error:
            rows.append({tr("photo.col.file"): file, tr("photo.col.answer"): tr("photo.verdict.error"),
                         tr("photo.col.confidence"): "—"})
        else:
            answer = class_names[pred.label] if pred.sure else tr("photo.col.unsure", name=class_names[pred.label])
            rows.append({tr("photo.col.file"): file, tr("photo.col.answer"): answer,
                         tr("photo.col.confidence"): pct(pred.confidence)})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={tr("photo.col.file"): st.column_config.TextColumn(width="medium"),
                                tr("photo.col.answer"): st.column_config.TextColumn(width="small"),
                                tr("photo.col.confidence"): st.column_config.TextColumn(width="small")})


# --- answers kept per session ------------------------------------------------------------------

def answer_all(sources: list[tuple[str, bytes]], content: list[str], net, judge, path: str,
               mtime: float) -> list[pr.Prediction]:
    """Every photo's answer, newest first in detail: the DETAILED newest usable photos are
    prepared (cached by content) and classified in one batch; older ones reuse the answer
    this session already got for them, kept without its images (a few numbers each), so a
    student who keeps adding photos does not pay again for the earlier ones."""
    book = st.session_state.get(ANSWERS_KEY)
    if not isinstance(book, dict) or book.get("model") != (path, mtime):
        book = {"model": (path, mtime), "answers": {}}
    known: dict = book["answers"]
    predictions: list = [None] * len(sources)
    fresh, detailed = {}, 0
    for i in reversed(range(len(sources))):
        name = re.split(r"[\\/]", sources[i][0])[-1]
        kept = known.get(content[i])
        if kept is not None and (kept.error or detailed >= DETAILED):
            predictions[i] = dataclasses.replace(kept, file=name)
        else:
            predictions[i] = fresh[i] = _prepare(content[i], sources[i][1], name)
        if not predictions[i].error:
            detailed += 1
    pr.classify(net, judge, list(fresh.values()))
    for i, pred in fresh.items():
        known[content[i]] = dataclasses.replace(pred, result=None)
    book["answers"] = {d: known[d] for d in content if d in known}     # only the photos still in the uploader
    st.session_state[ANSWERS_KEY] = book
    return predictions


# --- page ------------------------------------------------------------------------------------------


def main() -> None:
    """The page's work, freed when the run ends (why: tests/test_architecture.py)."""
    st.title(tr("nav.photo"))
    st.caption(tr("photo.intro"))
    up_col, cam_col = st.columns(2)            # the controls first: a cold server shows them at once
    with up_col:
        uploads = st.file_uploader(tr("photo.upload"), type=UPLOAD_TYPES, accept_multiple_files=True,
                                   key="photo_upload", help=tr("photo.upload_help"))
    with cam_col:
        live_on = live_toggle("photo_camera_on")
        use_camera = st.toggle(tr("photo.camera_on"), key="photo_camera_on",
                               on_change=switch_off_live, args=("photo_camera_on",))
        shot = st.camera_input(tr("photo.camera"), key="photo_camera") if use_camera else None
    st.caption(tr("photo.tips"))
    with st.spinner(tr("model.loading")):     # a cold server starts TensorFlow here: say so, never a blank page
        net = classifier()
    if net is None:
        st.stop()
    path = active_model_path()
    mtime = model_mtime(path)
    judge = _judge(path, mtime)
    pr.warm_up_in_background(net, judge)      # calibration and compiled passes, while the student picks a photo
    class_names = names()
    live_section(net, judge, class_names)      # the live camera, while its toggle is on
    sources = [(f.name, f.getvalue()) for f in (uploads or [])]
    if shot is not None:
        sources.append((tr("photo.camera_name"), shot.getvalue()))
    sources += kept_sources()                  # frames kept from the live camera
    if not sources:
        st.info(tr("photo.empty"))
        st.stop()
    with st.spinner(tr("photo.working")):
        content = [hashlib.sha1(data).hexdigest() for _, data in sources]
        try:
            predictions = answer_all(sources, content, net, judge, path, mtime)
        except Exception as e:  # a model that cannot take these inputs: explain, no stack trace
            st.error(tr("photo.model_failed", error=str(e) or type(e).__name__))
            st.stop()
    remember_inputs([p for p in predictions if p.result is not None])
    # Newest first: the last upload (or the camera shot) is the newest answer.
    order = list(range(len(predictions)))[::-1]
    if tuple(content) != st.session_state.get("_photo_seen", ()):
        st.session_state["_photo_seen"] = tuple(content)
        if not live_on:                        # the live camera keeps the screen; its kept frame is below
            scroll_to_newest(tuple(content))
    shown = 0
    for rank, i in enumerate(order):
        pred = predictions[i]
        if pred.error:
            st.error(tr("photo.cannot_use", name=file_name(pred.file), error=pred.error_text(lang())))
            continue
        if shown == DETAILED:
            st.info(tr("photo.more", n=DETAILED))
            break
        try:
            show_prediction(i, pred, content[i], net, path, mtime, class_names, newest=shown == 0)
        except Exception:  # never a stack trace on the page
            st.error(tr("photo.failed", name=file_name(pred.file)))
        shown += 1
    if len(predictions) > 1:
        st.subheader(tr("photo.results"))
        results_table(predictions, class_names)


main()
