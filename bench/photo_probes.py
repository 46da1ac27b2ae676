"""Two cheap ways to more real-photo accuracy without training, scored on the validation
photographers only (models/real-photos/; the test photographers are never read here):

    weights   the average of several checkpoints of one training (a "model soup"), batch
              norm recalibrated on Fashion-MNIST and the training photos as after training
    offsets   one offset per class added to the network's log-probabilities on photos,
              fitted by 5-fold cross-validation over validation photographers (each fold
              scored with offsets fitted on the other four), at a few strengths of an L2 pull

    python bench/photo_probes.py weights STAGE.keras STAGE.keras [...]
    python bench/photo_probes.py offsets [MODEL.keras]

Prints one JSON line per variant: micro, macro, shoes, outerwear, dress on the validation
photographers (and Fashion-MNIST's own validation images for weights)."""
import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fashion import data as fm_data  # noqa: E402
from fashion.judging.photo_metrics import photo_metrics  # noqa: E402
from fashion.model.classifier import Classifier  # noqa: E402
from fashion.model.network import softmax  # noqa: E402
from fashion.model.safe_load import load_model  # noqa: E402
from fashion.paths import DEFAULT_MODEL  # noqa: E402
from fashion.photos.photoset import shipped  # noqa: E402
from fashion.training.config import TrainConfig  # noqa: E402
from fashion.training.datasets import split_indices  # noqa: E402
from fashion.training.network import recalibrate_batch_norm  # noqa: E402
from fashion.training.photo_mix import recalibration_images  # noqa: E402

FOLDS = 5


def figures(probabilities: np.ndarray, photos) -> dict:
    m = photo_metrics(probabilities, photos)
    return {"micro": round(m["micro"], 3), "macro": round(m["macro"], 3), "shoes": round(m["shoes"], 3),
            "outwear": round(m["per_kind"].get("outwear", float("nan")), 3),
            "dress": round(m["per_kind"].get("dress", float("nan")), 3)}


def weights(paths: list[str], photo_ratio: float) -> None:
    ds = fm_data.load()
    train_idx, val_idx = split_indices(len(ds.x_train), TrainConfig())
    photos = shipped()
    val = photos.subset("val")
    recal = recalibration_images(ds.x_train[train_idx], photos.subset("train"), photo_ratio, seed=42)
    models = [load_model(p) for p in paths]

    def report(model, name):
        clf = Classifier(model)
        fm = float((clf.probabilities(ds.x_train[val_idx]).argmax(1) == ds.y_train[val_idx]).mean())
        print(json.dumps({"variant": name, "fashion_mnist_val": round(fm, 4), **figures(clf.probabilities(val.images), val)}),
              flush=True)

    for path, model in zip(paths, models):
        report(model, Path(path).name)
    for first in range(len(models) - 1):            # the last k checkpoints averaged, k = 2..n
        soup = load_model(paths[-1])
        kept = [m.get_weights() for m in models[first:]]
        soup.set_weights([np.mean([w[i] for w in kept], axis=0) for i in range(len(kept[0]))])
        recalibrate_batch_norm(soup, recal)
        report(soup, "average of " + " + ".join(Path(p).name for p in paths[first:]))


def fit_offsets(log_p: np.ndarray, accept: np.ndarray, pull: float) -> np.ndarray:
    """Offsets b maximising the mean log-probability of the accepted set of log_p + b."""
    def loss(b):
        p = softmax(log_p + b)
        return -np.log(np.clip((p * accept).sum(axis=1), 1e-9, 1)).mean() + pull * float(b @ b)
    return minimize(loss, np.zeros(log_p.shape[1]), method="L-BFGS-B").x


def offsets(model_path: str) -> None:
    val = shipped().subset("val")
    log_p = np.log(np.clip(Classifier(load_model(model_path)).probabilities(val.images), 1e-7, 1))
    accept = val.accept.astype(float)
    scored = val.scored
    people = val.photographers.astype(str)
    order = np.random.default_rng(0).permutation(np.unique(people[scored]))
    print(json.dumps({"variant": "network alone", **figures(np.exp(log_p), val)}), flush=True)
    for pull in (0.0, 0.01, 0.05):
        answers = np.zeros(len(val), int)
        for k in range(FOLDS):
            held = np.isin(people, order[k::FOLDS])
            fit_on = scored & ~held
            answers[held] = (log_p[held] + fit_offsets(log_p[fit_on], accept[fit_on], pull)).argmax(axis=1)
        print(json.dumps({"variant": f"offsets, pull {pull}", **figures(np.eye(10)[answers], val)}), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("probe", choices=("weights", "offsets"))
    ap.add_argument("models", nargs="*")
    ap.add_argument("--photo-ratio", type=float, default=0.3, help="weights: the ratio the checkpoints trained at")
    args = ap.parse_args()
    if args.probe == "weights":
        if len(args.models) < 2:
            ap.error("weights needs two or more checkpoints of one training")
        weights(args.models, args.photo_ratio)
    else:
        offsets(args.models[0] if args.models else str(DEFAULT_MODEL))


if __name__ == "__main__":
    main()
