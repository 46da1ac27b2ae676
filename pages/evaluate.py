"""Evaluate: judge the active model on the 10,000 test images. Headline metrics, training
curves, an interactive confusion matrix (click a cell to see its images), per-class
precision/recall/F1, the most confused pairs, the most confident mistakes, seed 000's
prediction viewer, and the downloadable report.

Inference runs once per model (pages/ui/models.py caches it); everything here is drawing.
"""
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from fashion.i18n import TABLE
from fashion.i18n.numbers import fmt_duration, fmt_int, fmt_num, fmt_pct, fmt_points
from fashion.judging import charts, report
from fashion.judging.story import story_of
from fashion.model.architectures import summary_rows
from pages.ui.chart_axes import percent_axis
from pages.ui.compat import run_through_frame
from pages.ui.display import to_display
from pages.ui.downloads import take_home_buttons
from pages.ui.models import active_card, active_model_path, dataset, evaluation, model, model_mtime, stored_evaluation
from pages.ui.probability_bars import probability_bars
from pages.ui.session import lang, names, tr
from pages.ui.story_chart import epochs_text, render_whole_training, time_text
from pages.ui.text import as_text
from pages.ui.widgets import gallery, metric_row, projector

run_through_frame()

CELL_IMAGES = 20          # images shown for a confusion-matrix cell, most confident first


@st.cache_data(show_spinner=False, max_entries=8)
def report_html(model_path: str, mtimes: tuple, language: str, _card: dict, _ev, _layers, _images) -> str:
    """The report for one model and language (rebuilt when the model or its card changes)."""
    return report.build_report(_card, _ev, _images, language, Path(model_path).stem, layers=_layers)


def layer_rows() -> list[dict]:
    """The model's layer table: from its stored evaluation (no TensorFlow needed to draw
    this page), else from the loaded model."""
    stored = stored_evaluation()
    if stored is not None and stored.summary.get("layers"):
        return stored.summary["layers"]
    return summary_rows(model())


def _picked_by_hand():
    st.session_state["cm_generation"] += 1


def _draw(ev):
    pool = ev.mistakes() if st.session_state.get("viewer_mistakes") else np.arange(len(ev.labels))
    st.session_state["viewer_index"] = int(np.random.default_rng().choice(pool))


