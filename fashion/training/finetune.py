"""Fine-tuning a trained model on a class's own photos, and what it gains and forgets.

    photos = own_photos.from_folder("my-photos")           # split per class: training / held out
    result = finetune(FinetuneConfig(base="models/fashion_mnist_cnn.keras", epochs=5), photos)
    result.before["own"]["accuracy"], result.after["own"]["accuracy"]
    result.after["fashion_mnist"]["accuracy"]               # what it kept of Fashion-MNIST

Two choices, as in every transfer-learning recipe:
- freeze_base=True: only the classifier head (the Dense layers) learns; every convolution
  and batch-norm weight stays exactly as it was. Fast, and it keeps what the network knew.
- freeze_base=False: the whole network learns, at a ten times lower learning rate, so the
  features adapt to the photos without being wiped out. Batch-norm layers stay in
  inference mode either way (small, mixed batches would corrupt their statistics).

Each step shows the network PHOTOS_PER_STEP of the user's training photos (augmented like
phone photos, fashion.training.photo_mix.augment_photos) next to REHEARSAL_PER_STEP
Fashion-MNIST training images (so it does not simply forget them); an epoch shows every
training photo PASSES_PER_EPOCH times. Before and after are measured the same way, on
the same images: the held-out own photos (accuracy, per class, confusion), the held-out
real phone photos shipped with the repo (photographers never trained on), and the whole
Fashion-MNIST test set.

A fine-tune in the app runs as a job in a worker process (fashion.runs.jobs, task kind
"finetune"); `run_job` is the worker's side of it.
"""
from __future__ import annotations

import base64
import math
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

import numpy as np

from fashion import data as fm_data
from fashion.backend import keras, tf
from fashion.errors import StudioError, TrainingFailed
from fashion.judging.evaluate import evaluate
from fashion.judging.stored import measured_accuracy
from fashion.model.architectures import ARCHITECTURES, with_flip_tta
from fashion.model.classifier import Classifier, is_flip_tta, unwrap
from fashion.model.registry import load_model, read_card
from fashion.photos.own import OwnPhotosError, counts_of, english_name, labels_of, to_bytes
from fashion.photos.photoset import PhotoSet, PhotoSetError, shipped
from fashion.judging.photo_metrics import photo_metrics
from fashion.training.photo_mix import accuracy_metric, mixed_dataset, partial_label_loss
from fashion.training.train import BatchProgress

HEAD_LEARNING_RATE = 1e-3
WHOLE_LEARNING_RATE = 1e-4          # ten times lower: adapt the features, do not wipe them out
PHOTOS_PER_STEP = 16
REHEARSAL_PER_STEP = 32             # Fashion-MNIST images beside them, so it does not forget
PASSES_PER_EPOCH = 4                # each training photo is seen this often (augmented) per epoch
MIN_STEPS_PER_EPOCH = 4
MAX_EPOCHS = 30
TASK_KIND = "finetune"


class FinetuneError(StudioError, ValueError):
    """A fine-tune that cannot start; `key`/`params` name a translated message."""


@dataclass
class FinetuneConfig:
    """What decides a fine-tune; the same config and photos give the same model."""
    base: str                          # the saved model to start from
    epochs: int = 5
    freeze_base: bool = True           # True: only the classifier head learns
    learning_rate: float = 0.0         # 0: the choice's default (HEAD_ / WHOLE_LEARNING_RATE)
    seed: int = 0

    @property
    def choice(self) -> str:
        return "head" if self.freeze_base else "whole"

    def rate(self) -> float:
        if self.learning_rate:
            return float(self.learning_rate)
        return HEAD_LEARNING_RATE if self.freeze_base else WHOLE_LEARNING_RATE

    def validate(self) -> "FinetuneConfig":
        if not isinstance(self.epochs, int) or isinstance(self.epochs, bool) or not 1 <= self.epochs <= MAX_EPOCHS:
            raise FinetuneError("own.error.epochs", low=1, high=MAX_EPOCHS)
        if not (isinstance(self.learning_rate, (int, float)) and 0 <= self.learning_rate <= 0.1):
            raise FinetuneError("own.error.learning_rate")
        if not os.path.isfile(self.base):
            raise FinetuneError("own.error.base", path=str(self.base), reason="no such file")
        return self

    def to_dict(self) -> dict:
        return {**asdict(self), "choice": self.choice, "learning_rate": self.rate()}


