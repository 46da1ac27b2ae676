"""Training: a plain dataclass of settings, a tf.data pipeline over the uint8 arrays,
and `train()` with callbacks for progress and a stop flag.

    config = TrainConfig(architecture="fast", epochs=3)
    result = train(config, on_epoch=print)
"""
from __future__ import annotations

import dataclasses
import json
import math
import os
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import data as fm_data

AUGMENTATIONS = ("shift", "flip", "rotate", "zoom", "erase", "contrast", "blur")
SCHEDULES = ("constant", "cosine", "onecycle")
OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop")


@dataclass
class TrainConfig:
    """Everything that decides a training run; the same config and seed give the same model."""
    architecture: str = "fast"
    epochs: int = 5
    batch_size: int = 128
    learning_rate: float = 1e-3
    lr_schedule: str = "constant"      # constant | cosine | onecycle
    warmup_epochs: float = 0.0         # linear warm-up before cosine
    optimizer: str = "adam"            # adam | adamw | sgd | rmsprop
    weight_decay: float = 0.0
    label_smoothing: float = 0.0
    augment: bool = False
    augmentations: tuple = ("shift", "flip")
    validation_split: float = 0.1      # held out from the training set; 0 = validate on test
    train_subset: int = 0              # 0 = all 60,000 images (minus validation)
    seed: int = 42
    tta_flip: bool = False             # save the model averaging image + mirror image
    arch_params: dict = field(default_factory=dict)

    def validate(self) -> "TrainConfig":
        """Raise ValueError with a plain message for settings that cannot work."""
        from .models import ARCHITECTURES
        if self.architecture not in ARCHITECTURES:
            raise ValueError(f"unknown architecture {self.architecture!r}; choose one of {', '.join(ARCHITECTURES)}.")
        if not 1 <= self.epochs <= 500:
            raise ValueError("epochs must be between 1 and 500.")
        if not 1 <= self.batch_size <= 4096:
            raise ValueError("batch size must be between 1 and 4096.")
        if not 0 < self.learning_rate <= 1.0:
            raise ValueError("learning rate must be above 0 and at most 1.")
        if self.lr_schedule not in SCHEDULES:
            raise ValueError(f"lr_schedule must be one of {', '.join(SCHEDULES)}.")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}.")
        if not 0 <= self.validation_split < 0.5:
            raise ValueError("validation split must be at least 0 and below 0.5.")
        if self.train_subset < 0 or (0 < self.train_subset < 100):
            raise ValueError("training subset must be 0 (all) or at least 100 images.")
        if not 0 <= self.label_smoothing < 0.5:
            raise ValueError("label smoothing must be between 0 and 0.5.")
        if self.weight_decay < 0:
            raise ValueError("weight decay cannot be negative.")
        if not 0 <= self.warmup_epochs < self.epochs or self.warmup_epochs < 0:
            raise ValueError("warm-up must be shorter than the run.")
        unknown = set(self.augmentations) - set(AUGMENTATIONS)
        if unknown:
            raise ValueError(f"unknown augmentation(s) {', '.join(sorted(unknown))}; choose from {', '.join(AUGMENTATIONS)}.")
        n_train = self.train_subset or 60000
        if int(n_train * (1 - self.validation_split)) < self.batch_size:
            raise ValueError("the batch size is larger than the training set; lower it or use more images.")
        if self.architecture == "custom":
            from .models import check_custom
            p = {"conv_blocks": 2, "filters": 32, "kernel_size": 3, "pooling": "max",
                 "dropout": 0.25, "dense_units": 128, **self.arch_params}
            check_custom(p["conv_blocks"], p["filters"], p["kernel_size"], p["pooling"], p["dropout"], p["dense_units"])
        return self

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["augmentations"] = list(self.augmentations)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "TrainConfig":
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in d.items() if k in names}
        if "augmentations" in kwargs:
            kwargs["augmentations"] = tuple(kwargs["augmentations"])
        return cls(**kwargs)


