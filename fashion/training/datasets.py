"""What a run learns from, as tf.data pipelines over the uint8 arrays: Fashion-MNIST split
into training and validation, alone or with real photos in every batch (photo_mix.py), or a
fine-tune's own photos beside rehearsed Fashion-MNIST images."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from fashion.backend import tf
from fashion.photos.photoset import PhotoSet
from fashion.training.augmentation import augment_batch
from fashion.training.config import MIN_STEPS_PER_EPOCH, PASSES_PER_EPOCH, TrainConfig
from fashion.training.photo_mix import mixed_dataset

VALIDATION_BATCH = 32    # a fine-tune's held-out own photos, scored at the end of every epoch


@dataclass
class TrainingData:
    train: object                 # tf.data of (x, targets), one pass = one epoch
    validation: object            # tf.data of (x, targets)
    batches: int                  # training batches per epoch
    validation_batches: int
    x_train: np.ndarray           # the Fashion-MNIST images trained on (uint8)


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


def _augment_fashion_mnist(config: TrainConfig):
    augmentations = tuple(config.augmentations) if config.augment else ()
    return lambda x, rng: augment_batch(x, augmentations, rng) if augmentations else x


def training_data(config: TrainConfig, dataset, photos: PhotoSet | None = None,
                  own_held_out: PhotoSet | None = None) -> TrainingData:
    """The run's pipelines. `photos`: real photos mixed into every batch (accept masks as
    targets, one-hot for Fashion-MNIST). A fine-tune (own_held_out given) sees its own
    training photos PASSES_PER_EPOCH times an epoch beside a seeded pick of Fashion-MNIST
    images, and validates on its held-out own photos."""
    train_idx, val_idx = split_indices(len(dataset.x_train), config)
    x_tr, y_tr = dataset.x_train[train_idx], dataset.y_train[train_idx]
    if own_held_out is not None:
        per_step = max(1, int(round(config.photo_ratio * config.batch_size)))
        steps = max(MIN_STEPS_PER_EPOCH, math.ceil(len(photos) * PASSES_PER_EPOCH / per_step))
        rng = np.random.default_rng(config.seed)
        pick = np.sort(rng.choice(len(x_tr), size=min(len(x_tr), steps * config.batch_size), replace=False))
        x_tr, y_tr = x_tr[pick], y_tr[pick]
        train = mixed_dataset(x_tr, y_tr, photos, config, _augment_fashion_mnist(config))
        validation = tf.data.Dataset.from_tensor_slices(
            (own_held_out.images, own_held_out.accept.astype("float32"))).batch(VALIDATION_BATCH).map(
            lambda x, y: (tf.cast(x, tf.float32)[..., None] / 255.0, y))
        return TrainingData(train, validation, math.ceil(len(x_tr) / config.batch_size),
                            math.ceil(len(own_held_out) / VALIDATION_BATCH), x_tr)
    if len(val_idx):
        x_val, y_val = dataset.x_train[val_idx], dataset.y_train[val_idx]
    else:
        x_val, y_val = dataset.x_test, dataset.y_test
    if photos is not None:
        train = mixed_dataset(x_tr, y_tr, photos, config, _augment_fashion_mnist(config))
        validation = make_dataset(x_val, y_val, config, training=False).map(lambda x, y: (x, tf.one_hot(y, 10)))
    else:
        def targets(y):
            return tf.one_hot(y, 10) if config.label_smoothing else y

        train = make_dataset(x_tr, y_tr, config, training=True).map(lambda x, y: (x, targets(y)))
        validation = make_dataset(x_val, y_val, config, training=False).map(lambda x, y: (x, targets(y)))
    return TrainingData(train, validation, math.ceil(len(x_tr) / config.batch_size),
                        math.ceil(len(x_val) / config.batch_size), x_tr)
