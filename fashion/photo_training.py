"""Learning from real photos next to Fashion-MNIST: the partial-label loss, outlier
exposure, real-photo augmentation, the mixed input pipeline, and real-photo accuracy.

A phone photo of a long-sleeved top is rightly called Pullover, Shirt or T-shirt/top, so
its target is a *set* of labels. Every training row carries an accept mask (B, 10):

    Fashion-MNIST image    one-hot of its label
    photo of a kind        the labels a person accepts (fashion.photoset.ACCEPT)
    hat, shorts, skirt     all zeros: no Fashion-MNIST class

and one loss covers all three (partial_label_loss):

    accepted set S:  -log(sum of p over S)       mass moves into S, shared as the net likes
    empty set:       w * mean_k(-log p_k)        pushed toward a flat answer (outlier exposure)

with label smoothing (e * mean_k(-log p_k)) on rows that have a set, as in the best preset.
For a one-hot row the first term is plain cross-entropy, so Fashion-MNIST learns as before.

Each training batch is `batch_size` Fashion-MNIST images plus `photo_ratio * batch_size`
photos drawn (with replacement, reshuffled) from the photos trained on, augmented the way
phone photos differ from each other: exposure, gamma, contrast, blur, a small rotation and
zoom, shifts, mirror images and random erasing.
"""
from __future__ import annotations

import math

import numpy as np

from .photoset import PhotoSet

SHOE_KINDS = ("shoes",)
PHOTO_AUGMENTATIONS = ("flip", "shift", "rotate", "zoom", "contrast", "blur", "erase")


# --- the loss and its accuracy ----------------------------------------------------------------

def partial_label_loss(label_smoothing: float = 0.0, outlier_weight: float = 0.5):
    """A Keras loss over (accept mask (B, 10), probabilities (B, 10)); see the module docstring."""
    import keras
    ops = keras.ops

    def loss(mask, p):
        mask = ops.cast(mask, p.dtype)
        log_p = ops.log(ops.clip(p, 1e-7, 1.0))
        uniform = -ops.mean(log_p, axis=-1)
        has_set = ops.sum(mask, axis=-1) > 0
        partial = -ops.log(ops.clip(ops.sum(p * mask, axis=-1), 1e-7, 1.0))
        in_set = (1.0 - label_smoothing) * partial + label_smoothing * uniform
        return ops.where(has_set, in_set, outlier_weight * uniform)

    return loss


def accepted_accuracy(mask, p):
    """1 where the top answer is in the accepted set (0 for rows with no set)."""
    import keras
    ops = keras.ops
    top = ops.argmax(p, axis=-1)
    return ops.take_along_axis(ops.cast(mask, "float32"), ops.expand_dims(top, -1), axis=-1)[:, 0]


def accuracy_metric():
    """accepted_accuracy under the name 'accuracy', so histories read as with any run."""
    import keras
    return keras.metrics.MeanMetricWrapper(accepted_accuracy, name="accuracy")


# --- the input pipeline -------------------------------------------------------------------------

def augment_photos(x, rng):
    """Real-photo augmentation of a float batch (B, 28, 28, 1) in [0, 1]: exposure and gamma
    of the garment (the background stays black), then the geometric and texture changes of
    fashion.train.augment_batch."""
    import tensorflow as tf
    from .train import augment_batch
    b = tf.shape(x)[0]
    gain = rng.uniform([b, 1, 1, 1], 0.75, 1.25)
    gamma = tf.exp(rng.uniform([b, 1, 1, 1], -0.35, 0.35))
    x = tf.clip_by_value(tf.pow(tf.maximum(x, 1e-6), gamma) * gain, 0.0, 1.0) * tf.cast(x > 0, tf.float32)
    return augment_batch(x, PHOTO_AUGMENTATIONS, rng)


