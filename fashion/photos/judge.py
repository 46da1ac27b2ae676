"""A "not sure" a class can trust: the calibrated probability that an answer is right.

A network's top probability is not the chance it is right on a phone photo: trained on
catalogue images, it is as sure of a cat as of a shoe. So for each model we learn, from
pictures it has never been trained on, how its own signals relate to being right:

    inputs    the validation photographers' photos (never the test photographers':
              fashion/photos/calibration_data.py): right when the answer is one a person
              accepts, wrong otherwise; photos of hats, shorts and skirts (no Fashion-MNIST
              class) and the validation non-garment pictures (an animal, a face, a cup, an
              apple or a toy on a table, a landscape, a screenshot): always wrong;
              Fashion-MNIST training images rendered as catalogue photos: right = their label
    signals   log-odds of the top probability, log-ratio of the top two, the energy
              z-score (how familiar the input is to the network, see fashion/predict.py),
              whether a garment was found in the photo, and how close the network's own
              view of the input (the features its classifier reads) lies to what it was
              trained on (cosine similarity to the 20th-nearest training photo and
              Fashion-MNIST image, as in Sun et al. 2022, "OOD detection with deep nearest
              neighbours") — a cat may be confidently "Bag", but no bag the network has
              seen looks like it from the inside
    model     logistic regression -> P(right), the one number users see
    sure      P(right) >= threshold, the lowest threshold at which the answers it
              calls sure were right at least TARGET_PRECISION of the time

Fitting takes seconds (about 8,000 small inputs through the network): a `Judge` is fitted
once per model, kept on disk beside the model file (judge_store: `fit_once` reads it there
when it was fitted from the same model and pictures) and in memory by whoever holds the
model (the app: st.cache_resource; the command line: for the run), then passed in with
the Classifier:

    judge = Judge().fit_once(classifier)     # kept beside the model, or fitted (and kept)
    judge.energy_reference_, judge.calibration_       # the fitted state
    probs, z, p_right, threshold, unfamiliar = judge.assess(classifier, x, found)

Where the calibration pictures are missing, `calibration_` is None and the caller falls
back to its own rule.
"""
from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass

import numpy as np

from fashion.data import load
from fashion.errors import DatasetError
from fashion.photos import judge_store
from fashion.photos.calibration_data import CalibrationSet, calibration_set
from fashion.photos.energy import REFERENCE_IMAGES, photo_scores, reference_energy
from fashion.photos.photoset import PhotoSetError, shipped

TARGET_PRECISION = 0.92     # a margin over the 90 % promised: the held-out set is a few hundred photos
MAX_OTHER_SURE = 0.03       # of pictures with no right answer (non-garments, hats...) allowed to be 'sure'
Z_CLIP = 8.0
FEATURE_DIMS = 256          # the features the distance signal compares, projected to at most this width


@dataclass
class Reference:
    """Where the network's features of what it was trained on lie: the (unit-length)
    features of the phone photos it was trained on and of a sample of Fashion-MNIST, kept
    in half precision (a similarity needs no more, and the kept judge is half the size)."""
    photos: np.ndarray          # (P, D) float16, unit rows
    catalogue: np.ndarray       # (C, D) float16, unit rows

    def similarity(self, feats: np.ndarray) -> np.ndarray:
        """(N, 2): cosine similarity to the K-th nearest training photo and to the K-th
        nearest Fashion-MNIST image (how densely the network has seen such inputs)."""
        f = _unit(feats)
        out = np.zeros((len(f), 2))
        for j, ref in enumerate((self.photos, self.catalogue)):
            if len(ref) >= NEIGHBOURS:
                sims = f @ ref.T.astype(np.float32)
                out[:, j] = -np.partition(-sims, NEIGHBOURS - 1, axis=1)[:, NEIGHBOURS - 1]
        return out


REFERENCE_FM_IMAGES = 3000      # Fashion-MNIST training images (seeded) behind a Reference
NEIGHBOURS = 20


