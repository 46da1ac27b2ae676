"""Steps 3 and 4 of the photo pipeline: finding the garment. A colour model of the photo's
border against its centre seeds OpenCV's GrabCut (a plain backdrop is simply thresholded);
thin parts such as hanger hooks are opened away, the largest part kept, holes filled. Two
similar, elongated parts side by side (shoes photographed from above) are a pair: one is
kept, to be turned on its side as Fashion-MNIST shows shoes.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


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


def fill_holes(mask: np.ndarray) -> np.ndarray:
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
    return fill_holes(mask), [fill_holes(p) for p in parts]


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
    parts = [fill_holes((labels == i + 1).astype(np.uint8)) for i in keep[:3]]
    return fill_holes(mask), parts, True, fg == 0


def _plausible(mask: np.ndarray) -> bool:
    """A garment covers between 3 % and 97 % of the photo and does not run along most of its border."""
    frac = float(mask.mean())
    if not 0.03 <= frac <= 0.97:
        return False
    border = np.concatenate([mask[0], mask[-1], mask[:, 0], mask[:, -1]])
    return float(border.mean()) < 0.75


# --- 4. pairs (shoes from above) -----------------------------------------------------------

def elongation(part: np.ndarray) -> tuple[float, float]:
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
    (ea, ang_a), (eb, ang_b) = elongation(a), elongation(b)
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