PRESETS: dict[str, TrainConfig] = {
    # About a minute on 2 CPU cores, at or above the seed recipe's accuracy: the batch-norm
    # CNN at a high learning rate (short warm-up, cosine decay) for three epochs.
    "quick": TrainConfig(architecture="fast", epochs=3, batch_size=128, learning_rate=6e-3,
                         lr_schedule="cosine", warmup_epochs=0.3, validation_split=0.05, seed=1),
    # Seed 000 exactly: its CNN, Adam, batch 32, 10 epochs, all 60,000 training images,
    # and the test set as its validation curve (as the notebook does).
    "seed": TrainConfig(architecture="seed_cnn", epochs=10, batch_size=32, learning_rate=1e-3,
                        validation_split=0.0, seed=0),
    # A small subset and no regularisation: training accuracy runs away from validation.
    "overfit": TrainConfig(architecture="custom", epochs=30, batch_size=64, learning_rate=1e-3,
                           train_subset=2000, validation_split=0.25, seed=0,
                           arch_params={"conv_blocks": 2, "filters": 32, "kernel_size": 3,
                                        "pooling": "max", "dropout": 0.0, "dense_units": 256,
                                        "batch_norm": False}),
    # The shipped default model: a residual network, augmentation, warm-up + cosine,
    # AdamW, label smoothing, and flip test-time augmentation built into the saved model.
    "best": TrainConfig(architecture="resnet", epochs=10, batch_size=256, learning_rate=3e-3,
                        lr_schedule="cosine", warmup_epochs=1, optimizer="adamw", weight_decay=0.02,
                        label_smoothing=0.1, augment=True, augmentations=("shift", "flip"),
                        validation_split=0.05, seed=7, tta_flip=True,
                        arch_params={"widths": [64, 128], "blocks_per_stage": 1, "dropout": 0.2,
                                     "stem_width": 32, "stem_pool": True}),
}


@dataclass
class BatchProgress:
    """Reported after every training batch."""
    epoch: int            # 0-based
    epochs: int
    batch: int            # 1-based within the epoch
    batches: int          # batches per epoch
    loss: float
    accuracy: float
    elapsed: float        # seconds since fit started

    @property
    def fraction(self) -> float:
        return (self.epoch * self.batches + self.batch) / (self.epochs * self.batches)

    @property
    def eta(self) -> float:
        f = self.fraction
        return self.elapsed * (1 - f) / f if f > 0 else float("nan")


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


# --- input pipeline ------------------------------------------------------------

