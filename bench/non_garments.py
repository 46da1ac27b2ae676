"""Build the non-garment pictures the not-sure rule is calibrated on (fashion/calibration.py):
random crops of scikit-image's public test pictures (a face, a cat, a cup, a rocket, ...) and
drawn test patterns, screenshots, landscapes and noise, each put through the photo pipeline.

    pip install scikit-image && python bench/non_garments.py      # writes models/real-photos/non_garments.npz

Prints one JSON line: how many pictures, of what, and where they went. The whole pictures
and other drawings are kept for tests/test_calibration.py."""
import io
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from pictures import DRAWINGS, SKIMAGE_PICTURES, random_crop, skimage_picture  # noqa: E402

from fashion.errors import PhotoError  # noqa: E402
from fashion.photos.judge import NON_GARMENTS  # noqa: E402
from fashion.photos.photoset import save_arrays  # noqa: E402
from fashion.photos.pipeline import preprocess  # noqa: E402

CROPS_PER_PICTURE = 6
DRAWING_SEEDS = range(0, 40)


def png(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "PNG")
    return buf.getvalue()


def main() -> None:
    rng = np.random.default_rng(0)
    pictures = []
    for name in SKIMAGE_PICTURES:
        full = skimage_picture(name)
        pictures += [(f"{name}#{k}", random_crop(full, rng)) for k in range(CROPS_PER_PICTURE)]
    for name, draw in DRAWINGS.items():
        pictures += [(f"{name}#{seed}", draw(seed)) for seed in DRAWING_SEEDS]
    images, found, names, refused = [], [], [], []
    for name, a in pictures:
        try:
            r = preprocess(png(a))
        except PhotoError as e:
            refused.append(f"{name}: {e.key}")
            continue
        images.append((r.model_input * 255).round().astype(np.uint8))
        found.append(r.found)
        names.append(name)
    save_arrays(NON_GARMENTS, images=np.stack(images), found=np.array(found), names=np.array(names))
    print(json.dumps({"path": str(NON_GARMENTS.relative_to(REPO)), "pictures": len(images),
                      "garment_found": int(np.sum(found)), "refused": refused}))


if __name__ == "__main__":
    main()
