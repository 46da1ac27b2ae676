"""Build the pictures beyond phone photos that the not-sure rule (fashion/photos/judge.py) and
training's outlier exposure learn from, each put through the photo pipeline:

  non_garments.npz  random crops of scikit-image's public test pictures (a face, a cat, a cup,
                    a rocket, ...), drawn test patterns, screenshots, landscapes and noise, and
                    single objects on plain backdrops (bench/object_photos.py: fruit, tools,
                    cups, phones, toys, road signs); each picture's group is split by a stable
                    hash into train (outlier exposure), val (calibration) and test (measurement)
  catalogue.npz     Fashion-MNIST *training* images rendered as catalogue photos (a clean
                    white page, and an off-white, shadowed, tilted JPEG: tests/catalogue.py),
                    for the calibration: a product photo from the internet is a garment too

    pip install scikit-image && apt install fonts-noto-color-emoji && python bench/non_garments.py

Prints one JSON line: how many pictures, of what, and where they went. The whole pictures,
other drawings and rendered *test* images are kept for the tests."""
import io
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from catalogue import clean_photo, shop_photo  # noqa: E402
from object_photos import drawable, object_photo  # noqa: E402
from pictures import DRAWINGS, SKIMAGE_PICTURES, random_crop, skimage_picture  # noqa: E402

from fashion.data import load as load_fashion_mnist  # noqa: E402
from fashion.errors import PhotoError  # noqa: E402
from fashion.photos.calibration_data import CATALOGUE, NON_GARMENTS, split_of_picture  # noqa: E402
from fashion.photos.photoset import save_arrays  # noqa: E402
from fashion.photos.pipeline import preprocess  # noqa: E402

CROPS_PER_PICTURE = 6
DRAWING_SEEDS = range(0, 40)
OBJECT_VARIANTS = 3                 # backdrops per object
CATALOGUE_IMAGES = 400              # Fashion-MNIST training images, each rendered both ways


def png(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "PNG")
    return buf.getvalue()


def through_pipeline(pictures: list[tuple[str, bytes]]):
    """(images, found, kept names, refused) of encoded pictures put through the app's pipeline."""
    images, found, names, refused = [], [], [], []
    for name, data in pictures:
        try:
            r = preprocess(data)
        except PhotoError as e:
            refused.append(f"{name}: {e.key}")
            continue
        images.append((r.model_input * 255).round().astype(np.uint8))
        found.append(r.found)
        names.append(name)
    return images, found, names, refused


def jpeg(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG", quality=85)
    return buf.getvalue()


def main() -> None:
    rng = np.random.default_rng(0)
    pictures = []
    for name in SKIMAGE_PICTURES:
        full = skimage_picture(name)
        pictures += [(f"{name}#{k}", png(random_crop(full, rng))) for k in range(CROPS_PER_PICTURE)]
    for name, draw in DRAWINGS.items():
        pictures += [(f"{name}#{seed}", png(draw(seed))) for seed in DRAWING_SEEDS]
    objects = drawable()
    for i, (name, char) in enumerate(sorted(objects.items())):
        pictures += [(f"object-{name}#{k}", jpeg(object_photo(char, 1000 * i + k))) for k in range(OBJECT_VARIANTS)]
    images, found, names, refused = through_pipeline(pictures)
    split = np.array([split_of_picture(n) for n in names], dtype="<U5")
    save_arrays(NON_GARMENTS, images=np.stack(images), found=np.array(found), names=np.array(names), split=split)

    ds = load_fashion_mnist()
    pick = np.sort(np.random.default_rng(1).choice(len(ds.x_train), CATALOGUE_IMAGES, replace=False))
    renders = [(f"{kind}#{i}", render(ds.x_train[i], int(i))) for i in pick
               for kind, render in (("clean", clean_photo), ("shop", shop_photo))]
    cat_images, cat_found, cat_names, cat_refused = through_pipeline(renders)
    labels = np.array([int(ds.y_train[int(n.split("#")[1])]) for n in cat_names])
    save_arrays(CATALOGUE, images=np.stack(cat_images), found=np.array(cat_found), names=np.array(cat_names),
                labels=labels)
    print(json.dumps({"path": str(NON_GARMENTS.relative_to(REPO)), "pictures": len(images),
                      "objects": sum(n.startswith("object-") for n in names),
                      "split": {s: int((split == s).sum()) for s in ("train", "val", "test")},
                      "garment_found": int(np.sum(found)), "refused": refused,
                      "catalogue": {"path": str(CATALOGUE.relative_to(REPO)), "pictures": len(cat_images),
                                    "refused": cat_refused}}))


if __name__ == "__main__":
    main()
