"""The conventions every inference on a Fashion-MNIST network follows: what an input
image is (`as_input`), which network a saved model holds (`unwrap`, `is_flip_tta`), and
where its class scores and features are read (`head`, `feature_source`).

## Input convention
Inside, images are what the model takes: float32 (N, 28, 28, 1) in [0, 1]. `as_input`
converts at the boundary: uint8 arrays (0-255) are divided by 255, a missing channel axis
is added, a single (28, 28) image becomes a batch of one. Anything else (another size,
values outside [0, 1]) is refused with a `ClassifierError` that says what was expected.

## The network inside a wrapper
`architectures.with_flip_tta` saves a model that averages the prediction on an image and
on its mirror image; it holds the trained network as one nested model. `unwrap` is the one
rule that finds it: a model whose only content is a single nested model (and no convolution
of its own) is a wrapper, and its network is that nested model (recursively).
"""
from __future__ import annotations

import numpy as np

from fashion.backend import keras
from fashion.errors import ClassifierError

IMAGE_SHAPE = (28, 28, 1)
CONV_LAYERS = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D")
TTA_MIRROR = "tta_mirror"          # the mirror layer's name in architectures.with_flip_tta


# --- the one input convention ------------------------------------------------------------

def as_input(images, single: bool = False) -> np.ndarray:
    """uint8 (0-255) or float ([0, 1]) images, (28, 28), (28, 28, 1), (N, 28, 28) or
    (N, 28, 28, 1) -> float32 (N, 28, 28, 1) in [0, 1]. With single=True exactly one image
    is expected."""
    a = np.asarray(images)
    a = a.astype(np.float32) / 255.0 if a.dtype == np.uint8 else a.astype(np.float32, copy=False)
    if single:
        if a.shape == IMAGE_SHAPE:
            a = a[..., 0]
        if a.shape != (28, 28):
            raise ClassifierError("classifier.err.one_image", shape=a.shape)
        a = a[None]
    else:
        if a.shape == (28, 28) or a.shape == IMAGE_SHAPE:
            a = a.reshape(1, 28, 28)
        if a.ndim == 4 and a.shape[-1] == 1:
            a = a[..., 0]
        if a.ndim != 3 or a.shape[1:] != (28, 28):
            raise ClassifierError("classifier.err.batch", shape=a.shape)
    if a.size and (not np.isfinite(a).all() or a.min() < -1e-6 or a.max() > 1 + 1e-6):
        raise ClassifierError("classifier.err.values")
    return np.ascontiguousarray(np.clip(a, 0.0, 1.0)[..., None])


# --- the network inside a model ------------------------------------------------------------

def unwrap(model):
    """The network to look inside: the model itself, or, for a wrapper around one nested
    model and no convolution of its own (e.g. the flip-TTA wrapper), that nested model
    (recursively)."""
    nested = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    own_convs = [layer for layer in model.layers if type(layer).__name__ in CONV_LAYERS]
    if len(nested) == 1 and not own_convs:
        return unwrap(nested[0])
    return model


def is_flip_tta(model) -> bool:
    """True for a `models.with_flip_tta` wrapper (averages the image and its mirror)."""
    names = {layer.name for layer in model.layers}
    return TTA_MIRROR in names and unwrap(model) is not model


def network_input(net):
    try:
        inputs = net.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ClassifierError("classifier.err.no_input", name=net.name)
    return inputs[0]


def output_layer(net):
    """The layer that produces the network's output."""
    try:
        out = net.outputs[0]
    except (AttributeError, IndexError, TypeError, ValueError):
        return net.layers[-1]
    for layer in reversed(net.layers):
        try:
            if layer.output is out:
                return layer
        except (AttributeError, ValueError):   # a layer called more than once has no single output
            continue
    return net.layers[-1]


def last_dense(net):
    """The last Dense layer (the classifier), or None."""
    dense = [layer for layer in net.layers if type(layer).__name__ == "Dense"]
    return dense[-1] if dense else None


def head(net) -> tuple[str, object]:
    """How class scores before the softmax are had: ('dense', layer) for a final Dense with
    softmax (logits = its input @ kernel + bias), ('input', layer) for a final softmax layer
    (logits = its input), else ('output', None): only the probabilities are known."""
    last = output_layer(net)
    kind = type(last).__name__
    act = getattr(getattr(last, "activation", None), "__name__", "")
    if kind == "Dense" and act == "softmax" and len(last.input.shape) == 2:
        return "dense", last
    if kind == "Softmax" or (kind == "Activation" and act == "softmax"):
        return "input", last
    return "output", None


def feature_source(net):
    """The layer whose input is the network's features: the last Dense layer, else the output layer."""
    dense = last_dense(net)
    return dense if dense is not None else output_layer(net)


def halves_mean(a: np.ndarray) -> np.ndarray:
    """(2N, ...) = [x; mirror x] -> (N, ...) mean of the two halves."""
    n = len(a) // 2
    return (a[:n] + a[n:]) / 2


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def logsumexp(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=1)
    return m + np.log(np.exp(z - m[:, None]).sum(axis=1))
