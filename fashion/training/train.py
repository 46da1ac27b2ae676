"""Training: `train()` runs one TrainConfig, a run from scratch, a stage that goes on from a
saved model, or a fine-tune on a class's own photos, with callbacks for progress and a
stop flag, and measures the result once.

    config = TrainConfig(architecture="fast", epochs=3)
    result = train(config, on_epoch=print)
"""
from __future__ import annotations

import dataclasses
import os
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from fashion import data as fm_data
from fashion.backend import keras, tf
from fashion.errors import TrainingFailed
from fashion.judging.evaluate import evaluate_probabilities
from fashion.judging.photo_metrics import held_out_metrics
from fashion.judging.stored import measured_accuracy
from fashion.model import registry
from fashion.model.architectures import with_flip_tta
from fashion.model.classifier import Classifier
from fashion.photos.calibration_data import outlier_pictures
from fashion.photos.own import OwnPhotosError, from_folder
from fashion.photos.photoset import PhotoSet, resolve
from fashion.training.augmentation import AUGMENTATIONS
from fashion.training.checkpoints import checkpoint_callback, discard_checkpoint, load_history, restore_checkpoint
from fashion.training.config import OPTIMIZERS, PRESETS, SCHEDULES, TrainConfig, cli_command
from fashion.training.datasets import split_indices, training_data
from fashion.training.finetune_figures import FinetuneResult, base_name, figures, photos_per_class
from fashion.training.network import build_and_compile, load_base, plain_copy, recalibrate_batch_norm
from fashion.training.photo_mix import recalibration_images, with_outliers
from fashion.training.progress import BatchProgress, progress_callback

# train() and its result; the names importers knew here before the split stay importable
__all__ = ["train", "TrainResult", "TrainConfig", "PRESETS", "SCHEDULES", "OPTIMIZERS", "AUGMENTATIONS",
           "cli_command", "TrainingFailed", "BatchProgress", "split_indices", "recalibrate_batch_norm",
           "discard_checkpoint"]

SHIPPED_PHOTOS = "shipped"


@dataclass
class TrainResult:
    model: object                       # keras.Model
    config: TrainConfig
    history: dict                       # loss, accuracy, val_loss, val_accuracy: one value per epoch
    test_metrics: dict                  # accuracy, loss
    per_class: list                     # precision, recall, f1, support per class (evaluate.Evaluation)
    fit_seconds: float
    stopped_early: bool
    epochs_completed: int
    data_source: str
    photo_metrics: dict | None = None   # accuracy on held-out real photos (photo_metrics.held_out_metrics)
    photos: dict | None = None          # the real photos learned from (PhotoSet.describe())
    finetune: FinetuneResult | None = None        # a fine-tune's before and after
    test_probabilities: np.ndarray | None = None  # the model's probabilities on the Fashion-MNIST test set
    photo_source: str = SHIPPED_PHOTOS  # the photo set photo_metrics holds out
    classifier: Classifier | None = None          # the one Classifier every measurement of `model` used

    def summary(self) -> dict:
        """The JSON-safe figures a job reports and the CLI prints (a fine-tune's before and
        after among them)."""
        out = {"test_metrics": {k: float(v) for k, v in self.test_metrics.items()},
               "fit_seconds": float(self.fit_seconds), "epochs_completed": int(self.epochs_completed),
               "stopped_early": bool(self.stopped_early), "params": int(self.model.count_params()),
               "history": {k: [float(x) for x in v] for k, v in self.history.items()}}
        if self.finetune is not None:
            out.update(self.finetune.summary(self.config), fit_seconds=round(self.fit_seconds, 2))
        return out

    def card(self, command: str, extra: dict | None = None) -> dict:
        """The saved model's card (registry.make_card), a fine-tune's figures included."""
        fields = self.finetune.card_fields(self.config) if self.finetune is not None else {}
        return registry.make_card(self, command, extra={**fields, **(extra or {})})

    def measured(self) -> dict:
        """What was measured on this very model, for its stored evaluation
        (fashion.judging.measure.compute), so the test set is classified once."""
        out = {"probabilities": self.test_probabilities}
        if self.photo_source == SHIPPED_PHOTOS:
            out["real_photos"] = self.photo_metrics
        return out


def _measure_base(base, config: TrainConfig, own_held_out: PhotoSet, dataset, phase) -> dict:
    """A fine-tune's 'before': the base model on the same sets as 'after' (a Fashion-MNIST
    accuracy stored for the base file is not measured again)."""
    clf = Classifier(base)
    accuracy = measured_accuracy(config.init_from)
    if accuracy is None:
        phase("testing", None)
        accuracy = float((clf.probabilities(dataset.x_test).argmax(axis=1) == dataset.y_test).mean())
    return figures(clf, own_held_out, held_out_metrics(clf, SHIPPED_PHOTOS), accuracy, len(dataset.y_test))


