"""The architecture zoo: the seeds' CNNs, a small ResNet, a fast CNN for live demos,
and a builder for user-designed CNNs.

Every model takes (28, 28, 1) floats in [0, 1] and ends in 10 softmax probabilities.
Only stock Keras layers are used, so `keras.models.load_model(path)` opens any saved
model without custom objects (and with `safe_mode=True`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import keras
from keras import layers

INPUT_SHAPE = (28, 28, 1)
NUM_CLASSES = 10


@dataclass(frozen=True)
class Architecture:
    """A named recipe: how to build it, what it is, and what its source reported."""
    name: str
    description: str
    reported: str
    build: Callable[..., keras.Model]
    defaults: dict = field(default_factory=dict)


# --- the seeds ------------------------------------------------------------------

def seed_cnn() -> keras.Model:
    """Seed 000, layer for layer: Conv32-Pool-Conv64-Pool-Conv64-Dense64-Dense10."""
    return keras.Sequential([
        keras.Input(INPUT_SHAPE),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="seed_cnn")


def seed_cnn_dropout() -> keras.Model:
    """Seed 001: Conv32-Pool-Conv64-Pool-Flatten-Dropout(0.5)-Dense10."""
    return keras.Sequential([
        keras.Input(INPUT_SHAPE),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="seed_cnn_dropout")


def strided_cnn() -> keras.Model:
    """Seed 002: 2x2 kernels with stride 2 and 'same' padding, 2x2 pooling with stride 1,
    Dense 256 and 128 each followed by Dropout 0.5."""
    return keras.Sequential([
        keras.Input(INPUT_SHAPE),
        layers.Conv2D(32, (2, 2), strides=2, padding="same", activation="relu"),
        layers.MaxPooling2D((2, 2), strides=1, padding="same"),
        layers.Conv2D(64, (2, 2), strides=2, padding="same", activation="relu"),
        layers.MaxPooling2D((2, 2), strides=1, padding="same"),
        layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.5),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="strided_cnn")


# --- residual network (seed 003, sized for CPUs) ----------------------------------

def _conv_bn(x, filters, kernel=3, strides=1, name=None, weight_decay=0.0):
    reg = keras.regularizers.L2(weight_decay) if weight_decay else None
    x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False,
                      kernel_regularizer=reg, name=name and f"{name}_conv")(x)
    return layers.BatchNormalization(name=name and f"{name}_bn")(x)


def _residual_block(x, filters, strides, name, weight_decay):
    """Two 3x3 conv+BN with a shortcut (1x1 conv where the shape changes)."""
    shortcut = x
    y = layers.ReLU(name=f"{name}_relu1")(_conv_bn(x, filters, 3, strides, f"{name}_a", weight_decay))
    y = _conv_bn(y, filters, 3, 1, f"{name}_b", weight_decay)
    if strides != 1 or x.shape[-1] != filters:
        shortcut = _conv_bn(x, filters, 1, strides, f"{name}_proj", weight_decay)
    return layers.ReLU(name=f"{name}_out")(layers.Add(name=f"{name}_add")([y, shortcut]))


def resnet(widths=(32, 64, 128), blocks_per_stage=2, dropout=0.2, weight_decay=0.0,
           stem_width=None, stem_pool=False) -> keras.Model:
    """Seed 003's idea sized for 2 CPU cores: a stem conv, then stages of residual blocks
    with batch norm, each stage halving the resolution, global average pooling, Dense 10.

    stem_pool=True max-pools the stem to 14x14 first: about a third of the compute for
    the same widths, which is what makes a long run fit on two CPU cores."""
    inputs = keras.Input(INPUT_SHAPE, name="image")
    x = layers.ReLU(name="stem_relu")(_conv_bn(inputs, stem_width or widths[0], 3, 1, "stem", weight_decay))
    if stem_pool:
        x = layers.MaxPooling2D(2, name="stem_pool")(x)
    for s, width in enumerate(widths):
        for b in range(blocks_per_stage):
            strides = 2 if (s > 0 and b == 0) else 1
            x = _residual_block(x, width, strides, f"stage{s + 1}_block{b + 1}", weight_decay)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    if dropout:
        x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name="resnet")


# --- fast CNN for live training ---------------------------------------------------

def fast() -> keras.Model:
    """Designed for a one-minute demo on 2 CPU cores: the seed 000 CNN's three 3x3
    convolutions, with batch normalisation and a wider classifier.

    On a CPU the cost sits in the full-resolution first block (26x26x32 activations),
    and batch norm there would double it; so each early block pools *before* its batch
    norm and ReLU (max-pooling commutes with ReLU, and BN sees a 4x smaller map). Batch
    norm lets Adam run at a high learning rate, which is what reaches ~91 % in three
    epochs (the quick preset). Its moving statistics use momentum 0.9 (Keras: 0.99) so they keep
    up with weights moving that fast: the validation curve of a short run is honest.

        (28, 28, 1) -> conv 3x3 -> (26, 26, 32) -> pool -> (13, 13, 32) -> BN, ReLU
                    -> conv 3x3 -> (11, 11, 64) -> pool -> (5, 5, 64)   -> BN, ReLU
                    -> conv 3x3 -> (3, 3, 64)   -> BN, ReLU -> flatten (576)
                    -> dropout 0.2 -> dense 256 -> dense 10 (softmax)
    """
    return keras.Sequential([
        keras.Input(INPUT_SHAPE),
        layers.Conv2D(32, 3, use_bias=False),
        layers.MaxPooling2D(2),
        layers.BatchNormalization(momentum=0.9),
        layers.ReLU(),
        layers.Conv2D(64, 3, use_bias=False),
        layers.MaxPooling2D(2),
        layers.BatchNormalization(momentum=0.9),
        layers.ReLU(),
        layers.Conv2D(64, 3, use_bias=False),
        layers.BatchNormalization(momentum=0.9),
        layers.ReLU(),
        layers.Flatten(),
        layers.Dropout(0.2),
        layers.Dense(256, activation="relu"),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="fast")


# --- user-designed CNN --------------------------------------------------------------

def custom_cnn(conv_blocks: int = 2, filters: int = 32, kernel_size: int = 3,
               pooling: str = "max", dropout: float = 0.25, dense_units: int = 128,
               batch_norm: bool = True) -> keras.Model:
    """A plain CNN from a few knobs: each block is Conv(kernel)-[BN]-ReLU-Pool, doubling
    the filters each block; then Flatten-Dropout-Dense-Dense10."""
    check_custom(conv_blocks, filters, kernel_size, pooling, dropout, dense_units)
    model = keras.Sequential([keras.Input(INPUT_SHAPE)], name="custom_cnn")
    for b in range(conv_blocks):
        model.add(layers.Conv2D(filters * 2 ** b, kernel_size, padding="same", use_bias=not batch_norm))
        if batch_norm:
            model.add(layers.BatchNormalization())
        model.add(layers.ReLU())
        if pooling == "max":
            model.add(layers.MaxPooling2D(2))
        elif pooling == "average":
            model.add(layers.AveragePooling2D(2))
    model.add(layers.Flatten())
    if dropout:
        model.add(layers.Dropout(dropout))
    if dense_units:
        model.add(layers.Dense(dense_units, activation="relu"))
    model.add(layers.Dense(NUM_CLASSES, activation="softmax"))
    return model


def check_custom(conv_blocks, filters, kernel_size, pooling, dropout, dense_units) -> None:
    """Refuse combinations that cannot build or would not fit in memory, saying why."""
    if not 1 <= conv_blocks <= 4:
        raise ValueError("conv_blocks must be between 1 and 4 (28x28 pixels halve at each pooling).")
    if pooling not in ("max", "average", "none"):
        raise ValueError("pooling must be 'max', 'average' or 'none'.")
    if pooling != "none" and 28 // 2 ** conv_blocks < 1:
        raise ValueError("too many pooled blocks for a 28x28 image.")
    if not 4 <= filters <= 256:
        raise ValueError("filters must be between 4 and 256.")
    if kernel_size not in (1, 2, 3, 5, 7):
        raise ValueError("kernel_size must be 1, 2, 3, 5 or 7.")
    if not 0.0 <= dropout < 1.0:
        raise ValueError("dropout must be at least 0 and below 1.")
    if not 0 <= dense_units <= 2048:
        raise ValueError("dense_units must be between 0 and 2048.")
    if pooling == "none" and filters * 2 ** (conv_blocks - 1) * 28 * 28 * max(dense_units, 10) > 50_000_000:
        raise ValueError("without pooling this network would have over 50 million weights; add pooling or use fewer filters.")


ARCHITECTURES: dict[str, Architecture] = {a.name: a for a in [
    Architecture("seed_cnn", "Seed 000: three 3x3 conv layers, two max-pools, Dense 64.",
                 "90.5 % test accuracy after 10 epochs, batch 32 (seed 000 recipe)", seed_cnn),
    Architecture("seed_cnn_dropout", "Seed 001: two 3x3 conv layers with pooling, Dropout 0.5 before the classifier.",
                 "90.73 % test accuracy after 25 epochs (seed 001)", seed_cnn_dropout),
    Architecture("strided_cnn", "Seed 002: 2x2 kernels with stride 2, pooling stride 1, Dense 256/128 with Dropout 0.5.",
                 "90.59 % test accuracy, 98.5 % train, 50 epochs, batch 128 (seed 002)", strided_cnn),
    Architecture("resnet", "Seed 003: residual blocks with batch norm, 28->14->7 stages, global average pooling.",
                 "'high accuracy', no figure given (seed 003)", resnet),
    Architecture("fast", "Built for live demos on 2 CPU cores: seed 000's three 3x3 convs with batch norm, Dense 256.",
                 "91.47 % in 3 epochs, 57 s of fitting on 2 CPU cores (quick preset; seed recipe: 353 s)", fast),
    Architecture("custom", "Your own CNN: choose blocks, filters, kernel, pooling, dropout and dense units.",
                 "depends on your choices", custom_cnn),
]}


def build(name: str, **params) -> keras.Model:
    """Build a fresh, uncompiled model of a registered architecture."""
    if name not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {name!r}; choose one of {', '.join(ARCHITECTURES)}.")
    return ARCHITECTURES[name].build(**params)


def with_flip_tta(model: keras.Model) -> keras.Model:
    """Wrap a model so it averages its prediction on the image and its mirror image.

    The mirror is a frozen Dense layer holding the anti-diagonal permutation matrix
    (exact in float32), so the result is still plain Keras and loads without custom
    objects."""
    inputs = keras.Input(INPUT_SHAPE, name="image")
    rows = layers.Reshape((28, 28), name="tta_rows")(inputs)
    mirror = layers.Dense(28, use_bias=False, trainable=False, name="tta_mirror")
    flipped = layers.Reshape(INPUT_SHAPE, name="tta_flipped")(mirror(rows))
    mirror.set_weights([np.eye(28, dtype="float32")[::-1]])
    base = model
    averaged = layers.Average(name="tta_average")([base(inputs), base(flipped)])
    return keras.Model(inputs, averaged, name=f"{model.name}_tta")


def summary_rows(model: keras.Model) -> list[dict]:
    """One row per layer: name, type, output shape, parameter count (for tables)."""
    rows = []
    for layer in model.layers:
        try:
            shape = tuple(layer.output.shape)
        except Exception:
            shape = None
        rows.append({"name": layer.name, "type": type(layer).__name__,
                     "output_shape": str(shape[1:] if shape else "?"),
                     "params": int(layer.count_params())})
    return rows
