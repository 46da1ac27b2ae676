"""Step 1 of the photo pipeline: bytes from a path, bytes or an upload, decoded into an
upright RGB image no larger than DISPLAY_SIZE, every input checked first: file size,
format, truncation, decompression bombs, size and shape. EXIF orientation is applied, an
animation gives its first frame, alpha is kept (a ready-made garment mask), and palette,
CMYK, greyscale and 16-bit images are converted. Anything unusable is a keyed PhotoError.

Decoding is bounded by work, not pixels: the header says how much memory the decode will
take (JPEGs are decoded at 1/2..1/8 scale in draft mode; a progressive JPEG still holds
all its coefficients; other formats are decoded in full, some with a second copy) and an
image above MAX_DECODE_BYTES is refused before any pixel is decoded. Shrinking to the
display size converts palette, 1-bit, alpha and 16/32-bit images strip by strip (reduce
first, convert after), never as one full-size converted or float copy.
"""
from __future__ import annotations

import io
import math
import os
import re
import warnings

import numpy as np
from PIL import Image, JpegImagePlugin

from fashion.errors import PhotoError

try:  # HEIC/HEIF photos from iPhones
    import pillow_heif
    pillow_heif.register_heif_opener()
except Exception:  # pragma: no cover - optional
    pillow_heif = None

# --- limits -------------------------------------------------------------------------------

MAX_FILE_BYTES = 40 * 1024 * 1024       # the largest phone JPEGs are ~30 MB
MAX_PIXELS_JPEG = 120_000_000           # JPEGs are decoded at 1/2..1/8 scale (draft mode)
# Other formats are decoded in full, at up to 4 bytes a pixel (Pillow holds RGB, RGBA, I and
# F images as 4 bytes): 20 M pixels is an 80 MB image, which with the strips of the shrink
# (STRIP_PIXELS) stays under 100 MB per upload; a 20 MP phone photo still fits.
MAX_PIXELS_OTHER = 20_000_000
MAX_DECODE_BYTES = 80 * 1024 * 1024     # what a decode may hold at once, as its header tells
# The one exception: an iPhone writes 24 MP HEIC photos by default (iPhone 15 and later), and
# libheif cannot decode at a reduced size; at 4.5 bytes a pixel that is ~110 MB while decoding.
# A student's phone photo must work, so HEIF may go that far (and no further).
MAX_PIXELS_HEIF = 25_000_000
BOMB_PIXELS_OTHER = 50_000_000          # above this a non-JPEG is no photo at all: "bomb"
MAX_SIDE = 30_000
MAX_ASPECT = 12.0                       # width/height (or height/width) beyond this is no photo
MIN_SIDE = 16
FORMATS = ("JPEG", "MPO", "PNG", "WEBP", "BMP", "GIF", "HEIF", "AVIF", "TIFF")
ACCEPTED_EXTENSIONS = ("jpg", "jpeg", "png", "webp", "bmp", "gif", "heic", "heif", "tif", "tiff")
# Bytes a pixel of each format costs while decoding, measured (bench/decode_bombs.py): libtiff
# holds a whole strip beside Pillow's image, libwebp its canvas and a frame copy, libavif its
# own planes; HEIF is read from libheif's RGB buffer (3 bytes) while its YCbCr planes (1.5) exist.
FORMAT_BYTES = {"TIFF": 8, "WEBP": 16, "HEIF": 4.5, "AVIF": 10}
STRIP_PIXELS = 1_000_000                # pixels converted at once while shrinking

DISPLAY_SIZE = 384      # longest edge of the photos kept for display
GREY_SAMPLE = 4_000_000  # 32-bit/float images: their range is measured on at most this many pixels

HIGH_DEPTH_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I;16S", "I;16BS", "I;16LS", "I", "I;32", "I;32B", "F")
ALPHA_MODES = ("PA", "LA", "RGBA", "La", "RGBa")
PREMULTIPLIED = {"LA": "La", "RGBA": "RGBa"}     # alpha modes are resized premultiplied, as Pillow does


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


# --- the work a header announces --------------------------------------------------------------

def _is_jpeg(fmt: str) -> bool:
    return fmt in ("JPEG", "MPO")


def bytes_per_pixel(img: Image.Image, fmt: str) -> float:
    """The memory decoding `img` (opened, not loaded) holds per pixel of its header's size:
    a progressive JPEG's coefficients (2 bytes each, chroma by its subsampling), a baseline
    JPEG's image at the 1/8 scale of draft mode, FORMAT_BYTES where measured, any other
    format's full image at Pillow's bytes per pixel (twice that for TIFF)."""
    if _is_jpeg(fmt):
        if img.info.get("progressive") or img.info.get("progression"):
            sampling = JpegImagePlugin.get_sampling(img)          # 4:4:4 -> 0, 4:2:2 -> 1, 4:2:0 -> 2
            return 2 * {0: 3.0, 1: 2.0, 2: 1.5}.get(sampling, float(len(img.getbands())))
        return 4 / 64
    per_pixel = 2 if img.mode.startswith("I;16") else (1 if img.mode in ("1", "L", "P") else 4)
    return per_pixel * 2 if fmt == "TIFF" else FORMAT_BYTES.get(fmt, per_pixel)


