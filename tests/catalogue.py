"""Fashion-MNIST test images rendered as catalogue photos, for the pipeline round trip.

Fashion-MNIST was made from product photos (garment on white), trimmed, longest edge
resized to 28, centred and negated. Undoing that — negate, enlarge, put on a white page
with a margin — gives the kind of photo the dataset came from; a faithful pipeline must
turn it back into (nearly) the same 28x28 input.

    clean_photo(img28, i)   dark garment on pure white, x10, margin: PNG bytes
    shop_photo(img28, i)    off-white uneven paper, a soft shadow, tilt within ±4°, a
                            colour tint, JPEG: what a careful phone shot of a catalogue gives
"""
from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

SCALE = 10
MARGIN = 40


def _garment(img28: np.ndarray) -> np.ndarray:
    """(280, 280) float in [0, 1]: 1 = white paper, dark where the garment is."""
    big = cv2.resize(img28.astype(np.float32) / 255.0, (28 * SCALE, 28 * SCALE), interpolation=cv2.INTER_CUBIC)
    return 1.0 - np.clip(big, 0, 1)


def clean_photo(img28: np.ndarray, index: int = 0) -> bytes:
    page = np.ones((28 * SCALE + 2 * MARGIN,) * 2, np.float32)
    page[MARGIN:-MARGIN, MARGIN:-MARGIN] = _garment(img28)
    buf = io.BytesIO()
    Image.fromarray((page * 255).round().astype(np.uint8)).convert("RGB").save(buf, "PNG")
    return buf.getvalue()


def shop_photo(img28: np.ndarray, index: int = 0) -> bytes:
    rng = np.random.default_rng(1000 + index)
    side = 28 * SCALE + 2 * MARGIN
    g = _garment(img28)
    # tilt within ±4 degrees about the centre, paper (1.0) outside
    angle = rng.uniform(-4, 4)
    rot = cv2.getRotationMatrix2D((side / 2, side / 2), angle, 1.0)
    page = np.ones((side, side), np.float32)
    page[MARGIN:-MARGIN, MARGIN:-MARGIN] = g
    garment_alpha = 1.0 - page                                 # how much garment covers each pixel
    page = cv2.warpAffine(page, rot, (side, side), flags=cv2.INTER_LINEAR, borderValue=1.0)
    cover = cv2.warpAffine(garment_alpha, rot, (side, side), flags=cv2.INTER_LINEAR, borderValue=0.0)
    # off-white, uneven paper: a gentle gradient and a soft shadow offset from the garment
    yy, xx = np.mgrid[0:side, 0:side].astype(np.float32) / side
    paper = rng.uniform(0.86, 0.94) + 0.05 * (rng.uniform(-1, 1) * xx + rng.uniform(-1, 1) * yy)
    shadow = cv2.GaussianBlur((cover > 0.05).astype(np.float32), (0, 0), 8)
    shadow = np.roll(shadow, (int(rng.integers(4, 10)), int(rng.integers(4, 10))), axis=(0, 1))
    paper = paper * (1 - 0.18 * shadow)
    # garment over paper: the dark garment multiplies the paper's light
    grey = paper * page
    tint = np.array([rng.uniform(0.95, 1.0), rng.uniform(0.95, 1.0), rng.uniform(0.9, 1.0)], np.float32)
    rgb = np.clip(grey[..., None] * tint[None, None, :] + rng.normal(0, 0.01, (side, side, 3)), 0, 1)
    buf = io.BytesIO()
    Image.fromarray((rgb * 255).round().astype(np.uint8)).save(buf, "JPEG", quality=85)
    return buf.getvalue()