def mixed_dataset(x_fm: np.ndarray, y_fm: np.ndarray, photos: PhotoSet, config, augment_fm):
    """tf.data of (x (B+k, 28, 28, 1), accept masks (B+k, 10)): each Fashion-MNIST batch
    (scaled and augmented by `augment_fm`) joined by k = photo_ratio * batch_size photos."""
    import tensorflow as tf
    k = max(1, int(round(config.photo_ratio * config.batch_size)))
    fm = tf.data.Dataset.from_tensor_slices((x_fm, y_fm.astype("int32")))
    fm = fm.shuffle(len(x_fm), seed=config.seed, reshuffle_each_iteration=True).batch(config.batch_size)
    ph = tf.data.Dataset.from_tensor_slices((photos.images, photos.accept.astype("float32")))
    ph = ph.shuffle(len(photos), seed=config.seed + 2, reshuffle_each_iteration=True).repeat().batch(k)
    fm_rng = tf.random.Generator.from_seed(config.seed + 1)
    ph_rng = tf.random.Generator.from_seed(config.seed + 3)

    def join(fm_batch, ph_batch):
        (xf, yf), (xp, mp) = fm_batch, ph_batch
        xf = augment_fm(tf.cast(xf, tf.float32)[..., None] / 255.0, fm_rng)
        xp = augment_photos(tf.cast(xp, tf.float32)[..., None] / 255.0, ph_rng)
        return tf.concat([xf, xp], 0), tf.concat([tf.one_hot(yf, 10), mp], 0)

    return tf.data.Dataset.zip((fm, ph)).map(join, num_parallel_calls=1).prefetch(2)


def recalibration_images(x_fm: np.ndarray, photos: PhotoSet | None, photo_ratio: float,
                         count: int = 2048, seed: int = 0) -> np.ndarray:
    """The images batch-norm statistics are recalibrated on: Fashion-MNIST and photos in the
    proportion the network was trained on."""
    rng = np.random.default_rng(seed)
    if photos is None or not len(photos):
        return x_fm
    n_ph = min(len(photos), int(round(count * photo_ratio / (1 + photo_ratio))))
    fm = x_fm[rng.choice(len(x_fm), size=min(count - n_ph, len(x_fm)), replace=False)]
    ph = photos.images[rng.choice(len(photos), size=n_ph, replace=False)]
    return np.concatenate([fm, ph])


# --- starting from a trained model -----------------------------------------------------------

def load_start(path: str):
    """The trained network inside a saved model (the flip-TTA wrapper removed), to go on
    training from its weights. Raises TrainingFailed with an i18n key when it cannot."""
    from .classifier import unwrap
    from .errors import TrainingFailed
    from .registry import load_model
    try:
        model = load_model(path)
    except Exception as e:  # a missing, damaged or foreign file: say which and why
        raise TrainingFailed("photoset.error.init_from", path=str(path), reason=str(e)[:200]) from None
    return unwrap(model)


# --- real-photo accuracy ------------------------------------------------------------------------

def photo_metrics(probabilities: np.ndarray, photos: PhotoSet) -> dict:
    """Accuracy on real photos as photo_eval counts it: micro over photos of a kind
    Fashion-MNIST has, macro over kinds, shoes alone, per kind; and how many photos."""
    top = probabilities.argmax(axis=1)
    right = photos.accept[np.arange(len(top)), top]
    scored = photos.scored
    per_kind = {}
    for kind in sorted(set(photos.kinds[scored].tolist())):
        sel = scored & (photos.kinds == kind)
        per_kind[kind] = float(right[sel].mean())
    shoes = [per_kind[k] for k in SHOE_KINDS if k in per_kind]
    n = int(scored.sum())
    return {"micro": float(right[scored].mean()) if n else math.nan,
            "macro": float(np.mean(list(per_kind.values()))) if per_kind else math.nan,
            "shoes": float(np.mean(shoes)) if shoes else math.nan,
            "per_kind": per_kind, "photos": n}


def held_out_metrics(classifier, source: str = "shipped") -> dict | None:
    """photo_metrics of a Classifier on the photographers held out of `source` (a
    TrainConfig.photos value; never trained on), with the photo set's SHA-256; None where
    there are no such photos."""
    from .photoset import PhotoSetError, resolve
    try:
        photos = resolve(source)
    except PhotoSetError:
        return None
    held = photos.part(True)
    if not len(held):
        return None
    return {**photo_metrics(classifier.probabilities(held.images), held), "photos_sha256": photos.digest()}