def split_indices(n_total: int, config: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """Seeded shuffle of the training set into (train, validation) indices."""
    rng = np.random.default_rng(config.seed)
    order = rng.permutation(n_total)
    if config.train_subset:
        order = order[: config.train_subset]
    n_val = int(round(len(order) * config.validation_split))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def augment_batch(x, augmentations, seed):
    """Random augmentation of a float batch (B, 28, 28, 1) in [0, 1], with TF ops."""
    import tensorflow as tf
    rng = tf.random.Generator.from_seed(seed) if isinstance(seed, int) else seed
    b = tf.shape(x)[0]
    if "flip" in augmentations:
        flip = rng.uniform([b, 1, 1, 1]) < 0.5
        x = tf.where(flip, tf.reverse(x, axis=[2]), x)
    if "shift" in augmentations:  # random crop of a 2-pixel zero padding
        padded = tf.pad(x, [[0, 0], [2, 2], [2, 2], [0, 0]])
        offsets = rng.uniform([b, 2], 0, 5, dtype=tf.int32)
        rows = offsets[:, 0:1] + tf.range(28)[None, :]
        cols = offsets[:, 1:2] + tf.range(28)[None, :]
        x = tf.gather(padded, rows, axis=1, batch_dims=1)
        x = tf.gather(x, cols, axis=2, batch_dims=1)
    if "rotate" in augmentations or "zoom" in augmentations:
        angle = rng.uniform([b], -0.17, 0.17) if "rotate" in augmentations else tf.zeros([b])
        scale = rng.uniform([b], 0.9, 1.1) if "zoom" in augmentations else tf.ones([b])
        cos, sin = tf.cos(angle) / scale, tf.sin(angle) / scale
        c = 13.5
        transforms = tf.stack([cos, -sin, c - c * cos + c * sin, sin, cos, c - c * sin - c * cos,
                               tf.zeros([b]), tf.zeros([b])], axis=1)
        x = tf.raw_ops.ImageProjectiveTransformV3(images=x, transforms=transforms, output_shape=[28, 28],
                                                  fill_value=0.0, interpolation="BILINEAR", fill_mode="CONSTANT")
    if "contrast" in augmentations:
        factor = rng.uniform([b, 1, 1, 1], 0.6, 1.4)
        mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
        x = tf.clip_by_value((x - mean) * factor + mean, 0.0, 1.0)
    if "blur" in augmentations:
        k = tf.constant([[1, 2, 1], [2, 4, 2], [1, 2, 1]], tf.float32)[..., None, None] / 16.0
        blurred = tf.nn.conv2d(x, k, strides=1, padding="SAME")
        x = tf.where(rng.uniform([b, 1, 1, 1]) < 0.3, blurred, x)
    if "erase" in augmentations:  # random erasing: one rectangle per image, half the time
        h = rng.uniform([b], 4, 15, dtype=tf.int32)
        w = rng.uniform([b], 4, 15, dtype=tf.int32)
        y0 = rng.uniform([b], 0, 28, dtype=tf.int32) - h // 2
        x0 = rng.uniform([b], 0, 28, dtype=tf.int32) - w // 2
        r = tf.range(28)[None, :]
        in_rows = (r >= y0[:, None]) & (r < (y0 + h)[:, None])
        in_cols = (r >= x0[:, None]) & (r < (x0 + w)[:, None])
        box = in_rows[:, :, None] & in_cols[:, None, :]
        box &= (rng.uniform([b]) < 0.5)[:, None, None]
        noise = rng.uniform([b, 28, 28])
        x = tf.where(box[..., None], noise[..., None], x)
    return x


def make_dataset(images: np.ndarray, labels: np.ndarray, config: TrainConfig, training: bool):
    """A tf.data pipeline from uint8 arrays: batches are scaled (and augmented) on the fly,
    so there is never a float copy of the whole set."""
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices((images, labels.astype("int32")))
    if training:
        ds = ds.shuffle(len(images), seed=config.seed, reshuffle_each_iteration=True)
    ds = ds.batch(config.batch_size)
    augmentations = tuple(config.augmentations) if (training and config.augment) else ()
    rng = tf.random.Generator.from_seed(config.seed + 1) if augmentations else None

    def prepare(x, y):
        x = tf.cast(x, tf.float32)[..., None] / 255.0
        if augmentations:
            x = augment_batch(x, augmentations, rng)
        return x, y

    return ds.map(prepare, num_parallel_calls=1 if augmentations else tf.data.AUTOTUNE).prefetch(2)


# --- optimisation -------------------------------------------------------------------

def learning_rate_schedule(config: TrainConfig, steps_per_epoch: int):
    """A Keras LearningRateSchedule (or float) for the configured schedule."""
    import keras
    total = max(1, config.epochs * steps_per_epoch)
    lr = config.learning_rate
    if config.lr_schedule == "constant":
        return lr
    if config.lr_schedule == "cosine":
        warmup = int(config.warmup_epochs * steps_per_epoch)
        return keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=lr / 10 if warmup else lr, decay_steps=max(1, total - warmup), alpha=0.01,
            warmup_target=lr if warmup else None, warmup_steps=warmup)
    # one-cycle: linear ramp up for 30 % of the run, then cosine down to almost zero
    warmup = max(1, int(0.3 * total))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=lr / 20, decay_steps=total - warmup, alpha=0.002,
        warmup_target=lr, warmup_steps=warmup)


def make_optimizer(config: TrainConfig, steps_per_epoch: int):
    import keras
    lr = learning_rate_schedule(config, steps_per_epoch)
    if config.optimizer == "adam":
        return keras.optimizers.Adam(lr)
    if config.optimizer == "adamw":
        return keras.optimizers.AdamW(lr, weight_decay=config.weight_decay or 1e-4)
    if config.optimizer == "sgd":
        return keras.optimizers.SGD(lr, momentum=0.9, nesterov=True)
    return keras.optimizers.RMSprop(lr)


def build_and_compile(config: TrainConfig, steps_per_epoch: int):
    import keras
    from .models import build
    model = build(config.architecture, **config.arch_params)
    loss = (keras.losses.CategoricalCrossentropy(label_smoothing=config.label_smoothing)
            if config.label_smoothing else keras.losses.SparseCategoricalCrossentropy())
    model.compile(optimizer=make_optimizer(config, steps_per_epoch), loss=loss, metrics=["accuracy"])
    return model


# --- training ---------------------------------------------------------------------

