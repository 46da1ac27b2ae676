"""Your own photos: photograph or upload clothes per Fashion-MNIST class, fine-tune the
active model on them in a training worker, and see what it gained and what it forgot.

Thin UI over fashion/own_photos.py (photos -> 28x28 inputs, the split, the limits) and
fashion/finetune.py (the fine-tune and its before/after figures), run as a job of
fashion.runs.manager like any training. The photos live in this session only, as their 28x28
inputs (the original files are not kept), and can be removed one by one or all at once.
"""
from __future__ import annotations

import secrets
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from fashion.errors import StudioError
from fashion.i18n.numbers import fmt_duration, fmt_pct
from fashion.judging import charts
from fashion.photos import own as op
from fashion.runs.job import ACTIVE_STATES, CANCELLED, FAILED, FINAL_STATES, QUEUED, STOPPED, Job
from fashion.runs.rules import JobRefused
from fashion.training import finetune as ft
from fashion.training.train import TrainConfig
from pages.ui.compat import run_through_frame
from pages.ui.display import to_display
from pages.ui.downloads import take_home_buttons
from pages.ui.following import followed_job
from pages.ui.models import active_model_path, set_active_model
from pages.ui.session import browser_id, client_address, is_teacher, job_manager, lang, names, tr
from pages.ui.text import as_text
from pages.ui.widgets import projector

run_through_frame()

PHOTOS_KEY = "own_photos"         # session: [{id, label, name, image (28x28 uint8), found}]
CLASSES_KEY = "own_classes"       # session: the classes chosen (multiselect)
ROUND_KEY = "own_round"           # session: bumped to give the camera and uploader a fresh, empty widget
MESSAGES_KEY = "own_messages"     # session: what the last add said (errors, skipped duplicates)
JOB_KEY = "own_job_id"            # session: the fine-tune this tab follows
POLL_SECONDS = 1.0
COLUMNS = 8


def photos() -> list[dict]:
    return st.session_state.setdefault(PHOTOS_KEY, [])


def say(kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES_KEY, []).append((kind, text))


def add_photo(label: int, name: str, data: bytes, dedupe: bool = True) -> bool:
    """Process one photo into its 28x28 input and keep that (not the file) in the session.
    dedupe: refuse a file already in the class (a webcam shot is always a new photo). A
    duplicate file or a full class is told before the photo is decoded (fashion.photos.own.admit)."""
    try:
        photo, skipped = op.admit(photos(), label, name, data, dedupe)
    except StudioError as e:
        say("error", tr("own.cannot_use", name=name, error=e.message(lang())))
        return False
    if skipped == "duplicate":
        say("info", tr("own.duplicate", name=name))
        return False
    if skipped == "class_full":
        say("warning", tr("own.class_full", name=names()[label], limit=op.MAX_PER_CLASS))
        return False
    photos().append({"id": secrets.token_hex(6), **photo})
    return True


def bump() -> None:
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1


def on_camera(label_key: str, camera_key: str) -> None:
    shot = st.session_state.get(camera_key)
    if shot is not None:
        count = sum(1 for p in photos() if p["label"] == st.session_state[label_key])
        add_photo(st.session_state[label_key], tr("own.webcam_name", n=count + 1), shot.getvalue(), dedupe=False)
        bump()          # a fresh camera for the next shot


def on_upload(label_key: str, upload_key: str) -> None:
    for f in st.session_state.get(upload_key) or []:
        add_photo(st.session_state[label_key], f.name, f.getvalue())
    bump()


def on_zip(zip_key: str) -> None:
    upload = st.session_state.get(zip_key)
    if upload is None:
        return
    try:
        items = op.read_zip(upload.getvalue())
    except StudioError as e:
        say("error", e.message(lang()))
        bump()
        return
    added = sum(add_photo(label, name, data) for label, name, data in items)
    chosen = list(st.session_state.get(CLASSES_KEY) or [])
    st.session_state[CLASSES_KEY] = chosen + sorted({label for label, _, _ in items} - set(chosen))
    say("success", tr("own.zip_added", n=added))
    bump()


