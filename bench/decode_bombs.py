"""Hostile photos against the decoder: peak extra memory and seconds per file, six at once,
and a zip of 600 bombs through Your own photos. Prints JSON.

    python bench/decode_bombs.py                       # this checkout
    python bench/decode_bombs.py --root /tmp/before    # another checkout (git worktree add /tmp/before HEAD)
    python bench/decode_bombs.py --only six_bombs      # one measurement

Every measurement runs in a fresh Python process (the decoder's C buffers are not seen by
tracemalloc): extra = peak resident memory while it ran (getrusage's maxrss, and /proc's
RSS sampled every millisecond) minus the resident memory just before. The hostile files are
made in a temporary folder and deleted afterwards.
"""
from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

try:                                    # to write HEIF files, as the decoder reads them
    import pillow_heif
    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - optional
    pillow_heif = None

REPO = Path(__file__).resolve().parents[1]
BIG = 7000          # the bombs of the report: 49 M pixels, under the old 50 M cap
AT_CAP = 4400       # 19.4 M pixels, under the new 20 M cap: decoded, not refused


def _garment(size: tuple[int, int], value, dtype) -> np.ndarray:
    """A flat background with a lighter block in the middle (something to find)."""
    w, h = size
    a = np.zeros((h, w), dtype)
    a[h // 4: 3 * h // 4, w // 3: 2 * w // 3] = value
    return a


def _save(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def float_tiff(side: int) -> bytes:
    return _save(Image.fromarray(_garment((side, side), 1.0, np.float32), "F"), "TIFF", compression="tiff_deflate")


def png16(side: int) -> bytes:
    a = _garment((side, side), 50000, np.uint16)
    return _save(Image.frombuffer("I;16", (side, side), a.tobytes(), "raw", "I;16", 0, 1), "PNG")


def png1(side: int) -> bytes:
    return _save(Image.fromarray(_garment((side, side), 255, np.uint8)).convert("1"), "PNG")


def palette_png(side: int) -> bytes:
    img = Image.fromarray(_garment((side, side), 1, np.uint8), "P")
    img.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    return _save(img, "PNG", transparency=0)


def rgba_png(side: int) -> bytes:
    a = _garment((side, side), 255, np.uint8)
    return _save(Image.fromarray(np.dstack([a, a // 2, a // 3, a])), "PNG")


def progressive_jpeg(w: int, h: int) -> bytes:
    a = _garment((w, h), 200, np.uint8)
    return _save(Image.fromarray(np.dstack([a, a, a])), "JPEG", quality=75, progressive=True)


def rgb(w: int, h: int, fmt: str) -> bytes:
    a = _garment((w, h), 200, np.uint8)
    return _save(Image.fromarray(np.dstack([a, a // 2, a])), fmt, quality=80)


HOSTILE = {                                   # name -> how to make it
    "float32_tiff_7000_named_png": lambda: float_tiff(BIG),
    "png16_7000": lambda: png16(BIG),
    "png1_7000": lambda: png1(BIG),
    "palette_png_7000": lambda: palette_png(BIG),
    "progressive_jpeg_9000": lambda: progressive_jpeg(9000, 9000),
    # the largest of each kind the decoder still decodes (after: just under its caps)
    "float32_tiff_3100": lambda: float_tiff(3100),
    "png16_4400": lambda: png16(AT_CAP),
    "png1_4400": lambda: png1(AT_CAP),
    "palette_png_4400": lambda: palette_png(AT_CAP),
    "rgba_png_4400": lambda: rgba_png(AT_CAP),
    "progressive_jpeg_5000": lambda: progressive_jpeg(5000, 5000),
    "webp_2200": lambda: rgb(2200, 2200, "WEBP"),
    "avif_2800": lambda: rgb(2800, 2800, "AVIF"),
    "heif_4032x3024": lambda: rgb(4032, 3024, "HEIF"),      # an iPhone's 12 MP photo
}


def bomb_zip(side: int, classes: list[str], per_class: int, alike: bool = True) -> bytes:
    """A zip of 1-bit PNGs: alike, one picture in distinct files; else distinct pictures."""
    one = png1(side)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in classes:
            for i in range(per_class):
                z.writestr(f"{name}/{i:03d}.png", _distinct(one, i) if alike else _noisy_png1(side, i))
    return buf.getvalue()


def _noisy_png1(side: int, seed: int) -> bytes:
    a = _garment((side, side), 255, np.uint8)
    patch = np.random.default_rng(seed).random((side // 4, side // 4)) > 0.5
    a[side // 4: side // 2, side // 3: side // 3 + side // 4][patch] = 0
    return _save(Image.fromarray(a).convert("1"), "PNG")


def _distinct(png: bytes, i: int) -> bytes:
    """The same PNG with a tEXt chunk saying i: a different file (no duplicate) decoding the same."""
    body = b"tEXt" + b"n\x00" + str(i).encode()
    chunk = (len(body) - 4).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    return png[:33] + chunk + png[33:]                 # after the signature and IHDR


CLASSES = ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

# --- the measuring child -------------------------------------------------------------------------

CHILD = r'''
import gc, io, json, os, resource, sys, threading, time
sys.path.insert(0, sys.argv[1])
kind, paths = sys.argv[2], sys.argv[3:]
try:
    from fashion.photos.decode import decode
except ImportError:
    from fashion.photos.pipeline import decode
from fashion.errors import StudioError
from PIL import Image
page = os.sysconf("SC_PAGE_SIZE")

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * page

def maxrss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

def outcome(fn):
    try:
        fn()
        return "answered"
    except StudioError as e:
        return e.key

def one(data):
    return outcome(lambda: decode(data))

def own_zip(data):
    from fashion.photos import own as op
    counts = {"added": 0, "duplicate": 0, "class_full": 0, "refused": 0}
    try:
        items = op.read_zip(data)
    except StudioError as e:
        return {"zip": e.key}
    kept = []
    for label, name, content in items:
        try:
            if hasattr(op, "admit"):
                photo, skipped = op.admit(kept, label, name, content)
            else:                                   # the page's add path before: decode, then look
                image, found = op.process_bytes(content)
                key = op.image_key(image)
                photo, skipped = {"label": label, "key": key}, ""
                if any(p["key"] == key and p["label"] == label for p in kept):
                    photo, skipped = None, "duplicate"
                elif sum(p["label"] == label for p in kept) >= op.MAX_PER_CLASS:
                    photo, skipped = None, "class_full"
        except StudioError:
            counts["refused"] += 1
            continue
        if photo is None:
            counts[skipped] += 1
        else:
            kept.append(photo)
            counts["added"] += 1
    return counts

datas = [open(p, "rb").read() for p in paths]
warm = io.BytesIO(); Image.new("RGB", (64, 48), "red").save(warm, "PNG")
outcome(lambda: decode(warm.getvalue()))
if kind == "zip":
    from fashion.photos import own  # noqa: the imports of the own-photos path, before measuring
gc.collect()
try:                                   # the peak resident size from now on (Linux), not the imports'
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass
before, peak_before = rss(), maxrss()
peak, done = [before], threading.Event()

def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss())
        time.sleep(0.001)

sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
t0, c0 = time.perf_counter(), time.process_time()
if kind == "one":
    result = one(datas[0])
elif kind == "six":
    results = [None] * len(datas)
    def run(i):
        results[i] = one(datas[i])
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(datas))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    result = sorted(set(results))
else:
    result = own_zip(datas[0])
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
done.set(); sampler.join()
peak_after = maxrss()
extra = max(peak[0], peak_after if peak_after > peak_before else 0) - before
print(json.dumps({"outcome": result, "extra_mb": round(max(0, extra) / 2**20, 1),
                  "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2)}))
'''


def measure(root: Path, kind: str, paths: list[Path]) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, str(root), kind, *map(str, paths)],
                       capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        return {"error": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}"}
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=REPO, help="the checkout whose decoder is measured")
    parser.add_argument("--only", help="one measurement: a file's name, six_bombs, six_at_cap or a zip's name")
    args = parser.parse_args()
    out = {"root": str(args.root), "files": {}, "six_at_once": {}, "own_photos_zip": {}}
    with tempfile.TemporaryDirectory(prefix="decode-bombs-") as tmp:
        tmp = Path(tmp)
        files = {}

        def file(name: str) -> Path:                    # made when first needed
            if name not in files:
                files[name] = tmp / (name + (".png" if "tiff" in name else ""))
                files[name].write_bytes(HOSTILE[name]())
            return files[name]

        wanted = (lambda name: args.only in (None, name))
        for name in HOSTILE:
            if wanted(name):
                path = file(name)
                out["files"][name] = {"kb": path.stat().st_size // 1024, **measure(args.root, "one", [path])}
        six = {"six_bombs": ["float32_tiff_7000_named_png"] * 6,
               "six_at_cap": ["float32_tiff_3100", "png16_4400", "palette_png_4400", "rgba_png_4400",
                              "progressive_jpeg_5000", "webp_2200"]}
        for name, members in six.items():
            if wanted(name):
                out["six_at_once"][name] = measure(args.root, "six", [file(n) for n in members])
        zips = {"600_png1_7000_one_class": (BIG, ["Sneaker"], 600, True),
                "600_png1_7000_ten_classes": (BIG, CLASSES, 60, True),
                "600_png1_4400_ten_classes": (AT_CAP, CLASSES, 60, True),
                # 600 M pixels, under the zip's bound; distinct pictures: the class fills at 60
                "600_distinct_png1_1000_one_class": (1000, ["Sneaker"], 600, False)}
        for name, (side, classes, per_class, alike) in zips.items():
            if wanted(name):
                path = tmp / f"{name}.zip"
                path.write_bytes(bomb_zip(side, classes, per_class, alike))
                out["own_photos_zip"][name] = {"kb": path.stat().st_size // 1024, **measure(args.root, "zip", [path])}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