def _progress_callback(config, batches, on_batch, on_epoch, should_stop, state, on_phase=None, val_batches=0):
    import keras

    class Progress(keras.callbacks.Callback):
        """Forwards batch/epoch progress, honours the stop flag, and snapshots the
        weights of every complete epoch so a stop mid-epoch can roll back to it."""

        def on_train_begin(self, logs=None):
            state["t0"] = time.perf_counter()
            state["weights"] = None

        def on_epoch_begin(self, epoch, logs=None):
            state["epoch"], state["batch"] = epoch, 0
            if state["weights"] is None and state["completed"]:
                state["weights"] = self.model.get_weights()   # resumed: the restored epoch is the fallback

        def on_train_batch_end(self, batch, logs=None):
            state["batch"] = batch + 1
            if on_batch:
                logs = logs or {}
                on_batch(BatchProgress(state["epoch"], config.epochs, batch + 1, batches,
                                       float(logs.get("loss", float("nan"))), float(logs.get("accuracy", float("nan"))),
                                       time.perf_counter() - state["t0"]))
            loss = (logs or {}).get("loss")
            if loss is not None and not math.isfinite(float(loss)):
                state["nan"] = True
                self.model.stop_training = True
            if should_stop and should_stop():
                state["stopped"] = True
                self.model.stop_training = True

        def on_test_begin(self, logs=None):   # fit's end-of-epoch validation pass
            if on_phase and state.get("batch", 0) >= batches:
                on_phase("validating", 0.0)

        def on_test_batch_end(self, batch, logs=None):
            if on_phase and val_batches and state.get("batch", 0) >= batches:
                on_phase("validating", min(1.0, (batch + 1) / val_batches))

        def on_epoch_end(self, epoch, logs=None):
            if state["batch"] < batches or state.get("nan"):
                return  # a partial epoch is not recorded
            logs = {k: float(v) for k, v in (logs or {}).items()}
            for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
                state["history"].setdefault(key, []).append(logs.get(key, float("nan")))
            state["weights"] = self.model.get_weights()
            state["completed"] = epoch + 1
            if state.get("backup_dir"):
                _save_history(state["backup_dir"], state["history"])
            if on_epoch:
                on_epoch(epoch, {k: v[-1] for k, v in state["history"].items()})

    return Progress()