def main() -> None:
    """The page's work, freed when the run ends (why: tests/test_architecture.py)."""
    BLUE, RED, GREY, ORANGE = "#1f77b4", "#d62728", "#9e9e9e", "#ff7f0e"
    st.title(tr("nav.evaluate"))
    st.write(tr("eval.intro"))
    path = active_model_path()
    if path is None:
        st.warning(tr("model.missing"))
        st.stop()
    with st.spinner(tr("eval.computing")):
        ev = evaluation()
    if ev is None:
        st.stop()
    data, card, N, L = dataset(), active_card(), names(), lang()
    cfg = card.get("config") or {}
    hist = card.get("history") or {}
    story = story_of(card)
    unknown = tr("common.unknown")
    arch = card.get("architecture") or cfg.get("architecture") or unknown
    arch = tr(f"train.arch.{arch}") if f"train.arch.{arch}" in TABLE else arch   # its name in the user's language
    diag = report.diagnose(card, ev)
    st.caption(tr("eval.model_caption", name=as_text(Path(path).stem), arch=as_text(arch)))
    # --- headline numbers and the report ------------------------------------------------------
    # One row that wraps instead of cutting: each number as wide as its label and value need
    # (Spanish labels are long, and a duration reads "50 min 50 s"). The same model on real
    # phone photos (domain shift, as seed 004 asks) closes the row, explained under it.
    stored = stored_evaluation()
    real = (stored.summary.get("real_photos") if stored is not None else None) or {}
    has_real = isinstance(real.get("micro"), (int, float))
    fit = card.get("fit_seconds")
    headline = [(tr("metric.test_accuracy"), fmt_pct(ev.accuracy, L)),
                (tr("metric.test_loss"), fmt_num(ev.loss, L)),
                (tr("metric.params"), fmt_int(card["params"], L) if "params" in card else unknown),
                (tr("metric.epochs"), epochs_text(story) if story.staged else
                 (diag.epochs or card.get("epochs_completed") or unknown)),
                (tr("metric.fit_time"), time_text(story) if story.staged else
                 (fmt_duration(float(fit), L) if fit is not None else unknown))]
    if has_real:
        headline.append((tr("metric.real_photo_accuracy"), fmt_pct(real["micro"], L, 1),
                         tr("metric.real_photo_accuracy_help", n=real.get("photos", 0))))
    metric_row("headline_metrics", headline)
    if has_real:
        key = "eval.domain_shift_learned" if card.get("photos") else "eval.domain_shift_catalogue_only"
        st.info(tr(key, fm=fmt_pct(ev.accuracy, L, 1), photos=fmt_pct(real["micro"], L, 1),
                   gap=fmt_points(ev.accuracy - real["micro"], L), shoes=fmt_pct(real.get("shoes"), L, 0)),
                icon=":material/photo_camera:")
    try:
        html_doc = report_html(path, (model_mtime(path), model_mtime(str(Path(path).with_suffix(".json")))), L,
                               card, ev, layer_rows(), data.x_test)
        st.download_button(tr("eval.report_button"), html_doc, file_name=report.report_filename(Path(path).stem, L),
                           mime="text/html", icon=":material/download:", help=tr("eval.report_help"),
                           on_click="ignore", type="primary", key="report_download")
    except Exception as e:  # the page stays useful even if the report cannot be built
        st.error(tr("eval.report_failed", error=str(e) or type(e).__name__))
    take_home_buttons(path, key="eval_take_home")
    # --- training curves (from the model card) --------------------------------------------------
    st.subheader(tr("eval.curves"))
    if story.staged:
        render_whole_training(story)
        st.markdown(f"**{tr('eval.curves_last_stage', n=len(hist.get('loss') or hist.get('accuracy') or []))}**")
    if hist.get("accuracy") or hist.get("val_accuracy"):
        for col, metric in zip(st.columns(2), ("accuracy", "loss")):
            fig = go.Figure()
            for key, label, colour, dash in ((metric, tr("common.train"), BLUE, "solid"),
                                             (f"val_{metric}", tr("common.validation"), ORANGE, "dash")):
                values = hist.get(key) or []
                if values:
                    fig.add_scatter(x=list(range(1, len(values) + 1)), y=values, name=label, mode="lines+markers",
                                    line={"color": colour, "dash": dash})
            charts.style(fig, L, title=tr(f"common.{metric}"), x_title=tr("common.epoch"), y_title=tr(f"common.{metric}"),
                         projector=projector(), height=320)
            if metric == "accuracy":       # ticks written like the labels: "92 %", "92,5 %"
                percent_axis(fig, L, values=[v for k in ("accuracy", "val_accuracy") for v in hist.get(k) or []])
            col.plotly_chart(fig, key=f"curve_{metric}")
        val_acc = hist.get("val_accuracy") or []
        if len(val_acc) >= 3 and val_acc[0] < 0.6 * max(val_acc):   # batch-norm statistics lag early on
            st.caption(tr("eval.early_val_low", first=fmt_pct(val_acc[0], L, 0), last=fmt_pct(val_acc[-1], L, 0)))
        if diag.gap is not None:
            st.caption(tr("eval.gap_overfit" if diag.gap >= report.OVERFIT_GAP else "eval.gap_ok",
                          train=fmt_pct(diag.final_train_accuracy, L), val=fmt_pct(diag.final_val_accuracy, L),
                          gap=fmt_points(diag.gap, L)))
        if cfg and not cfg.get("validation_split"):
            st.caption(tr("eval.validation_is_test"))
    else:
        st.info(tr("eval.no_history"))
    # --- interactive confusion matrix -------------------------------------------------------------
    # The heatmap draws the matrix; an invisible square marker on every cell makes it clickable
    # (Streamlit reports point selections, not heatmap clicks). A click sets the two selectboxes
    # below, which also work on their own; changing them by hand starts a fresh chart (new key)
    # so an old click never overrides them.
    st.subheader(tr("eval.confusion"))
    st.caption(tr("eval.confusion_help"))
    if "cell_true" not in st.session_state:
        first = ev.confused_pairs[0] if ev.confused_pairs else {"true": 0, "predicted": 0}
        st.session_state["cell_true"], st.session_state["cell_pred"] = first["true"], first["predicted"]
    st.session_state.setdefault("cm_generation", 0)
    chart_key = f"cm_chart_{st.session_state['cm_generation']}"
    clicked = (st.session_state.get(chart_key) or {}).get("selection", {}).get("points", [])
    if clicked and clicked[0].get("customdata") is not None:
        row, col_ = (int(v) for v in clicked[0]["customdata"][:2])
        st.session_state["cell_true"], st.session_state["cell_pred"] = row, col_
    true_cls, pred_cls = st.session_state["cell_true"], st.session_state["cell_pred"]
    # In projector mode the matrix and the gallery of its chosen cell sit side by side, so the
    # class sees both on one 1280x720 screen; otherwise the gallery runs full width below.
    big = projector()
    matrix_side, gallery_side = st.columns([2, 1], gap="medium") if big else (st.container(), st.container())
    modes = {"counts": tr("eval.counts"), "normalized": tr("eval.normalized")}
    mode = matrix_side.radio(tr("eval.show"), list(modes), format_func=modes.get, horizontal=True, key="cm_mode")
    share = ev.normalized_confusion()
    text = ([[str(int(c)) for c in row] for row in ev.confusion] if mode == "counts"
            else [[fmt_pct(v, L, 0 if big else 1) for v in row] for row in share])
    rows, cols_ = np.meshgrid(np.arange(10), np.arange(10), indexing="ij")
    rows, cols_ = rows.ravel(), cols_.ravel()
    fig = go.Figure()
    fig.add_heatmap(z=np.sqrt(share), x=N, y=N, text=text, texttemplate="%{text}", colorscale="Blues", zmin=0, zmax=1,
                    showscale=False, hoverinfo="skip", textfont={"size": charts.font_sizes(big)["cell"]})
    fig.add_scatter(x=[N[c] for c in cols_], y=[N[r] for r in rows], mode="markers", showlegend=False,
                    customdata=np.stack([rows, cols_, ev.confusion.ravel()], axis=1).tolist(),
                    hovertext=[tr("eval.hover_cell", true=N[r], pred=N[c], count=int(ev.confusion[r, c]),
                                  share=fmt_pct(share[r, c], L, 1)) for r, c in zip(rows, cols_)],
                    hovertemplate="%{hovertext}<extra></extra>",
                    marker={"symbol": "square", "size": 40, "color": "rgba(0,0,0,0)"},
                    selected={"marker": {"opacity": 1}}, unselected={"marker": {"opacity": 1}})
    fig.add_shape(type="rect", x0=pred_cls - 0.5, x1=pred_cls + 0.5, y0=true_cls - 0.5, y1=true_cls + 0.5,
                  line={"color": ORANGE, "width": 3})
    charts.style(fig, L, x_title=tr("common.predicted"), y_title=tr("common.true"), projector=big, legend_below=False)
    fig.update_layout(height=500 if big else 560, margin={"t": 10, "b": 10, "l": 10, "r": 10}, hoverdistance=40,
                      xaxis={"type": "category", "tickangle": -35, "range": [-0.5, 9.5]},   # not padded for the
                      yaxis={"type": "category", "range": [9.5, -0.5]})                    # click markers: top row first
    matrix_side.plotly_chart(fig, key=chart_key, on_select="rerun", selection_mode="points",
                             config={"displayModeBar": False})
    c1, c2 = (gallery_side, gallery_side) if big else gallery_side.columns(2)   # narrow side: one above the other
    c1.selectbox(tr("eval.pick_true"), range(10), format_func=N.__getitem__, key="cell_true", on_change=_picked_by_hand)
    c2.selectbox(tr("eval.pick_pred"), range(10), format_func=N.__getitem__, key="cell_pred", on_change=_picked_by_hand)
    # --- the images of the chosen cell ------------------------------------------------------------
    with gallery_side.container(key="cell_gallery"):
        idx = ev.cell(true_cls, pred_cls)
        if true_cls == pred_cls:
            st.markdown(f"**{tr('eval.cell_correct', name=N[true_cls], count=fmt_int(len(idx), L))}**")
        else:
            st.markdown(f"**{tr('eval.cell_title', true=N[true_cls], pred=N[pred_cls], count=fmt_int(len(idx), L))}**")
        if len(idx) == 0:
            st.info(tr("eval.cell_empty", true=N[true_cls], pred=N[pred_cls]))
        else:
            shown = idx[:CELL_IMAGES]
            st.caption(tr("eval.cell_showing", shown=len(shown)))
            P = ev.probabilities
            captions = [fmt_pct(P[k, pred_cls], L, 0) if true_cls == pred_cls      # gallery keeps "86 %" whole
                        else f"{fmt_pct(P[k, pred_cls], L, 0)} ({fmt_pct(P[k, true_cls], L, 0)})" for k in shown]
            gallery(data.x_test[shown], captions, columns=3 if big else 10, scale=3 if big else 2)
    # --- per-class precision, recall, F1 ------------------------------------------------------------
    st.subheader(tr("eval.per_class"))
    st.caption(tr("eval.per_class_help"))
    metric_names = {"precision": tr("common.precision"), "recall": tr("common.recall"), "f1": tr("common.f1")}
    table = pd.DataFrame([{tr("common.class"): N[r["class"]],
                           **{metric_names[m]: fmt_pct(r[m], L, 1) for m in ("precision", "recall")},
                           metric_names["f1"]: fmt_num(r["f1"], L), tr("common.support"): fmt_int(r["support"], L)}
                          for r in ev.per_class])
    c1, c2 = st.columns([11, 9])           # the table's five columns whole; all ten classes, no inner scrollbar
    with c1.container(key="per_class"):
        st.dataframe(table, hide_index=True, key="per_class_table", width="stretch", height="content")
    fig = go.Figure([go.Bar(name=metric_names[m], x=N, y=[r[m] for r in ev.per_class]) for m in ("precision", "recall", "f1")])
    charts.style(fig, L, y_title=tr("eval.per_class_axis"), projector=projector(), height=380)
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": 1.12})
    fig.update_yaxes(range=[0, 1.0])
    percent_axis(fig, L, 0.0, 1.0)
    c2.plotly_chart(fig, key="per_class_chart")
    weakest = diag.weakest[0]
    st.caption(tr("eval.weakest", name=N[weakest["class"]], f1=fmt_num(weakest["f1"], L), recall=fmt_pct(weakest["recall"], L, 1)))
    # --- most confused pairs --------------------------------------------------------------------------
    st.subheader(tr("eval.pairs"))
    st.dataframe(pd.DataFrame([{tr("common.true"): N[p["true"]], tr("common.predicted"): N[p["predicted"]],
                                tr("common.count"): fmt_int(p["count"], L), tr("eval.share"): fmt_pct(p["share"], L, 1)}
                               for p in ev.confused_pairs[:10]]),
                 hide_index=True, key="pairs_table", height="content")
    # --- most confident mistakes ------------------------------------------------------------------------
    st.subheader(tr("eval.mistakes"))
    st.caption(tr("eval.mistakes_help"))
    worst = ev.mistakes(16)
    with st.container(key="mistakes_gallery"):
        gallery(data.x_test[worst], [tr("eval.mistake_caption", pred=N[ev.predictions[k]],
                                        p=fmt_pct(ev.probabilities[k, ev.predictions[k]], L, 0), true=N[ev.labels[k]])
                                     for k in worst], columns=8, scale=3)
    # --- prediction viewer (seed 000) ----------------------------------------------------------------------
    st.subheader(tr("eval.viewer"))
    st.caption(tr("eval.viewer_help"))
    st.session_state.setdefault("viewer_index", 0)
    c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    k = int(c1.number_input(tr("eval.index"), min_value=0, max_value=len(ev.labels) - 1, step=1, key="viewer_index"))
    c2.button(tr("eval.random"), on_click=_draw, args=(ev,), icon=":material/casino:")
    c3.checkbox(tr("eval.only_mistakes"), key="viewer_mistakes")
    probs, pred, true = ev.probabilities[k], int(ev.predictions[k]), int(ev.labels[k])
    colours = [GREY] * 10
    colours[pred] = RED
    colours[true] = BLUE                       # a correct prediction is simply blue
    c1, c2 = st.columns([1, 3], vertical_alignment="center")
    c1.image(to_display(data.x_test[k], 8), caption=f"#{k}")
    c2.plotly_chart(probability_bars(probs, N, colours, L, axis_title=tr("common.probability")), key="viewer_chart",
                    config={"displayModeBar": False})
    if pred == true:
        c2.markdown(f":blue[{tr('eval.viewer_right', pred=N[pred], p=fmt_pct(probs[pred], L, 1))}]")
    else:
        c2.markdown(f":red[{tr('eval.viewer_wrong', pred=N[pred], p=fmt_pct(probs[pred], L, 1), true=N[true], q=fmt_pct(probs[true], L, 1))}]")


main()
