"""One loaded model and every inference on it: test-set probabilities (evaluate), a
photo's scores and energy (predict), feature maps, penultimate features and Grad-CAM
(explain). One object per model, so there is one input convention, one compiled forward
pass, one rule for reaching the network inside a wrapper, and one lock.

    clf = Classifier.load("models/fashion_mnist_cnn.keras")
    p = clf.probabilities(x_test)                 # (N, 10), exactly the model's own output
    feats = clf.features(x_test[:100])            # (100, D): what its classifier reads

## Conventions (fashion/model/network.py)
Every public method takes images through `as_input` (float32 (N, 28, 28, 1) in [0, 1]) and
looks inside through `unwrap`: features, feature maps and Grad-CAM are the network's;
probabilities are always the whole model's.

## One Classifier, passed explicitly
A Classifier is built once per loaded model by whoever loads it (`Classifier.load`, or
`Classifier(model)` for a model in hand) and handed to everything that infers with it;
there is no lookup from a Keras model to "its" Classifier.

## Compiled, batched, locked
Every pass is a `tf.function` with a fixed input signature (None, 28, 28, 1), traced once
per model, fed batches of at most `batch_size` images. Eager Keras spends more time
dispatching layers than computing them for one photo; the graph does not. Grad-CAM uses a
public two-output Keras model (the target layer's activations and the class scores), as
keras-io's Grad-CAM example does, compiled the same way. A re-entrant lock guards building
and calling, one batch at a time, so many sessions can share one Classifier and a long
evaluation never holds the others up for more than a batch.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from fashion.backend import keras, tf
from fashion.data import NUM_CLASSES
from fashion.errors import ClassifierError
from fashion.model.network import (
    IMAGE_SHAPE,
    as_input,
    feature_source,
    halves_mean,
    head,
    is_flip_tta,
    logsumexp,
    network_input,
    unwrap,
)
from fashion.model.safe_load import load_model

# Inference batches of 64: TensorFlow keeps the working memory of the largest batch it has
# run, so batches of 250 (mirrored: 500) held ~50 MB more in the server and in every
# training worker, at no measurable gain in speed for these small networks.
BATCH_SIZE = 64


def _spec():
    return tf.TensorSpec([None, *IMAGE_SHAPE], tf.float32)


# --- the Classifier --------------------------------------------------------------------------

def as_classifier(model) -> "Classifier":
    """The Classifier given, or a new one for a bare keras.Model. Nothing is remembered, so
    a caller that infers more than once builds its Classifier once and passes that."""
    return model if isinstance(model, Classifier) else Classifier(model)


class Classifier:
    """A loaded model and all inference on it (see the module docstring)."""

    def __init__(self, model, path: str | os.PathLike | None = None, batch_size: int = BATCH_SIZE):
        self.model = model
        self.path = Path(path) if path is not None else None
        self.batch_size = int(batch_size)
        self.network = unwrap(model)
        self.flip_tta = is_flip_tta(model)
        # The network's probabilities stand for the model's own only when they are the same
        # thing: no wrapper, or the flip wrapper (whose average is recomputed here).
        self.exact = self.network is model or self.flip_tta
        self.batches_run = 0            # forward batches so far (how tests see that a store was reused)
        self._lock = threading.RLock()
        self._functions: dict = {}

    # -- construction --

    @classmethod
    def load(cls, path: str | os.PathLike, batch_size: int = BATCH_SIZE) -> "Classifier":
        """Load a .keras file (size-checked, safe mode, no custom objects)."""
        return cls(load_model(path), path=path, batch_size=batch_size)

    # -- compiled passes --

    def _function(self, key, build):
        """The tf.function `build()` returns, built and traced once per key."""
        with self._lock:
            fn = self._functions.get(key)
            if fn is None:
                fn = self._functions[key] = build()
            return fn

    def _scores_function(self):
        """network(x) -> {'features': (N, D), 'logits': (N, 10) when known, 'probabilities': (N, 10)}."""
        def build():
            net = self.network
            kind, last = head(net)
            outputs = {"features": feature_source(net).input}
            if kind == "input":
                outputs["logits"] = last.input
            elif kind == "output":
                outputs["probabilities"] = net.outputs[0]
            probe = keras.Model(network_input(net), outputs)

            @tf.function(input_signature=[_spec()])
            def scores(x):
                out = probe(x, training=False)
                features = out["features"]
                result = {"features": keras.ops.reshape(features, (keras.ops.shape(features)[0], -1))}
                if kind == "dense":
                    logits = keras.ops.matmul(features, last.kernel)
                    result["logits"] = logits + last.bias if last.use_bias else logits
                elif kind == "input":
                    result["logits"] = out["logits"]
                result["probabilities"] = (keras.ops.softmax(result["logits"], axis=-1) if "logits" in result
                                           else out["probabilities"])
                return result
            return scores
        return self._function("scores", build)

    def _model_function(self):
        """The whole model (for a wrapper whose network alone does not give its output)."""
        def build():
            model = self.model
            return tf.function(lambda x: model(x, training=False), input_signature=[_spec()])
        return self._function("model", build)

    def _batches(self, x: np.ndarray, run, batch_size: int | None = None) -> list:
        """run(batch) over x in batches, one batch per hold of the lock."""
        size = batch_size or self.batch_size
        out = []
        for start in range(0, len(x), size):
            batch = x[start:start + size]
            with self._lock:
                out.append(run(batch))
                self.batches_run += 1
        return out

    def _network_scores(self, x: np.ndarray, mirrored: bool, want_features: bool):
        """(features of x or None, probabilities, logits or None): the network on x, and with
        mirrored=True also on the mirror images, probabilities and logits averaged per image
        as the flip wrapper averages them (logits: their energies are averaged by callers)."""
        fn = self._scores_function()

        def run(batch):
            n = len(batch)
            both = np.concatenate([batch, batch[:, :, ::-1]]) if mirrored else batch
            out = fn(both)
            feats = np.asarray(out["features"][:n], np.float32) if want_features else None
            probs = np.asarray(out["probabilities"], np.float32)
            logits = np.asarray(out["logits"], np.float32) if "logits" in out else None
            return feats, probs, logits

        parts = self._batches(x, run, max(1, self.batch_size // 2) if mirrored else None)
        feats = np.concatenate([p[0] for p in parts]) if (want_features and parts) else None
        probs = [p[1] for p in parts]
        logits = [p[2] for p in parts]
        return feats, probs, logits

    # -- public inference --

    def probabilities(self, images) -> np.ndarray:
        """The model's own class probabilities (N, 10), float32."""
        x = as_input(images)
        if len(x) == 0:
            return np.zeros((0, NUM_CLASSES), np.float32)
        if not self.exact:
            fn = self._model_function()
            return np.concatenate(self._batches(x, lambda b: np.asarray(fn(b), np.float32)))
        _, probs, _ = self._network_scores(x, mirrored=self.flip_tta, want_features=False)
        return np.concatenate([halves_mean(p) if self.flip_tta else p for p in probs])

    def logits(self, images) -> np.ndarray | None:
        """The network's class scores before the softmax (N, 10), or None when it has none."""
        x = as_input(images)
        _, _, logits = self._network_scores(x, mirrored=False, want_features=False)
        if not logits:
            return np.zeros((0, NUM_CLASSES), np.float32)
        return None if logits[0] is None else np.concatenate(logits)

    def mirror_scores(self, images) -> tuple[np.ndarray, np.ndarray | None]:
        """(probabilities, energy): each image seen as is and mirrored (a garment's left and
        right are interchangeable), the network's probabilities averaged and its energy
        logsumexp(logits) averaged; energy is None when the network has no logits."""
        x = as_input(images)
        if len(x) == 0:
            return np.zeros((0, NUM_CLASSES), np.float32), None
        if not self.exact:
            p = self.probabilities(np.concatenate([x, x[:, :, ::-1]]))
            return halves_mean(p), None
        _, probs, logits = self._network_scores(x, mirrored=True, want_features=False)
        probs = np.concatenate([halves_mean(p) for p in probs])
        if logits[0] is None:
            return probs, None
        energy = np.concatenate([halves_mean(logsumexp(np.asarray(z, np.float64))) for z in logits])
        return probs, energy

    def features(self, images, max_dims: int | None = None,
                 with_probabilities: bool = False):
        """Activations feeding the classifier (the last Dense layer's input) as (N, D)
        float32, the network seeing the images as given; with `with_probabilities`, also
        the model's own (N, 10) probabilities from the same pass. With `max_dims`, wider
        features are reduced batch by batch with a fixed sparse random projection (keeps
        distances roughly intact, memory bounded)."""
        x = as_input(images)
        fn = self._scores_function()
        mirrored = with_probabilities and self.flip_tta
        model_fn = self._model_function() if with_probabilities and not self.exact else None
        reducer = None

        def run(batch):
            nonlocal reducer
            n = len(batch)
            out = fn(np.concatenate([batch, batch[:, :, ::-1]]) if mirrored else batch)
            feats = np.asarray(out["features"][:n], np.float32)
            if max_dims and feats.shape[1] > max_dims:
                if reducer is None:
                    from sklearn.random_projection import SparseRandomProjection
                    reducer = SparseRandomProjection(n_components=max_dims, random_state=0).fit(
                        np.zeros((1, feats.shape[1]), np.float32))
                feats = reducer.transform(feats).astype(np.float32)
            probs = None
            if with_probabilities:
                probs = (np.asarray(model_fn(batch), np.float32) if model_fn is not None else
                         halves_mean(np.asarray(out["probabilities"], np.float32)) if mirrored else
                         np.asarray(out["probabilities"], np.float32))
            return feats, probs

        # about 80 MB of features per batch, whatever the width
        dims = int(np.prod(feature_source(self.network).input.shape[1:]))
        size = max(1, min(self.batch_size * 2, 20_000_000 // max(dims, 1)))
        parts = self._batches(x, run, size)
        width = max_dims if (max_dims and dims > max_dims) else dims
        feats = np.concatenate([p[0] for p in parts]) if parts else np.zeros((0, width), np.float32)
        if not with_probabilities:
            return feats
        probs = np.concatenate([p[1] for p in parts]) if parts else np.zeros((0, NUM_CLASSES), np.float32)
        return feats, probs

    def feature_maps(self, image, layer_names: list[str]) -> list[tuple[str, np.ndarray]]:
        """The (H, W, C) activations of the named layers of the network for one image, from
        one compiled pass."""
        names = tuple(layer_names)
        if not names:
            return []
        layers_ = [self.layer(name) for name in names]

        def build():
            probe = keras.Model(network_input(self.network), [layer.output for layer in layers_])
            return tf.function(lambda x: probe(x, training=False), input_signature=[_spec()])

        fn = self._function(("maps", names), build)
        x = as_input(image, single=True)
        with self._lock:
            outs = fn(x)
            self.batches_run += 1
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        return [(name, np.asarray(out)[0].astype(np.float32)) for name, out in zip(names, outs)]

    def layer(self, name: str):
        try:
            return self.network.get_layer(name)
        except ValueError:
            raise ClassifierError("classifier.err.no_layer", name=name) from None

    def activations_and_gradients(self, images: np.ndarray, class_index: int, layer_name: str):
        """(activations, gradients) of the named layer, both (N, H, W, C), for the class
        score before the softmax (the probability where the network has no logits), from
        one compiled pass of a public two-output model: image -> [layer output, scores]."""
        target = self.layer(layer_name)

        def build():
            net = self.network
            kind, last = head(net)
            source = {"dense": lambda: last.input, "input": lambda: last.input,
                      "output": lambda: net.outputs[0]}[kind]()
            grad_model = keras.Model(network_input(net), [target.output, source])

            @tf.function(input_signature=[_spec(), tf.TensorSpec([], tf.int32)])
            def cam(x, class_index):
                with tf.GradientTape() as tape:
                    tape.watch(x)            # record every op from the image on, frozen layers too
                    activations, scores = grad_model(x, training=False)
                    if kind == "dense":
                        scores = keras.ops.matmul(scores, last.kernel) + (last.bias if last.use_bias else 0.0)
                    score = tf.gather(scores, class_index, axis=1)
                grads = tape.gradient(score, activations)
                if grads is None:
                    grads = tf.zeros_like(activations)
                return activations, grads
            return cam

        fn = self._function(("cam", layer_name), build)
        with self._lock:
            a, g = fn(images, np.int32(class_index))
            self.batches_run += 1
        return np.asarray(a, np.float32), np.asarray(g, np.float32)