def _unit(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a, np.float32)
    return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-9)


def reference_of(embed) -> Reference | None:
    """A Reference from `embed(images uint8) -> (N, D)` over the shipped photos trained on
    (those of a Fashion-MNIST kind) and Fashion-MNIST training images."""
    photos = catalogue = np.zeros((0, 1), np.float16)
    try:
        trained = shipped().part(False)
        photos = _unit(embed(trained.images[trained.scored])).astype(np.float16)
    except PhotoSetError:
        pass
    try:
        ds = load()
        idx = np.sort(np.random.default_rng(0).choice(len(ds.x_train), REFERENCE_FM_IMAGES, replace=False))
        catalogue = _unit(embed(ds.x_train[idx])).astype(np.float16)
    except DatasetError:
        pass
    if len(photos) < NEIGHBOURS and len(catalogue) < NEIGHBOURS:
        return None
    return Reference(photos, catalogue)


@dataclass
class Calibration:
    mean: np.ndarray            # (9,) feature standardisation
    scale: np.ndarray           # (9,)
    weights: np.ndarray         # (9,) logistic regression on standardised features
    bias: float
    threshold: float            # P(right) at or above which an answer is called sure
    uses_energy: bool           # False when the network's energy reference was unavailable
    fitted_on: dict             # counts of what it was fitted on
    reference: Reference | None = None   # for the distance signal (None: not used)
    familiar_floor: float | None = None  # likeness below which 19 in 20 garment photos lie above

    def familiarity(self, distance: np.ndarray | None) -> np.ndarray | None:
        """(N,) how much the network's view of each input is like what it learned from: the
        larger of its two Reference similarities (None without a Reference)."""
        if self.reference is None or distance is None:
            return None
        return np.asarray(distance, np.float64).reshape(-1, 2).max(axis=1)

    def unfamiliar(self, distance: np.ndarray | None) -> np.ndarray | None:
        """(N,) True where an input is less like what the network learned from than 95 % of
        real garment photos are: a reason to say it may not be one of the 10 classes."""
        f = self.familiarity(distance)
        if f is None or self.familiar_floor is None:
            return None
        return f < self.familiar_floor

    def probability(self, probabilities: np.ndarray, z: np.ndarray | None, found: np.ndarray,
                    distance: np.ndarray | None = None) -> np.ndarray:
        """(N,) calibrated P(right) for (N, 10) probabilities, energy z-scores, found flags
        and feature similarities (Reference.similarity)."""
        f = features(probabilities, z if self.uses_energy else None, found,
                     distance if self.reference is not None else None)
        f = (f - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(f @ self.weights + self.bias)))

    def to_dict(self) -> dict:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist(), "weights": self.weights.tolist(),
                "bias": self.bias, "threshold": self.threshold, "uses_energy": self.uses_energy,
                "uses_distance": self.reference is not None, "fitted_on": self.fitted_on}


def features(probabilities: np.ndarray, z: np.ndarray | None, found: np.ndarray,
             distance: np.ndarray | None = None) -> np.ndarray:
    """(N, 9): log-odds of the top probability, log(top / second), energy z, found, the two
    feature similarities (0 where a signal is unavailable), the larger of them, and each
    times the log-odds (being sure means more when the input is like what was learned)."""
    p = np.clip(np.asarray(probabilities, np.float64), 1e-7, 1 - 1e-7)
    top2 = -np.sort(-p, axis=1)[:, :2]
    z = np.zeros(len(p)) if z is None else np.clip(np.asarray(z, np.float64), -Z_CLIP, Z_CLIP)
    d = np.zeros((len(p), 2)) if distance is None else np.asarray(distance, np.float64).reshape(len(p), 2)
    logit = np.log(top2[:, 0] / (1 - top2[:, 0]))
    return np.concatenate([np.stack([logit, np.log(top2[:, 0] / top2[:, 1]), z,
                                     np.asarray(found, np.float64)], axis=1), d,
                           np.stack([d.max(axis=1), d[:, 1] * logit, d[:, 0] * logit], axis=1)], axis=1)


