"""Looking inside a trained CNN: its layers, the feature maps an image produces, the
first layer's filters, Grad-CAM heat maps, and a 2-D map of its penultimate layer.

Works on every model of the zoo (Sequential or functional, with or without batch norm)
and on the flip-TTA wrapper of `models.with_flip_tta`: a wrapper's inner network is the
one explained (`unwrap`), and Grad-CAM of a flip-TTA model averages the heat map of the
image and the mirrored heat map of its mirror image, as the wrapper averages predictions.

    cam = grad_cam(model, image)                  # (28, 28) float32 in [0, 1]
    maps = feature_maps(model, image)             # [(layer name, (H, W, C) array), ...]
    coords = project_2d(penultimate_features(model, images), "pca")   # (N, 2)

Images are (28, 28) or (28, 28, 1) floats in [0, 1] (uint8 0-255 is scaled). Nothing
here imports Streamlit or draws: the pictures of these maps are made in pages/ui/display.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fashion.data import NUM_CLASSES
from fashion.errors import ClassifierError
from fashion.model.classifier import Classifier, as_classifier
from fashion.model.network import TTA_MIRROR, as_input, head, is_flip_tta, output_layer, unwrap  # noqa: F401

# Layers that keep a conv layer's spatial grid and only transform values: Grad-CAM
# follows a network's last conv layer through these to its block's final activation.
_VALUE_LAYERS = ("BatchNormalization", "LayerNormalization", "GroupNormalization", "ReLU", "LeakyReLU",
                 "PReLU", "ELU", "Activation", "Add", "Dropout", "SpatialDropout2D", "GaussianNoise")
_CONV_LAYERS = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D")

# The model or image cannot be explained; the message says why and what to do.
ExplainError = ClassifierError


# --- the network to look at (`unwrap` and `is_flip_tta` come from fashion.model.classifier) ---------

def _network(model):
    return model.network if isinstance(model, Classifier) else unwrap(model)


def _output_shape(layer) -> tuple | None:
    try:
        return tuple(layer.output.shape)
    except (AttributeError, ValueError):
        return None


def _is_spatial(layer) -> bool:
    shape = _output_shape(layer)
    return shape is not None and len(shape) == 4 and type(layer).__name__ != "InputLayer"


def conv_layers(model) -> list[str]:
    """Names of the convolutional layers of the (unwrapped) network, input to output."""
    return [layer.name for layer in _network(model).layers
            if type(layer).__name__ in _CONV_LAYERS and _is_spatial(layer)]


def spatial_layers(model) -> list[str]:
    """Names of every layer with an (H, W, C) output: conv, batch norm, activations, pooling, adds."""
    return [layer.name for layer in _network(model).layers if _is_spatial(layer)]


def layer_table(model) -> list[dict]:
    """One row per layer of the (unwrapped) network: name, type, output shape (without the
    batch axis), parameter count, and the settings that define it (`config`: filters,
    kernel, strides, padding, activation, units, rate, pool_size where they apply)."""
    rows = []
    for layer in _network(model).layers:
        shape = _output_shape(layer)
        cfg = {}
        for key in ("filters", "kernel_size", "strides", "padding", "activation", "units", "rate", "pool_size"):
            value = getattr(layer, key, None)
            if value is None:
                continue
            if key == "activation":
                value = getattr(value, "__name__", str(value))
                if value == "linear":
                    continue
            if isinstance(value, (list, tuple)):
                value = tuple(int(v) for v in value)
            cfg[key] = value
        rows.append({"name": layer.name, "type": type(layer).__name__,
                     "output_shape": tuple(shape[1:]) if shape else None,
                     "params": int(layer.count_params()) if layer.built else 0,
                     "config": cfg})
    return rows


def _layer(net, name):
    try:
        return net.get_layer(name)
    except ValueError:
        raise ExplainError("explain.err.no_layer", name=name, choices=", ".join(spatial_layers(net))) from None


# --- feature maps and filters ---------------------------------------------------------

def feature_maps(model, image, layer_names: list[str] | None = None) -> list[tuple[str, np.ndarray]]:
    """The (H, W, C) activations of each conv layer (or of `layer_names`) for one image,
    in network order, from one compiled pass of the unwrapped network."""
    clf = as_classifier(model)
    names = list(layer_names) if layer_names is not None else conv_layers(clf)
    if not names:
        return []
    for name in names:
        if not _is_spatial(_layer(clf.network, name)):
            raise ExplainError("explain.err.not_spatial_maps", name=name)
    return clf.feature_maps(image, names)


def first_layer_filters(model) -> np.ndarray:
    """The first conv layer's kernels as (filters, kh, kw) float32 (input channels summed;
    the input is one grey channel). Empty (0, 0, 0) if the network has no conv layer."""
    names = conv_layers(model)
    if not names:
        return np.zeros((0, 0, 0), np.float32)
    kernel = np.asarray(_network(model).get_layer(names[0]).get_weights()[0], dtype=np.float32)
    if kernel.ndim != 4:
        return np.zeros((0, 0, 0), np.float32)
    # Conv2D: (kh, kw, in, filters); DepthwiseConv2D: (kh, kw, in, multiplier).
    return np.transpose(kernel.sum(axis=2), (2, 0, 1)).copy()


# --- Grad-CAM -----------------------------------------------------------------------

def gradcam_layer(model) -> str:
    """The default Grad-CAM layer: the last conv layer, followed through its batch norm,
    activation and residual add (same grid) to the block's final activation."""
    net = _network(model)
    convs = conv_layers(net)
    if not convs:
        raise ExplainError("explain.err.no_conv", name=net.name)
    layers_ = net.layers
    index = [layer.name for layer in layers_].index(convs[-1])
    grid = _output_shape(layers_[index])[1:3]
    chosen = layers_[index]
    for layer in layers_[index + 1:]:
        shape = _output_shape(layer)
        if type(layer).__name__ not in _VALUE_LAYERS or shape is None or len(shape) != 4 or shape[1:3] != grid:
            break
        chosen = layer
    return chosen.name


