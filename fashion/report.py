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

import base64
import html
import io
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from .data import class_names
from .i18n import TABLE, t

# The seeds' headline test accuracies: the bar to beat (seed 000: 90.5 %, seed 001: 90.73 %).
SEED_BAR_LOW, SEED_BAR_HIGH = 0.905, 0.917
OVERFIT_GAP = 0.03          # train - validation accuracy at the last epoch
CONFIDENT = 0.9             # a mistake made with at least this probability is "confident"

# --- number formats shared by the pages and the report (so both print the same figures) ---


def fmt_pct(value: float | None, lang: str = "en", digits: int = 2) -> str:
    """0.9231 -> '92.31 %' (English) or '92,31 %' (Spanish); None -> '-'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{100 * value:.{digits}f} %"
    return text.replace(".", ",") if lang == "es" else text


def fmt_num(value: float | None, lang: str = "en", digits: int = 3) -> str:
    """A plain decimal number (loss, F1) with the language's decimal mark."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "es" else text


def fmt_int(value: int | None, lang: str = "en") -> str:
    """12345 -> '12,345' (English) or '12.345' (Spanish)."""
    if value is None:
        return "-"
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "es" else text


def fmt_points(value: float, lang: str = "en") -> str:
    """An accuracy difference in percentage points: 0.034 -> '3.4'."""
    text = f"{100 * value:.1f}"
    return text.replace(".", ",") if lang == "es" else text


# --- the numbers behind the text ----------------------------------------------------


@dataclass
class Diagnosis:
    """What the report's analysis and suggestions are computed from."""
    accuracy: float
    loss: float
    epochs: int = 0
    final_train_accuracy: float | None = None
    final_val_accuracy: float | None = None
    gap: float | None = None                   # train - validation accuracy, last epoch
    best_val_loss_epoch: int | None = None     # 1-based
    best_val_loss: float | None = None
    final_val_loss: float | None = None
    last_val_gain: float | None = None         # validation accuracy gained in the last epoch
    weakest: list[dict] = field(default_factory=list)   # per-class rows, lowest F1 first
    mistakes: int = 0
    confident_mistake_share: float = 0.0       # of the mistakes, share with p >= CONFIDENT
    mean_mistake_confidence: float = 0.0


def _last(values) -> float | None:
    return float(values[-1]) if values else None


def diagnose(card: dict, evaluation) -> Diagnosis:
    """The figures the report's analysis quotes, from the card's history and the evaluation."""
    hist = card.get("history") or {}
    acc, val_acc = list(hist.get("accuracy") or []), list(hist.get("val_accuracy") or [])
    val_loss = list(hist.get("val_loss") or [])
    d = Diagnosis(accuracy=float(evaluation.accuracy), loss=float(evaluation.loss),
                  epochs=max(len(acc), len(val_acc), len(val_loss)))
    d.final_train_accuracy, d.final_val_accuracy = _last(acc), _last(val_acc)
    if d.final_train_accuracy is not None and d.final_val_accuracy is not None:
        d.gap = d.final_train_accuracy - d.final_val_accuracy
    if val_loss:
        best = int(np.argmin(val_loss))
        d.best_val_loss_epoch, d.best_val_loss, d.final_val_loss = best + 1, float(val_loss[best]), float(val_loss[-1])
    if len(val_acc) >= 2:
        d.last_val_gain = float(val_acc[-1] - val_acc[-2])
    d.weakest = sorted(evaluation.per_class, key=lambda r: (r["f1"], r["class"]))[:3]
    wrong = evaluation.mistakes()
    d.mistakes = int(len(wrong))
    if len(wrong):
        conf = evaluation.probabilities[wrong, evaluation.predictions[wrong]]
        d.confident_mistake_share = float(np.mean(conf >= CONFIDENT))
        d.mean_mistake_confidence = float(np.mean(conf))
    return d


def confusions_of(evaluation, cls: int, limit: int = 2) -> tuple[list[dict], list[dict]]:
    """For one class: the classes its images are most often predicted as, and the
    classes most often predicted as it (each a confused_pairs row), worst first."""
    taken_for = [p for p in evaluation.confused_pairs if p["true"] == cls][:limit]
    mistaken_for_it = [p for p in evaluation.confused_pairs if p["predicted"] == cls][:limit]
    return taken_for, mistaken_for_it