def features_width() -> int:
    """How many signals `features` gives per input."""
    return features(np.full((1, 10), 0.1), None, np.ones(1, bool)).shape[1]


def choose_threshold(confidence: np.ndarray, right: np.ndarray, target: float = TARGET_PRECISION,
                     garment: np.ndarray | None = None, max_other: float = MAX_OTHER_SURE) -> float:
    """The lowest confidence t such that (1) the garment photos with confidence >= t are
    right at least `target` of the time, and (2) at most `max_other` of the pictures that
    have no right answer (non-garments, hats, shorts, skirts) reach t. 1.0 (never sure) if
    no t does. Without `garment`, every row counts for (1) and (2) is not checked."""
    confidence = np.asarray(confidence, np.float64)
    right = np.asarray(right, np.float64)
    garment = np.ones(len(confidence), bool) if garment is None else np.asarray(garment, bool)
    other = ~garment
    best = 1.0
    for t in np.unique(confidence)[::-1]:                  # from the most confident down
        above = confidence >= t
        g = above & garment
        if g.any() and right[g].mean() < target:
            break                                          # precision only falls further down
        if other.any() and (above & other).sum() > max_other * other.sum():
            break
        best = float(t)
    return best


def fit(probabilities: np.ndarray, z: np.ndarray | None, found: np.ndarray, right: np.ndarray,
        fitted_on: dict | None = None, target: float | None = None, distance: np.ndarray | None = None,
        reference: Reference | None = None, garment: np.ndarray | None = None) -> Calibration:
    """Logistic regression of `right` on the features, then the sure threshold."""
    from sklearn.linear_model import LogisticRegression
    f = features(probabilities, z, found, distance if reference is not None else None)
    mean, scale = f.mean(axis=0), f.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=1000).fit((f - mean) / scale, right.astype(int))
    cal = Calibration(mean=mean, scale=scale, weights=lr.coef_[0].astype(np.float64),
                      bias=float(lr.intercept_[0]), threshold=1.0, uses_energy=z is not None,
                      fitted_on=dict(fitted_on or {}), reference=reference)
    cal.threshold = choose_threshold(cal.probability(probabilities, z, found, distance), right.astype(float),
                                     TARGET_PRECISION if target is None else target,
                                     garment=None if garment is None else garment)
    return cal


def _signals(scores, embed, data: CalibrationSet):
    x = data.images.astype(np.float32) / 255.0
    probs, z = scores(x)
    reference = reference_of(embed) if embed is not None else None
    distance = reference.similarity(embed(data.images)) if reference is not None else None
    right = data.accept[np.arange(len(probs)), probs.argmax(axis=1)]
    return probs, z, distance, reference, right


def calibrate(scores, embed=None, data: CalibrationSet | None = None) -> Calibration | None:
    """Fit a model's calibration; `scores(x)` -> (probabilities, z or None) as in
    fashion.photos.energy.photo_scores, `embed(images)` -> (N, D) the features its classifier
    reads (Classifier.features). None where there is nothing to calibrate on."""
    data = data if data is not None else calibration_set()
    if data is None or len(data.images) < 50:
        return None
    probs, z, distance, reference, right = _signals(scores, embed, data)
    counts = {"held_out_photos": int(((data.kinds != "non-garment") & (data.kinds != "catalogue")).sum()),
              "non_garments": int((data.kinds == "non-garment").sum()),
              "catalogue_photos": int((data.kinds == "catalogue").sum())}
    cal = fit(probs, z, data.found, right, counts, distance=distance, reference=reference,
              garment=data.accept.any(axis=1))
    likeness = cal.familiarity(distance)
    if likeness is not None and data.accept.any(axis=1).any():
        cal.familiar_floor = float(np.percentile(likeness[data.accept.any(axis=1)], 5))
    return cal


