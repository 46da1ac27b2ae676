"""The photo pipeline (fashion.photos.pipeline) on images the tests draw themselves: a garment-like
shape on light, dark, textured and cluttered backgrounds, in every file flavour a phone or
a browser produces, and the files that must be refused, each with its message."""
from __future__ import annotations

import io
import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image

from fashion.errors import PhotoError
from fashion.photos import decode
from fashion.photos.pipeline import preprocess

RNG_SEED = 7


# --- drawing --------------------------------------------------------------------------------

def tshirt_mask(h: int = 480, w: int = 360) -> np.ndarray:
    """A T-shirt silhouette (body and two sleeves), uint8 0/1, (h, w)."""
    m = np.zeros((h, w), np.uint8)
    cx = w // 2
    top, bottom = int(0.18 * h), int(0.85 * h)
    body_w = int(0.42 * w)
    pts = np.array([
        [cx - body_w // 2, top], [cx - int(0.08 * w), top], [cx, top + int(0.05 * h)],
        [cx + int(0.08 * w), top], [cx + body_w // 2, top],
        [cx + int(0.40 * w), top + int(0.12 * h)], [cx + int(0.32 * w), top + int(0.22 * h)],
        [cx + body_w // 2, top + int(0.16 * h)], [cx + body_w // 2, bottom],
        [cx - body_w // 2, bottom], [cx - body_w // 2, top + int(0.16 * h)],
        [cx - int(0.32 * w), top + int(0.22 * h)], [cx - int(0.40 * w), top + int(0.12 * h)],
    ], np.int32)
    cv2.fillPoly(m, [pts], 1)
    return m


def background(kind: str, h: int, w: int) -> np.ndarray:
    rng = np.random.default_rng(RNG_SEED)
    if kind == "light":
        return np.full((h, w, 3), (236, 232, 226), np.uint8)
    if kind == "dark":
        return np.full((h, w, 3), (34, 30, 36), np.uint8)
    if kind == "textured":      # wood-like grain plus noise
        y = np.arange(h)[:, None]
        x = np.arange(w)[None, :]
        grain = 20 * np.sin(x / 7.0 + 3 * np.sin(y / 40.0)) + rng.normal(0, 10, (h, w))
        base = np.stack([150 + grain, 110 + grain, 70 + grain], axis=2)
        return np.clip(base, 0, 255).astype(np.uint8)
    if kind == "cluttered":     # a patterned rug: small coloured tiles and blobs
        img = np.zeros((h, w, 3), np.uint8)
        palette = np.array([(120, 40, 40), (60, 70, 130), (140, 120, 60), (90, 90, 90)], np.uint8)
        tiles = rng.integers(0, len(palette), (h // 12 + 1, w // 12 + 1))
        img[:] = palette[np.kron(tiles, np.ones((12, 12), int))[:h, :w]]
        for _ in range(40):
            c = tuple(int(v) for v in rng.integers(0, 255, 3))
            cv2.circle(img, (int(rng.integers(0, w)), int(rng.integers(0, h))), int(rng.integers(4, 14)), c, -1)
        return img
    raise ValueError(kind)


def garment_photo(kind: str = "light", colour=(40, 70, 160), h: int = 480, w: int = 360):
    """(RGB photo, true garment mask): a T-shirt with a printed stripe on the given background."""
    m = tshirt_mask(h, w)
    img = background(kind, h, w)
    shirt = np.zeros_like(img)
    shirt[:] = colour
    shirt[int(0.45 * h):int(0.5 * h)] = (230, 200, 40)     # a print across the chest
    img[m > 0] = shirt[m > 0]
    if kind == "dark":
        img[m > 0] = np.clip(img[m > 0].astype(int) + 150, 0, 255).astype(np.uint8)  # light garment on dark
    return img, m


def encode(img, fmt: str = "PNG", **kw) -> bytes:
    buf = io.BytesIO()
    (img if isinstance(img, Image.Image) else Image.fromarray(img)).save(buf, fmt, **kw)
    return buf.getvalue()


def iou(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a.astype(bool), b.astype(bool)
    return float((a & b).sum() / max((a | b).sum(), 1))


def ideal_input(mask: np.ndarray) -> np.ndarray:
    """The true mask framed the Fashion-MNIST way: longest edge 28, centred."""
    ys, xs = np.nonzero(mask)
    crop = mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.float32)
    h, w = crop.shape
    s = 28 / max(h, w)
    small = cv2.resize(crop, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
    out = np.zeros((28, 28), np.float32)
    y0, x0 = (28 - small.shape[0]) // 2, (28 - small.shape[1]) // 2
    out[y0:y0 + small.shape[0], x0:x0 + small.shape[1]] = small
    return out


def check_fashion_mnist_like(result, true_mask) -> None:
    x = result.model_input
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() == pytest.approx(1.0)
    ink = x > 20 / 255
    ys, xs = np.nonzero(ink)
    assert max(np.ptp(ys), np.ptp(xs)) + 1 >= 26, "longest edge of the garment should fill the 28 pixels"
    assert abs((ys.min() + ys.max()) / 2 - 13.5) <= 1.5 and abs((xs.min() + xs.max()) / 2 - 13.5) <= 1.5
    assert iou(ink, ideal_input(true_mask) > 0.3) >= 0.8
    # background is black and the garment is clearly lit, as in Fashion-MNIST
    assert x[~ink].mean() < 0.02 and x[ink].mean() > 0.3


# --- a garment on different backgrounds ---------------------------------------------------------

@pytest.mark.parametrize("kind", ["light", "dark", "textured", "cluttered"])
def test_garment_is_found_and_framed_like_fashion_mnist(kind):
    img, m = garment_photo(kind)
    result = preprocess(encode(img, "PNG"))
    assert result.found, result.note
    work_truth = cv2.resize(m, result.mask.shape[::-1], interpolation=cv2.INTER_NEAREST)
    assert iou(result.mask, work_truth) >= 0.85
    check_fashion_mnist_like(result, m)
    names = [k for k, _ in result.steps]
    assert names == ["photo.step.original", "photo.step.oriented", "photo.step.mask",
                     "photo.step.crop", "photo.step.input"]
    assert all(s.dtype == np.uint8 and s.size for _, s in result.steps)


def test_dark_garment_on_light_background_is_bright_after_negation():
    img, m = garment_photo("light", colour=(20, 20, 25))
    x = preprocess(encode(img)).model_input
    assert x[ideal_input(m) > 0.9].mean() > 0.7        # dark cloth -> bright, as in Fashion-MNIST


def test_same_bytes_same_input():
    data = encode(garment_photo("textured")[0], "JPEG", quality=90)
    a, b = preprocess(data), preprocess(io.BytesIO(data))
    np.testing.assert_array_equal(a.model_input, b.model_input)


def test_large_photo_is_downscaled_first():
    img, m = garment_photo("light", h=4000, w=3000)
    result = preprocess(encode(img, "JPEG", quality=85))
    assert max(result.photo.shape[:2]) <= decode.DISPLAY_SIZE
    check_fashion_mnist_like(result, m)


def test_photo_without_garment_is_reported_not_found():
    rng = np.random.default_rng(1)
    noise = rng.integers(0, 256, (300, 300, 3), dtype=np.uint8)   # no object anywhere
    result = preprocess(encode(noise))
    assert not result.found and result.note == "photo.reason.no_garment"
    assert result.model_input.shape == (28, 28)


def test_pair_of_shoes_from_above_becomes_one_shoe_on_its_side():
    img = background("light", 400, 400)
    m = np.zeros((400, 400), np.uint8)
    for cx in (130, 270):      # two upright soles side by side, like shoes photographed from above
        cv2.ellipse(m, (cx, 200), (48, 140), 0, 0, 360, 1, -1)
    img[m > 0] = (60, 40, 30)
    result = preprocess(encode(img))
    assert result.found and result.pair
    ys, xs = np.nonzero(result.model_input > 20 / 255)
    assert np.ptp(xs) + 1 >= 26 and np.ptp(ys) + 1 <= 16       # one shoe, long axis horizontal
    assert result.aspect < 0.6


def test_a_striped_sweater_is_not_mistaken_for_a_pair():
    """A stripe the colour of the wall can cut a sweater in two bands: they are one garment."""
    img = background("light", 400, 400)
    m = np.zeros((400, 400), np.uint8)
    m[60:340, 60:340] = 1
    img[m > 0] = (20, 60, 60)
    img[170:220, 60:340] = (236, 232, 226)          # a band exactly the colour of the background
    result = preprocess(encode(img))
    assert result.found and not result.pair
    ys, xs = np.nonzero(result.model_input > 20 / 255)
    assert np.ptp(ys) + 1 >= 26                     # framed whole, not one band


def test_heat_map_maps_back_onto_the_photo():
    img, m = garment_photo("light")
    result = preprocess(encode(img))
    heat = np.zeros((28, 28), np.float32)
    heat[10:18, 10:18] = 1.0
    back = result.heat_on_photo(heat)
    assert back.shape == result.photo.shape[:2]
    ys, xs = np.nonzero(back > 0.5)
    small_mask = cv2.resize(m, back.shape[::-1], interpolation=cv2.INTER_NEAREST)
    assert ys.size and small_mask[ys, xs].mean() > 0.9            # the centre of the input is on the shirt


# --- every file flavour ----------------------------------------------------------------------------

def test_exif_rotated_photo_is_turned_upright():
    img, m = garment_photo("light", h=480, w=300)          # tall garment
    stored = np.ascontiguousarray(np.rot90(img, 1))        # the camera stored it on its side (w > h)
    exif = Image.Exif()
    exif[0x0112] = 6                                        # "rotate 90 CW to display"
    data = encode(Image.fromarray(stored), "JPEG", quality=92, exif=exif.tobytes())
    result = preprocess(data)
    original = dict(result.steps)["photo.step.original"]
    assert original.shape[1] > original.shape[0]            # as stored: landscape
    assert result.photo.shape[0] > result.photo.shape[1]    # oriented: portrait
    check_fashion_mnist_like(result, m)


def test_rgba_alpha_is_the_mask():
    img, m = garment_photo("cluttered")
    rgba = np.dstack([img, (m * 255).astype(np.uint8)])   # background fully transparent
    result = preprocess(encode(rgba, "PNG"))
    assert result.found
    work_truth = cv2.resize(m, result.mask.shape[::-1], interpolation=cv2.INTER_NEAREST)
    assert iou(result.mask, work_truth) >= 0.9
    check_fashion_mnist_like(result, m)


def test_16_bit_greyscale():
    img, m = garment_photo("light")
    grey16 = (cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.uint16) * 257)
    data = encode(Image.fromarray(grey16), "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    check_fashion_mnist_like(preprocess(data), m)


def test_cmyk_jpeg():
    img, m = garment_photo("light")
    data = encode(Image.fromarray(img).convert("CMYK"), "JPEG", quality=92)
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    check_fashion_mnist_like(preprocess(data), m)


def test_palette_png_and_greyscale():
    img, m = garment_photo("textured")
    pal = Image.fromarray(img).convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
    check_fashion_mnist_like(preprocess(encode(pal, "PNG")), m)
    check_fashion_mnist_like(preprocess(encode(Image.fromarray(img).convert("L"), "PNG")), m)


def test_animated_gif_uses_first_frame():
    img, m = garment_photo("light")
    first = Image.fromarray(img).convert("P", palette=Image.Palette.ADAPTIVE)
    second = Image.new("P", first.size, 0)
    buf = io.BytesIO()
    first.save(buf, "GIF", save_all=True, append_images=[second], duration=100, loop=0)
    assert Image.open(io.BytesIO(buf.getvalue())).n_frames == 2
    result = preprocess(buf.getvalue())
    check_fashion_mnist_like(result, m)
    np.testing.assert_array_equal(result.model_input, preprocess(encode(first, "GIF")).model_input)


@pytest.mark.parametrize("fmt", ["WEBP", "BMP", "HEIF"])
def test_other_formats(fmt):
    img, m = garment_photo("light")
    data = encode(img, fmt, **({"quality": 90} if fmt in ("WEBP", "HEIF") else {}))
    check_fashion_mnist_like(preprocess(data), m)


# --- files that must be refused, each with its message ------------------------------------------------

def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def bomb_png(side: int = 20000) -> bytes:
    """A valid 1-bit PNG of side x side pixels that is only a few KB on disk."""
    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + (side + 7) // 8)
    body = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b""))


def refused(data_or_path, key: str, words: str) -> PhotoError:
    with pytest.raises(PhotoError) as info:
        preprocess(data_or_path)
    assert info.value.key == key
    assert words.lower() in str(info.value).lower()
    assert info.value.message("es") and info.value.message("es") != str(info.value)
    return info.value


def test_empty_file(tmp_path):
    p = tmp_path / "empty.jpg"
    p.write_bytes(b"")
    refused(p, "photo.error.empty", "empty")


def test_missing_file(tmp_path):
    refused(tmp_path / "nope.jpg", "photo.error.missing", "not found")


def test_text_renamed_jpg(tmp_path):
    p = tmp_path / "notes.jpg"
    p.write_text("these are my shopping notes, not a photo\n" * 20)
    refused(p, "photo.error.not_image", "not an image")


def test_truncated_jpeg():
    data = encode(garment_photo("textured")[0], "JPEG", quality=95)
    refused(data[: len(data) // 2], "photo.error.damaged", "truncated")


def test_fake_png_header():
    refused(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "photo.error.damaged", "damaged")


def test_decompression_bomb():
    data = bomb_png(20000)
    assert len(data) < 100_000
    e = refused(data, "photo.error.bomb", "decompression bomb")
    assert "400,000,000" in str(e)
    e = refused(bomb_png(12000), "photo.error.bomb", "decompression bomb")   # below Pillow's own limit
    assert "12000x12000" in str(e)


def test_absurd_sizes():
    refused(encode(np.zeros((1, 1, 3), np.uint8)), "photo.error.too_small", "1x1")
    refused(encode(np.full((20, 2000, 3), 128, np.uint8)), "photo.error.aspect", "2000x20")


def test_blank_image():
    refused(encode(np.full((300, 300, 3), 200, np.uint8)), "photo.error.blank", "single flat colour")


def test_oversized_file():
    refused(b"\xff\xd8\xff" + b"\0" * (decode.MAX_FILE_BYTES + 10), "photo.error.file_too_big", "MB")
