"""Pictures for the browser: the one way to enlarge a 28x28 image, Fashion-MNIST images
dark on white, grids of feature maps, and the one Grad-CAM overlay with its one colour map.

Plain NumPy in, uint8 arrays out (ready for st.image); nothing here draws."""
from __future__ import annotations

import cv2
import numpy as np


def enlarge(image: np.ndarray, scale: int = 8) -> np.ndarray:
    """An (H, W[, C]) image (uint8, or float in [0, 1]) as uint8, each pixel a scale x scale
    block (nearest neighbour), so the browser shows 28x28 pixels crisp instead of blurring them."""
    a = np.asarray(image)
    if a.dtype != np.uint8:
        a = (np.clip(a, 0, 1) * 255).round().astype(np.uint8)
    return np.repeat(np.repeat(a, scale, axis=0), scale, axis=1)


def to_display(image: np.ndarray, scale: int = 3) -> np.ndarray:
    """A uint8 (28, 28) Fashion-MNIST image as a dark garment on white (seed 000's
    cmap=binary), enlarged."""
    return enlarge(255 - np.asarray(image, dtype=np.uint8), scale)


def _scale_each(maps: np.ndarray) -> np.ndarray:
    """(C, H, W) -> each map scaled to [0, 1] on its own (flat maps become 0)."""
    lo = maps.min(axis=(1, 2), keepdims=True)
    hi = maps.max(axis=(1, 2), keepdims=True)
    span = np.where(hi - lo > 1e-12, hi - lo, 1.0)
    return np.where(hi - lo > 1e-12, (maps - lo) / span, 0.0)


def tile(maps: np.ndarray, columns: int | None = None, scale: int = 4, gap: int = 1) -> np.ndarray:
    """(C, H, W) maps -> one grey uint8 grid image, each map scaled to its own range and
    enlarged `scale` times, with a `gap`-pixel white border between."""
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3 or maps.shape[0] == 0:
        return np.zeros((1, 1), np.uint8)
    c, h, w = maps.shape
    columns = columns or int(np.ceil(np.sqrt(c)))
    rows = int(np.ceil(c / columns))
    cells = (_scale_each(maps) * 255).round().astype(np.uint8)
    ch, cw = h * scale, w * scale
    grid = np.full((rows * (ch + gap) + gap, columns * (cw + gap) + gap), 255, np.uint8)
    for i in range(c):
        r, k = divmod(i, columns)
        top, left = gap + r * (ch + gap), gap + k * (cw + gap)
        grid[top:top + ch, left:left + cw] = enlarge(cells[i], scale)
    return grid


# The one colour map of heat: anchors of matplotlib's perceptual 'inferno', interpolated in NumPy.
_INFERNO = np.array([[0, 0, 4], [40, 11, 84], [101, 21, 110], [159, 42, 99], [212, 72, 66],
                     [245, 125, 21], [250, 193, 39], [252, 255, 164]], np.float32)


def colorize(values: np.ndarray) -> np.ndarray:
    """Values in [0, 1] -> uint8 RGB with the inferno colour map (dark = 0, yellow = 1)."""
    v = np.clip(np.asarray(values, np.float32), 0, 1) * (len(_INFERNO) - 1)
    lo = np.floor(v).astype(int)
    hi = np.minimum(lo + 1, len(_INFERNO) - 1)
    frac = (v - lo)[..., None]
    return (_INFERNO[lo] * (1 - frac) + _INFERNO[hi] * frac).round().astype(np.uint8)


def _rgb(image: np.ndarray) -> np.ndarray:
    """A grey or RGB image (uint8, or float in [0, 1]) as float32 (H, W, 3) in 0-255."""
    a = np.asarray(image)
    a = a.astype(np.float32) if a.dtype == np.uint8 else np.clip(a.astype(np.float32), 0, 1) * 255.0
    if a.ndim == 3 and a.shape[-1] == 1:
        a = a[..., 0]
    return np.repeat(a[..., None], 3, axis=-1) if a.ndim == 2 else a


def overlay(image: np.ndarray, heat: np.ndarray, alpha: float = 0.75, scale: int = 1) -> np.ndarray:
    """A heat map in [0, 1] (a Grad-CAM map; resized to the image when their sizes differ)
    laid over a grey or RGB image (uint8, or float in [0, 1]), enlarged `scale` times, as
    uint8 RGB: the hotter a place, the more of the colour map shows (up to `alpha`)."""
    img = _rgb(image)
    heat = np.clip(np.asarray(heat, np.float32), 0, 1)
    if heat.shape != img.shape[:2]:
        heat = cv2.resize(heat, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_LINEAR)
    weight = (alpha * np.sqrt(heat))[..., None]
    mixed = (1 - weight) * img + weight * colorize(heat).astype(np.float32)
    return enlarge(mixed.round().astype(np.uint8), scale)
