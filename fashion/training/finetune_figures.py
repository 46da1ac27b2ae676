"""What a fine-tune gains and forgets: the same figures before and after, on the same
images: the held-out own photos (accuracy, per class, confusion), the held-out real phone
photos shipped with the repo (photographers never trained on), and the whole
Fashion-MNIST test set. train() measures them; this module says what they are and how a
card and a job's result show them."""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fashion.model.registry import read_card
from fashion.photos.own import counts_of, english_name, labels_of
from fashion.photos.photoset import PhotoSet
from fashion.training.config import TrainConfig

REAL_PHOTO_FIGURES = ("micro", "macro", "shoes", "photos")


def own_figures(probabilities: np.ndarray, photos: PhotoSet) -> dict:
    """Accuracy on own photos (each has one class), per class, and the 10x10 confusion
    (rows: the class given, columns: the answer)."""
    labels = labels_of(photos)
    predicted = probabilities.argmax(axis=1)
    confusion = np.zeros((10, 10), int)
    np.add.at(confusion, (labels, predicted), 1)
    per_class = {english_name(int(k)): float((predicted[labels == k] == k).mean()) for k in np.unique(labels)}
    return {"accuracy": float((predicted == labels).mean()) if len(labels) else math.nan,
            "per_class": per_class, "confusion": confusion.tolist(), "photos": int(len(labels))}


def figures(classifier, own_held_out: PhotoSet, real_photo_metrics: dict | None, fashion_mnist_accuracy: float,
            fashion_mnist_images: int) -> dict:
    """A model's figures on the three sets: its own held-out photos are classified here;
    the real-photo metrics (photo_metrics.held_out_metrics) and the Fashion-MNIST test
    accuracy come measured."""
    real = {k: real_photo_metrics[k] for k in REAL_PHOTO_FIGURES} if real_photo_metrics else None
    return {"own": own_figures(classifier.probabilities(own_held_out.images), own_held_out), "real_photos": real,
            "fashion_mnist": {"accuracy": float(fashion_mnist_accuracy), "images": int(fashion_mnist_images)}}


def photos_per_class(train_part: PhotoSet, held_out: PhotoSet) -> dict:
    """Per class (English name): own photos trained on and held out."""
    trained, held = counts_of(labels_of(train_part)), counts_of(labels_of(held_out))
    return {english_name(k): {"trained_on": trained.get(k, 0), "held_out": held.get(k, 0)}
            for k in sorted(set(trained) | set(held))}


def base_name(path: str) -> str:
    """The base model as people know it: its card's display name, else its file name."""
    try:
        name = read_card(Path(path).with_suffix(".json")).get("display_name")
    except (OSError, ValueError):
        name = None
    return name if isinstance(name, str) and name else Path(path).stem


@dataclass
class FinetuneResult:
    """What a fine-tune measured, beside its TrainResult."""
    before: dict                     # figures(): own, real_photos, fashion_mnist
    after: dict
    photos: dict                     # photos_per_class()
    base_name: str                   # base_name() of init_from

    def summary(self, config: TrainConfig) -> dict:
        """The fine-tune's keys of a run summary (the CLI's JSON, a job's result)."""
        return {"base_model": Path(config.init_from).stem, "base_path": str(config.init_from),
                "choice": config.choice, "freeze_base": config.freeze_base,
                "learning_rate": config.learning_rate, "epochs": config.epochs,
                "photos": self.photos, "before": self.before, "after": self.after}

    def card_fields(self, config: TrainConfig) -> dict:
        """What a fine-tuned model's card adds: the base model, the choice, the photos per
        class, before and after."""
        return {"finetune": {"base_model": self.base_name, "base_path": str(config.init_from),
                             "choice": config.choice, "learning_rate": config.learning_rate,
                             "photos_per_class": self.photos, "before": self.before, "after": self.after}}
