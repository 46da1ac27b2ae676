"""Decoding bounded by work, not pixels: hostile images under the pixel caps (a float32 TIFF
named .png, 1-bit, 16-bit and palette PNGs) are answered or refused with a keyed message
within 100 MB of extra memory, measured in a fresh process (Pillow's own buffers are not seen
by tracemalloc, so the peak resident size is measured too); Your own photos skips a full
class and a file already added without decoding, and bounds a zip's pixels by its headers."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from conftest import REPO
from PIL import Image

from fashion.errors import PhotoError
from fashion.photos import decode as dec
from fashion.photos import own as op
from fashion.photos import pipeline

EXTRA_LIMIT = 100 * 2**20          # what one upload may cost above what the process held before

MEASURE = r"""
import io, json, resource, sys, tracemalloc
sys.path.insert(0, sys.argv[1])
from PIL import Image
from fashion.errors import StudioError
from fashion.photos.decode import decode

def statm_rss():
    import os
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

data = open(sys.argv[2], "rb").read()
warm = io.BytesIO(); Image.new("RGB", (64, 48), "red").save(warm, "PNG"); decode(warm.getvalue())
try:                                   # the peak resident size from now on (Linux), not the imports'
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass
rss_before = statm_rss()
peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
tracemalloc.start()
try:
    decode(data)
    outcome = "answered"
except StudioError as e:
    outcome = e.key
