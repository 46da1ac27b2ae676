"""Steps 5 and 6 of the photo pipeline: the cropped garment framed like Fashion-MNIST, its
longest edge 28 pixels, centred, negated (garment light on black) and its contrast
stretched to Fashion-MNIST's intensity distribution (see FrameConfig).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SIDE = 28               # Fashion-MNIST

@dataclass
class FrameConfig:
    """How the cropped garment becomes a Fashion-MNIST-like 28x28 image.

    Intensity: Fashion-MNIST negated product photos on white, so a dark garment is bright
    and a white one dim; its garment pixels sit mostly between 60 and 230 (median ~170)
    and the brightest pixel is 255. We negate the photo's lightness inside the mask and
    stretch its 2nd..99th percentiles to [floor, 1], which lands on the same distribution.

    Shape: the longest edge becomes 28 pixels, centred, as in Fashion-MNIST, and nothing
    else: no class-specific squeeze or stretch. A Fashion-MNIST image rendered as a
    catalogue photo comes back as (nearly) the same image (tests/test_photo_roundtrip.py);
    that flat-lay photos are wider than product shots is for the network to learn from
    real photos (fashion/photoset.py), not for the geometry to guess.

    The background's own level is the zero of the stretch (never below it): a garment on
    white paper keeps Fashion-MNIST's intensities instead of being pushed to full contrast.
    And Fashion-MNIST was trimmed to its non-white pixels, faint edges included, which a
    segmentation tends to leave out: so the intensity is taken a `rim` beyond the mask (the
    background there maps to about 0) and the frame is fitted to the pixels brighter than
    `ink`. Without this, garments came out ~4 % too large and 1 point less recognisable.
    """
    floor: float = 0.0            # darkest garment pixel after stretching (Fashion-MNIST garments are rarely black)
    low_pct: float = 2.0          # percentile of garment intensity mapped to `floor`
    high_pct: float = 99.0        # percentile mapped to 1.0
    relative: bool = False        # intensity = distance from the background's lightness, not plain negation
    sharpen: float = 0.0          # unsharp-mask amount after resizing
    background_floor: bool = True  # never stretch below the background's own level (see above)
    rim: int = 4                  # work-image pixels added around the mask (its faint edge, see above)
    ink: float = 0.06             # frame the pixels brighter than this (0: frame the mask)


FRAME = FrameConfig()


def garment_intensity(work: np.ndarray, mask: np.ndarray, cfg: FrameConfig = FRAME) -> np.ndarray:
    """(H, W) float32 in [0, 1]: the negated photo inside the mask, stretched; 0 outside.
    On a backdrop lighter than the garment, also a `rim` around the mask (its faint edge;
    the backdrop there maps to about 0). On a darker backdrop the rim would be bright, so
    it is left out."""
    grey = cv2.cvtColor(work, cv2.COLOR_RGB2GRAY).astype(np.float32)
    inside = mask.astype(bool)
    outside = ~inside
    if cfg.relative and outside.any():
        bg = float(np.median(grey[outside]))
        v = np.abs(grey - bg)
    else:
        v = 255.0 - grey
    vals = v[inside]
    if vals.size == 0:
        return np.zeros_like(grey)
    lo, hi = np.percentile(vals, [cfg.low_pct, cfg.high_pct])
    keep = inside
    if outside.any():
        backdrop = float(np.median(v[outside]))
        if cfg.background_floor:
            lo = min(lo, backdrop)                            # the background's level is zero, as in Fashion-MNIST
        if cfg.rim and backdrop < float(np.median(vals)):
            size = 2 * cfg.rim + 1
            keep = cv2.dilate(mask.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))) > 0
    s = np.clip((v - lo) / max(hi - lo, 1.0), 0, 1)
    out = cfg.floor + (1 - cfg.floor) * s
    return np.where(keep, out, 0).astype(np.float32)


def frame_affine(mask: np.ndarray, angle: float = 0.0) -> np.ndarray:
    """2x3 affine taking work-image coords to 28x28 canvas coords: rotate the garment by
    `angle` degrees about its centre, scale its longest edge to 28 and centre it."""
    ys, xs = np.nonzero(mask)
    pts = np.stack([xs, ys], axis=1).astype(np.float64)
    cx, cy = (xs.min() + xs.max() + 1) / 2, (ys.min() + ys.max() + 1) / 2
    rot = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    r = pts @ rot[:, :2].T + rot[:, 2]
    lo, hi = r.min(axis=0), r.max(axis=0) + 1             # pixel extents after rotation
    s = SIDE / max(float((hi - lo).max()), 1.0)
    centre = (lo + hi) / 2
    m = rot * s
    m[:, 2] += SIDE / 2 - s * centre
    return m


def render(intensity: np.ndarray, to_canvas: np.ndarray, cfg: FrameConfig = FRAME) -> np.ndarray:
    """The 28x28 canvas: warp at 4x with bilinear sampling, then average down (anti-aliased)."""
    up = to_canvas * 4
    big = cv2.warpAffine(intensity, up, (4 * SIDE, 4 * SIDE), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    small = cv2.resize(big, (SIDE, SIDE), interpolation=cv2.INTER_AREA)
    if cfg.sharpen > 0:
        blur = cv2.GaussianBlur(small, (0, 0), 1.0)
        small = small + cfg.sharpen * (small - blur)
    small = np.clip(small, 0, None)
    top = float(small.max())
    if top > 0:
        small = small / top                               # Fashion-MNIST: the brightest pixel is 255
    return small.astype(np.float32)