def remove(photo_id: str) -> None:
    st.session_state[PHOTOS_KEY] = [p for p in photos() if p["id"] != photo_id]


def remove_all() -> None:
    st.session_state[PHOTOS_KEY] = []


# --- adding photos ---------------------------------------------------------------------------------

def render_add(chosen: list[int], class_names: list[str]) -> None:
    st.subheader(tr("own.add_title"))
    round_ = st.session_state.get(ROUND_KEY, 0)
    label_key = "own_target"
    if st.session_state.get(label_key) not in chosen:
        st.session_state[label_key] = chosen[0]
    st.selectbox(tr("own.target"), chosen, format_func=lambda k: class_names[k], key=label_key)
    cam_col, up_col = st.columns(2)
    with cam_col:
        if st.toggle(tr("own.camera_on"), key="own_camera_on"):
            camera_key = f"own_camera_{round_}"
            st.camera_input(tr("own.camera", name=class_names[st.session_state[label_key]]), key=camera_key,
                            on_change=on_camera, args=(label_key, camera_key))
    with up_col:
        upload_key = f"own_upload_{round_}"
        st.file_uploader(tr("own.upload", name=class_names[st.session_state[label_key]]),
                         type=list(op.ACCEPTED_EXTENSIONS), accept_multiple_files=True, key=upload_key,
                         on_change=on_upload, args=(label_key, upload_key))
    with st.expander(tr("own.zip_title"), icon=":material/folder_zip:"):
        st.caption(tr("own.zip_help"))
        zip_key = f"own_zip_{round_}"
        st.file_uploader(tr("own.zip"), type=["zip"], key=zip_key, on_change=on_zip, args=(zip_key,))


def render_classes(chosen: list[int], class_names: list[str]) -> None:
    for label in chosen:
        mine = [p for p in photos() if p["label"] == label]
        title = tr("own.class_title", name=class_names[label], n=len(mine))
        st.markdown(f"**{title}**")
        if len(mine) < op.MIN_PER_CLASS:
            st.caption(tr("own.needs_more", n=op.MIN_PER_CLASS - len(mine), minimum=op.MIN_PER_CLASS))
        if not mine:
            continue
        for start in range(0, len(mine), COLUMNS):
            cols = st.columns(COLUMNS)
            for col, p in zip(cols, mine[start:start + COLUMNS]):
                col.image(to_display(p["image"], 3), caption=p["name"])
                col.button(tr("own.remove"), key=f"own_rm_{p['id']}", on_click=remove, args=(p["id"],))


# --- the fine-tune ---------------------------------------------------------------------------------------

def start(chosen: list[int], base: str, choice: str, epochs: int, name: str) -> None:
    used = [p for p in photos() if p["label"] in chosen]
    try:
        photo_set = op.from_images(np.stack([p["image"] for p in used]) if used else np.zeros((0, 28, 28), np.uint8),
                                   [p["label"] for p in used], [p["name"] for p in used], [p["found"] for p in used])
        config = ft.FinetuneConfig(base=base, epochs=int(epochs), freeze_base=(choice == "head")).validate()
        architecture = ft.base_architecture(base)
        job = job_manager().submit(TrainConfig(architecture=architecture, epochs=int(epochs), init_from=base,
                                               validation_split=0.0),
                                   name=name or None, owner=browser_id(), task=ft.task(photo_set, config),
                                   address=client_address())
    except StudioError as e:
        st.error(e.message(lang()))
        return
    except JobRefused as e:
        st.error(tr(e.key, **e.params))
        return
    st.session_state[JOB_KEY] = job.id
    st.rerun()