@dataclass
class FinetuneResult:
    model: object                    # keras.Model, the flip-TTA wrapper kept when the base had one
    config: FinetuneConfig
    before: dict                     # figures(): own, real_photos, fashion_mnist
    after: dict
    history: dict                    # loss, accuracy (training), val_accuracy (held-out own photos)
    epochs_completed: int
    stopped_early: bool
    fit_seconds: float
    photos: dict                     # per class: trained on / held out
    per_class: list = field(default_factory=list)   # Fashion-MNIST test, after
    data_source: str = ""

    def summary(self) -> dict:
        """The JSON-safe figures the CLI prints and a job reports."""
        return {"base_model": Path(self.config.base).stem, "base_path": str(self.config.base),
                "choice": self.config.choice, "freeze_base": self.config.freeze_base,
                "learning_rate": self.config.rate(), "epochs": self.config.epochs,
                "epochs_completed": self.epochs_completed, "stopped_early": self.stopped_early,
                "fit_seconds": round(self.fit_seconds, 2), "photos": self.photos,
                "before": self.before, "after": self.after, "history": self.history}


# --- measuring ------------------------------------------------------------------------------------

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


def figures(model, own_held_out: PhotoSet, real_held_out: PhotoSet | None, dataset,
            fashion_mnist_accuracy: float | None = None, on_phase=None) -> dict:
    """What a model does on the three sets (see the module docstring). A Fashion-MNIST test
    accuracy we already measured for this exact model file may be passed in."""
    clf = Classifier.of(model)
    out = {"own": own_figures(clf.probabilities(own_held_out.images), own_held_out), "real_photos": None}
    if real_held_out is not None and len(real_held_out):
        m = photo_metrics(clf.probabilities(real_held_out.images), real_held_out)
        out["real_photos"] = {k: m[k] for k in ("micro", "macro", "shoes", "photos")}
    if fashion_mnist_accuracy is None:
        if on_phase:
            on_phase("testing", None)
        p = clf.probabilities(dataset.x_test)
        fashion_mnist_accuracy = float((p.argmax(axis=1) == dataset.y_test).mean())
    out["fashion_mnist"] = {"accuracy": float(fashion_mnist_accuracy), "images": int(len(dataset.y_test))}
    return out


def _real_held_out() -> PhotoSet | None:
    try:
        held = shipped().part(True)
    except PhotoSetError:
        return None
    return held if len(held) else None


# --- the network ----------------------------------------------------------------------------------

def _layers(model):
    """Every layer, descending into nested models."""
    for layer in model.layers:
        if hasattr(layer, "layers"):
            yield from _layers(layer)
        else:
            yield layer


def set_trainable(net, freeze_base: bool) -> None:
    """Head only: the Dense layers learn, nothing else. Whole: everything but batch norm
    (kept in inference mode, its statistics untouched)."""
    net.trainable = True
    for layer in _layers(net):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
        elif freeze_base:
            layer.trainable = isinstance(layer, keras.layers.Dense)
        else:
            layer.trainable = True


def load_base(path: str):
    """(the trained network, whether the saved model wrapped it in flip TTA)."""
    try:
        model = load_model(path)
    except Exception as e:  # a missing, damaged or foreign file: say which and why
        raise FinetuneError("own.error.base", path=str(path), reason=str(e)[:200]) from None
    return unwrap(model), is_flip_tta(model), model