def sure_report(scores, embed=None, data: CalibrationSet | None = None, folds: int = 5) -> dict:
    """Honest figures for the not-sure rule: grouped cross-validation (whole photographers
    and whole pictures never on both sides), pooled over folds: of the garment photos of a
    Fashion-MNIST kind, how many are called sure (coverage) and how many of those are right
    (accuracy); how many non-garment pictures and no-class photos are called sure."""
    data = data if data is not None else calibration_set()
    probs, z, distance, reference, right = _signals(scores, embed, data)
    groups = np.unique(data.groups)
    fold_of = {g: i % folds for i, g in enumerate(np.random.default_rng(0).permutation(groups))}
    fold = np.array([fold_of[g] for g in data.groups])
    sure = np.zeros(len(probs), bool)

    def part(a, sel):
        return None if a is None else a[sel]

    for k in range(folds):
        train, test = fold != k, fold == k
        cal = fit(probs[train], part(z, train), data.found[train], right[train],
                  distance=part(distance, train), reference=reference, garment=data.accept[train].any(axis=1))
        sure[test] = (data.found[test] & (cal.probability(probs[test], part(z, test), data.found[test],
                                                          part(distance, test)) >= cal.threshold))
    garment = data.accept.any(axis=1) & (data.kinds != "catalogue")   # phone photos of a Fashion-MNIST kind
    ng = data.kinds == "non-garment"
    no_class = ~data.accept.any(axis=1) & ~ng
    return {"garment_photos": int(garment.sum()),
            "sure_coverage": float(sure[garment].mean()),
            "sure_accuracy": float(right[garment & sure].mean()) if (garment & sure).any() else math.nan,
            "accuracy_all": float(right[garment].mean()),
            "non_garments": int(ng.sum()), "non_garments_sure": int((sure & ng).sum()),
            "no_class_photos": int(no_class.sum()), "no_class_sure": int((sure & no_class).sum())}


# --- the fitted judge of one model ---------------------------------------------------------------