def train(config: TrainConfig, on_batch: Callable[[BatchProgress], None] | None = None,
          on_epoch: Callable[[int, dict], None] | None = None,
          should_stop: Callable[[], bool] | None = None,
          dataset: fm_data.FashionMNIST | None = None,
          backup_dir: str | os.PathLike | None = None,
          on_phase: Callable[[str, float | None], None] | None = None,
          own_photos: PhotoSet | None = None) -> TrainResult:
    """Train a model (or resume from `backup_dir`) and test it.

    on_batch gets a BatchProgress after each batch; on_epoch gets (epoch, metrics) after
    each complete epoch; should_stop is polled after each batch. A stop keeps the last
    complete epoch. on_phase gets (phase, fraction done or None) when a step that is not a
    training batch starts or advances: "measuring" (a fine-tune's base model), "training",
    "validating" (the end-of-epoch validation pass), "recalibrating" (batch-norm
    statistics) and "testing" (the test set), so a live view never sits silent.
    `backup_dir` keeps a checkpoint of every complete epoch there, so an interrupted run
    started again with the same folder resumes where it stopped; it is never deleted here
    (see checkpoints.discard_checkpoint). A fine-tune reads config.own_photos, or takes
    them already read (`own_photos`, fashion.photos.own), and measures before and after.
    """
    config.validate()
    phase = on_phase or (lambda name, fraction=None: None)
    ds = dataset or fm_data.load()
    # real photos are read (and refused, naming the bad files) before anything trains
    photo_set = photos = own_held_out = start = finetune = None
    photo_source = config.photos or SHIPPED_PHOTOS
    if config.is_finetune:
        own = own_photos if own_photos is not None else from_folder(config.own_photos)
        photos, own_held_out = own.part(False), own.part(True)
        if not len(photos) or not len(own_held_out):
            raise OwnPhotosError("own.error.no_photos", minimum=0)
        start, tta, base = load_base(config.init_from)
        config = dataclasses.replace(config, tta_flip=tta)     # the base's flip wrapper is kept
        photo_source = SHIPPED_PHOTOS
        phase("measuring", None)
        before = _measure_base(base, config, own_held_out, ds, phase)
        phase("training", None)
    elif config.photos:
        photo_set = resolve(config.photos)
        photos = with_outliers(photo_set.part(False), outlier_pictures())
    keras.utils.set_random_seed(config.seed)
    data = training_data(config, ds, photos, own_held_out)
    model = build_and_compile(config, data.batches, start)

    resumed = restore_checkpoint(model, backup_dir) if backup_dir else 0
    resumed = min(resumed, config.epochs)
    history = load_history(backup_dir) if resumed else {}
    state = {"history": {k: list(v)[:resumed] for k, v in history.items() if isinstance(v, list)}}
    state["completed"] = resumed   # epochs a resumed run already has
    state["backup_dir"] = backup_dir
    callbacks = [progress_callback(config.epochs, data.batches, on_batch, on_epoch, should_stop, state, on_phase,
                                   data.validation_batches)]
    if backup_dir:
        callbacks.append(checkpoint_callback(str(backup_dir), data.batches, state))
    t0 = time.perf_counter()
    try:
        if resumed < config.epochs:
            model.fit(data.train, validation_data=data.validation, epochs=config.epochs, initial_epoch=resumed,
                      callbacks=callbacks, verbose=0, shuffle=False)   # the tf.data pipeline shuffles
    except (tf.errors.ResourceExhaustedError, MemoryError) as e:
        raise TrainingFailed("train.err.oom") from e
    fit_seconds = time.perf_counter() - t0
    if state.get("nan"):
        raise TrainingFailed("train.err.nan")
    if state["completed"] == 0:
        raise TrainingFailed("train.err.no_epoch")
    if state.get("weights") is not None:
        model.set_weights(state["weights"])  # roll back a partial epoch
    if not config.is_finetune:     # a fine-tune's batch norm stayed in inference mode: the base's statistics
        phase("recalibrating", None)
        recalibrate_batch_norm(model, recalibration_images(data.x_train, photos, config.photo_ratio, seed=config.seed)
                               if photos is not None else data.x_train)
    if photos is not None:
        model = plain_copy(model)
    if config.tta_flip:
        model = with_flip_tta(model)

    phase("testing", None)
    clf = Classifier(model)
    probabilities = clf.probabilities(ds.x_test)        # the one pass over the test set
    ev = evaluate_probabilities(probabilities, ds.y_test)
    photo_figures = held_out_metrics(clf, photo_source)
    if config.is_finetune:
        after = figures(clf, own_held_out, photo_figures, ev.accuracy, len(ds.y_test))
        after["fashion_mnist"]["loss"] = float(ev.loss)
        finetune = FinetuneResult(before, after, photos_per_class(photos, own_held_out), base_name(config.init_from))
    return TrainResult(model=model, config=config, history=state["history"],
                       photo_metrics=photo_figures,
                       photos=photo_set.describe() if photo_set is not None else None,
                       test_metrics={"accuracy": ev.accuracy, "loss": ev.loss}, per_class=ev.per_class,
                       fit_seconds=fit_seconds, stopped_early=bool(state.get("stopped")),
                       epochs_completed=state["completed"], data_source=ds.source, finetune=finetune,
                       test_probabilities=probabilities, photo_source=photo_source, classifier=clf)