def render_setup(chosen: list[int]) -> None:
    st.subheader(tr("own.finetune_title"))
    base = active_model_path()
    if not base:
        st.warning(tr("model.missing"))
        return
    st.caption(tr("own.base", name=as_text(Path(base).stem)))
    labels = {c: tr(f"own.choice.{c}") for c in ("head", "whole")}
    choice = st.radio(tr("own.choice"), list(labels), key="own_choice", format_func=labels.get,
                      captions=[tr("own.choice.head_help"), tr("own.choice.whole_help")])
    limit = min(ft.MAX_EPOCHS, job_manager().limits.max_epochs)
    epochs = st.slider(tr("own.epochs"), 1, limit, min(5, limit), key="own_epochs")
    name = st.text_input(tr("own.name"), value=f"{Path(base).stem}-{tr('own.name_suffix')}", key="own_name",
                         max_chars=60)
    used = sum(p["label"] in chosen for p in photos())
    if st.button(tr("own.start"), key="own_start", type="primary", icon=":material/model_training:",
                 disabled=used == 0):
        start(chosen, base, choice, epochs, name)


def render_progress(snap: dict) -> None:
    progress, phase = snap.get("progress"), snap.get("phase")
    if snap["state"] == QUEUED:
        st.info(tr("train.queued", position=job_manager().queue_position(job_manager().get(snap["id"])),
                   limit=job_manager().max_running))
    elif phase in ("preparing", "measuring", "testing", "saving") or progress is None:
        done = bool(snap["history"])
        st.progress(1.0 if done else 0.0, text=tr(f"own.phase.{phase}" if phase in ("measuring", "testing", "saving")
                                                  else "own.phase.preparing", after=tr("own.after") if done
                                                  else tr("own.before")))
    else:
        st.progress(min(1.0, progress["fraction"]),
                    text=tr("train.progress", epoch=progress["epoch"] + 1, epochs=progress["epochs"],
                            batch=progress["batch"], batches=progress["batches"],
                            percent=f"{100 * progress['fraction']:.0f}"))
    val = snap["history"].get("val_accuracy") or []
    if val:
        st.caption(tr("own.live_val", accuracy=fmt_pct(val[-1], lang()), epoch=len(val)))


def confusion_figure(confusion: list, rows: list[int], class_names: list[str], title: str) -> go.Figure:
    m = np.asarray(confusion)[rows]
    cols = [k for k in range(10) if m[:, k].any() or k in rows]
    z = m[:, cols]
    fig = go.Figure(go.Heatmap(z=z, x=[class_names[k] for k in cols], y=[class_names[k] for k in rows],
                               text=z, texttemplate="%{text}", colorscale="Blues", showscale=False))
    charts.style(fig, lang(), title=title, x_title=tr("own.answer"), y_title=tr("own.given"), projector=projector(),
                 height=140 + 40 * len(rows))
    fig.update_yaxes(autorange="reversed")
    return fig


def render_result(snap: dict) -> None:
    result = snap.get("result") or {}
    before, after = result.get("before"), result.get("after")
    if not before or not after:
        return
    L = lang()
    st.success(tr("own.done", epochs=result.get("epochs_completed", 0),
                  duration=fmt_duration(result.get("fit_seconds", 0))))
    rows = [("own", "accuracy", "own.row.own", (after["own"] or {}).get("photos")),
            ("real_photos", "micro", "own.row.real", (after.get("real_photos") or {}).get("photos")),
            ("fashion_mnist", "accuracy", "own.row.fashion_mnist", after["fashion_mnist"].get("images"))]
    cols = st.columns(3)
    for col, (key, field, label, n) in zip(cols, rows):
        if not before.get(key) or not after.get(key):
            col.metric(tr(label, n=n or 0), "—")
            continue
        b, a = before[key][field], after[key][field]
        col.metric(tr(label, n=n or 0), fmt_pct(a, L), delta=tr("own.delta", points=f"{100 * (a - b):+.1f}"),
                   help=tr("own.before_was", value=fmt_pct(b, L)))
    table = {tr("own.col.measure"): [], tr("own.before"): [], tr("own.after"): []}
    for key, field, label, n in rows:
        if before.get(key) and after.get(key):
            table[tr("own.col.measure")].append(tr(label, n=n or 0))
            table[tr("own.before")].append(fmt_pct(before[key][field], L))
            table[tr("own.after")].append(fmt_pct(after[key][field], L))
    st.table(pd.DataFrame(table).set_index(tr("own.col.measure")))      # before and after, side by side
    st.caption(tr("own.gained_forgot"))
    class_names = names()
    labels = sorted(op.class_index(n) for n in (result.get("photos") or {}))
    labels = [k for k in labels if k is not None]
    if labels:
        c1, c2 = st.columns(2)
        c1.plotly_chart(confusion_figure(before["own"]["confusion"], labels, class_names, tr("own.confusion_before")),
                        width="stretch", key="own_conf_before")
        c2.plotly_chart(confusion_figure(after["own"]["confusion"], labels, class_names, tr("own.confusion_after")),
                        width="stretch", key="own_conf_after")
    path = result.get("model_path")
    if path:
        st.caption(tr("own.saved_as", name=as_text(Path(path).stem)))
        take_home_buttons(path, key=f"own_take_home_{snap['id']}")
        if st.button(tr("own.use_now"), key=f"own_use_{snap['id']}", type="primary", icon=":material/photo_camera:"):
            set_active_model(path)
            st.switch_page("pages/photo.py")