def suggestions(card: dict, evaluation, lang: str = "en") -> list[str]:
    """Improvements that follow from this model's numbers, each quoting them."""
    d = diagnose(card, evaluation)
    cfg = card.get("config") or {}
    names = class_names(lang)
    out = []
    overfit = d.gap is not None and d.gap >= OVERFIT_GAP
    if overfit:
        remedies = [t("report.fix_dropout", lang)]
        if not cfg.get("augment"):
            remedies.append(t("report.fix_augment", lang))
        if not cfg.get("weight_decay"):
            remedies.append(t("report.fix_weight_decay", lang))
        out.append(t("report.s_overfit", lang, train=fmt_pct(d.final_train_accuracy, lang),
                     val=fmt_pct(d.final_val_accuracy, lang), gap=fmt_points(d.gap, lang),
                     remedies="; ".join(remedies)))
    if (d.best_val_loss_epoch is not None and d.best_val_loss_epoch < d.epochs
            and d.final_val_loss > d.best_val_loss * 1.05):
        out.append(t("report.s_early_stop", lang, epoch=d.best_val_loss_epoch, best=fmt_num(d.best_val_loss, lang),
                     last=fmt_num(d.final_val_loss, lang), epochs=d.epochs))
    elif not overfit and d.last_val_gain is not None and d.last_val_gain >= 0.002:
        out.append(t("report.s_more_epochs", lang, gain=fmt_points(d.last_val_gain, lang), epochs=d.epochs,
                     more=max(d.epochs + 5, int(d.epochs * 1.5))))
    if (d.final_train_accuracy is not None and d.final_train_accuracy < 0.92
            and (d.gap is None or d.gap < 0.01)):
        text = t("report.s_underfit", lang, train=fmt_pct(d.final_train_accuracy, lang))
        out.append(text + (" " + t("report.augmented_note", lang) if cfg.get("augment") else ""))
    if d.weakest:
        w = d.weakest[0]
        taken_for, mistaken = confusions_of(evaluation, w["class"], 1)
        if taken_for:
            p = taken_for[0]
            back = next((q for q in evaluation.confused_pairs
                         if q["true"] == p["predicted"] and q["predicted"] == w["class"]), None)
            out.append(t("report.s_weakest", lang, name=names[w["class"]], recall=fmt_pct(w["recall"], lang, 1),
                         precision=fmt_pct(w["precision"], lang, 1), other=names[p["predicted"]],
                         share=fmt_pct(p["share"], lang, 1), count=p["count"],
                         back=back["count"] if back else 0))
    if d.mistakes and d.confident_mistake_share >= 0.3:
        key = "report.s_confident_smoothing" if not cfg.get("label_smoothing") else "report.s_confident_temperature"
        out.append(t(key, lang, share=fmt_pct(d.confident_mistake_share, lang, 0),
                     conf=fmt_pct(CONFIDENT, lang, 0), mean=fmt_pct(d.mean_mistake_confidence, lang, 0)))
    if d.accuracy < SEED_BAR_LOW:
        out.append(t("report.s_below_seeds", lang, acc=fmt_pct(d.accuracy, lang), bar=fmt_pct(SEED_BAR_LOW, lang, 1)))
    if cfg and not cfg.get("validation_split"):
        out.append(t("report.s_validation_is_test", lang))
    if cfg.get("train_subset"):
        out.append(t("report.s_subset", lang, n=fmt_int(cfg["train_subset"], lang)))
    if not out:
        out.append(t("report.s_none", lang, acc=fmt_pct(d.accuracy, lang)))
    return out


# --- inline charts (SVG) and images (PNG) -------------------------------------------------

BLUE, ORANGE, GREY = "#1f77b4", "#ff7f0e", "#555"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1e-3
    step = (hi - lo) / (n - 1)
    return [lo + i * step for i in range(n)]


