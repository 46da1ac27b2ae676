"""Real-photo quality of a model on the photographers held out of the shipped photos
(models/real-photos/, never trained on): accuracy as photo_eval counts it, and the
not-sure rule measured by grouped cross-validation (fashion/calibration.py).

    python bench/photo_quality.py [MODEL.keras]      # default: the shipped model

Prints one JSON line: held_out (micro, macro, shoes, per kind, photos), sure (coverage and
accuracy of 'sure' answers on garment photos, non-garment pictures and no-class photos
called sure), threshold (the calibrated P(right) at which answers are called sure)."""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fashion.judging.photo_metrics import photo_metrics  # noqa: E402
from fashion.model.classifier import Classifier  # noqa: E402
from fashion.paths import DEFAULT_MODEL  # noqa: E402
from fashion.photos import judge as calibration  # noqa: E402
from fashion.photos import photoset  # noqa: E402


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else str(DEFAULT_MODEL)
    clf = Classifier.load(path)
    held = photoset.shipped().part(True)
    judge = calibration.Judge().fit(clf)
    cal = judge.calibration_
    print(json.dumps({
        "model": path,
        "held_out": photo_metrics(clf.probabilities(held.images), held),
        "sure": calibration.sure_report(lambda x: judge.scores(clf, x),
                                        lambda x: clf.features(x, max_dims=256)),
        "threshold": None if cal is None else round(cal.threshold, 4),
    }))


if __name__ == "__main__":
    main()
