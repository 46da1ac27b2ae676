"""Pictures that are not garments, for the not-sure rule: the public test images of
scikit-image (a face, a cat, a cup of coffee, a rocket, a horse, a page of text, ...) and
drawn ones (a colour-bar test pattern, an app screenshot, a landscape, noise).

Used twice, kept apart: bench/non_garments.py calibrates on random *crops* of the
scikit-image pictures and on drawings with seeds 0-39; tests/test_calibration.py checks
the *whole* pictures and drawings with seeds from 1000 on."""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

SKIMAGE_PICTURES = ("astronaut", "camera", "chelsea", "coffee", "rocket", "horse", "moon", "hubble_deep_field",
                    "coins", "page", "text", "checkerboard", "logo", "grass", "gravel", "brick", "clock",
                    "cell", "retina", "immunohistochemistry", "colorwheel")


def skimage_picture(name: str) -> np.ndarray:
    """(H, W, 3) uint8 of a scikit-image test picture."""
    from skimage import data
    a = getattr(data, name)()
    if a.ndim == 2:
        a = np.repeat(a[..., None], 3, axis=2)
    if a.dtype != np.uint8:
        a = (255 * (a.astype(np.float64) / max(float(a.max()), 1e-9))).astype(np.uint8)
    return np.ascontiguousarray(a[..., :3])