def _load_history(backup_dir) -> dict:
    """History of the epochs an interrupted run already finished (for resuming)."""
    if not backup_dir:
        return {}
    path = os.path.join(backup_dir, "history.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _save_history(backup_dir, history: dict) -> None:
    os.makedirs(backup_dir, exist_ok=True)
    tmp = os.path.join(backup_dir, "history.json.tmp")
    with open(tmp, "w") as f:
        json.dump(history, f)
    os.replace(tmp, os.path.join(backup_dir, "history.json"))


def recalibrate_batch_norm(model, images: np.ndarray, count: int = 2048, chunk: int = 512) -> bool:
    """Replace every BatchNormalization layer's moving statistics with the
    statistics of `count` (unaugmented) training images under the final weights.

    With Adam at a high learning rate the weights move faster than the moving averages
    follow, so a model saved early (a stopped run, a short demo) can score far lower in
    inference mode than in training. Forward passes over `chunk` images at a time fix
    that; the moving statistics become the mean of the chunks' statistics (one pass of
    all 2048 images at once held ~360 MB of activations in a server that also serves a
    class). Returns False when the model has no batch norm."""
    import keras
    bn_layers = [l for l in _all_layers(model) if isinstance(l, keras.layers.BatchNormalization)]
    if not bn_layers:
        return False
    rng = np.random.default_rng(0)
    pick = rng.choice(len(images), size=min(count, len(images)), replace=False)
    x = fm_data.to_model_input(images[np.sort(pick)])
    saved = [l.momentum for l in bn_layers]
    dropouts = [l for l in _all_layers(model) if isinstance(l, keras.layers.Dropout)]
    rates = [l.rate for l in dropouts]
    try:
        for l in dropouts:
            l.rate = 0.0              # the statistics of inference, not of dropout
        for k, start in enumerate(range(0, len(x), chunk), 1):
            for l in bn_layers:
                l.momentum = (k - 1) / k      # moving stats := running mean of the chunks' stats
            model(x[start:start + chunk], training=True)
    finally:
        for l, m in zip(bn_layers, saved):
            l.momentum = m
        for l, r in zip(dropouts, rates):
            l.rate = r
    return True


def _all_layers(model):
    """Every layer, descending into nested models."""
    for layer in model.layers:
        if hasattr(layer, "layers"):
            yield from _all_layers(layer)
        else:
            yield layer


class TrainingFailed(RuntimeError):
    """Training could not finish; the message says why in plain words."""


def train(config: TrainConfig, on_batch: Callable[[BatchProgress], None] | None = None,
          on_epoch: Callable[[int, dict], None] | None = None,
          should_stop: Callable[[], bool] | None = None,
          dataset: fm_data.FashionMNIST | None = None,
          backup_dir: str | os.PathLike | None = None,
          on_phase: Callable[[str, float | None], None] | None = None) -> TrainResult:
    """Train a model from scratch (or resume from `backup_dir`) and test it.

    on_batch gets a BatchProgress after each batch; on_epoch gets (epoch, metrics) after
    each complete epoch; should_stop is polled after each batch. A stop keeps the last
    complete epoch. on_phase gets (phase, fraction done or None) when a step that is not a
    training batch starts or advances: "validating" (the end-of-epoch validation pass),
    "recalibrating" (batch-norm statistics) and "testing" (the test set), so a live view
    never sits silent. `backup_dir` enables keras BackupAndRestore so an interrupted run
    resumes where it stopped.
    """
    config.validate()
    import keras
    import tensorflow as tf

    ds = dataset or fm_data.load()
    keras.utils.set_random_seed(config.seed)
    train_idx, val_idx = split_indices(len(ds.x_train), config)
    x_tr, y_tr = ds.x_train[train_idx], ds.y_train[train_idx]
    if len(val_idx):
        x_val, y_val = ds.x_train[val_idx], ds.y_train[val_idx]
    else:
        x_val, y_val = ds.x_test, ds.y_test
    batches = math.ceil(len(x_tr) / config.batch_size)

    def targets(y):
        return tf.one_hot(y, 10) if config.label_smoothing else y

    train_ds = make_dataset(x_tr, y_tr, config, training=True).map(lambda x, y: (x, targets(y)))
    val_ds = make_dataset(x_val, y_val, config, training=False).map(lambda x, y: (x, targets(y)))
    model = build_and_compile(config, batches)

    state = {"history": _load_history(backup_dir)}
    state["completed"] = len(state["history"].get("loss", []))   # epochs a resumed run already has
    state["backup_dir"] = backup_dir
    val_batches = math.ceil(len(x_val) / config.batch_size)
    callbacks = [_progress_callback(config, batches, on_batch, on_epoch, should_stop, state, on_phase, val_batches)]
    if backup_dir:
        callbacks.append(keras.callbacks.BackupAndRestore(str(backup_dir), save_freq="epoch", delete_checkpoint=True))
    t0 = time.perf_counter()
    try:
        model.fit(train_ds, validation_data=val_ds, epochs=config.epochs, callbacks=callbacks, verbose=0)
    except (tf.errors.ResourceExhaustedError, MemoryError) as e:
        raise TrainingFailed("ran out of memory; lower the batch size or use a smaller network.") from e
    fit_seconds = time.perf_counter() - t0
    if state.get("nan"):
        raise TrainingFailed("the loss became NaN (not a number): the learning rate is probably too high.")
    if state["completed"] == 0:
        raise TrainingFailed("stopped before the first epoch finished, so there is no model to keep.")
    if state.get("weights") is not None:
        model.set_weights(state["weights"])  # roll back a partial epoch
    if on_phase:
        on_phase("recalibrating", None)
    recalibrate_batch_norm(model, x_tr)
    if config.tta_flip:
        from .models import with_flip_tta
        model = with_flip_tta(model)

    from .evaluate import evaluate
    if on_phase:
        on_phase("testing", None)
    ev = evaluate(model, ds.x_test, ds.y_test)  # the one pass over the test set
    return TrainResult(model=model, config=config, history=state["history"],
                       test_metrics={"accuracy": ev.accuracy, "loss": ev.loss}, per_class=ev.per_class,
                       fit_seconds=fit_seconds, stopped_early=bool(state.get("stopped")),
                       epochs_completed=state["completed"], data_source=ds.source)
