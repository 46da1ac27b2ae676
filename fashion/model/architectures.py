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

from fashion.backend import keras
from fashion.data import NUM_CLASSES
from fashion.errors import ConfigError

INPUT_SHAPE = (28, 28, 1)


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
        keras.layers.Conv2D(32, (3, 3), activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Conv2D(64, (3, 3), activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Conv2D(64, (3, 3), activation="relu"),
        keras.layers.Flatten(),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="seed_cnn")


def seed_cnn_dropout() -> keras.Model:
    """Seed 001: Conv32-Pool-Conv64-Pool-Flatten-Dropout(0.5)-Dense10."""
    return keras.Sequential([
        keras.Input(INPUT_SHAPE),
        keras.layers.Conv2D(32, (3, 3), activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Conv2D(64, (3, 3), activation="relu"),
        keras.layers.MaxPooling2D((2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="seed_cnn_dropout")


def strided_cnn() -> keras.Model:
    """Seed 002: 2x2 kernels with stride 2 and 'same' padding, 2x2 pooling with stride 1,
    Dense 256 and 128 each followed by Dropout 0.5."""
    return keras.Sequential([
        keras.Input(INPUT_SHAPE),
        keras.layers.Conv2D(32, (2, 2), strides=2, padding="same", activation="relu"),
        keras.layers.MaxPooling2D((2, 2), strides=1, padding="same"),
        keras.layers.Conv2D(64, (2, 2), strides=2, padding="same", activation="relu"),
        keras.layers.MaxPooling2D((2, 2), strides=1, padding="same"),
        keras.layers.Flatten(),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="strided_cnn")


# --- residual network (seed 003, sized for CPUs) ----------------------------------

def _conv_bn(x, filters, kernel=3, strides=1, name=None, weight_decay=0.0):
    reg = keras.regularizers.L2(weight_decay) if weight_decay else None
    x = keras.layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False,
                      kernel_regularizer=reg, name=name and f"{name}_conv")(x)
    return keras.layers.BatchNormalization(name=name and f"{name}_bn")(x)


def _residual_block(x, filters, strides, name, weight_decay):
    """Two 3x3 conv+BN with a shortcut (1x1 conv where the shape changes)."""
    shortcut = x
    y = keras.layers.ReLU(name=f"{name}_relu1")(_conv_bn(x, filters, 3, strides, f"{name}_a", weight_decay))
    y = _conv_bn(y, filters, 3, 1, f"{name}_b", weight_decay)
    if strides != 1 or x.shape[-1] != filters:
        shortcut = _conv_bn(x, filters, 1, strides, f"{name}_proj", weight_decay)
    return keras.layers.ReLU(name=f"{name}_out")(keras.layers.Add(name=f"{name}_add")([y, shortcut]))


def resnet(widths=(32, 64, 128), blocks_per_stage=2, dropout=0.2, weight_decay=0.0,
           stem_width=None, stem_pool=False) -> keras.Model:
    """Seed 003's idea sized for 2 CPU cores: a stem conv, then stages of residual blocks
    with batch norm, each stage halving the resolution, global average pooling, Dense 10.

    stem_pool=True max-pools the stem to 14x14 first: about a third of the compute for
    the same widths, which is what makes a long run fit on two CPU cores."""
    inputs = keras.Input(INPUT_SHAPE, name="image")
    x = keras.layers.ReLU(name="stem_relu")(_conv_bn(inputs, stem_width or widths[0], 3, 1, "stem", weight_decay))
    if stem_pool:
        x = keras.layers.MaxPooling2D(2, name="stem_pool")(x)
    for s, width in enumerate(widths):
        for b in range(blocks_per_stage):
            strides = 2 if (s > 0 and b == 0) else 1
            x = _residual_block(x, width, strides, f"stage{s + 1}_block{b + 1}", weight_decay)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    if dropout:
        x = keras.layers.Dropout(dropout, name="dropout")(x)
    outputs = keras.layers.Dense(NUM_CLASSES, activation="softmax", name="probabilities")(x)
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
        keras.layers.Conv2D(32, 3, use_bias=False),
        keras.layers.MaxPooling2D(2),
        keras.layers.BatchNormalization(momentum=0.9),
        keras.layers.ReLU(),
        keras.layers.Conv2D(64, 3, use_bias=False),
        keras.layers.MaxPooling2D(2),
        keras.layers.BatchNormalization(momentum=0.9),
        keras.layers.ReLU(),
        keras.layers.Conv2D(64, 3, use_bias=False),
        keras.layers.BatchNormalization(momentum=0.9),
        keras.layers.ReLU(),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="fast")


# --- user-designed CNN --------------------------------------------------------------

# The custom CNN's knobs, their defaults and limits: the one place they are defined (the
# Train page draws its builder from these, TrainConfig.validate checks against them).
CUSTOM_DEFAULTS = {"conv_blocks": 2, "filters": 32, "kernel_size": 3, "pooling": "max",
                   "dropout": 0.25, "dense_units": 128, "batch_norm": True}
CUSTOM_LIMITS = {
    "conv_blocks": (1, 4),              # 28x28 pixels halve at each pooling
    "filters": (4, 256),
    "kernel_size": (1, 2, 3, 5, 7),
    "pooling": ("max", "average", "none"),
    "dropout": (0.0, 1.0),              # at least 0, below 1
    "dense_units": (0, 2048),
}
MAX_UNPOOLED_WEIGHTS = 50_000_000       # without pooling, the Dense layer's size grows with the image
_KINDS = {"conv_blocks": "int", "filters": "int", "kernel_size": "int", "pooling": "text",
          "dropout": "number", "dense_units": "int", "batch_norm": "bool"}


def _is_kind(v, kind: str) -> bool:
    if kind == "int":
        return isinstance(v, int) and not isinstance(v, bool)
    if kind == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v
    if kind == "bool":
        return isinstance(v, bool)
    return isinstance(v, str)


def custom_problems(params: dict) -> list[tuple[str, dict]]:
    """Why these custom-CNN settings cannot build or would not fit in memory, as
    (i18n key, params) pairs; empty when they can. Missing knobs take CUSTOM_DEFAULTS."""
    if not isinstance(params, dict):
        return [("config.err.type_object", {"name": "arch_params"})]
    unknown = sorted(set(params) - set(CUSTOM_DEFAULTS))
    if unknown:
        return [("config.err.arch_param", {"arch": "custom", "name": str(unknown[0])[:40],
                                           "known": ", ".join(CUSTOM_DEFAULTS)})]
    p = {**CUSTOM_DEFAULTS, **params}
    wrong = [k for k, kind in _KINDS.items() if not _is_kind(p[k], kind)]
    if wrong:
        return [(f"config.err.type_{_KINDS[k]}", {"name": k}) for k in wrong]
    problems = []
    lim = CUSTOM_LIMITS
    for k in ("conv_blocks", "filters", "dense_units"):
        low, high = lim[k]
        if not low <= p[k] <= high:
            problems.append(("config.err.range", {"name": k, "low": low, "high": high}))
    if p["pooling"] not in lim["pooling"]:
        problems.append(("config.err.pooling", {}))
    if p["kernel_size"] not in lim["kernel_size"]:
        problems.append(("config.err.kernel_size", {"choices": ", ".join(map(str, lim["kernel_size"]))}))
    if not lim["dropout"][0] <= p["dropout"] < lim["dropout"][1]:
        problems.append(("config.err.dropout", {}))
    if not problems and p["pooling"] == "none" and \
            p["filters"] * 2 ** (p["conv_blocks"] - 1) * 28 * 28 * max(p["dense_units"], 10) > MAX_UNPOOLED_WEIGHTS:
        problems.append(("config.err.too_big", {"limit": MAX_UNPOOLED_WEIGHTS // 1_000_000}))
    return problems


def check_custom(params: dict) -> None:
    """Raise ConfigError (a ValueError) when custom_problems finds any."""
    problems = custom_problems(params)
    if problems:
        raise ConfigError(problems)


def custom_cnn(conv_blocks: int = CUSTOM_DEFAULTS["conv_blocks"], filters: int = CUSTOM_DEFAULTS["filters"],
               kernel_size: int = CUSTOM_DEFAULTS["kernel_size"], pooling: str = CUSTOM_DEFAULTS["pooling"],
               dropout: float = CUSTOM_DEFAULTS["dropout"], dense_units: int = CUSTOM_DEFAULTS["dense_units"],
               batch_norm: bool = CUSTOM_DEFAULTS["batch_norm"]) -> keras.Model:
    """A plain CNN from a few knobs: each block is Conv(kernel)-[BN]-ReLU-Pool, doubling
    the filters each block; then Flatten-Dropout-Dense-Dense10."""
    check_custom({"conv_blocks": conv_blocks, "filters": filters, "kernel_size": kernel_size, "pooling": pooling,
                  "dropout": dropout, "dense_units": dense_units, "batch_norm": batch_norm})
    model = keras.Sequential([keras.Input(INPUT_SHAPE)], name="custom_cnn")
    for b in range(conv_blocks):
        model.add(keras.layers.Conv2D(filters * 2 ** b, kernel_size, padding="same", use_bias=not batch_norm))
        if batch_norm:
            model.add(keras.layers.BatchNormalization())
        model.add(keras.layers.ReLU())
        if pooling == "max":
            model.add(keras.layers.MaxPooling2D(2))
        elif pooling == "average":
            model.add(keras.layers.AveragePooling2D(2))
    model.add(keras.layers.Flatten())
    if dropout:
        model.add(keras.layers.Dropout(dropout))
    if dense_units:
        model.add(keras.layers.Dense(dense_units, activation="relu"))
    model.add(keras.layers.Dense(NUM_CLASSES, activation="softmax"))
    return model


RESNET_LIMITS = {"widths": (1, 4, 8, 512), "blocks_per_stage": (1, 4), "stem_width": (8, 512)}


def arch_param_problems(architecture: str, params) -> list[tuple[str, dict]]:
    """Why arch_params cannot build `architecture`, as (i18n key, params) pairs: a knob
    the architecture does not have, or a value of the wrong type or out of range."""
    if not isinstance(params, dict):
        return [("config.err.type_object", {"name": "arch_params"})]
    if architecture == "custom":
        return custom_problems(params)
    arch = ARCHITECTURES.get(architecture)
    if arch is None:
        return []
    import inspect
    known = [n for n in inspect.signature(arch.build).parameters]
    unknown = sorted(set(params) - set(known))
    if unknown:
        return [("config.err.arch_param", {"arch": architecture, "name": str(unknown[0])[:40],
                                           "known": ", ".join(known) or "-"})]
    if architecture != "resnet":
        return []
    problems = []
    widths = params.get("widths", (32,))
    low_n, high_n, low_w, high_w = RESNET_LIMITS["widths"]
    if not (isinstance(widths, (list, tuple)) and low_n <= len(widths) <= high_n
            and all(_is_kind(w, "int") and low_w <= w <= high_w for w in widths)):
        problems.append(("config.err.type_int_list", {"name": "widths"}))
    for k in ("blocks_per_stage", "stem_width"):
        v = params.get(k)
        if v is None and k == "stem_width":
            continue
        if v is not None and not (_is_kind(v, "int") and RESNET_LIMITS[k][0] <= v <= RESNET_LIMITS[k][1]):
            problems.append(("config.err.range", {"name": k, "low": RESNET_LIMITS[k][0], "high": RESNET_LIMITS[k][1]}))
    if "dropout" in params and not (_is_kind(params["dropout"], "number") and 0 <= params["dropout"] < 1):
        problems.append(("config.err.dropout", {}))
    if "weight_decay" in params and not (_is_kind(params["weight_decay"], "number") and params["weight_decay"] >= 0):
        problems.append(("config.err.weight_decay", {}))
    if "stem_pool" in params and not _is_kind(params["stem_pool"], "bool"):
        problems.append(("config.err.type_bool", {"name": "stem_pool"}))
    return problems


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
                 "91.29 % in 3 epochs, 24.5 s of fitting on 2 quiet CPU cores (quick preset; seed recipe: 124 s)", fast),
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
    rows = keras.layers.Reshape((28, 28), name="tta_rows")(inputs)
    mirror = keras.layers.Dense(28, use_bias=False, trainable=False, name="tta_mirror")
    flipped = keras.layers.Reshape(INPUT_SHAPE, name="tta_flipped")(mirror(rows))
    mirror.set_weights([np.eye(28, dtype="float32")[::-1]])
    base = model
    averaged = keras.layers.Average(name="tta_average")([base(inputs), base(flipped)])
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