def _progress(config, steps, on_batch, on_epoch, should_stop, state):

    class Progress(keras.callbacks.Callback):
        """Batch/epoch progress, the stop flag, and the weights of the last complete epoch."""

        def on_train_begin(self, logs=None):
            state["t0"] = time.perf_counter()

        def on_epoch_begin(self, epoch, logs=None):
            state["epoch"], state["batch"] = epoch, 0

        def on_train_batch_end(self, batch, logs=None):
            batch = min(batch, steps - 1)
            state["batch"] = batch + 1
            logs = logs or {}
            loss = float(logs.get("loss", math.nan))
            if not math.isfinite(loss):
                state["nan"] = True
                self.model.stop_training = True
            if on_batch:
                on_batch(BatchProgress(state["epoch"], config.epochs, batch + 1, steps, loss,
                                       float(logs.get("accuracy", math.nan)), time.perf_counter() - state["t0"]))
            if should_stop and should_stop():
                state["stopped"] = True
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            if state["batch"] < steps or state.get("nan"):
                return       # a partial epoch is not kept
            logs = {k: float(v) for k, v in (logs or {}).items()}
            for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
                if key in logs:
                    state["history"].setdefault(key, []).append(logs[key])
            state["weights"] = self.model.get_weights()
            state["completed"] = epoch + 1
            if on_epoch:
                on_epoch(epoch, {k: v[-1] for k, v in state["history"].items()})

    return Progress()


# --- fine-tuning ----------------------------------------------------------------------------------

def finetune(config: FinetuneConfig, photos: PhotoSet, dataset=None,
             on_batch: Callable | None = None, on_epoch: Callable[[int, dict], None] | None = None,
             should_stop: Callable[[], bool] | None = None,
             on_phase: Callable[[str, float | None], None] | None = None) -> FinetuneResult:
    """Fine-tune config.base on the training part of `photos` (own_photos.from_*), measure
    before and after (see the module docstring). A stop keeps the last complete epoch;
    a stop before the first one raises TrainingFailed('train.err.no_epoch')."""
    config.validate()
    train_part, held_out = photos.part(False), photos.part(True)
    if not len(train_part) or not len(held_out):
        raise OwnPhotosError("own.error.no_photos", minimum=0)

    phase = on_phase or (lambda name, fraction=None: None)
    ds = dataset or fm_data.load()
    net, tta, base_model = load_base(config.base)
    real_held = _real_held_out()
    phase("measuring", None)
    before = figures(base_model, held_out, real_held, ds, measured_accuracy(config.base), on_phase)

    keras.utils.set_random_seed(config.seed)
    steps = max(MIN_STEPS_PER_EPOCH, math.ceil(len(train_part) * PASSES_PER_EPOCH / PHOTOS_PER_STEP))
    rng = np.random.default_rng(config.seed)
    pick = np.sort(rng.choice(len(ds.x_train), size=steps * REHEARSAL_PER_STEP, replace=False))
    settings = SimpleNamespace(batch_size=REHEARSAL_PER_STEP, photo_ratio=PHOTOS_PER_STEP / REHEARSAL_PER_STEP,
                               seed=config.seed)
    train_ds = mixed_dataset(ds.x_train[pick], ds.y_train[pick], train_part, settings, lambda x, r: x)
    x_val = held_out.images.astype("float32")[..., None] / 255.0
    y_val = held_out.accept.astype("float32")

    set_trainable(net, config.freeze_base)
    net.compile(optimizer=keras.optimizers.Adam(config.rate()), loss=partial_label_loss(0.0),
                metrics=[accuracy_metric()])
    state = {"history": {}, "completed": 0, "weights": None, "epoch": 0, "batch": 0}
    phase("training", None)
    t0 = time.perf_counter()
    try:
        net.fit(train_ds, validation_data=(x_val, y_val), epochs=config.epochs, verbose=0,
                callbacks=[_progress(config, steps, on_batch, on_epoch, should_stop, state)])
    except (tf.errors.ResourceExhaustedError, MemoryError) as e:
        raise TrainingFailed("train.err.oom") from e
    fit_seconds = time.perf_counter() - t0
    if state.get("nan"):
        raise TrainingFailed("train.err.nan")
    if not state["completed"]:
        raise TrainingFailed("train.err.no_epoch")
    net.set_weights(state["weights"])                     # roll back a partial epoch
    for layer in _layers(net):                            # the saved model is an ordinary, trainable one
        layer.trainable = True
    net.compile(loss="categorical_crossentropy", metrics=["accuracy"])   # no custom loss in the file
    model = net
    if tta:
        model = with_flip_tta(net)

    phase("measuring", None)
    phase("testing", None)
    ev = evaluate(model, ds.x_test, ds.y_test)          # the one pass over the test set
    after = figures(model, held_out, real_held, ds, float(ev.accuracy))
    after["fashion_mnist"]["loss"] = float(ev.loss)
    trained, held = counts_of(labels_of(train_part)), counts_of(labels_of(held_out))
    per_class = {english_name(k): {"trained_on": trained.get(k, 0), "held_out": held.get(k, 0)}
                 for k in sorted(set(trained) | set(held))}
    return FinetuneResult(model=model, config=config, before=before, after=after, history=state["history"],
                          epochs_completed=state["completed"], stopped_early=bool(state.get("stopped")),
                          fit_seconds=fit_seconds, photos=per_class, per_class=ev.per_class,
                          data_source=ds.source)


