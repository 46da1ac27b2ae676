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

Errors are `PhotoError`s whose `key` and `params` name a translated message
(fashion/i18n/photo.py); str(error) is the English text.
"""
from __future__ import annotations

import io
import os
import re
import warnings
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from fashion.i18n import t

try:  # HEIC/HEIF photos from iPhones
    import pillow_heif
    pillow_heif.register_heif_opener()
except Exception:  # pragma: no cover - optional
    pillow_heif = None

# --- limits -------------------------------------------------------------------------------

MAX_FILE_BYTES = 40 * 1024 * 1024       # the largest phone JPEGs are ~30 MB
MAX_PIXELS_JPEG = 120_000_000           # JPEGs are decoded at 1/2..1/8 scale (draft mode)
MAX_PIXELS_OTHER = 50_000_000           # other formats are decoded in full
MAX_SIDE = 30_000
MAX_ASPECT = 12.0                       # width/height (or height/width) beyond this is no photo
MIN_SIDE = 16
FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "BMP", "GIF", "HEIF", "AVIF", "TIFF")
ACCEPTED_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "bmp", "gif", "heic", "heif", "tif", "tiff")

# --- sizes --------------------------------------------------------------------------------

DISPLAY_SIZE = 384      # longest edge of the photos kept for display
WORK_SIZE = 200         # longest edge of the image the model input is drawn from (7 pixels per input pixel)
SEG_SIZE = 128          # longest edge of the image the garment is searched in (GrabCut's cost grows with it)
SIDE = 28               # Fashion-MNIST

# Bumped whenever a change alters the 28x28 a photo becomes: processed photo caches and the
# shipped arrays (fashion/photoset.py) record it and are rebuilt when it differs.
PIPELINE_VERSION = 4


class PhotoError(ValueError):
    """The file cannot be used as a photo. `key`/`params` name the translated message."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(t(key, "en", **params))

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.params)


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


# --- 1. decode ------------------------------------------------------------------------------

