"""Real photo -> a Fashion-MNIST-like 28x28 input, with every step kept for display.

Fashion-MNIST was made from product photos on a white background: trimmed to the
garment, longest edge resized to 28 pixels, centred, and negated (garment light on
black). A phone photo is a garment on a bed, a floor or a hanger, so the same recipe
needs one more step: finding the garment. The pipeline, top to bottom:

    1. decode     bytes -> RGB (H, W, 3) uint8, checked: format, size, truncation,
                  decompression bombs; EXIF orientation applied; first frame of an
                  animation; alpha kept as a ready-made garment mask; palette, CMYK,
                  greyscale and 16-bit images converted
    2. downscale  longest edge to DISPLAY_SIZE for display, WORK_SIZE to draw the model
                  input from and SEG_SIZE to search the garment in (28 pixels need no more)
    3. segment    garment vs background: a colour model of the photo's border against
                  its centre seeds OpenCV's GrabCut; thin parts (hanger hooks) are
                  opened away, the largest part kept, holes filled
    4. pairs      two similar, elongated parts side by side (shoes photographed from
                  above) -> keep one and turn it on its side, as Fashion-MNIST shows shoes
    5. crop       to the garment's bounding box
    6. frame      longest edge to 28, centred, background 0, garment negated and its
                  contrast stretched to Fashion-MNIST's intensity distribution

Everything is deterministic: the same bytes give the same 28x28 input.

    result = preprocess("photo.jpg")     # or bytes, or a file-like object
    result.model_input                   # (28, 28) float32 in [0, 1]
    result.steps                         # [(i18n key, uint8 image)] for display
    result.found                         # False when no garment stood out

Errors are `PhotoError`s (fashion/errors.py) whose `key` and `params` name a translated
message (fashion/i18n/photo.py); str(error) is the English text. The steps live in
decode.py (1), segment.py (3, 4) and frame.py (5, 6); this module runs them in order.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from fashion.errors import PhotoError
from fashion.photos.decode import DISPLAY_SIZE, decode, read_bytes
from fashion.photos.frame import FRAME, FrameConfig, frame_affine, garment_intensity, render
from fashion.photos.segment import SEG, SegmentConfig, clean_mask, elongation, find_pair, segment

# --- sizes --------------------------------------------------------------------------------

WORK_SIZE = 200         # longest edge of the image the model input is drawn from (7 pixels per input pixel)
SEG_SIZE = 128          # longest edge of the image the garment is searched in (GrabCut's cost grows with it)

# Bumped whenever a change alters the 28x28 a photo becomes: processed photo caches and the
# shipped arrays (fashion/photoset.py) record it and are rebuilt when it differs.
PIPELINE_VERSION = 4


@dataclass
class PhotoResult:
    """Everything the pipeline made from one photo."""
    model_input: np.ndarray                      # (28, 28) float32 in [0, 1], light garment on black
    steps: list = field(default_factory=list)    # [(i18n key of the step name, uint8 image)]
    found: bool = True                           # False when no garment could be separated
    note: str = ""                               # i18n key saying why found is False ("" otherwise)
    photo: np.ndarray | None = None              # the oriented photo, RGB uint8, longest edge <= DISPLAY_SIZE
    to_canvas: np.ndarray | None = None          # 2x3 affine: `photo` pixel coords -> 28x28 canvas coords
    mask_fraction: float = 0.0                   # share of the photo the garment covers
    pair: bool = False                           # a pair (of shoes) was reduced to one
    aspect: float = 1.0                          # garment height / width, as framed in the model input
    mask: np.ndarray | None = None               # garment mask (uint8 0/1) at the working size

    def heat_on_photo(self, heat28: np.ndarray) -> np.ndarray:
        """A (28, 28) map over the model input carried back onto `photo` (same H, W; float32)."""
        h, w = self.photo.shape[:2]
        return cv2.warpAffine(np.asarray(heat28, np.float32), self.to_canvas, (w, h),
                              flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=0)


# --- 2. downscale ---------------------------------------------------------------------------

def _resize_longest(a: np.ndarray, size: int, interpolation=cv2.INTER_AREA) -> np.ndarray:
    h, w = a.shape[:2]
    s = size / max(h, w)
    if s >= 1:
        return a
    return cv2.resize(a, (max(1, round(w * s)), max(1, round(h * s))), interpolation=interpolation)


# --- crop and overlay -------------------------------------------------------------------------

def _bbox(mask: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def _overlay(photo: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The photo with the background dimmed and the garment's outline drawn."""
    m = cv2.resize(mask.astype(np.uint8), (photo.shape[1], photo.shape[0]), interpolation=cv2.INTER_NEAREST)
    out = (photo.astype(np.float32) * 0.25 + 40).astype(np.uint8)
    out[m > 0] = photo[m > 0]
    contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(out, contours, -1, (255, 64, 64), max(1, photo.shape[1] // 150))
    return out


# --- the pipeline ---------------------------------------------------------------------------

def preprocess(source, seg: SegmentConfig = SEG, frame: FrameConfig = FRAME) -> PhotoResult:
    """Any image (path, bytes, file-like) -> PhotoResult. Raises PhotoError for unusable files."""
    stored, upright, alpha = decode(read_bytes(source))

    # 2. downscale: a display copy, a working copy and a small copy to search the garment in
    photo = _resize_longest(upright, DISPLAY_SIZE)
    work = _resize_longest(photo, WORK_SIZE)
    small = _resize_longest(work, SEG_SIZE)
    wh, ww = work.shape[:2]
    sh, sw = small.shape[:2]
    if float(small.astype(np.float32).std()) < 2.0 and (alpha is None or alpha.min() > 250):
        raise PhotoError("photo.error.blank")

    # 3. segment: alpha is a ready-made mask; otherwise look for the garment
    if alpha is not None:
        a = cv2.resize(alpha, (sw, sh), interpolation=cv2.INTER_AREA)
        mask, parts = clean_mask(a >= 128, seg)
        found = bool(mask.any()) and 0.003 <= mask.mean() <= 0.995
        background = a < 128
    else:
        mask, parts, found, background = segment(small, seg)
    note = "" if found else "photo.reason.no_garment"
    if not found or not mask.any():
        mask = np.ones((sh, sw), np.uint8)               # no garment: frame the whole photo
        parts = [mask]

    # 4. pairs: one shoe, on its side
    angle, pair = 0.0, False
    single = find_pair(parts, background) if found else None
    if single is not None:
        mask, pair = single, True
        angle = elongation(single)[1]                    # rotate the long axis to horizontal
    mask = (cv2.resize(mask.astype(np.float32), (ww, wh), interpolation=cv2.INTER_LINEAR) > 0.5).astype(np.uint8)
    if not mask.any():
        mask[:] = 1

    # 5. crop to the garment, 6. frame it like Fashion-MNIST
    box = _bbox(mask)
    intensity = garment_intensity(work, mask, frame)        # with the garment's faint rim (see FrameConfig)
    ink = (intensity > frame.ink) if frame.ink > 0 else mask.astype(bool)
    to_canvas_work = frame_affine(ink.astype(np.uint8) if ink.any() else mask, angle)
    model_input = render(intensity, to_canvas_work, frame)

    # map photo (display) coords -> canvas coords, for heat maps over the photo
    scale = ww / photo.shape[1]
    to_canvas = to_canvas_work.copy()
    to_canvas[:, :2] *= scale

    x, y, bw, bh = box
    sx = photo.shape[1] / ww
    crop = photo[int(y * sx):int(np.ceil((y + bh) * sx)), int(x * sx):int(np.ceil((x + bw) * sx))]
    ys, xs = np.nonzero(model_input > 20 / 255)
    aspect = float((np.ptp(ys) + 1) / (np.ptp(xs) + 1)) if ys.size else 1.0
    steps = [
        ("photo.step.original", _resize_longest(stored, DISPLAY_SIZE)),
        ("photo.step.oriented", photo),
        ("photo.step.mask", _overlay(photo, mask)),
        ("photo.step.crop", crop if crop.size else photo),
        ("photo.step.input", (model_input * 255).round().astype(np.uint8)),
    ]
    return PhotoResult(model_input=model_input, steps=steps, found=found, note=note, photo=photo,
                       to_canvas=to_canvas, mask_fraction=float(mask.mean()), pair=pair, aspect=aspect,
                       mask=mask)