# --- the saved model's card --------------------------------------------------------------------------

def base_architecture(path: str) -> str:
    """The base model's architecture as its card names it (for the job's TrainConfig), or
    'fast' where the card does not say one the studio knows."""
    try:
        name = read_card(Path(path).with_suffix(".json")).get("architecture")
    except (OSError, ValueError):
        name = None
    return name if name in ARCHITECTURES else "fast"


def command(config: FinetuneConfig, photos_source: str = "DIR") -> str:
    import shlex
    parts = ["python", "-m", "fashion", "finetune", "--from", str(config.base), "--photos", photos_source,
             "--epochs", str(config.epochs)]
    if config.freeze_base:
        parts.append("--freeze-base")
    return " ".join(shlex.quote(p) for p in parts)


def make_card(result: FinetuneResult, command_line: str, extra: dict | None = None) -> dict:
    """The model card: the base model's architecture, the fine-tune (base model, photos per
    class, choice, before and after), and the usual fields the app reads."""
    import platform
    from datetime import datetime, timezone
    try:
        base_card = read_card(Path(result.config.base).with_suffix(".json"))
    except (OSError, ValueError):
        base_card = {}
    architecture = base_card.get("architecture") if isinstance(base_card.get("architecture"), str) else "unknown"
    base_config = base_card.get("config") if isinstance(base_card.get("config"), dict) else {}
    after_real = result.after.get("real_photos") or {}
    card = {
        "architecture": architecture,
        "config": {**base_config, "epochs": result.config.epochs, "learning_rate": result.config.rate(),
                   "init_from": str(result.config.base)},
        "history": result.history,
        "test_metrics": {"accuracy": result.after["fashion_mnist"]["accuracy"],
                         "loss": result.after["fashion_mnist"].get("loss")},
        "per_class": result.per_class,
        "epochs_completed": result.epochs_completed,
        "stopped_early": result.stopped_early,
        "fit_seconds": round(result.fit_seconds, 1),
        "params": int(result.model.count_params()),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data_source": result.data_source,
        "command": command_line,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, {platform.python_implementation()} "
                   f"{platform.python_version()}",
        "finetune": {"base_model": base_card.get("display_name") or Path(result.config.base).stem,
                     "base_path": str(result.config.base), "choice": result.config.choice,
                     "learning_rate": result.config.rate(), "photos_per_class": result.photos,
                     "before": result.before, "after": result.after},
    }
    if after_real:
        card["real_photo_metrics"] = {k: after_real[k] for k in ("micro", "macro", "shoes", "photos") if k in after_real}
    if extra:
        card.update(extra)
    return card


# --- in a worker process (fashion.runs.jobs / fashion.runs.worker) ------------------------------------------------

def task(photos: PhotoSet, config: FinetuneConfig) -> dict:
    """The job task a page submits: the base model, the choice, and the photos' 28x28
    inputs (base64 npz, a few tens of KB; dropped from the job's record when it ends)."""
    return {"kind": TASK_KIND, "base": str(config.base), "freeze_base": bool(config.freeze_base),
            "epochs": int(config.epochs), "learning_rate": float(config.learning_rate), "seed": int(config.seed),
            "photos": base64.b64encode(to_bytes(photos)).decode("ascii")}