def _cam(a: np.ndarray, g: np.ndarray, method: str) -> np.ndarray:
    """One image's (H, W) map from its activations and gradients, resized to 28 x 28."""
    import cv2
    if method == "classic":                  # Selvaraju et al.: channel weights = mean gradient
        cam = (a * g.mean(axis=(0, 1))).sum(axis=-1)
    else:                                    # element-wise (HiResCAM): gradient x activation per place
        cam = (a * g).sum(axis=-1)
    cam = np.maximum(cam, 0.0).astype(np.float32)
    resized = cv2.resize(cam, (28, 28), interpolation=cv2.INTER_LINEAR)
    return np.maximum(resized, 0.0).astype(np.float32)


def _normalise(cam: np.ndarray) -> np.ndarray:
    top = float(cam.max()) if cam.size else 0.0
    return (cam / top).astype(np.float32) if top > 1e-12 else np.zeros((28, 28), np.float32)


def grad_cam(model, image: np.ndarray, class_index: int | None = None, layer_name: str | None = None,
             method: str = "element") -> np.ndarray:
    """Where in the image the evidence for `class_index` lies, as a (28, 28) float32 map
    in [0, 1] (1 = strongest). `class_index=None` explains the model's predicted class.

    method="element" (default) weights each activation by its own gradient before summing
    over channels (HiResCAM), so places the classifier ignores stay dark; for networks that
    end in global average pooling it equals classic Grad-CAM. method="classic" uses one
    weight per channel (the mean gradient), as in Selvaraju et al. (2017). Scores are taken
    before the softmax so a confident prediction does not flatten the map. `layer_name`
    defaults to `gradcam_layer(model)`. A flip-TTA wrapper's map is the average of the
    image's map and the mirrored map of the mirror image.

    `model` is a keras.Model or a `Classifier`; the gradients come from the Classifier's
    compiled two-output model (public Keras API only)."""
    if method not in ("element", "classic"):
        raise ExplainError("explain.err.cam_method")
    clf = as_classifier(model)
    x = as_input(image, single=True)
    if class_index is None:
        class_index = int(np.argmax(clf.probabilities(x)[0]))
    if not 0 <= int(class_index) < NUM_CLASSES:
        raise ExplainError("explain.err.class_index", high=NUM_CLASSES - 1, got=class_index)
    layer_name = layer_name or gradcam_layer(clf)
    if not _is_spatial(_layer(clf.network, layer_name)):
        raise ExplainError("explain.err.not_spatial_cam", name=layer_name)
    batch = np.concatenate([x, x[:, :, ::-1]]) if clf.flip_tta else x
    a, g = clf.activations_and_gradients(batch, int(class_index), layer_name)
    cam = _cam(a[0], g[0], method)
    if clf.flip_tta:
        mirrored = _cam(a[1], g[1], method)
        cam = 0.5 * (_normalise(cam) + _normalise(mirrored[:, ::-1]))
    return _normalise(cam)


