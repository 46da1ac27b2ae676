"""Learning from real photos next to Fashion-MNIST: the partial-label loss, outlier
exposure, real-photo augmentation, the mixed input pipeline, and real-photo accuracy.

A phone photo of a long-sleeved top is rightly called Pullover, Shirt or T-shirt/top, so
its target is a *set* of labels. Every training row carries an accept mask (B, 10):

    Fashion-MNIST image    one-hot of its label
    photo of a kind        the labels a person accepts (fashion.photos.photoset.ACCEPT)
    hat, shorts, skirt     all zeros: no Fashion-MNIST class
    non-garment picture    all zeros (a cup, an apple, a toy on a table: with_outliers)

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

import numpy as np

from fashion.backend import keras, tf
from fashion.errors import TrainingFailed
from fashion.model.network import unwrap
from fashion.model.safe_load import load_model
from fashion.photos.calibration_data import CalibrationSet
from fashion.photos.photoset import PhotoSet
from fashion.training.augmentation import augment_photos

# --- the loss and its accuracy ----------------------------------------------------------------

def partial_label_loss(label_smoothing: float = 0.0, outlier_weight: float = 0.5):
    """A Keras loss over (accept mask (B, 10), probabilities (B, 10)); see the module docstring."""
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
    ops = keras.ops
    top = ops.argmax(p, axis=-1)
    return ops.take_along_axis(ops.cast(mask, "float32"), ops.expand_dims(top, -1), axis=-1)[:, 0]


def accuracy_metric():
    """accepted_accuracy under the name 'accuracy', so histories read as with any run."""
    return keras.metrics.MeanMetricWrapper(accepted_accuracy, name="accuracy")


def with_outliers(photos: PhotoSet, pictures: CalibrationSet | None) -> PhotoSet:
    """The photos trained on, joined by the non-garment pictures set aside for training
    (fashion.photos.calibration_data.outlier_pictures): rows with no right answer, which
    teach the network to answer flat on objects that are not clothes."""
    if pictures is None or not len(pictures):
        return photos
    n = len(pictures)
    joined = PhotoSet(images=np.concatenate([photos.images, pictures.images]),
                      accept=np.concatenate([photos.accept, pictures.accept]),
                      kinds=np.concatenate([photos.kinds.astype(str), pictures.kinds.astype(str)]),
                      photographers=np.concatenate([photos.photographers.astype(str), pictures.groups.astype(str)]),
                      holdout=np.concatenate([photos.holdout, np.zeros(n, bool)]),
                      found=None if photos.found is None else np.concatenate([photos.found, pictures.found]),
                      pipeline_version=photos.pipeline_version, source=photos.source,
                      split=np.concatenate([photos.splits, np.array(["train"] * n)]))
    return joined


# --- the input pipeline -------------------------------------------------------------------------


def mixed_dataset(x_fm: np.ndarray, y_fm: np.ndarray, photos: PhotoSet, config, augment_fm):
    """tf.data of (x (B+k, 28, 28, 1), accept masks (B+k, 10)): each Fashion-MNIST batch
    (scaled and augmented by `augment_fm`) joined by k = photo_ratio * batch_size photos."""
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
    try:
        model = load_model(path)
    except Exception as e:  # a missing, damaged or foreign file: say which and why
        raise TrainingFailed("photoset.error.init_from", path=str(path), reason=str(e)[:200]) from None
    return unwrap(model)


# --- real-photo accuracy ------------------------------------------------------------------------