def svg_lines(series: list[tuple[str, list[float], str, bool]], title: str, xlabel: str, ylabel: str,
              lang: str = "en", width: int = 460, height: int = 290) -> str:
    """A line chart: series are (label, values per epoch, colour, dashed)."""
    series = [s for s in series if s[1]]
    left, right, top, bottom = 58, 12, 30, 62
    pw, ph = width - left - right, height - top - bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" font-family="sans-serif" font-size="11">',
             f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">{_e(title)}</text>']
    if not series:
        return "".join(parts) + "</svg>"
    values = [v for s in series for v in s[1]]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or 0.01
    lo, hi = lo - pad, hi + pad
    n = max(len(s[1]) for s in series)

    def x(i):
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v):
        return top + ph * (1 - (v - lo) / (hi - lo))

    parts.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#ccc"/>')
    for v in _ticks(lo, hi):
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>'
                     f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{_e(fmt_num(v, lang, 3))}</text>')
    step = max(1, math.ceil(n / 10))
    for i in range(0, n, step):
        parts.append(f'<text x="{x(i):.1f}" y="{top + ph + 14}" text-anchor="middle">{i + 1}</text>')
    parts.append(f'<text x="{left + pw / 2}" y="{top + ph + 30}" text-anchor="middle">{_e(xlabel)}</text>'
                 f'<text transform="translate(14 {top + ph / 2}) rotate(-90)" text-anchor="middle">{_e(ylabel)}</text>')
    for label, vals, colour, dashed in series:
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vals))
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        parts.extend(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}"/>' for i, v in enumerate(vals))
    lx = left
    for label, _, colour, dashed in series:
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(f'<line x1="{lx}" x2="{lx + 22}" y1="{height - 10}" y2="{height - 10}" stroke="{colour}" '
                     f'stroke-width="2"{dash}/><text x="{lx + 26}" y="{height - 6}">{_e(label)}</text>')
        lx += 34 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)


def svg_confusion(confusion: np.ndarray, labels: list[str], title: str, xlabel: str, ylabel: str) -> str:
    """The confusion matrix as a grid: counts in each cell, shaded by the share of its row."""
    cm = np.asarray(confusion)
    k = len(labels)
    cell, left, top = 44, 118, 34
    bottom = 100
    width, height = left + k * cell + 12, top + k * cell + bottom
    rows = cm.sum(axis=1, keepdims=True)
    share = np.divide(cm, rows, out=np.zeros_like(cm, dtype=float), where=rows > 0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" font-family="sans-serif" font-size="11">',
             f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">{_e(title)}</text>']
    for i in range(k):
        parts.append(f'<text x="{left - 6}" y="{top + i * cell + cell / 2 + 4}" text-anchor="end">{_e(labels[i])}</text>')
        for j in range(k):
            s = float(share[i, j])
            shade = s if i == j else min(1.0, s * 4)       # make off-diagonal mistakes visible
            base = (31, 119, 180) if i == j else (214, 39, 40)
            r, g, b = (int(255 - (255 - c) * shade) for c in base)
            ink = "#fff" if shade > 0.55 else "#222"
            parts.append(f'<rect x="{left + j * cell}" y="{top + i * cell}" width="{cell}" height="{cell}" '
                         f'fill="rgb({r},{g},{b})" stroke="#fff"/>'
                         f'<text x="{left + j * cell + cell / 2}" y="{top + i * cell + cell / 2 + 4}" '
                         f'text-anchor="middle" fill="{ink}">{int(cm[i, j])}</text>')
    for j in range(k):
        cx, cy = left + j * cell + cell / 2, top + k * cell + 8
        parts.append(f'<text transform="translate({cx} {cy}) rotate(45)" text-anchor="start">{_e(labels[j])}</text>')
    parts.append(f'<text x="{left + k * cell / 2}" y="{height - 6}" text-anchor="middle" font-weight="bold">{_e(xlabel)}</text>'
                 f'<text transform="translate(12 {top + k * cell / 2}) rotate(-90)" text-anchor="middle" '
                 f'font-weight="bold">{_e(ylabel)}</text></svg>')
    return "".join(parts)


def png_data_uri(image: np.ndarray, scale: int = 3) -> str:
    """A uint8 28x28 Fashion-MNIST image as an inline PNG, dark on white as in seed 000."""
    from PIL import Image
    arr = (255 - np.asarray(image, dtype=np.uint8)).repeat(scale, 0).repeat(scale, 1)
    buf = io.BytesIO()
    Image.fromarray(arr, mode="L").save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


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

    card: the model card (config, history, params, ...); evaluation: fashion.evaluate.Evaluation
    of this model on the test set; images: the uint8 test images (for the mistakes gallery);
    layers: rows of fashion.models.summary_rows(model), if the caller has the model;
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
        rows.append([tr("metric.fit_time"), tr("report.seconds", s=fmt_num(float(card["fit_seconds"]), lang, 0))])
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
