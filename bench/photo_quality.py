"""Real-photo quality of a model, on one side of the photographers' split (models/real-photos/):
accuracy as photo_eval counts it, and how far "sure" can be trusted, with the judge fitted on
the validation side as the app fits it.

    python bench/photo_quality.py [MODEL.keras] [--split val|test] [--catalogue N]

`--split val` (the default) is what every choice is made on; `--split test` is scored once
per shipped model (the figure users read). `--catalogue N` also renders N Fashion-MNIST *test*
images as catalogue photos both ways (tests/catalogue.py: a clean white page, and an
off-white, shadowed, tilted JPEG) and reports accuracy, share "sure" and accuracy when sure.

Prints one JSON line: photos (micro, macro, shoes, per kind, photos), sure (coverage and
accuracy of sure answers on garment photos, non-garments sure, AUROC), catalogue, threshold."""
import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from catalogue import clean_photo, shop_photo  # noqa: E402

from fashion.data import load as load_fashion_mnist  # noqa: E402
from fashion.judging.photo_metrics import photo_metrics  # noqa: E402
from fashion.judging.sure_figures import catalogue_figures, sure_figures  # noqa: E402
from fashion.model.classifier import Classifier  # noqa: E402
from fashion.paths import DEFAULT_MODEL  # noqa: E402
from fashion.photos import photoset  # noqa: E402
from fashion.photos.judge import Judge  # noqa: E402
from fashion.photos.pipeline import preprocess  # noqa: E402


def rendered(n: int, render) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(images, found, labels) of the first n Fashion-MNIST test images rendered and put
    through the pipeline."""
    ds = load_fashion_mnist()
    images, found = [], []
    for i in range(n):
        r = preprocess(render(ds.x_test[i], i))
        images.append((r.model_input * 255).round().astype(np.uint8))
        found.append(r.found)
    return np.stack(images), np.array(found), ds.y_test[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model", nargs="?", default=str(DEFAULT_MODEL))
    ap.add_argument("--split", choices=("val", "test"), default="val")
    ap.add_argument("--catalogue", type=int, default=0)
    a = ap.parse_args()
    clf = Classifier.load(a.model)
    side = photoset.shipped().subset(a.split)
    judge = Judge().fit(clf)
    cal = judge.calibration_
    out = {"model": a.model, "split": a.split,
           "photos": photo_metrics(clf.probabilities(side.images), side),
           "sure": sure_figures(clf, judge, a.split),
           "threshold": None if cal is None else round(cal.threshold, 4),
           "calibrated_on": None if cal is None else cal.fitted_on}
    if a.catalogue:
        out["catalogue"] = {name: catalogue_figures(clf, judge, *rendered(a.catalogue, render))
                            for name, render in (("clean", clean_photo), ("shop", shop_photo))}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
