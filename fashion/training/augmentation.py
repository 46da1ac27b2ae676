"""Data augmentation with TensorFlow ops, for Fashion-MNIST batches and for phone photos:
the same random transforms (flip, shift, rotate, zoom, contrast, blur, erase), chosen by
name, so the Train page, the trainer and the photo mix agree on what each one does."""
from __future__ import annotations

from fashion.backend import tf

AUGMENTATIONS = ("shift", "flip", "rotate", "zoom", "erase", "contrast", "blur")


def augment_batch(x, augmentations, seed):
    """Random augmentation of a float batch (B, 28, 28, 1) in [0, 1], with TF ops."""
    rng = tf.random.Generator.from_seed(seed) if isinstance(seed, int) else seed
    b = tf.shape(x)[0]
    if "flip" in augmentations:
        flip = rng.uniform([b, 1, 1, 1]) < 0.5
        x = tf.where(flip, tf.reverse(x, axis=[2]), x)
    if "shift" in augmentations:  # random crop of a 2-pixel zero padding
        padded = tf.pad(x, [[0, 0], [2, 2], [2, 2], [0, 0]])
        offsets = rng.uniform([b, 2], 0, 5, dtype=tf.int32)
        rows = offsets[:, 0:1] + tf.range(28)[None, :]
        cols = offsets[:, 1:2] + tf.range(28)[None, :]
        x = tf.gather(padded, rows, axis=1, batch_dims=1)
        x = tf.gather(x, cols, axis=2, batch_dims=1)
    if "rotate" in augmentations or "zoom" in augmentations:
        angle = rng.uniform([b], -0.17, 0.17) if "rotate" in augmentations else tf.zeros([b])
        scale = rng.uniform([b], 0.9, 1.1) if "zoom" in augmentations else tf.ones([b])
        cos, sin = tf.cos(angle) / scale, tf.sin(angle) / scale
        c = 13.5
        transforms = tf.stack([cos, -sin, c - c * cos + c * sin, sin, cos, c - c * sin - c * cos,
                               tf.zeros([b]), tf.zeros([b])], axis=1)
        x = tf.raw_ops.ImageProjectiveTransformV3(images=x, transforms=transforms, output_shape=[28, 28],
                                                  fill_value=0.0, interpolation="BILINEAR", fill_mode="CONSTANT")
    if "contrast" in augmentations:
        factor = rng.uniform([b, 1, 1, 1], 0.6, 1.4)
        mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
        x = tf.clip_by_value((x - mean) * factor + mean, 0.0, 1.0)
    if "blur" in augmentations:  # soften half the images by a random amount: every photo
        # pipeline resamples, and a network that only saw Fashion-MNIST's crisp pixels loses
        # points to the slightest smoothing (tests/test_photo_roundtrip.py)
        k = tf.constant([[1, 2, 1], [2, 4, 2], [1, 2, 1]], tf.float32)[..., None, None] / 16.0
        blurred = tf.nn.conv2d(x, k, strides=1, padding="SAME")
        amount = rng.uniform([b, 1, 1, 1]) * tf.cast(rng.uniform([b, 1, 1, 1]) < 0.5, tf.float32)
        x = x + amount * (blurred - x)
    if "erase" in augmentations:  # random erasing: one rectangle per image, half the time
        h = rng.uniform([b], 4, 15, dtype=tf.int32)
        w = rng.uniform([b], 4, 15, dtype=tf.int32)
        y0 = rng.uniform([b], 0, 28, dtype=tf.int32) - h // 2
        x0 = rng.uniform([b], 0, 28, dtype=tf.int32) - w // 2
        r = tf.range(28)[None, :]
        in_rows = (r >= y0[:, None]) & (r < (y0 + h)[:, None])
        in_cols = (r >= x0[:, None]) & (r < (x0 + w)[:, None])
        box = in_rows[:, :, None] & in_cols[:, None, :]
        box &= (rng.uniform([b]) < 0.5)[:, None, None]
        noise = rng.uniform([b, 28, 28])
        x = tf.where(box[..., None], noise[..., None], x)
    return x


PHOTO_AUGMENTATIONS = ("flip", "shift", "rotate", "zoom", "contrast", "blur", "erase")


def augment_photos(x, rng):
    """Real-photo augmentation of a float batch (B, 28, 28, 1) in [0, 1]: exposure and gamma
    of the garment (the background stays black), then the geometric and texture changes of
    augment_batch."""
    b = tf.shape(x)[0]
    gain = rng.uniform([b, 1, 1, 1], 0.75, 1.25)
    gamma = tf.exp(rng.uniform([b, 1, 1, 1], -0.35, 0.35))
    x = tf.clip_by_value(tf.pow(tf.maximum(x, 1e-6), gamma) * gain, 0.0, 1.0) * tf.cast(x > 0, tf.float32)
    return augment_batch(x, PHOTO_AUGMENTATIONS, rng)
