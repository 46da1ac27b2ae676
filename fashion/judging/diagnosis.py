"""What a model's numbers say: overfitting, the best epoch, the weakest classes, the
confident mistakes, and the improvements that follow, each quoting its figures.

    d = diagnose(card, evaluation)            # the figures
    suggestions(card, evaluation, "es")       # sentences for the report and the Evaluate page

No Streamlit, no TensorFlow: the model card and an `Evaluation` are enough.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fashion.data import class_names
from fashion.i18n import t
from fashion.i18n.numbers import fmt_int, fmt_num, fmt_pct, fmt_points

# The seeds' headline test accuracies: the bar to beat (seed 000: 90.5 %, seed 001: 90.73 %).
SEED_BAR_LOW, SEED_BAR_HIGH = 0.905, 0.917
OVERFIT_GAP = 0.03          # train - validation accuracy at the last epoch
CONFIDENT = 0.9             # a mistake made with at least this probability is "confident"


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