def colour_bars(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w, h = int(rng.integers(320, 800)), int(rng.integers(240, 600))
    colours = np.array([[192, 192, 192], [192, 192, 0], [0, 192, 192], [0, 192, 0], [192, 0, 192],
                        [192, 0, 0], [0, 0, 192]], np.uint8)
    img = np.zeros((h, w, 3), np.uint8)
    for i in range(7):
        img[: int(h * 0.7), i * w // 7:(i + 1) * w // 7] = colours[(i + seed) % 7]
    img[int(h * 0.7):] = np.linspace(0, 255, w, dtype=np.uint8)[None, :, None]
    return img


def screenshot(seed: int) -> np.ndarray:
    """A drawn app screenshot: a sidebar, a title, lines of text, buttons and a chart."""
    rng = np.random.default_rng(seed)
    w, h = int(rng.integers(640, 1280)), int(rng.integers(400, 800))
    img = Image.new("RGB", (w, h), tuple(int(v) for v in rng.integers(235, 256, 3)))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w // 5, h], fill=tuple(int(v) for v in rng.integers(220, 245, 3)))
    y = 30
    while y < h - 40:
        x0 = w // 5 + 30
        d.text((x0, y), "Lorem ipsum dolor sit amet " * int(rng.integers(1, 4)), fill=(30, 30, 30))
        if rng.random() < 0.2:
            d.rounded_rectangle([x0, y + 18, x0 + 120, y + 48], 6, fill=(255, 75, 75))
            y += 40
        if rng.random() < 0.15:
            pts = [(x0 + i * 20, y + 80 - int(60 * rng.random())) for i in range(15)]
            d.line(pts, fill=(31, 119, 180), width=3)
            y += 90
        y += 24
    return np.asarray(img)


def landscape(seed: int) -> np.ndarray:
    """Sky, a sun, hills and a field."""
    rng = np.random.default_rng(seed)
    w, h = int(rng.integers(400, 900)), int(rng.integers(300, 600))
    yy = np.linspace(0, 1, h)[:, None, None]
    sky = (np.array([120, 170, 235]) * (1 - yy) + np.array([200, 220, 250]) * yy).astype(np.float64)
    img = np.broadcast_to(sky, (h, w, 3)).copy()
    x = np.arange(w)
    for k in range(3):
        ridge = h * (0.45 + 0.12 * k) + 30 * np.sin(x / rng.uniform(40, 120) + rng.uniform(0, 6))
        below = np.arange(h)[:, None] > ridge[None, :]
        img[below] = np.array([60 + 30 * k, 110 + 25 * k, 50 + 10 * k]) * rng.uniform(0.8, 1.1)
    cy, cx, r = rng.uniform(0.1, 0.3) * h, rng.uniform(0.2, 0.8) * w, rng.uniform(15, 40)
    yy, xx = np.mgrid[0:h, 0:w]
    img[(yy - cy) ** 2 + (xx - cx) ** 2 < r * r] = (255, 230, 120)
    img += rng.normal(0, 6, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def noise(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (int(rng.integers(200, 500)), int(rng.integers(200, 500)), 3), dtype=np.uint8)


DRAWINGS = {"colour-bars": colour_bars, "screenshot": screenshot, "landscape": landscape, "noise": noise}


def _table(rng, w: int, h: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A plain table top or wall, gently lit: the backdrop of a photo of one object."""
    base = np.array(rng.choice([(236, 232, 224), (190, 150, 105), (205, 205, 210), (245, 245, 245)]), np.float64)
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    img = base[None, None, :] * (0.93 + 0.1 * (xx * rng.uniform(-1, 1) + yy * rng.uniform(-1, 1)))[..., None]
    img = Image.fromarray(np.clip(img + rng.normal(0, 3, img.shape), 0, 255).astype(np.uint8))
    return img, ImageDraw.Draw(img)


def apple(seed: int) -> np.ndarray:
    """A red apple with a stem and a leaf, alone on a table, its shadow beside it."""
    rng = np.random.default_rng(seed)
    w, h = int(rng.integers(480, 720)), int(rng.integers(480, 720))
    img, d = _table(rng, w, h)
    cx, cy, r = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.45, 0.6), min(w, h) * rng.uniform(0.18, 0.26)
    d.ellipse([cx - r + 12, cy - r * 0.9 + 16, cx + r + 18, cy + r + 16], fill=(120, 110, 100))
    d.ellipse([cx - r, cy - r * 0.9, cx + r, cy + r], fill=(int(rng.integers(170, 220)), 30, 35))
    d.ellipse([cx - r * 0.55, cy - r * 0.6, cx - r * 0.15, cy - r * 0.2], fill=(235, 120, 110))
    d.line([cx, cy - r * 0.85, cx + r * 0.1, cy - r * 1.3], fill=(90, 60, 30), width=max(3, int(r / 12)))
    d.ellipse([cx + r * 0.1, cy - r * 1.35, cx + r * 0.6, cy - r * 1.1], fill=(60, 150, 60))
    return np.asarray(img)


def cup(seed: int) -> np.ndarray:
    """A mug with a handle on a table."""
    rng = np.random.default_rng(seed)
    w, h = int(rng.integers(480, 720)), int(rng.integers(480, 720))
    img, d = _table(rng, w, h)
    colour = tuple(int(v) for v in rng.integers(40, 230, 3))
    x0, y0 = w * rng.uniform(0.3, 0.4), h * rng.uniform(0.3, 0.4)
    x1, y1 = x0 + w * 0.25, y0 + h * 0.32
    d.ellipse([x1 - 10, y0 + (y1 - y0) * 0.2, x1 + (x1 - x0) * 0.45, y0 + (y1 - y0) * 0.7], outline=colour,
              width=max(8, int(w / 50)))
    d.rectangle([x0, y0, x1, y1], fill=colour)
    d.ellipse([x0, y0 - 18, x1, y0 + 18], fill=tuple(max(0, c - 40) for c in colour))
    d.ellipse([x0, y1 - 18, x1, y1 + 18], fill=colour)
    return np.asarray(img)


def ball(seed: int) -> np.ndarray:
    """A striped toy ball on the floor."""
    rng = np.random.default_rng(seed)
    w, h = int(rng.integers(480, 720)), int(rng.integers(480, 720))
    img, d = _table(rng, w, h)
    cx, cy, r = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.4, 0.6), min(w, h) * rng.uniform(0.2, 0.3)
    for k, colour in enumerate([(230, 60, 50), (250, 210, 40), (40, 120, 220), (250, 250, 250)]):
        d.pieslice([cx - r, cy - r, cx + r, cy + r], 90 * k, 90 * (k + 1), fill=colour)
    return np.asarray(img)


# Single objects on a plain backdrop: for tests only, never calibrated or trained on
TABLE_OBJECTS = {"apple": apple, "cup": cup, "ball": ball}


def random_crop(a: np.ndarray, rng) -> np.ndarray:
    h, w = a.shape[:2]
    ch, cw = int(h * rng.uniform(0.5, 0.85)), int(w * rng.uniform(0.5, 0.85))
    y, x = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    out = a[y:y + ch, x:x + cw]
    return out[:, ::-1] if rng.random() < 0.5 else out
