"""Real photo -> the model's 28x28 input, every step kept for display.

Placeholder-free minimal pipeline (decode, orient, crop to the object, centre, negate);
the real-photo work refines the garment segmentation.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000


class PhotoError(ValueError):
    """The file cannot be used as a photo; the message says why, in words."""


@dataclass
class PhotoResult:
    model_input: np.ndarray                      # (28, 28) float32 in [0, 1], white garment on black
    steps: list = field(default_factory=list)     # [(step name, uint8 image)]
    found: bool = True                            # False when no garment could be separated
    note: str = ""


def read_bytes(source) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif hasattr(source, "read"):
        data = source.read()
    else:
        path = os.fspath(source)
        if not os.path.isfile(path):
            raise PhotoError("file not found")
        if os.path.getsize(path) > MAX_FILE_BYTES:
            raise PhotoError(f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
        with open(path, "rb") as f:
            data = f.read()
    if not data:
        raise PhotoError("the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise PhotoError(f"file is larger than {MAX_FILE_BYTES // 2**20} MB")
    return data


def load_image(source) -> Image.Image:
    """Decode any supported image to RGB, upright, first frame only."""
    data = read_bytes(source)
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        img = Image.open(io.BytesIO(data))
        if img.width * img.height > MAX_PIXELS:
            raise PhotoError(f"image is {img.width}x{img.height} pixels, too large to be a photo")
        img.seek(0)
        img.load()
        img = ImageOps.exif_transpose(img)
    except PhotoError:
        raise
    except Image.DecompressionBombError as e:
        raise PhotoError("image is too large (possible decompression bomb)") from e
    except UnidentifiedImageError as e:
        raise PhotoError("not an image file, or a format that is not supported") from e
    except (OSError, SyntaxError, ValueError) as e:
        raise PhotoError(f"the image is damaged or truncated ({e})") from e
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        bg = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(bg, img)
    if img.mode == "I;16" or img.mode == "I":
        arr = np.asarray(img, dtype=np.float64)
        arr = (arr - arr.min()) / max(1.0, arr.max() - arr.min()) * 255
        img = Image.fromarray(arr.astype(np.uint8))
    return img.convert("RGB")


def preprocess(source) -> PhotoResult:
    img = load_image(source)
    img.thumbnail((512, 512))
    grey = np.asarray(img.convert("L"), dtype=np.float32)
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    bg = float(np.median(border))
    diff = np.abs(grey - bg)
    mask = diff > 30
    steps = [("original", np.asarray(img))]
    if mask.sum() < 0.01 * mask.size:
        crop = grey
        found = False
    else:
        ys, xs = np.nonzero(mask)
        crop = grey[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
        found = True
    ink = np.abs(crop - bg)
    h, w = ink.shape
    s = 28 / max(h, w)
    small = np.asarray(Image.fromarray(ink.astype(np.uint8)).resize((max(1, round(w * s)), max(1, round(h * s))), Image.LANCZOS), dtype=np.float32)
    canvas = np.zeros((28, 28), np.float32)
    y0, x0 = (28 - small.shape[0]) // 2, (28 - small.shape[1]) // 2
    canvas[y0:y0 + small.shape[0], x0:x0 + small.shape[1]] = small
    if canvas.max() > 0:
        canvas = canvas / canvas.max()
    steps.append(("model input", (canvas * 255).astype(np.uint8)))
    return PhotoResult(canvas, steps, found, "" if found else "no object stood out from the background")