python_peak = tracemalloc.get_traced_memory()[1]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
extra = peak - rss_before if peak > peak_before else 0    # a peak from before the decode is not its own
print(json.dumps({"outcome": outcome, "extra": max(extra, python_peak)}))
"""


def measured(tmp_path, name: str, data: bytes) -> dict:
    """decode(data) in a fresh process: its outcome and its extra memory (peak resident size
    while it ran, minus the resident size just before; at least tracemalloc's peak)."""
    path = tmp_path / name
    path.write_bytes(data)
    r = subprocess.run([sys.executable, "-c", MEASURE, str(REPO), str(path)], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def _save(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _block(side: int, value, dtype) -> np.ndarray:
    a = np.zeros((side, side), dtype)
    a[side // 4: 3 * side // 4, side // 3: 2 * side // 3] = value
    return a


def float_tiff(side: int) -> bytes:
    return _save(Image.fromarray(_block(side, 1.0, np.float32), "F"), "TIFF", compression="tiff_deflate")


def png1(side: int) -> bytes:
    return _save(Image.fromarray(_block(side, 255, np.uint8)).convert("1"), "PNG")


def palette_png(side: int) -> bytes:
    img = Image.fromarray(_block(side, 1, np.uint8), "P")
    img.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    return _save(img, "PNG", transparency=0)


def png16(side: int) -> bytes:
    a = _block(side, 50000, np.uint16)
    return _save(Image.frombuffer("I;16", (side, side), a.tobytes(), "raw", "I;16", 0, 1), "PNG")


ANSWERED_OR_KEYED = ("answered", "photo.error.too_much_work", "photo.error.bomb")


@pytest.mark.parametrize("name, make", [
    ("float32-7000.png", lambda: float_tiff(7000)),        # a TIFF renamed .png: 196 MB as floats
    ("bits-7000.png", lambda: png1(7000)),
])
def test_bombs_under_the_old_pixel_cap_cost_at_most_100_mb(tmp_path, name, make):
    result = measured(tmp_path, name, make())
    assert result["outcome"] in ANSWERED_OR_KEYED, result
    assert result["extra"] <= EXTRA_LIMIT, result


@pytest.mark.parametrize("name, make", [
    ("float32-3100.tif", lambda: float_tiff(3100)),
    ("bits-4400.png", lambda: png1(4400)),
    ("palette-4400.png", lambda: palette_png(4400)),      # with transparency: RGBA, premultiplied, per strip
    ("sixteen-4400.png", lambda: png16(4400)),
])
def test_the_largest_images_still_decoded_cost_at_most_100_mb(tmp_path, name, make):
    result = measured(tmp_path, name, make())
    assert result["outcome"] == "answered", result
    assert result["extra"] <= EXTRA_LIMIT, result


def test_a_refusal_by_work_says_the_size_and_the_limit_in_both_languages():
    with pytest.raises(PhotoError) as e:
        dec.decode(float_tiff(4000))                          # 16 M pixels, two float copies in libtiff
    assert e.value.key == "photo.error.too_much_work"
    assert "4000x4000" in e.value.message("en") and "TIFF" in e.value.message("en")
    assert "millones de píxeles" in e.value.message("es")


def test_shrinking_strip_by_strip_gives_the_pixels_thumbnail_gives():
    rng = np.random.default_rng(3)
    rgba = (rng.random((1500, 2100, 4)) * 255).astype(np.uint8)
    img = Image.fromarray(rgba, "RGBA")
    whole = img.copy()
    whole.thumbnail((dec.DISPLAY_SIZE, dec.DISPLAY_SIZE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    assert np.array_equal(np.asarray(dec._shrink(img, dec.DISPLAY_SIZE)), np.asarray(whole))
    pal = img.convert("RGB").quantize(64)
    whole = pal.convert("RGB")
    whole.thumbnail((dec.DISPLAY_SIZE, dec.DISPLAY_SIZE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    assert np.array_equal(np.asarray(dec._shrink(pal, dec.DISPLAY_SIZE)), np.asarray(whole))


def test_a_jpeg_counts_the_pixels_of_its_draft_scale():
    data = _save(Image.new("RGB", (4000, 3000), "grey"), "JPEG")
    assert dec.decoded_pixels(data) == 1000 * 750            # decoded at 1/4 scale, never in full
    assert dec.decoded_pixels(png1(7000)) == 0                # refused from its header: nothing to decode
    assert dec.decoded_pixels(b"not an image") == 0


# --- Your own photos ------------------------------------------------------------------------------

def photo(i: int) -> bytes:
    """A distinct small garment photo (its noise differs with i)."""
    rng = np.random.default_rng(i)
    a = np.full((96, 80, 3), 200, np.uint8)
    a[20:80, 20:60] = (40 + rng.random((60, 40, 3)) * 60).astype(np.uint8)
    return _save(Image.fromarray(a), "PNG")


@pytest.fixture
def decodes(monkeypatch) -> list:
    """Counts the decoder's calls on the own-photos path."""
    calls = []

    def counting(data):
        calls.append(len(data))
        return dec.decode(data)

    monkeypatch.setattr(pipeline, "decode", counting)
    return calls


def zipped(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_full_class_is_skipped_without_decoding(decodes):
    sneaker = op.class_index("Sneaker")
    items = op.read_zip(zipped({f"Sneaker/{i:03d}.png": photo(i) for i in range(op.MAX_PER_CLASS + 10)}))
    assert not decodes                                        # reading the zip decodes nothing
    kept, skipped = [], []
    for label, name, data in items:
        entry, why = op.admit(kept, label, name, data)
        (kept.append(entry) if entry else skipped.append(why))
    assert len(kept) == op.MAX_PER_CLASS and all(p["label"] == sneaker for p in kept)
    assert skipped == ["class_full"] * 10
    assert len(decodes) == op.MAX_PER_CLASS                   # the ten beyond the class's limit: never decoded


def test_a_file_already_in_its_class_is_skipped_without_decoding(decodes):
    shirt, bag = op.class_index("Shirt"), op.class_index("Bag")
    first, why = op.admit([], shirt, "a.png", photo(1))
    assert why == "" and len(decodes) == 1
    assert op.admit([first], shirt, "again.png", photo(1)) == (None, "duplicate")
    assert len(decodes) == 1
    other, why = op.admit([first], bag, "a.png", photo(1))     # the same file in another class is another photo
    assert why == "" and other["label"] == bag and len(decodes) == 2
    shot, why = op.admit([first], shirt, "webcam 2", photo(1), dedupe=False)   # a webcam shot is always new
    assert why == "" and shot is not None


def test_a_zip_is_bounded_by_the_pixels_its_headers_announce(decodes, monkeypatch):
    files = {f"Sneaker/{i:03d}.png": photo(i) for i in range(op.MAX_PER_CLASS + 10)}
    files["Sneaker/again.png"] = photo(0)                    # the same file twice is decoded once at most
    monkeypatch.setattr(op, "MAX_ZIP_PIXELS", 96 * 80 * (op.MAX_PER_CLASS + 10))
    assert len(op.read_zip(zipped(files))) == op.MAX_PER_CLASS + 11
    files["Bag/one.png"] = photo(999)
    with pytest.raises(op.OwnPhotosError) as e:
        op.read_zip(zipped(files))
    assert e.value.key == "own.error.zip_too_many_pixels"
    assert "million pixels" in e.value.message("en") and "millones de píxeles" in e.value.message("es")
    assert not decodes


def test_an_iphone_24_megapixel_heic_photo_is_still_answered():
    """iPhones (15 and later) save 24 MP HEIC photos by default: the decoding bound must
    let a student's phone photo through (dec.MAX_PIXELS_HEIF)."""
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    ramp = np.linspace(0, 220, 6048, dtype=np.float32)[None, :, None]
    image = np.broadcast_to(ramp, (4032, 6048, 3)).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="HEIF", quality=50)
    result = pipeline.preprocess(buf.getvalue())
    assert result.model_input.shape == (28, 28)