class Judge:
    """The not-sure judge of one model, fitted once and kept (scikit-learn style): `fit`
    returns the judge, whose fitted state is `energy_reference_` (the network's usual
    energy, or None) and `calibration_` (a Calibration, or None without calibration
    pictures). A lock makes a fit in progress on one thread the one every other waits for."""

    def __init__(self, data: CalibrationSet | None = None, reference_images: int = REFERENCE_IMAGES,
                 keep: bool = True):
        self.data = data                            # None: the shipped calibration pictures
        self.reference_images = reference_images
        self.keep = keep                            # False: read a kept judge, never write one
        self.warm_up_thread: threading.Thread | None = None
        self._lock = threading.RLock()
        self._start_lock = threading.Lock()

    def fit(self, classifier) -> "Judge":
        """Measure the network's usual energy, then fit its calibration (a few seconds)."""
        with self._lock:
            reference = reference_energy(classifier, self.reference_images)
            calibration = calibrate(lambda x: photo_scores(classifier, x, reference),
                                    lambda x: classifier.features(x, max_dims=FEATURE_DIMS), self.data)
            self.energy_reference_, self.calibration_ = reference, calibration
        return self

    @property
    def is_fitted(self) -> bool:
        return hasattr(self, "calibration_")

    def fit_once(self, classifier) -> "Judge":
        """`fit` unless already fitted or kept beside the model file (judge_store: read
        there, or fitted and kept there unless `keep` is False); a fit running on another
        thread is waited for."""
        with self._lock:
            if self.is_fitted:
                return self
            keeps = self.data is None and self.reference_images == REFERENCE_IMAGES and classifier.path is not None
            kept = judge_store.read(classifier.path) if keeps else None
            if kept is not None and self._restore(kept):
                return self
            self.fit(classifier)
            if keeps and self.keep:
                judge_store.write(classifier.path, self.state_arrays())
        return self

    def state_arrays(self) -> dict[str, np.ndarray]:
        """The fitted state as arrays (what judge_store keeps)."""
        out = {"energy_reference": np.asarray(self._fitted().energy_reference_ or (), np.float64)}
        cal = self.calibration_
        if cal is not None:
            out.update(mean=cal.mean, scale=cal.scale, weights=cal.weights,
                       numbers=np.array([cal.bias, cal.threshold, float(cal.uses_energy),
                                         np.nan if cal.familiar_floor is None else cal.familiar_floor]),
                       fitted_on=np.str_(json.dumps(cal.fitted_on)))
            if cal.reference is not None:
                out.update(reference_photos=cal.reference.photos, reference_catalogue=cal.reference.catalogue)
        return out

    def _restore(self, a: dict[str, np.ndarray]) -> bool:
        """Take the fitted state from state_arrays' output; False (nothing taken) if malformed."""
        try:
            energy = tuple(float(v) for v in a["energy_reference"])
            cal = None
            if "mean" in a:
                bias, threshold, uses_energy, floor = (float(v) for v in a["numbers"])
                reference = (Reference(a["reference_photos"].astype(np.float16),
                                       a["reference_catalogue"].astype(np.float16))
                             if "reference_photos" in a else None)
                cal = Calibration(mean=a["mean"].astype(np.float64), scale=a["scale"].astype(np.float64),
                                  weights=a["weights"].astype(np.float64), bias=bias, threshold=threshold,
                                  uses_energy=bool(uses_energy), fitted_on=json.loads(str(a["fitted_on"])),
                                  reference=reference, familiar_floor=None if math.isnan(floor) else floor)
                if not (cal.mean.shape == cal.scale.shape == cal.weights.shape == (features_width(),)):
                    return False
        except (KeyError, ValueError, TypeError):
            return False
        self.energy_reference_ = energy if len(energy) == 2 else None
        self.calibration_ = cal
        return True

    def scores(self, classifier, x: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """(probabilities, energy z-score or None) for (N, 28, 28) inputs in [0, 1]."""
        return photo_scores(classifier, x, self._fitted().energy_reference_)

    def assess(self, classifier, x: np.ndarray, found: np.ndarray):
        """(probabilities, z, P(right) or None, threshold or None, unfamiliar (N,) bool or None)
        for (N, 28, 28) inputs and their found flags."""
        probs, z = self.scores(classifier, x)
        cal = self.calibration_
        if cal is None:
            return probs, z, None, None, None
        distance = (cal.reference.similarity(classifier.features(x, max_dims=FEATURE_DIMS))
                    if cal.reference is not None else None)
        return probs, z, cal.probability(probs, z, found, distance), cal.threshold, cal.unfamiliar(distance)

    def warm_up(self, classifier) -> None:
        """Pay now what the first photo would otherwise pay: the fit and the tracing of the
        compiled passes (2-3 s of CPU on a laptop core)."""
        self.fit_once(classifier)
        self.assess(classifier, np.zeros((1, 28, 28), np.float32), np.array([True]))

    def start_warm_up(self, classifier) -> threading.Thread:
        """`warm_up` on a daemon thread, started once per judge (`warm_up_thread`; asking again
        returns it). A failure is left for the foreground call, which explains it."""
        def run() -> None:
            try:
                self.warm_up(classifier)
            except Exception:
                pass

        with self._start_lock:
            if self.warm_up_thread is None:
                self.warm_up_thread = threading.Thread(target=run, name="fashion-warm-up", daemon=True)
                self.warm_up_thread.start()
            return self.warm_up_thread

    def _fitted(self) -> "Judge":
        if not self.is_fitted:
            raise RuntimeError("this Judge is not fitted yet: call fit(classifier) or fit_once(classifier) first")
        return self

