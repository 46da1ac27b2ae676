"""The Train page's live view of one job: which job this tab follows (URL and session),
its progress, live curves and result, Stop for those allowed, and the teacher's list of
every active run. The page polls the job with st.fragment(run_every=...)."""
from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from fashion.i18n.numbers import fmt_clock, fmt_duration, fmt_float, fmt_pct
from fashion.judging import charts
from fashion.runs.job import CANCELLED, DONE, FAILED, FINAL_STATES, QUEUED, RUNNING, STOPPED, Job
from fashion.runs.manager import manager
from fashion.runs.rules import JobRefused
from pages.ui import following
from pages.ui.chart_axes import percent_axis
from pages.ui.downloads import take_home_buttons
from pages.ui.models import active_model_path, set_active_model
from pages.ui.session import browser_id, is_teacher, job_manager, lang, tr
from pages.ui.text import as_text
from pages.ui.widgets import metric_row, projector

JOB_KEY = "train_job_id"          # session: the job this browser tab follows
POLL_SECONDS = 1.0
SCROLL_KEY = "_tr_scroll_to_run"  # session: scroll to the live run once, right after Start


def follow(job_id: str | None) -> None:
    """Make this tab follow job_id (or nothing), in the session and in the URL."""
    following.follow(JOB_KEY, job_id, in_url=True)


def _clock(seconds: float | None) -> str:
    return fmt_clock(seconds)


def _pct(value: float | None) -> str:
    return fmt_pct(value, lang())


def error_text(snap: dict) -> str:
    """The job's failure in the user's language, from the i18n key and parameters the
    core gave it (never by reading its English text)."""
    if snap.get("error_key"):
        return tr(snap["error_key"], **(snap.get("error_params") or {}))
    return tr("train.err.failed", error=snap.get("error") or "?")


TRAIN_COLOR, VAL_COLOR, BATCH_COLOR = charts.TRAIN_COLOR, charts.VAL_COLOR, charts.BATCH_COLOR


def curves_figure(snap: dict) -> tuple[go.Figure, go.Figure]:
    """Accuracy and loss: the running value of every batch (thin line, from the first
    batch on) and one point per epoch (training dashed, validation solid). Accuracy on a
    fixed 0-100 % axis; loss on a log axis with the first batches' spike clipped, so the
    epoch points stay readable. The x axis spans the whole planned run."""
    epochs = snap["config"]["epochs"]
    history = snap["history"]
    L, big = lang(), projector()
    x = list(range(1, len(history.get("loss", [])) + 1))
    acc, loss = go.Figure(), go.Figure()
    for fig, points, name in ((acc, snap.get("accuracy_points") or [], tr("train.curve.batch_accuracy")),
                              (loss, snap.get("loss_points") or [], tr("train.curve.batch_loss"))):
        if points:
            bx, by = zip(*points)
            fig.add_trace(go.Scatter(x=bx, y=by, name=name, mode="lines", line={"width": 1.5, "color": BATCH_COLOR}))
    for fig, metric in ((acc, "accuracy"), (loss, "loss")):
        for key, name, color, dash in ((metric, tr("train.curve.train"), TRAIN_COLOR, "dash"),
                                       (f"val_{metric}", tr("train.curve.val"), VAL_COLOR, "solid")):
            if history.get(key):
                fig.add_trace(go.Scatter(x=x, y=history[key], name=name, mode="lines+markers",
                                         line={"dash": dash, "color": color}, marker={"size": 9 if big else 7}))
    charts.style(acc, L, title=tr("train.chart.accuracy"), x_title=tr("train.col.epoch"),
                 y_title=tr("train.chart.accuracy"), projector=big, height=320)
    charts.style(loss, L, title=tr("train.chart.loss_log"), x_title=tr("train.col.epoch"),
                 y_title=tr("train.chart.loss"), projector=big, height=320)
    acc.update_yaxes(range=[0, 1.02])
    percent_axis(acc, L, 0.0, 1.0)                 # ticks written like the labels: "50 %"
    values = [v for _, v in snap.get("loss_points") or []] + [v for k in ("loss", "val_loss") for v in history.get(k, [])]
    loss.update_yaxes(type="log", range=charts.loss_axis_range(values))
    for fig in (acc, loss):
        fig.update_xaxes(range=[0, max(epochs, 1) + 0.2], dtick=1 if epochs <= 20 else None)
    return acc, loss


def render_result(snap: dict) -> None:
    result = snap["result"] or {}
    path = result.get("model_path")
    st.success(tr("train.done", accuracy=_pct(result.get("test_metrics", {}).get("accuracy")),
                  epochs=result.get("epochs_completed", 0), duration=fmt_duration(result.get("fit_seconds", 0))))
    if not path:
        return
    st.caption(tr("train.saved_as", name=as_text(Path(path).stem)))
    take_home_buttons(path, key=f"tr_take_home_{snap['id']}")
    if active_model_path() == path:
        st.info(tr("train.is_active"))
    elif st.button(tr("train.make_active"), key=f"tr_activate_{snap['id']}", icon=":material/check_circle:"):
        set_active_model(path)
        st.rerun()   # the whole app: the sidebar shows the new active model