def read_bytes(source) -> bytes:
    """The file's bytes from a path, bytes, or a file-like object (an upload)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read(MAX_FILE_BYTES + 1)
    else:
        path = os.fspath(source)
        try:
            size = os.path.getsize(path)
            if os.path.isdir(path):
                raise PhotoError("photo.error.is_directory")
            if size > MAX_FILE_BYTES:
                raise PhotoError("photo.error.file_too_big", mb=size // 2**20, limit=MAX_FILE_BYTES // 2**20)
            with open(path, "rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
        except PhotoError:
            raise
        except IsADirectoryError:
            raise PhotoError("photo.error.is_directory") from None
        except (FileNotFoundError, NotADirectoryError):
            raise PhotoError("photo.error.missing") from None
        except PermissionError:
            raise PhotoError("photo.error.no_permission") from None
        except (OSError, ValueError) as e:   # an I/O error, a name the system refuses
            raise PhotoError("photo.error.read_failed", reason=getattr(e, "strerror", None) or type(e).__name__) from None
    if not data:
        raise PhotoError("photo.error.empty")
    if len(data) > MAX_FILE_BYTES:
        raise PhotoError("photo.error.file_too_big", mb=len(data) // 2**20, limit=MAX_FILE_BYTES // 2**20)
    return data


def _formats() -> tuple[str, ...]:
    Image.init()
    return tuple(f for f in FORMATS if f in Image.OPEN)


HIGH_DEPTH_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I;16S", "I;16BS", "I;16LS", "I", "I;32", "I;32B", "F")


def _high_depth_to_grey(img: Image.Image) -> Image.Image:
    """A 16-bit, 32-bit or float greyscale image as 8-bit 'L' (Pillow cannot resize most
    of these modes). 16-bit scales by 1/257; 32-bit and float stretch their 0.5..99.5 %
    range, since their scale is anyone's guess."""
    a = np.asarray(img)
    if a.dtype.byteorder not in ("=", "|"):
        a = a.astype(a.dtype.newbyteorder("="))
    a = a.astype(np.float32)
    if img.mode.startswith("I;16"):
        a = a / 257.0
    else:
        finite = a[np.isfinite(a)]
        lo, hi = np.percentile(finite, [0.5, 99.5]) if finite.size else (0.0, 1.0)
        a = (np.nan_to_num(a, nan=lo, posinf=hi, neginf=lo) - lo) / max(float(hi - lo), 1e-9) * 255.0
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def _to_rgb_and_alpha(img: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """(H, W, 3) uint8 RGB and an (H, W) uint8 alpha (None when fully opaque)."""
    mode = img.mode
    alpha = None
    if mode in HIGH_DEPTH_MODES:
        grey = np.asarray(_high_depth_to_grey(img))
        return np.repeat(grey[..., None], 3, axis=2), None
    if mode == "P" and "transparency" in img.info or mode in ("PA", "LA", "RGBA", "La", "RGBa"):
        img = img.convert("RGBA")
        arr = np.asarray(img)
        a = arr[..., 3]
        if a.min() < 250:
            alpha = np.ascontiguousarray(a)
        return np.ascontiguousarray(arr[..., :3]), alpha
    if mode != "RGB":
        img = img.convert("RGB")                          # L, 1, P, CMYK, YCbCr, LAB, HSV
    return np.asarray(img), alpha


def decode(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """bytes -> (as stored RGB, upright RGB, upright alpha or None), longest edge <= DISPLAY_SIZE.

    Raises PhotoError with a message that says what is wrong."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                   # DecompressionBombWarning: we check ourselves
        try:
            img = Image.open(io.BytesIO(data), formats=_formats())
        except Image.DecompressionBombError as e:   # Pillow's own guard, beyond ~179 million pixels
            n = re.search(r"\((\d+) pixels\)", str(e))
            raise PhotoError("photo.error.bomb", size=f"{int(n.group(1)):,}" if n else "?") from None
        except Exception:
            if data[:8] == b"\x89PNG\r\n\x1a\n" or data[:3] == b"\xff\xd8\xff" or data[:4] == b"RIFF":
                raise PhotoError("photo.error.damaged") from None
            raise PhotoError("photo.error.not_image") from None
        w, h = img.size
        fmt = img.format or ""
        limit = MAX_PIXELS_JPEG if fmt in ("JPEG", "MPO") else MAX_PIXELS_OTHER
        if w * h > limit or max(w, h) > MAX_SIDE:
            raise PhotoError("photo.error.bomb", size=f"{w}x{h}")
        if min(w, h) < MIN_SIDE:
            raise PhotoError("photo.error.too_small", w=w, h=h, min=MIN_SIDE)
        if max(w, h) / min(w, h) > MAX_ASPECT:
            raise PhotoError("photo.error.aspect", w=w, h=h)
        try:
            if getattr(img, "n_frames", 1) > 1:
                img.seek(0)                               # animated: the first frame
            if fmt in ("JPEG", "MPO"):
                img.draft(img.mode if img.mode in ("RGB", "L") else None, (DISPLAY_SIZE, DISPLAY_SIZE))
            img.load()
            exif_orientation = img.getexif().get(0x0112, 1)
        except PhotoError:
            raise
        except Image.DecompressionBombError:
            raise PhotoError("photo.error.bomb", size=f"{w}x{h}") from None
        except Exception:
            raise PhotoError("photo.error.damaged") from None
    if img.mode in HIGH_DEPTH_MODES:
        try:
            img = _high_depth_to_grey(img)                # before any resize: Pillow resizes few of these modes
        except (ValueError, TypeError, MemoryError):
            raise PhotoError("photo.error.damaged") from None
    if max(img.size) > DISPLAY_SIZE:
        if img.mode in ("P", "1"):
            img = img.convert("RGBA" if "transparency" in img.info else "RGB")
        img = img.copy()
        img.thumbnail((DISPLAY_SIZE, DISPLAY_SIZE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    stored, stored_alpha = _to_rgb_and_alpha(img)
    upright = Image.fromarray(stored)
    alpha_img = Image.fromarray(stored_alpha) if stored_alpha is not None else None
    if exif_orientation in range(2, 9):
        transpose = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                     4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
                     6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
                     8: Image.Transpose.ROTATE_90}[exif_orientation]
        upright = upright.transpose(transpose)
        if alpha_img is not None:
            alpha_img = alpha_img.transpose(transpose)
    return stored, np.asarray(upright), (np.asarray(alpha_img) if alpha_img is not None else None)


def load_image(source) -> Image.Image:
    """Decode any supported image to an upright RGB PIL image (first frame only)."""
    _, upright, _ = decode(read_bytes(source))
    return Image.fromarray(upright)


def _resize_longest(a: np.ndarray, size: int, interpolation=cv2.INTER_AREA) -> np.ndarray:
    h, w = a.shape[:2]
    s = size / max(h, w)
    if s >= 1:
        return a
    return cv2.resize(a, (max(1, round(w * s)), max(1, round(h * s))), interpolation=interpolation)


# --- 3. segment -------------------------------------------------------------------------------

@dataclass
class SegmentConfig:
    border: float = 0.06          # width of the border band that models the background (share of the short side)
    centre: float = 0.5           # side of the central box that models the garment (share)
    bins: int = 12                # colour histogram bins per Lab channel
    iterations: int = 4           # GrabCut iterations
    open_frac: float = 0.025      # opening kernel (share of the long side): removes hanger hooks and threads
    keep_frac: float = 0.25       # extra parts kept when at least this share of the largest one
    plain_spread: float = 3.0     # a border whose Lab colour varies less than this is a plain backdrop
    plain_delta: float = 10.0     # on a plain backdrop, the garment is every pixel this far from its colour


SEG = SegmentConfig()


def _lab_bins(lab: np.ndarray, bins: int) -> np.ndarray:
    q = (lab.astype(np.int32) * bins) // 256
    return (q[..., 0] * bins + q[..., 1]) * bins + q[..., 2]


def colour_foreground_probability(work: np.ndarray, cfg: SegmentConfig = SEG) -> np.ndarray:
    """(H, W) float32: how much more often each pixel's colour occurs in the photo's centre
    than in its border band, hc / (hc + hb). Backgrounds reach the border; garments sit in
    the middle. A colour never seen in either gets 0.5."""
    h, w = work.shape[:2]
    lab = cv2.cvtColor(cv2.GaussianBlur(work, (5, 5), 0), cv2.COLOR_RGB2LAB)
    idx = _lab_bins(lab, cfg.bins)
    b = max(2, int(round(cfg.border * min(h, w))))
    border = np.zeros((h, w), bool)
    border[:b], border[-b:], border[:, :b], border[:, -b:] = True, True, True, True
    cy0, cy1 = int(h * (1 - cfg.centre) / 2), int(h * (1 + cfg.centre) / 2)
    cx0, cx1 = int(w * (1 - cfg.centre) / 2), int(w * (1 + cfg.centre) / 2)
    centre = np.zeros((h, w), bool)
    centre[cy0:cy1, cx0:cx1] = True
    n = cfg.bins ** 3
    hb = np.bincount(idx[border], minlength=n).astype(np.float32)
    hc = np.bincount(idx[centre], minlength=n).astype(np.float32)
    hb /= max(hb.sum(), 1)
    hc /= max(hc.sum(), 1)
    p = (hc + 1e-4) / (hc + hb + 2e-4)
    prob = p[idx]
    return cv2.GaussianBlur(prob.astype(np.float32), (0, 0), max(1.0, min(h, w) / 100))


def _fill_holes(mask: np.ndarray) -> np.ndarray:
    h, w = mask.shape
    padded = np.zeros((h + 2, w + 2), np.uint8)
    padded[1:-1, 1:-1] = mask
    flood = padded.copy()
    cv2.floodFill(flood, np.zeros((h + 4, w + 4), np.uint8), (0, 0), 1)
    holes = flood[1:-1, 1:-1] == 0
    return (mask.astype(bool) | holes).astype(np.uint8)


def clean_mask(fg: np.ndarray, cfg: SegmentConfig = SEG) -> tuple[np.ndarray, list[np.ndarray]]:
    """Open away thin parts, keep the largest part (and any others nearly as large), fill holes.
    Returns the mask (uint8 0/1) and the kept parts, largest first."""
    h, w = fg.shape
    k = max(3, int(round(cfg.open_frac * max(h, w))) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    m = cv2.morphologyEx(fg.astype(np.uint8), cv2.MORPH_OPEN, kernel)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    if n <= 1:
        return np.zeros_like(m), []
    areas = stats[1:, cv2.CC_STAT_AREA]
    order = np.argsort(-areas, kind="stable")
    largest = areas[order[0]]
    parts = [(labels == (i + 1)).astype(np.uint8) for i in order if areas[i] >= cfg.keep_frac * largest][:3]
    mask = np.zeros_like(m)
    for p in parts:
        mask |= p
    return _fill_holes(mask), [_fill_holes(p) for p in parts]


def grabcut(work: np.ndarray, init: np.ndarray, iterations: int) -> np.ndarray | None:
    """GrabCut from an initial label mask (cv2.GC_*); (H, W) bool, or None if it cannot run."""
    fg_seeds = int(np.count_nonzero(init & 1))            # GC_FGD = 1, GC_PR_FGD = 3
    bg_seeds = init.size - fg_seeds
    if fg_seeds < 20 or bg_seeds < 20:
        return None
    mask = init.copy()
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.setRNGSeed(12345)                     # GrabCut's GMMs start from k-means: keep it deterministic
    try:
        cv2.grabCut(cv2.cvtColor(work, cv2.COLOR_RGB2BGR), mask, None, bgd, fgd, iterations, cv2.GC_INIT_WITH_MASK)
    except cv2.error:
        return None
    return (mask & 1).astype(bool)


def segment(work: np.ndarray, cfg: SegmentConfig = SEG) -> tuple[np.ndarray, list[np.ndarray], bool, np.ndarray]:
    """Garment mask of a photo (H, W, 3 uint8) -> (mask uint8 0/1, parts, found, background),
    where background (H, W bool) marks the colours of the photo's border."""
    h, w = work.shape[:2]
    plain = plain_backdrop(work, cfg)
    if plain is not None:
        return plain
    prob = colour_foreground_probability(work, cfg)
    b = max(2, int(round(0.02 * min(h, w))))
    init = np.full((h, w), cv2.GC_PR_BGD, np.uint8)
    init[prob > 0.5] = cv2.GC_PR_FGD
    edge = np.zeros((h, w), bool)
    edge[:b], edge[-b:], edge[:, :b], edge[:, -b:] = True, True, True, True
    init[edge & (prob < 0.5)] = cv2.GC_BGD
    fg = grabcut(work, init, cfg.iterations)
    if fg is None or not _plausible(fg):
        # no colour contrast between border and centre: fall back to GrabCut's own rectangle start
        init = np.full((h, w), cv2.GC_PR_FGD, np.uint8)
        init[edge] = cv2.GC_BGD
        fg = grabcut(work, init, cfg.iterations)
    if fg is None or not _plausible(fg):
        return np.zeros((h, w), np.uint8), [], False, prob < 0.5
    mask, parts = clean_mask(fg, cfg)
    return mask, parts, _plausible(mask), prob < 0.5


def plain_backdrop(work: np.ndarray, cfg: SegmentConfig = SEG):
    """segment() for a product shot on a plain backdrop (a white page, a studio wall), the
    kind of photo Fashion-MNIST was made from, or None for any other photo. There the
    garment is simply every pixel whose colour differs from the backdrop's, thin straps,
    handles and faint edges included (GrabCut and the opening would trim them); specks
    are dropped and holes filled."""
    h, w = work.shape[:2]
    lab = cv2.cvtColor(cv2.GaussianBlur(work, (3, 3), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
    b = max(2, int(round(0.02 * min(h, w))))
    border = np.concatenate([lab[:b].reshape(-1, 3), lab[-b:].reshape(-1, 3),
                             lab[:, :b].reshape(-1, 3), lab[:, -b:].reshape(-1, 3)])
    if float(border.std(axis=0).max()) > cfg.plain_spread:
        return None
    backdrop = np.median(border, axis=0)
    fg = (np.linalg.norm(lab - backdrop, axis=2) > cfg.plain_delta).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(fg, connectivity=8)
    if n <= 1:
        return None
    areas = stats[1:, cv2.CC_STAT_AREA]
    order = np.argsort(-areas, kind="stable")
    keep = [i for i in order if areas[i] >= max(0.002 * h * w, 0.02 * areas[order[0]])]
    mask = np.isin(labels, np.array(keep) + 1).astype(np.uint8)
    if not _plausible(mask):
        return None
    parts = [_fill_holes((labels == i + 1).astype(np.uint8)) for i in keep[:3]]
    return _fill_holes(mask), parts, True, fg == 0


def _plausible(mask: np.ndarray) -> bool:
    """A garment covers between 3 % and 97 % of the photo and does not run along most of its border."""
    frac = float(mask.mean())
    if not 0.03 <= frac <= 0.97:
        return False
    border = np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]])
    return float(border.mean()) < 0.75


# --- 4. pairs (shoes from above) -----------------------------------------------------------

def _elongation(part: np.ndarray) -> tuple[float, float]:
    """(long/short axis ratio, angle of the long axis in degrees) from second moments."""
    m = cv2.moments(part, binaryImage=True)
    if m["m00"] == 0:
        return 1.0, 0.0
    a, b, c = m["mu20"] / m["m00"], m["mu11"] / m["m00"], m["mu02"] / m["m00"]
    common = np.sqrt(4 * b * b + (a - c) ** 2)
    l1, l2 = (a + c + common) / 2, (a + c - common) / 2
    angle = 0.5 * np.degrees(np.arctan2(2 * b, a - c))
    return float(np.sqrt(l1 / max(l2, 1e-9))), float(angle)


def find_pair(parts: list[np.ndarray], background: np.ndarray | None = None) -> np.ndarray | None:
    """Two similar, elongated, parallel parts (a pair of shoes) -> the larger one, else None.

    `background` (H, W bool), where known, is where the photo looks like its background:
    the gap between two shoes is floor, while the gap between two stripes of one sweater
    (which GrabCut may also split apart) is sweater."""
    if len(parts) < 2:
        return None
    a, b = parts[0], parts[1]
    area_a, area_b = int(a.sum()), int(b.sum())
    if area_b < 0.5 * area_a:
        return None
    (ea, ang_a), (eb, ang_b) = _elongation(a), _elongation(b)
    diff = abs((ang_a - ang_b + 90) % 180 - 90)
    if not (1.6 <= min(ea, eb) and max(ea, eb) <= 4.5) or diff > 35:
        return None
    # Shoes photographed from above point away from the camera (long axes upright), side
    # by side; shoes from the side lie toe to heel along their long axes. Horizontal bands
    # stacked one above the other are more likely stripes of one garment.
    ya, xa = np.argwhere(a).mean(axis=0)
    yb, xb = np.argwhere(b).mean(axis=0)
    along = abs(np.cos(np.radians(ang_a)) * (xb - xa) + np.sin(np.radians(ang_a)) * (yb - ya))
    upright = abs(np.sin(np.radians(ang_a))) >= np.sin(np.radians(45))
    if not upright and along < 0.5 * np.hypot(xb - xa, yb - ya):
        return None
    if background is not None:
        union = (a | b).astype(np.uint8)
        hull = np.zeros_like(union)
        pts = cv2.findNonZero(union)
        cv2.fillConvexPoly(hull, cv2.convexHull(pts), 1)
        gap = (hull > 0) & (union == 0)
        if gap.sum() < 0.05 * union.sum() or background[gap].mean() < 0.6:
            return None
    return a


# --- 5 and 6. crop and frame ---------------------------------------------------------------

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
        angle = _elongation(single)[1]                    # rotate the long axis to horizontal
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


# --- display helpers -------------------------------------------------------------------------

def enlarge(image28: np.ndarray, scale: int = 8) -> np.ndarray:
    """A 28x28 image (float in [0, 1] or uint8) as a larger uint8 image, pixels kept square."""
    a = np.asarray(image28)
    if a.dtype != np.uint8:
        a = (np.clip(a, 0, 1) * 255).round().astype(np.uint8)
    return cv2.resize(a, (a.shape[1] * scale, a.shape[0] * scale), interpolation=cv2.INTER_NEAREST)


def overlay_heat(image: np.ndarray, heat: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    """A heat map in [0, 1] (any size; resized to the image) laid over an image (grey or
    RGB, uint8) in the 'jet' colours: red where the heat is strongest. uint8 RGB."""
    img = np.asarray(image)
    if img.ndim == 2:
        img = np.repeat(img[..., None], 3, axis=2)
    h, w = img.shape[:2]
    heat = cv2.resize(np.clip(np.asarray(heat, np.float32), 0, 1), (w, h), interpolation=cv2.INTER_LINEAR)
    colour = cv2.cvtColor(cv2.applyColorMap((heat * 255).astype(np.uint8), cv2.COLORMAP_JET), cv2.COLOR_BGR2RGB)
    return (img.astype(np.float32) * (1 - alpha) + colour.astype(np.float32) * alpha).round().astype(np.uint8)
