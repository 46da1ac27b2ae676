"""Training: a plain dataclass of settings, a tf.data pipeline over the uint8 arrays,
and `train()` with callbacks for progress and a stop flag.

    config = TrainConfig(architecture="fast", epochs=3)
    result = train(config, on_epoch=print)
"""
from __future__ import annotations

import dataclasses
import shlex
import json
import math
import os
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from fashion import data as fm_data
from fashion.backend import keras, tf
from fashion.errors import (
    ConfigError,
    TrainingFailed,  # noqa: F401  (raised here; importable from here)
)
from fashion.files import TEMP_PREFIX, atomic_write, remove_quietly, write_json
from fashion.judging.evaluate import evaluate
from fashion.model.architectures import ARCHITECTURES, arch_param_problems, build, with_flip_tta
from fashion.model.classifier import Classifier
from fashion.photos.photoset import resolve
from fashion.training import photo_mix as photo_training
from fashion.training.augmentation import AUGMENTATIONS, augment_batch
from fashion.judging.photo_metrics import held_out_metrics
from fashion.training.photo_mix import accuracy_metric, load_start, partial_label_loss, recalibration_images

SCHEDULES = ("constant", "cosine", "onecycle")
OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop")


def _is_kind(v, kind: str) -> bool:
    if kind == "int":
        return isinstance(v, (int, np.integer)) and not isinstance(v, bool)
    if kind == "number":
        return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and v == v
    if kind == "bool":
        return isinstance(v, (bool, np.bool_))
    return isinstance(v, str)


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
    # learning from real photos (fashion/photo_training.py): '' none, 'shipped' (the repo's
    # processed phone photos), a folder of labelled photo folders, or a .npz of processed photos
    photos: str = ""
    photo_ratio: float = 0.1           # photos added to each batch, as a fraction of batch_size
    outlier_weight: float = 0.5        # weight of the flat-answer loss on photos of no class
    init_from: str = ""                # a saved model whose weights training starts from

    def problems(self) -> list[tuple[str, dict]]:
        """Every rule these settings break, as (i18n key, params) pairs; empty when they can
        run. Types first (a flag or a card may hold anything), then ranges. Add a rule by
        appending to `problems`."""
        kinds = {"architecture": "text", "epochs": "int", "batch_size": "int", "learning_rate": "number",
                 "lr_schedule": "text", "warmup_epochs": "number", "optimizer": "text", "weight_decay": "number",
                 "label_smoothing": "number", "augment": "bool", "validation_split": "number",
                 "train_subset": "int", "seed": "int", "tta_flip": "bool", "photos": "text",
                 "photo_ratio": "number", "outlier_weight": "number", "init_from": "text"}
        problems = [(f"config.err.type_{kind}", {"name": name}) for name, kind in kinds.items()
                    if not _is_kind(getattr(self, name), kind)]
        if not (isinstance(self.augmentations, (tuple, list)) and all(isinstance(a, str) for a in self.augmentations)):
            problems.append(("config.err.type_list", {"name": "augmentations"}))
        if not isinstance(self.arch_params, dict):
            problems.append(("config.err.type_object", {"name": "arch_params"}))
        if problems:
            return problems      # ranges cannot be checked on values of the wrong type

        def add(key, **params):
            problems.append((key, params))

        if self.architecture not in ARCHITECTURES:
            add("config.err.architecture", name=self.architecture[:40], choices=", ".join(ARCHITECTURES))
        if not 1 <= self.epochs <= 500:
            add("config.err.range", name="epochs", low=1, high=500)
        if not 1 <= self.batch_size <= 4096:
            add("config.err.range", name="batch_size", low=1, high=4096)
        if not 0 < self.learning_rate <= 1.0:
            add("config.err.learning_rate")
        if self.lr_schedule not in SCHEDULES:
            add("config.err.choice", name="lr_schedule", choices=", ".join(SCHEDULES))
        if self.optimizer not in OPTIMIZERS:
            add("config.err.choice", name="optimizer", choices=", ".join(OPTIMIZERS))
        if not 0 <= self.validation_split < 0.5:
            add("config.err.validation_split")
        if self.train_subset < 0 or (0 < self.train_subset < 100):
            add("config.err.train_subset")
        if not 0 <= self.label_smoothing < 0.5:
            add("config.err.label_smoothing")
        if not self.weight_decay >= 0:
            add("config.err.weight_decay")
        if not 0 <= self.warmup_epochs < max(self.epochs, 1):
            add("config.err.warmup", epochs=self.epochs)
        unknown = set(self.augmentations) - set(AUGMENTATIONS)
        if unknown:
            add("config.err.augmentations", names=", ".join(sorted(unknown))[:200], choices=", ".join(AUGMENTATIONS))
        n_train = int((self.train_subset or 60000) * (1 - self.validation_split))
        if 0 <= self.validation_split < 0.5 and n_train < self.batch_size:
            add("config.err.batch_too_big", batch=self.batch_size, images=n_train)
        if self.architecture in ARCHITECTURES:
            problems += arch_param_problems(self.architecture, self.arch_params)
        if not 0.01 <= self.photo_ratio <= 1.0:
            add("config.err.range", name="photo_ratio", low=0.01, high=1)
        if not 0 <= self.outlier_weight <= 2.0:
            add("config.err.range", name="outlier_weight", low=0, high=2)
        if self.init_from and not os.path.isfile(self.init_from):
            add("config.err.init_from", path=self.init_from[:200])
        return problems

    def validate(self) -> "TrainConfig":
        """self, or ConfigError (a ValueError) carrying every problem with its i18n key."""
        problems = self.problems()
        if problems:
            raise ConfigError(problems)
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
    # Well under a minute on 2 CPU cores, above the seed recipe's accuracy: the batch-norm
    # CNN at a high learning rate (short warm-up, cosine decay) for three epochs. Batches of
    # 256 halve the steps, whose fixed cost (optimizer and batch-norm updates, one call per
    # STEPS_PER_EXECUTION batches) rivals the maths of a batch of 128 on a CPU; label
    # smoothing keeps the 1.5e-2 learning rate stable (91.3 % vs 91.5 % at batch 128,
    # about a third less fitting time measured side by side).
    "quick": TrainConfig(architecture="fast", epochs=3, batch_size=256, learning_rate=1.5e-2,
                         lr_schedule="cosine", warmup_epochs=0.3, label_smoothing=0.1,
                         validation_split=0.05, seed=1),
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
    # AdamW, label smoothing, flip test-time augmentation built into the saved model, and
    # the repo's real phone photos learned alongside Fashion-MNIST (fashion/photo_training.py).
    "best": TrainConfig(architecture="resnet", epochs=10, batch_size=256, learning_rate=3e-3,
                        lr_schedule="cosine", warmup_epochs=1, optimizer="adamw", weight_decay=0.02,
                        label_smoothing=0.1, augment=True, augmentations=("shift", "flip"),
                        validation_split=0.05, seed=7, tta_flip=True, photos="shipped",
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
    photo_metrics: dict | None = None   # accuracy on held-out real photos (photo_training.photo_metrics)
    photos: dict | None = None          # the real photos learned from (PhotoSet.describe())


# --- input pipeline ------------------------------------------------------------

def split_indices(n_total: int, config: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """Seeded shuffle of the training set into (train, validation) indices."""
    rng = np.random.default_rng(config.seed)
    order = rng.permutation(n_total)
    if config.train_subset:
        order = order[: config.train_subset]
    n_val = int(round(len(order) * config.validation_split))
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def make_dataset(images: np.ndarray, labels: np.ndarray, config: TrainConfig, training: bool):
    """A tf.data pipeline from uint8 arrays: batches are scaled (and augmented) on the fly,
    so there is never a float copy of the whole set."""
    # Shuffle and batch indices, then gather each batch from the arrays in one op: slicing
    # and shuffling 60,000 single images costs the CPU several times more (it competes
    # with the training step for the same 2 cores).
    all_images, all_labels = tf.constant(images), tf.constant(labels.astype("int32"))
    ds = tf.data.Dataset.range(len(images))
    if training:
        ds = ds.shuffle(len(images), seed=config.seed, reshuffle_each_iteration=True)
    ds = ds.batch(config.batch_size)
    augmentations = tuple(config.augmentations) if (training and config.augment) else ()
    rng = tf.random.Generator.from_seed(config.seed + 1) if augmentations else None

    def prepare(index):
        x, y = tf.gather(all_images, index), tf.gather(all_labels, index)
        x = tf.cast(x, tf.float32)[..., None] / 255.0
        if augmentations:
            x = augment_batch(x, augmentations, rng)
        return x, y

    return ds.map(prepare, num_parallel_calls=1 if augmentations else tf.data.AUTOTUNE).prefetch(2)


# --- optimisation -------------------------------------------------------------------

def learning_rate_schedule(config: TrainConfig, steps_per_epoch: int):
    """A Keras LearningRateSchedule (or float) for the configured schedule."""
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
    lr = learning_rate_schedule(config, steps_per_epoch)
    if config.optimizer == "adam":
        return keras.optimizers.Adam(lr)
    if config.optimizer == "adamw":
        return keras.optimizers.AdamW(lr, weight_decay=config.weight_decay or 1e-4)
    if config.optimizer == "sgd":
        return keras.optimizers.SGD(lr, momentum=0.9, nesterov=True)
    return keras.optimizers.RMSprop(lr)


# Batches run per call into the compiled training graph. Each call costs a round trip
# through Python (and our progress callback pulls the metrics back each time), which
# for a small CNN on 2 CPU cores is a visible share of the step; 8 batches per call
# keep progress and the stop flag responsive (a few hundred to a few thousand images).
STEPS_PER_EXECUTION = 8


def build_and_compile(config: TrainConfig, steps_per_epoch: int):
    """The network (new, or the one in `init_from`) compiled for this run: with photos, the
    partial-label loss over accept masks (fashion/photo_training.py)."""
    if config.init_from:
        model = load_start(config.init_from)
    else:
        model = build(config.architecture, **config.arch_params)
    if config.photos:
        loss = partial_label_loss(config.label_smoothing, config.outlier_weight)
        metrics = [accuracy_metric()]
    else:
        loss = (keras.losses.CategoricalCrossentropy(label_smoothing=config.label_smoothing)
                if config.label_smoothing else keras.losses.SparseCategoricalCrossentropy())
        metrics = ["accuracy"]
    model.compile(optimizer=make_optimizer(config, steps_per_epoch), loss=loss, metrics=metrics,
                  steps_per_execution=max(1, min(STEPS_PER_EXECUTION, steps_per_epoch)))
    return model


# --- training ---------------------------------------------------------------------

def _progress_callback(config, batches, on_batch, on_epoch, should_stop, state, on_phase=None, val_batches=0):

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
            # With steps_per_execution, Keras calls this once per call into the graph with
            # that call's last batch (which may overshoot the epoch's end): report each batch
            # of the call, in order, and honour the stop flag between them. A stop mid-epoch
            # rolls back to the last complete epoch, so batches the call ran past it change nothing.
            logs = logs or {}
            last = min(batch, batches - 1)
            loss = logs.get("loss")
            if loss is not None and not math.isfinite(float(loss)):
                state["nan"] = True
                self.model.stop_training = True
            for b in range(min(state.get("batch", 0), last), last + 1):
                state["batch"] = b + 1
                if on_batch:
                    on_batch(BatchProgress(state["epoch"], config.epochs, b + 1, batches,
                                           float(logs.get("loss", float("nan"))),
                                           float(logs.get("accuracy", float("nan"))),
                                           time.perf_counter() - state["t0"]))
                if should_stop and should_stop():
                    state["stopped"] = True
                    self.model.stop_training = True
                    break

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
    write_json(os.path.join(backup_dir, "history.json"), history)


# --- resumable runs ------------------------------------------------------------------
# A checkpoint folder holds the weights (and optimizer state) of the last *complete* epoch,
# its number, and the history so far (the file names are those of Keras' BackupAndRestore,
# so folders it wrote still resume). It is written only at the end of a complete epoch and
# never deleted by training: a stopped, interrupted or failed run keeps it, and the same
# command continues. The caller discards it once the finished model is safely saved.

CHECKPOINT_WEIGHTS = "latest.weights.h5"
CHECKPOINT_META = "training_metadata.json"
CHECKPOINT_TMP = ".tmp-" + CHECKPOINT_WEIGHTS
CHECKPOINT_FILES = (CHECKPOINT_WEIGHTS, CHECKPOINT_META, "history.json", CHECKPOINT_TMP, CHECKPOINT_META + ".tmp",
                    "history.json.tmp", CHECKPOINT_WEIGHTS + ".bkp", CHECKPOINT_META + ".bkp")


class _sigint_deferred:
    """Hold back Ctrl-C while a checkpoint is written: a SIGINT that arrives meanwhile is
    passed to the previous handler when the block ends. Only the main thread receives
    Python signals; elsewhere this does nothing."""

    def __enter__(self):
        import signal
        import threading
        self.old, self.caught = None, []
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGINT, lambda signum, frame: self.caught.append(signum))

    def __exit__(self, *exc):
        if self.old is None:
            return False
        import signal
        signal.signal(signal.SIGINT, self.old)
        for _ in self.caught:      # each Ctrl-C counts (a second one may mean "quit now")
            if callable(self.old):
                self.old(signal.SIGINT, None)
            elif self.old == signal.SIG_DFL:
                raise KeyboardInterrupt
        return False


def checkpoint_epoch(backup_dir) -> int:
    """Complete epochs saved in backup_dir (0 when there is no usable checkpoint)."""
    if not backup_dir:
        return 0
    try:
        with open(os.path.join(backup_dir, CHECKPOINT_META)) as f:
            epoch = json.load(f).get("epoch", 0)
    except (OSError, ValueError, AttributeError):
        return 0
    ok = isinstance(epoch, int) and epoch > 0 and os.path.isfile(os.path.join(backup_dir, CHECKPOINT_WEIGHTS))
    return epoch if ok else 0


def _restore_checkpoint(model, backup_dir) -> int:
    """Load the checkpoint into a compiled model; the number of epochs it holds."""
    epoch = checkpoint_epoch(backup_dir)
    if epoch:
        model.optimizer.build(model.trainable_variables)   # so its state is restored too
        try:
            model.load_weights(os.path.join(backup_dir, CHECKPOINT_WEIGHTS))
        except Exception as e:  # another network's checkpoint, a damaged file
            raise TrainingFailed("train.err.checkpoint", folder=str(backup_dir)) from e
    return epoch


def _checkpoint_callback(backup_dir, batches, state):

    class EpochCheckpoint(keras.callbacks.Callback):
        """Saves weights + epoch number at the end of every complete epoch (never a partial
        one: a stop mid-epoch must not pass for a finished epoch), temp file then rename."""

        def on_epoch_end(self, epoch, logs=None):
            if state.get("batch", 0) < batches or state.get("nan"):
                return
            with _sigint_deferred():   # a Ctrl-C now lands after the checkpoint is whole
                atomic_write(os.path.join(backup_dir, CHECKPOINT_WEIGHTS),
                             lambda tmp: self.model.save_weights(tmp, overwrite=True), suffix=".weights.h5")
                write_json(os.path.join(backup_dir, CHECKPOINT_META), {"epoch": epoch + 1, "batch": 0})

    return EpochCheckpoint()


def discard_checkpoint(backup_dir) -> None:
    """Remove the checkpoint files of a finished, saved run (only the files training
    writes: a folder the user named is never removed with other things in it)."""
    if not backup_dir or not os.path.isdir(backup_dir):
        return
    for name in os.listdir(backup_dir):
        if name in CHECKPOINT_FILES or name.startswith(TEMP_PREFIX):
            remove_quietly(os.path.join(backup_dir, name))
    try:
        os.rmdir(backup_dir)
    except OSError:
        pass  # not empty: something else lives there


def recalibrate_batch_norm(model, images: np.ndarray, count: int = 2048, chunk: int = 256) -> bool:
    """Replace every BatchNormalization layer's moving statistics with the
    statistics of `count` (unaugmented) training images under the final weights.

    With Adam at a high learning rate the weights move faster than the moving averages
    follow, so a model saved early (a stopped run, a short demo) can score far lower in
    inference mode than in training. Forward passes over `chunk` images at a time fix
    that; the moving statistics become the mean of the chunks' statistics (one pass of
    all 2048 images at once held ~360 MB of activations in a server that also serves a
    class). Returns False when the model has no batch norm."""
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


def held_out_photo_metrics(model, config: TrainConfig) -> dict | None:
    """Real-photo accuracy on the photographers held out of the photos (never trained on):
    those of `config.photos`, else the repo's shipped photos; None where there are none."""
    return held_out_metrics(Classifier.of(model), config.photos or "shipped")


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
    never sits silent. `backup_dir` keeps a checkpoint of every complete epoch there, so
    an interrupted run started again with the same folder resumes where it stopped; it is
    never deleted here (see discard_checkpoint).
    """
    config.validate()

    ds = dataset or fm_data.load()
    # real photos are read (and refused, naming the bad files) before anything trains
    photo_set = photos = None
    if config.photos:
        photo_set = resolve(config.photos)
        photos = photo_set.part(False)
    keras.utils.set_random_seed(config.seed)
    train_idx, val_idx = split_indices(len(ds.x_train), config)
    x_tr, y_tr = ds.x_train[train_idx], ds.y_train[train_idx]
    if len(val_idx):
        x_val, y_val = ds.x_train[val_idx], ds.y_train[val_idx]
    else:
        x_val, y_val = ds.x_test, ds.y_test
    batches = math.ceil(len(x_tr) / config.batch_size)

    if photos is not None:
        # accept masks for every row (fashion/photo_training.py): one-hot for Fashion-MNIST
        fm_augmentations = tuple(config.augmentations) if config.augment else ()
        train_ds = photo_training.mixed_dataset(
            x_tr, y_tr, photos, config,
            lambda x, rng: augment_batch(x, fm_augmentations, rng) if fm_augmentations else x)
        val_ds = make_dataset(x_val, y_val, config, training=False).map(lambda x, y: (x, tf.one_hot(y, 10)))
    else:
        def targets(y):
            return tf.one_hot(y, 10) if config.label_smoothing else y

        train_ds = make_dataset(x_tr, y_tr, config, training=True).map(lambda x, y: (x, targets(y)))
        val_ds = make_dataset(x_val, y_val, config, training=False).map(lambda x, y: (x, targets(y)))
    model = build_and_compile(config, batches)

    resumed = _restore_checkpoint(model, backup_dir) if backup_dir else 0
    resumed = min(resumed, config.epochs)
    history = _load_history(backup_dir) if resumed else {}
    state = {"history": {k: list(v)[:resumed] for k, v in history.items() if isinstance(v, list)}}
    state["completed"] = resumed   # epochs a resumed run already has
    state["backup_dir"] = backup_dir
    val_batches = math.ceil(len(x_val) / config.batch_size)
    callbacks = [_progress_callback(config, batches, on_batch, on_epoch, should_stop, state, on_phase, val_batches)]
    if backup_dir:
        callbacks.append(_checkpoint_callback(str(backup_dir), batches, state))
    t0 = time.perf_counter()
    try:
        if resumed < config.epochs:
            model.fit(train_ds, validation_data=val_ds, epochs=config.epochs, initial_epoch=resumed,
                      callbacks=callbacks, verbose=0)
    except (tf.errors.ResourceExhaustedError, MemoryError) as e:
        raise TrainingFailed("train.err.oom") from e
    fit_seconds = time.perf_counter() - t0
    if state.get("nan"):
        raise TrainingFailed("train.err.nan")
    if state["completed"] == 0:
        raise TrainingFailed("train.err.no_epoch")
    if state.get("weights") is not None:
        model.set_weights(state["weights"])  # roll back a partial epoch
    if on_phase:
        on_phase("recalibrating", None)
    if photos is not None:
        recalibrate_batch_norm(model, recalibration_images(x_tr, photos, config.photo_ratio, seed=config.seed))
    else:
        recalibrate_batch_norm(model, x_tr)
    if photos is not None:
        # the saved file must open with plain keras.models.load_model: an uncompiled copy with
        # the same weights, so no custom loss (nor optimizer state) goes into the file
        trained = model
        model = type(trained).from_config(trained.get_config())   # the architecture alone
        model.set_weights(trained.get_weights())
    if config.tta_flip:
        model = with_flip_tta(model)

    if on_phase:
        on_phase("testing", None)
    ev = evaluate(model, ds.x_test, ds.y_test)  # the one pass over the test set
    photo_figures = held_out_photo_metrics(model, config)
    return TrainResult(model=model, config=config, history=state["history"],
                       photo_metrics=photo_figures,
                       photos=photo_set.describe() if photo_set is not None else None,
                       test_metrics={"accuracy": ev.accuracy, "loss": ev.loss}, per_class=ev.per_class,
                       fit_seconds=fit_seconds, stopped_early=bool(state.get("stopped")),
                       epochs_completed=state["completed"], data_source=ds.source)


def cli_command(config: TrainConfig) -> str:
    """The `python -m fashion train` command line that reproduces this config."""
    default = TrainConfig()
    parts = ["python", "-m", "fashion", "train"]
    for f in dataclasses.fields(TrainConfig):
        value = getattr(config, f.name)
        if f.name != "architecture" and value == getattr(default, f.name):
            continue
        if f.name == "augmentations":
            text = ",".join(value)
        elif f.name == "arch_params":
            text = json.dumps(value, sort_keys=True)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = str(value)
        parts += ["--" + f.name.replace("_", "-"), text]
    return " ".join(shlex.quote(p) for p in parts)