# --- the embedding map ----------------------------------------------------------------

def penultimate_features(model, images, batch_size: int = 500, max_dims: int | None = None) -> np.ndarray:
    """Activations feeding the classifier (the last Dense layer's input) for a batch of
    images, (N, D) float32, computed in batches. A wrapper's inner network sees the images
    as given. With `max_dims`, wider features (e.g. a large Flatten) are reduced batch by
    batch with a fixed sparse random projection, which keeps distances roughly intact and
    memory bounded. (`batch_size` is kept for callers; the Classifier picks its batches.)"""
    return as_classifier(model).features(images, max_dims=max_dims)


def features_and_probabilities(model, images, batch_size: int = 500,
                               max_dims: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`penultimate_features` and the model's own (N, 10) probabilities from one pass of the
    network (two for a flip-TTA wrapper: the image and its mirror)."""
    return as_classifier(model).features(images, max_dims=max_dims, with_probabilities=True)


def embedding_sample(labels: np.ndarray, n: int = 2000, seed: int = 0) -> np.ndarray:
    """Sorted indices of n images, the same number from each class (seeded). Each class's
    images are taken in one fixed random order, so a smaller sample is part of a larger
    one (the stored evaluation's features serve any smaller map)."""
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    per = max(1, n // max(1, len(classes)))
    picked = [rng.permutation(np.flatnonzero(labels == c))[:per] for c in classes]
    return np.sort(np.concatenate(picked)) if picked else np.zeros(0, int)


@dataclass
class Projection:
    """2-D coordinates of the features (N, 2) and, for PCA, the fitted projector
    (`transform` places new images on the same map); t-SNE has none."""
    coords: np.ndarray
    method: str
    pca: object | None = None

    def transform(self, features: np.ndarray) -> np.ndarray | None:
        if self.pca is None:
            return None
        return self.pca.transform(np.asarray(features, np.float32).reshape(len(features), -1)).astype(np.float32)


def project(features: np.ndarray, method: str = "pca", random_state: int = 0) -> Projection:
    """Project (N, D) features to 2-D with PCA (instant) or t-SNE (about 20 s for 2,000
    points on one core; features are first reduced to 50 PCA dimensions)."""
    from sklearn.decomposition import PCA
    features = np.asarray(features, dtype=np.float32)
    if features.ndim != 2 or len(features) < 3:
        raise ExplainError("explain.err.features", shape=features.shape)
    if method == "pca":
        pca = PCA(n_components=2, random_state=random_state).fit(features)
        return Projection(pca.transform(features).astype(np.float32), "pca", pca)
    if method == "tsne":
        from sklearn.manifold import TSNE
        reduced = features
        if features.shape[1] > 50 and len(features) > 50:
            reduced = PCA(n_components=50, random_state=random_state).fit_transform(features)
        perplexity = float(min(30.0, max(2.0, (len(features) - 1) / 3)))
        # One thread: on a shared 2-core machine OpenMP threads mostly wait on each other
        # (measured: 2,000 points in ~20 s with one thread, ~85 s with two under load).
        from threadpoolctl import threadpool_limits
        with threadpool_limits(limits=1):
            coords = TSNE(n_components=2, perplexity=perplexity, init="pca", max_iter=500,
                          random_state=random_state).fit_transform(reduced)
        return Projection(coords.astype(np.float32), "tsne")
    raise ExplainError("explain.err.projection")


def project_2d(features: np.ndarray, method: str = "pca", random_state: int = 0) -> np.ndarray:
    """(N, D) features -> (N, 2) float32 coordinates by PCA or t-SNE (see `project`)."""
    return project(features, method, random_state).coords