def render_job(job: Job) -> None:
    polling = job.active

    @st.fragment(run_every=POLL_SECONDS if polling else None)
    def live():
        snap = job.snapshot()
        st.subheader(tr("own.run_title", name=as_text(snap["name"])))
        state = snap["state"]
        if state in ACTIVE_STATES:
            render_progress(snap)
            if job_manager().can_control(job, browser_id(), is_teacher()) and not snap["stop_requested"]:
                if st.button(tr("train.stop"), key="own_stop", icon=":material/stop_circle:"):
                    try:
                        job_manager().stop(job.id, requester=browser_id(), teacher=is_teacher())
                    except JobRefused as e:
                        st.error(tr(e.key, **e.params))
        elif state == FAILED:
            st.error(tr(snap["error_key"], **(snap.get("error_params") or {})) if snap.get("error_key")
                     else tr("train.err.failed", error=snap.get("error") or "?"))
        elif state == CANCELLED or (state == STOPPED and not snap.get("result")):
            st.info(tr("own.stopped_empty"))
        else:
            if state == STOPPED:
                st.warning(tr("own.stopped", epochs=(snap.get("result") or {}).get("epochs_completed", 0)))
            render_result(snap)
        if polling and state in FINAL_STATES:
            st.rerun()           # the whole page: the sidebar lists the new model
        if not polling and state in FINAL_STATES:
            if st.button(tr("own.again"), key="own_again", icon=":material/add:"):
                st.session_state.pop(JOB_KEY, None)
                st.rerun()

    live()


# --- page -------------------------------------------------------------------------------------------------


def main() -> None:
    """The page's work, freed when the run ends (why: tests/test_architecture.py)."""
    st.title(tr("nav.own"))
    st.caption(tr("own.intro", minimum=op.MIN_PER_CLASS))
    st.info(tr("own.privacy", limit=op.MAX_PER_CLASS, mb=op.MAX_PHOTO_BYTES // 2**20), icon=":material/lock:")
    class_names = names()
    with_photos = sorted({p["label"] for p in photos()})
    if CLASSES_KEY not in st.session_state:
        st.session_state[CLASSES_KEY] = with_photos
    chosen = st.multiselect(tr("own.classes"), list(range(10)), format_func=lambda k: class_names[k], key=CLASSES_KEY,
                            placeholder=tr("own.classes_placeholder"))
    for kind, text in st.session_state.pop(MESSAGES_KEY, []):
        getattr(st, kind)(text)
    job = followed_job(JOB_KEY, wanted=lambda run: bool(run.task))   # a fine-tune, not a Train run
    if job is not None:
        render_job(job)
        st.divider()
    if not chosen:
        st.info(tr("own.choose_first"))
        st.stop()
    render_add(chosen, class_names)
    st.subheader(tr("own.yours"))
    render_classes(chosen, class_names)
    if photos():
        st.button(tr("own.remove_all"), key="own_rm_all", on_click=remove_all, icon=":material/delete_sweep:")
    if job is None or not job.active:
        st.divider()
        render_setup(chosen)


main()