def max_pixels(img: Image.Image, fmt: str) -> int:
    """The most pixels an image of this format and kind may have: MAX_DECODE_BYTES of
    decoding, and never more than MAX_PIXELS_JPEG / MAX_PIXELS_OTHER."""
    if fmt == "HEIF":
        return MAX_PIXELS_HEIF
    cap = MAX_PIXELS_JPEG if _is_jpeg(fmt) else MAX_PIXELS_OTHER
    return min(cap, int(MAX_DECODE_BYTES / bytes_per_pixel(img, fmt)))


def _open(data: bytes) -> tuple[Image.Image, str]:
    """The image opened (header only) and checked: format, bombs, size, shape, decode memory."""
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
    if w * h > (MAX_PIXELS_JPEG if _is_jpeg(fmt) else BOMB_PIXELS_OTHER) or max(w, h) > MAX_SIDE:
        raise PhotoError("photo.error.bomb", size=f"{w}x{h}")
    if min(w, h) < MIN_SIDE:
        raise PhotoError("photo.error.too_small", w=w, h=h, min=MIN_SIDE)
    if max(w, h) / min(w, h) > MAX_ASPECT:
        raise PhotoError("photo.error.aspect", w=w, h=h)
    limit = max_pixels(img, fmt)
    if w * h > limit:
        raise PhotoError("photo.error.too_much_work", w=w, h=h, format=fmt, mp=math.ceil(w * h / 1e6),
                         limit=limit // 1_000_000)
    return img, fmt


def _draft(img: Image.Image, fmt: str) -> None:
    """JPEGs: decode at the smallest 1/2..1/8 scale that still covers DISPLAY_SIZE."""
    if _is_jpeg(fmt):
        img.draft(img.mode if img.mode in ("RGB", "L") else None, (DISPLAY_SIZE, DISPLAY_SIZE))


def decoded_pixels(data: bytes) -> int:
    """How many pixels decode(data) would decode (a JPEG's at its draft scale), read from
    the header alone; 0 for a file that decode refuses before decoding anything."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            img, fmt = _open(data)
            _draft(img, fmt)
        except Exception:                                 # PhotoError, or a header Pillow gives up on
            return 0
    return img.size[0] * img.size[1]


# --- converting while shrinking -------------------------------------------------------------------

def _grey_range(img: Image.Image) -> tuple[float, float] | None:
    """32-bit and float images: their 0.5..99.5 % range (their scale is anyone's guess),
    over every pixel up to GREY_SAMPLE of them, else over an even grid of that many.
    None for 16-bit (scaled by 1/257)."""
    if img.mode.startswith("I;16"):
        return None
    w, h = img.size
    step = max(1, math.ceil(math.sqrt(w * h / GREY_SAMPLE)))
    rows = max(step, STRIP_PIXELS // w // step * step)
    parts = []
    for y0 in range(0, h, rows):
        a = np.asarray(img.crop((0, y0, w, min(h, y0 + rows))))[::step, ::step]
        if a.dtype.byteorder not in ("=", "|"):
            a = a.astype(a.dtype.newbyteorder("="))
        a = a.astype(np.float32)
        parts.append(a[np.isfinite(a)])
    finite = np.concatenate(parts) if parts else np.zeros(0, np.float32)
    return tuple(np.percentile(finite, [0.5, 99.5])) if finite.size else (0.0, 1.0)


def _grey(img: Image.Image, value_range) -> Image.Image:
    """A 16-bit, 32-bit or float greyscale image (or strip) as 8-bit 'L' (Pillow cannot
    resize most of these modes). 16-bit scales by 1/257; 32-bit and float stretch value_range."""
    a = np.asarray(img)
    if a.dtype.byteorder not in ("=", "|"):
        a = a.astype(a.dtype.newbyteorder("="))
    a = a.astype(np.float32)
    if value_range is None:
        a = a / 257.0
    else:
        lo, hi = value_range
        a = (np.nan_to_num(a, nan=lo, posinf=hi, neginf=lo) - lo) / max(float(hi - lo), 1e-9) * 255.0
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def _converter(img: Image.Image):
    """(the mode the image is shrunk in, strip -> strip in that mode): what Pillow's
    thumbnail does to the whole image, done to one strip at a time."""
    mode = img.mode
    if mode in HIGH_DEPTH_MODES:
        value_range = _grey_range(img)
        return "L", lambda strip: _grey(strip, value_range)
    if mode in ("P", "1") and "transparency" in img.info or mode == "PA":
        return "RGBa", lambda strip: strip.convert("RGBA").convert("RGBa")
    if mode in ("LA", "RGBA"):
        return PREMULTIPLIED[mode], lambda strip: strip.convert(PREMULTIPLIED[mode])
    if mode in ("P", "1"):
        return "RGB", lambda strip: strip.convert("RGB")
    return mode, lambda strip: strip


def _thumbnail_size(size: tuple[int, int], edge: int) -> tuple[int, int] | None:
    """The size Image.thumbnail((edge, edge)) gives (its own aspect rounding), None if it fits."""
    width, height = size
    if edge >= width and edge >= height:
        return None
    aspect = width / height

    def round_aspect(number, key):
        return max(min(math.floor(number), math.ceil(number), key=key), 1)

    if 1 >= aspect:
        return round_aspect(edge * aspect, key=lambda n: abs(aspect - n / edge)), edge
    return edge, round_aspect(edge / aspect, key=lambda n: 0 if n == 0 else abs(aspect - edge / n))


def _shrink(img: Image.Image, edge: int, rows=None) -> Image.Image:
    """img.thumbnail((edge, edge), BILINEAR, reducing_gap=2.0) of the image converted as
    _converter says, the same pixels, computed strip by strip: each strip is converted and
    reduced by the integer factor before the next, so no full-size converted copy exists.
    rows(y0, y1): the image's rows y0..y1 where they come from elsewhere (HEIF), else img's."""
    w, h = img.size
    rows = rows or (lambda y0, y1: img.crop((0, y0, w, y1)))
    final = _thumbnail_size(img.size, edge)
    if final is None:                                    # small already: only 16/32-bit needs converting here
        whole = rows(0, h)
        return _grey(whole, _grey_range(whole)) if whole.mode in HIGH_DEPTH_MODES else whole
    work_mode, convert = _converter(img)
    fx, fy = int(w / final[0] / 2.0) or 1, int(h / final[1] / 2.0) or 1
    reduced = Image.new(work_mode, ((w + fx - 1) // fx, (h + fy - 1) // fy))
    step = max(fy, STRIP_PIXELS // w // fy * fy)
    for y0 in range(0, h, step):
        strip = convert(rows(y0, min(h, y0 + step)))
        reduced.paste(strip.reduce((fx, fy)) if fx > 1 or fy > 1 else strip, (0, y0 // fy))
    out = reduced.resize(final, Image.Resampling.BILINEAR, box=(0, 0, w / fx, h / fy))
    unmultiplied = {v: k for k, v in PREMULTIPLIED.items()}
    return out.convert(unmultiplied[work_mode]) if work_mode in unmultiplied else out


def _heif_rows(img: Image.Image, data: bytes):
    """HEIF: rows(y0, y1) read from libheif's decoded buffer, without the full-size
    Pillow copy its plugin makes; None where the buffer is not plain 8-bit RGB(A) or L."""
    if pillow_heif is None or img.mode not in ("RGB", "RGBA", "L"):
        return None
    heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True, hdr_to_16bit=True, remove_stride=False)
    frame = heif[0 if getattr(img, "n_frames", 1) > 1 else heif.primary_index]   # as img.seek(0) / img.load()
    if frame.mode != img.mode or frame.size != img.size:
        return None
    buffer, stride, (w, _) = memoryview(frame.data), frame.stride, frame.size
    return lambda y0, y1: Image.frombytes(img.mode, (w, y1 - y0), buffer[y0 * stride:y1 * stride], "raw",
                                          img.mode, stride)


def _to_rgb_and_alpha(img: Image.Image) -> tuple[np.ndarray, np.ndarray | None]:
    """(H, W, 3) uint8 RGB and an (H, W) uint8 alpha (None when fully opaque)."""
    mode = img.mode
    alpha = None
    if mode == "P" and "transparency" in img.info or mode in ALPHA_MODES:
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
        img, fmt = _open(data)
        w, h = img.size
        rows = None
        try:
            if fmt == "HEIF":
                rows = _heif_rows(img, data)              # the pixels from libheif's buffer, img stays unloaded
            if getattr(img, "n_frames", 1) > 1 and rows is None:
                img.seek(0)                               # animated: the first frame
            _draft(img, fmt)
            if rows is None:
                img.load()
            exif_orientation = img.getexif().get(0x0112, 1)
        except PhotoError:
            raise
        except Image.DecompressionBombError:
            raise PhotoError("photo.error.bomb", size=f"{w}x{h}") from None
        except Exception:
            raise PhotoError("photo.error.damaged") from None
    try:
        img = _shrink(img, DISPLAY_SIZE, rows)           # 16/32-bit, palette, 1-bit: converted strip by strip
    except (ValueError, TypeError, MemoryError, OSError):
        raise PhotoError("photo.error.damaged") from None
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
