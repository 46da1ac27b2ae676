"""The network a run trains and how it learns: built new or taken from a saved model,
which of its layers learn, the optimizer and learning-rate schedule, and batch-norm
statistics set right after training."""
from __future__ import annotations

import numpy as np

from fashion import data as fm_data
from fashion.backend import keras
from fashion.errors import StudioError
from fashion.model.architectures import build
from fashion.model.network import is_flip_tta, unwrap
from fashion.model.safe_load import load_model
from fashion.training.config import TrainConfig
from fashion.training.photo_mix import accuracy_metric, load_start, partial_label_loss

# Batches run per call into the compiled training graph. Each call costs a round trip
# through Python (and our progress callback pulls the metrics back each time), which
# for a small CNN on 2 CPU cores is a visible share of the step; 8 batches per call
# keep progress and the stop flag responsive (a few hundred to a few thousand images).
STEPS_PER_EXECUTION = 8


class FinetuneError(StudioError, ValueError):
    """A fine-tune that cannot start; `key`/`params` name a translated message."""


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


def all_layers(model):
    """Every layer, descending into nested models."""
    for layer in model.layers:
        if hasattr(layer, "layers"):
            yield from all_layers(layer)
        else:
            yield layer


def set_trainable(net, freeze_base: bool) -> None:
    """A fine-tune's learning layers. Head only: the Dense layers learn, nothing else.
    Whole: everything but batch norm (kept in inference mode, its statistics untouched:
    small, mixed batches would corrupt them)."""
    net.trainable = True
    for layer in all_layers(net):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
        elif freeze_base:
            layer.trainable = isinstance(layer, keras.layers.Dense)
        else:
            layer.trainable = True


def load_base(path: str):
    """A fine-tune's base: (its network, whether the saved model wrapped it in flip TTA,
    the saved model itself)."""
    try:
        model = load_model(path)
    except Exception as e:  # a missing, damaged or foreign file: say which and why
        raise FinetuneError("own.error.base", path=str(path), reason=str(e)[:200]) from None
    return unwrap(model), is_flip_tta(model), model


def build_and_compile(config: TrainConfig, steps_per_epoch: int, start=None):
    """The network compiled for this run: `start` (a fine-tune's base network, its layers set
    to learn as config.freeze_base says), else the one in `init_from`, else a new one. With
    photos (shipped or own), the partial-label loss over accept masks (photo_mix.py)."""
    if start is not None:
        model = start
        set_trainable(model, config.freeze_base)
    elif config.init_from:
        model = load_start(config.init_from)
    else:
        model = build(config.architecture, **config.arch_params)
    if config.photos or config.is_finetune:
        loss = partial_label_loss(config.label_smoothing, config.outlier_weight)
        metrics = [accuracy_metric()]
    else:
        loss = (keras.losses.CategoricalCrossentropy(label_smoothing=config.label_smoothing)
                if config.label_smoothing else keras.losses.SparseCategoricalCrossentropy())
        metrics = ["accuracy"]
    model.compile(optimizer=make_optimizer(config, steps_per_epoch), loss=loss, metrics=metrics,
                  steps_per_execution=max(1, min(STEPS_PER_EXECUTION, steps_per_epoch)))
    return model


def plain_copy(model):
    """An uncompiled copy with the same weights, every layer trainable: the saved file must
    open with plain keras.models.load_model, so no custom loss (nor optimizer state) goes in."""
    for layer in all_layers(model):
        layer.trainable = True
    copy = type(model).from_config(model.get_config())   # the architecture alone
    copy.set_weights(model.get_weights())
    return copy


def recalibrate_batch_norm(model, images: np.ndarray, count: int = 2048, chunk: int = 256) -> bool:
    """Replace every BatchNormalization layer's moving statistics with the
    statistics of `count` (unaugmented) training images under the final weights.

    With Adam at a high learning rate the weights move faster than the moving averages
    follow, so a model saved early (a stopped run, a short demo) can score far lower in
    inference mode than in training. Forward passes over `chunk` images at a time fix
    that; the moving statistics become the mean of the chunks' statistics (one pass of
    all 2048 images at once held ~360 MB of activations in a server that also serves a
    class). Returns False when the model has no batch norm."""
    bn_layers = [l for l in all_layers(model) if isinstance(l, keras.layers.BatchNormalization)]
    if not bn_layers:
        return False
    rng = np.random.default_rng(0)
    pick = rng.choice(len(images), size=min(count, len(images)), replace=False)
    x = fm_data.to_model_input(images[np.sort(pick)])
    saved = [l.momentum for l in bn_layers]
    dropouts = [l for l in all_layers(model) if isinstance(l, keras.layers.Dropout)]
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