def render_job(job: Job, polling: bool) -> None:
    snap = job.snapshot()
    state = snap["state"]
    st.subheader(tr("train.run_title", name=as_text(snap["name"])))
    progress = snap["progress"]
    if state == QUEUED:
        m = manager()
        st.info(tr("train.queued", position=m.queue_position(job), limit=m.max_running))
        st.progress(0.0, text=tr("train.waiting"))
        if not may_stop(job):
            st.caption(tr("train.not_yours"))
        elif st.button(tr("train.cancel"), key="tr_stop", icon=":material/cancel:"):
            stop_job(job)
            st.rerun()
    elif state == RUNNING:
        phase = snap.get("phase")
        if progress is None or phase == "preparing":
            st.progress(0.0, text=tr("train.preparing"))
        elif phase == "validating":
            st.progress(min(1.0, snap.get("phase_fraction") or 0.0),
                        text=tr("train.phase.validating", epoch=progress["epoch"] + 1, epochs=progress["epochs"],
                                percent=f"{100 * (snap.get('phase_fraction') or 0.0):.0f}"))
        elif phase in ("recalibrating", "testing", "saving"):
            st.progress(1.0, text=tr(f"train.phase.{phase}"))
        else:
            st.progress(min(1.0, progress["fraction"]),
                        text=tr("train.progress", epoch=progress["epoch"] + 1, epochs=progress["epochs"],
                                batch=progress["batch"], batches=progress["batches"],
                                percent=f"{100 * progress['fraction']:.0f}"))
        val = snap["history"].get("val_accuracy") or [None]
        metric_row("tr_live_metrics", [(tr("train.eta"), _clock(progress and progress["eta"])),
                                       (tr("train.elapsed"), _clock(progress and progress["elapsed"])),
                                       (tr("train.batch_loss"), fmt_float(progress["loss"], lang(), 4) if progress else "—"),
                                       (tr("train.batch_accuracy"), _pct(progress and progress["accuracy"])),
                                       (tr("train.val_accuracy"), _pct(val[-1]))])
        if snap["stop_requested"]:
            st.warning(tr("train.stopping"))
        elif not may_stop(job):
            st.caption(tr("train.not_yours"))
        elif st.button(tr("train.stop"), key="tr_stop", icon=":material/stop_circle:"):
            stop_job(job)
            st.rerun(scope="fragment")
    elif state == DONE:
        st.progress(1.0, text=tr("train.finished"))
        render_result(snap)
    elif state == STOPPED:
        done = (snap["result"] or {}).get("epochs_completed", 0)
        st.warning(tr("train.stopped", epochs=done) if done else tr("train.stopped_empty"))
        if done:
            render_result(snap)
    elif state == FAILED:
        st.error(error_text(snap))
    elif state == CANCELLED:
        st.info(tr("train.cancelled"))

    if snap["history"] or snap["loss_points"]:
        acc, loss = curves_figure(snap)
        g1, g2 = st.columns(2)
        g1.plotly_chart(acc, width="stretch", key="tr_live_acc")
        g2.plotly_chart(loss, width="stretch", key="tr_live_loss")

    if polling and state in FINAL_STATES:
        st.rerun()   # the whole page: stop polling, list the new model everywhere
    if not polling and state in FINAL_STATES:
        if st.button(tr("train.new_run"), key="tr_dismiss", icon=":material/add:"):
            follow(None)
            st.rerun()


def may_stop(job: Job) -> bool:
    """Only the browser that started a run, or the teacher, may stop it."""
    return job_manager().can_control(job, browser_id(), is_teacher())


def stop_job(job: Job) -> None:
    try:
        job_manager().stop(job.id, requester=browser_id(), teacher=is_teacher())
    except JobRefused as e:
        st.error(tr(e.key, **e.params))


def render_all_runs() -> None:
    """The teacher's view: every queued or running run on the server, each with Stop."""
    active = [j for j in job_manager().jobs() if j.active]
    with st.expander(tr("train.all_runs"), icon=":material/school:", expanded=bool(active)):
        if not active:
            st.caption(tr("train.all_runs_empty"))
        for j in active:
            c1, c2, c3 = st.columns([6, 1, 1], vertical_alignment="center")
            c1.write(tr("train.run_line", name=as_text(j.name), state=tr(f"train.state.{j.state}"),
                        owner=(j.owner or "?")[-4:]))
            if c2.button(tr("train.open_run"), key=f"tr_open_{j.id}"):
                follow(j.id)
                st.rerun()
            if c3.button(tr("train.stop_run"), key=f"tr_teacher_stop_{j.id}", disabled=j.stop_requested):
                stop_job(j)
                st.rerun()


def render_live(job: Job) -> None:
    polling = job.active

    @st.fragment(run_every=POLL_SECONDS if polling else None)
    def live():
        render_job(job, polling)

    live()
