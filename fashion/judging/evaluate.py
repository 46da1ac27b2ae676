"""Judging a model on the test set: accuracy, loss, confusion matrix, per-class
precision/recall/F1, the pairs it confuses most, and its mistakes.

Inference is always batched; `evaluate_probabilities` works on stored probabilities
so pages can cache the one expensive step (`predict_proba`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fashion.data import NUM_CLASSES, class_names
from fashion.model.classifier import as_classifier


def predict_proba(model, images: np.ndarray, batch_size: int | None = None) -> np.ndarray:
    """Class probabilities (N, 10) for uint8 (N, 28, 28) or float [0, 1] (N, 28, 28[, 1])
    images: the model's Classifier (one compiled, batched pass; `model` may be a Classifier)."""
    return as_classifier(model).probabilities(images)


@dataclass
class Evaluation:
    accuracy: float
    loss: float
    confusion: np.ndarray          # (10, 10): rows true, columns predicted
    per_class: list[dict]          # class, name, precision, recall, f1, support
    confused_pairs: list[dict]     # true, predicted, count, share of the true class; worst first
    probabilities: np.ndarray      # (N, 10)
    predictions: np.ndarray        # (N,)
    labels: np.ndarray             # (N,)

    def mistakes(self, limit: int | None = None) -> np.ndarray:
        """Indices of wrong predictions, most confident first."""
        wrong = np.flatnonzero(self.predictions != self.labels)
        conf = self.probabilities[wrong, self.predictions[wrong]]
        order = wrong[np.argsort(-conf, kind="stable")]
        return order[:limit] if limit else order

    def cell(self, true: int, predicted: int, limit: int | None = None) -> np.ndarray:
        """Indices of test images with this true class and this prediction, most confident first."""
        idx = np.flatnonzero((self.labels == true) & (self.predictions == predicted))
        order = idx[np.argsort(-self.probabilities[idx, predicted], kind="stable")]
        return order[:limit] if limit else order

    def normalized_confusion(self) -> np.ndarray:
        """Row-normalised confusion matrix: each row sums to 1 (recall on the diagonal)."""
        rows = self.confusion.sum(axis=1, keepdims=True)
        return np.divide(self.confusion, rows, out=np.zeros_like(self.confusion, dtype=float), where=rows > 0)

    def to_dict(self, lang: str = "en") -> dict:
        """JSON-friendly summary (no per-image arrays)."""
        return {"accuracy": self.accuracy, "loss": self.loss, "confusion": self.confusion.tolist(),
                "per_class": self.per_class, "confused_pairs": self.confused_pairs[:10]}


def evaluate_probabilities(probabilities: np.ndarray, labels: np.ndarray, lang: str = "en") -> Evaluation:
    """All metrics from stored probabilities and the true labels."""
    probabilities = np.asarray(probabilities, dtype=np.float32)
    labels = np.asarray(labels).astype(int)
    preds = probabilities.argmax(axis=1)
    eps = 1e-7
    loss = float(-np.mean(np.log(np.clip(probabilities[np.arange(len(labels)), labels], eps, 1.0))))
    # The counts and ratios of sklearn's confusion_matrix / precision_recall_fscore_support
    # (zero_division=0), in NumPy: importing sklearn costs a page's first paint seconds.
    cm = np.zeros((NUM_CLASSES, NUM_CLASSES), np.int64)
    np.add.at(cm, (labels, preds), 1)
    tp, s = np.diag(cm).astype(float), cm.sum(axis=1)
    predicted = cm.sum(axis=0)
    p = np.divide(tp, predicted, out=np.zeros(NUM_CLASSES), where=predicted > 0)
    r = np.divide(tp, s, out=np.zeros(NUM_CLASSES), where=s > 0)
    f = np.divide(2 * p * r, p + r, out=np.zeros(NUM_CLASSES), where=(p + r) > 0)
    names = class_names(lang)
    per_class = [{"class": k, "name": names[k], "precision": float(p[k]), "recall": float(r[k]),
                  "f1": float(f[k]), "support": int(s[k])} for k in range(NUM_CLASSES)]
    pairs = []
    for t in range(NUM_CLASSES):
        for q in range(NUM_CLASSES):
            if t != q and cm[t, q]:
                pairs.append({"true": t, "predicted": q, "true_name": names[t], "predicted_name": names[q],
                              "count": int(cm[t, q]), "share": float(cm[t, q] / max(1, cm[t].sum()))})
    pairs.sort(key=lambda d: (-d["count"], d["true"], d["predicted"]))
    return Evaluation(accuracy=float((preds == labels).mean()), loss=loss, confusion=cm,
                      per_class=per_class, confused_pairs=pairs, probabilities=probabilities,
                      predictions=preds, labels=labels)


def evaluate(model, images: np.ndarray, labels: np.ndarray, lang: str = "en") -> Evaluation:
    """Run the model over the images (batched) and compute every metric."""
    return evaluate_probabilities(predict_proba(model, images), labels, lang)
