"""The short report the course asks students to hand in (seed 004): results, design
decisions, curves, confusion matrix, per-class metrics, limitations and improvements,
for one model, as one self-contained HTML file.

    html = build_report(card, evaluation, images=data.x_test, lang="es", name="fashion_mnist_cnn")

Everything comes from the model card and an `Evaluation` of the test set. Charts are
inline SVG and example images inline PNG, so the file opens anywhere, offline, and
prints. Each suggestion quotes the numbers that triggered it (`diagnose` computes them).
No Streamlit here and no TensorFlow: a caller that has the model passes its layer table.
"""
from __future__ import annotations

from datetime import datetime, timezone

import numpy as np

from fashion.data import class_names
from fashion.i18n import TABLE, t
from fashion.i18n.numbers import fmt_duration, fmt_float, fmt_int, fmt_num, fmt_pct, fmt_points  # noqa: F401
from fashion.judging.charts import BLUE, ORANGE, _e, png_data_uri, svg_confusion, svg_lines
from fashion.judging.diagnosis import (  # noqa: F401
    CONFIDENT,
    OVERFIT_GAP,
    SEED_BAR_HIGH,
    SEED_BAR_LOW,
    Diagnosis,
    confusions_of,
    diagnose,
    suggestions,
)

# --- the document ----------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:.2em} h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0} th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums} tr.weak td{background:#fff3f0}
.charts{display:flex;flex-wrap:wrap;gap:1em} .meta{color:#666} code{background:#f4f4f4;padding:.1em .3em}
pre{white-space:pre-wrap;word-break:break-all}
.gallery{display:flex;flex-wrap:wrap;gap:.8em} figure{margin:0;text-align:center;font-size:.8em;width:96px}
"""


def _table(header: list[str], rows: list[list], numeric_from: int = 1, row_class=None) -> str:
    out = ["<table><thead><tr>", *(f"<th>{_e(h)}</th>" for h in header), "</tr></thead><tbody>"]
    for i, row in enumerate(rows):
        cls = f' class="{row_class(i)}"' if row_class and row_class(i) else ""
        cells = "".join(f'<td class="n">{_e(c)}</td>' if j >= numeric_from else f"<td>{_e(c)}</td>"
                        for j, c in enumerate(row))
        out.append(f"<tr{cls}>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _hyperparameters(cfg: dict, lang: str) -> list[list[str]]:
    yes, no = t("report.yes", lang), t("report.no", lang)
    rows = []
    for key in ("architecture", "epochs", "batch_size", "learning_rate", "lr_schedule", "optimizer",
                "weight_decay", "label_smoothing", "augment", "augmentations", "validation_split",
                "train_subset", "seed", "tta_flip", "arch_params"):
        if key not in cfg:
            continue
        v = cfg[key]
        if isinstance(v, bool):
            v = yes if v else no
        elif isinstance(v, (list, tuple)):
            v = ", ".join(map(str, v)) or "-"
        elif isinstance(v, dict):
            v = ", ".join(f"{a}={b}" for a, b in v.items()) or "-"
        rows.append([t(f"report.hp.{key}", lang), str(v)])
    return rows


def build_report(card: dict, evaluation, images: np.ndarray, lang: str = "en", name: str = "",
                 layers: list[dict] | None = None, description: str = "") -> str:
    """The whole report as one HTML document (UTF-8 text).

    card: the model card (config, history, params, ...); evaluation: fashion.judging.evaluate.Evaluation
    of this model on the test set; images: the uint8 test images (for the mistakes gallery);
    layers: rows of fashion.model.architectures.summary_rows(model), if the caller has the model;
    description: one line on the architecture (by default the table's for card["architecture"])."""
    names = class_names(lang)
    d = diagnose(card, evaluation)
    cfg = card.get("config") or {}
    hist = card.get("history") or {}
    tr = lambda key, **fmt: t(key, lang, **fmt)  # noqa: E731
    out = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">',
           f"<title>{_e(tr('report.title', name=name))}</title><style>{CSS}</style></head><body>",
           f"<h1>{_e(tr('report.title', name=name))}</h1>",
           f'<p class="meta">{_e(tr("report.generated", date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")))}'
           + (f" · {_e(tr('report.trained', date=card['date']))}" if card.get("date") else "") + "</p>"]

    # 1. Results
    out.append(f"<h2>1. {_e(tr('report.results'))}</h2>")
    rows = [[tr("metric.test_accuracy"), fmt_pct(d.accuracy, lang)], [tr("metric.test_loss"), fmt_num(d.loss, lang)],
            [tr("report.test_images"), fmt_int(len(evaluation.labels), lang)],
            [tr("report.mistakes_count"), fmt_int(d.mistakes, lang)]]
    if "params" in card:
        rows.append([tr("metric.params"), fmt_int(card["params"], lang)])
    if d.epochs:
        rows.append([tr("metric.epochs"), str(d.epochs)])
    if card.get("fit_seconds") is not None:
        rows.append([tr("metric.fit_time"), fmt_duration(float(card["fit_seconds"]), lang)])
    out.append(_table([tr("report.measure"), tr("report.value")], rows))
    if d.accuracy >= SEED_BAR_HIGH:
        verdict = tr("report.beats_seeds", acc=fmt_pct(d.accuracy, lang), bar=fmt_pct(SEED_BAR_HIGH, lang, 1),
                     points=fmt_points(d.accuracy - SEED_BAR_HIGH, lang))
    elif d.accuracy >= SEED_BAR_LOW:
        verdict = tr("report.within_seeds", acc=fmt_pct(d.accuracy, lang), low=fmt_pct(SEED_BAR_LOW, lang, 1),
                     high=fmt_pct(SEED_BAR_HIGH, lang, 1))
    else:
        verdict = tr("report.below_seeds", acc=fmt_pct(d.accuracy, lang), bar=fmt_pct(SEED_BAR_LOW, lang, 1))
    out.append(f"<p>{_e(verdict)}</p>")

    # 2. Design decisions
    out.append(f"<h2>2. {_e(tr('report.design'))}</h2>")
    arch = card.get("architecture") or cfg.get("architecture") or tr("common.unknown")
    if not description and f"report.arch.{arch}" in TABLE:
        description = tr(f"report.arch.{arch}")
    out.append(f"<p><b>{_e(tr('common.architecture'))}:</b> <code>{_e(arch)}</code>"
               + (f" — {_e(description)}" if description else "") + "</p>")
    if "params" in card:
        out.append(f"<p>{_e(tr('report.params_sentence', n=fmt_int(card['params'], lang)))}</p>")
    if layers:
        out.append(_table([tr("report.layer"), tr("report.layer_type"), tr("report.output_shape"), tr("metric.params")],
                          [[r["name"], r["type"], r["output_shape"], fmt_int(r["params"], lang)] for r in layers],
                          numeric_from=3))
    if cfg:
        out.append(f"<h3>{_e(tr('report.hyperparameters'))}</h3>")
        out.append(_table([tr("report.setting"), tr("report.value")], _hyperparameters(cfg, lang), numeric_from=9))
    if card.get("command"):
        out.append(f"<p>{_e(tr('report.command'))}</p><pre><code>{_e(card['command'])}</code></pre>")
    if card.get("data_source") or card.get("machine"):
        out.append(f'<p class="meta">{_e(card.get("data_source", ""))} · {_e(card.get("machine", ""))}</p>')

    # 3. Curves and overfitting
    out.append(f"<h2>3. {_e(tr('report.curves'))}</h2>")
    if hist.get("accuracy") or hist.get("val_accuracy"):
        train_l, val_l = tr("common.train"), tr("common.validation")
        out.append('<div class="charts">')
        out.append(svg_lines([(train_l, list(hist.get("accuracy") or []), BLUE, False),
                              (val_l, list(hist.get("val_accuracy") or []), ORANGE, True)],
                             tr("common.accuracy"), tr("common.epoch"), tr("common.accuracy"), lang))
        out.append(svg_lines([(train_l, list(hist.get("loss") or []), BLUE, False),
                              (val_l, list(hist.get("val_loss") or []), ORANGE, True)],
                             tr("common.loss"), tr("common.epoch"), tr("common.loss"), lang))
        out.append("</div>")
        if d.gap is not None:
            key = "report.gap_overfit" if d.gap >= OVERFIT_GAP else "report.gap_ok"
            out.append(f"<p>{_e(tr(key, train=fmt_pct(d.final_train_accuracy, lang), val=fmt_pct(d.final_val_accuracy, lang), gap=fmt_points(d.gap, lang)))}</p>")
        if d.best_val_loss_epoch is not None:
            out.append(f"<p>{_e(tr('report.best_epoch', epoch=d.best_val_loss_epoch, loss=fmt_num(d.best_val_loss, lang), epochs=d.epochs))}</p>")
        if cfg and not cfg.get("validation_split"):
            out.append(f"<p>{_e(tr('report.validation_is_test'))}</p>")
    else:
        out.append(f"<p>{_e(tr('report.no_history'))}</p>")

    # 4. Confusion matrix
    out.append(f"<h2>4. {_e(tr('report.confusion'))}</h2>")
    out.append(svg_confusion(evaluation.confusion, names, tr("report.confusion"), tr("common.predicted"), tr("common.true")))
    out.append(f"<p>{_e(tr('report.confusion_note'))}</p>")

    # 5. Per-class metrics
    out.append(f"<h2>5. {_e(tr('report.per_class'))}</h2>")
    weak_ids = {w["class"] for w in d.weakest[:1]}
    out.append(_table([tr("common.class"), tr("common.precision"), tr("common.recall"), tr("common.f1"), tr("common.support")],
                      [[names[r["class"]], fmt_pct(r["precision"], lang, 1), fmt_pct(r["recall"], lang, 1),
                        fmt_num(r["f1"], lang), fmt_int(r["support"], lang)] for r in evaluation.per_class],
                      row_class=lambda i: "weak" if evaluation.per_class[i]["class"] in weak_ids else ""))

    # 6. Weakest classes and what they are confused with
    out.append(f"<h2>6. {_e(tr('report.weakest'))}</h2><ul>")
    for w in d.weakest:
        taken_for, mistaken = confusions_of(evaluation, w["class"])
        line = tr("report.weak_line", name=names[w["class"]], f1=fmt_num(w["f1"], lang),
                  recall=fmt_pct(w["recall"], lang, 1), precision=fmt_pct(w["precision"], lang, 1))
        if taken_for:
            line += " " + tr("report.taken_for", pairs=", ".join(
                tr("report.pair", name=names[p["predicted"]], count=p["count"], share=fmt_pct(p["share"], lang, 1))
                for p in taken_for))
        if mistaken:
            line += " " + tr("report.mistaken_for_it", pairs=", ".join(
                tr("report.pair_count", name=names[p["true"]], count=p["count"]) for p in mistaken))
        out.append(f"<li>{_e(line)}</li>")
    out.append("</ul>")
    top = evaluation.confused_pairs[:5]
    if top:
        out.append(f"<h3>{_e(tr('report.top_pairs'))}</h3>")
        out.append(_table([tr("common.true"), tr("common.predicted"), tr("common.count"), tr("report.share_of_class")],
                          [[names[p["true"]], names[p["predicted"]], p["count"], fmt_pct(p["share"], lang, 1)] for p in top],
                          numeric_from=2))

    # 7. The most confident mistakes
    worst = evaluation.mistakes(12)
    if len(worst):
        out.append(f"<h2>7. {_e(tr('report.confident_mistakes'))}</h2>")
        out.append(f"<p>{_e(tr('report.confident_share', share=fmt_pct(d.confident_mistake_share, lang, 0), conf=fmt_pct(CONFIDENT, lang, 0), mean=fmt_pct(d.mean_mistake_confidence, lang, 0)))}</p>")
        out.append('<div class="gallery">')
        for i in worst:
            p, q = int(evaluation.predictions[i]), int(evaluation.labels[i])
            cap = tr("report.mistake_caption", pred=names[p], p=fmt_pct(float(evaluation.probabilities[i, p]), lang, 0), true=names[q])
            out.append(f'<figure><img src="{png_data_uri(images[i])}" width="84" height="84" alt="{_e(cap)}">'
                       f"<figcaption>{_e(cap)}</figcaption></figure>")
        out.append("</div>")

    # 8. Limitations, 9. Improvements
    out.append(f"<h2>8. {_e(tr('report.limitations'))}</h2><ul>")
    if d.weakest:
        out.append(f"<li>{_e(tr('report.limit_weak', name=names[d.weakest[0]['class']], f1=fmt_num(d.weakest[0]['f1'], lang)))}</li>")
    out.append(f"<li>{_e(tr('report.limit_domain'))}</li><li>{_e(tr('report.limit_test'))}</li></ul>")
    out.append(f"<h2>9. {_e(tr('report.improvements'))}</h2><ol>")
    out.extend(f"<li>{_e(s)}</li>" for s in suggestions(card, evaluation, lang))
    out.append("</ol>")
    out.append(f'<p class="meta">{_e(tr("report.footer"))}</p></body></html>')
    return "\n".join(out)


def report_filename(name: str, lang: str = "en") -> str:
    """e.g. 'report-fashion_mnist_cnn-es.html' (only safe characters)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in str(name)).strip("-") or "model"
    return f"{t('report.file_prefix', lang)}-{safe}-{lang}.html"
