"""The not-sure rule: one calibrated probability, "sure" only where answers are right at
least 90 % of the time on photographers the model never saw and nothing was tuned on;
non-garment pictures (a face, a cat, a cup, a rocket, an apple on a table, a landscape, a
screenshot, a test pattern) not sure; catalogue photos of clear cases sure."""
import io

import numpy as np
import pytest
from pictures import TABLE_OBJECTS
from PIL import Image

from fashion.data import load
from fashion.judging.sure_figures import sure_figures
from fashion.model.classifier import Classifier
from fashion.model.registry import DEFAULT_MODEL
from fashion.photos import judge as calibration
from fashion.photos import predict
from fashion.photos.judge import Judge
from fashion.photos.photoset import shipped


def png(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def model():
    """The shipped model's Classifier and its fitted Judge, built once as the app keeps them."""
    classifier = Classifier.load(DEFAULT_MODEL)
    return classifier, Judge().fit(classifier)


# --- the pieces -----------------------------------------------------------------------------------

def test_threshold_is_the_lowest_that_keeps_the_precision():
    conf = np.array([0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5])
    right = np.array([1, 1, 1, 1, 0, 0, 1], float)
    assert calibration.choose_threshold(conf, right, 1.0) == 0.8        # the top 4 are all right
    assert calibration.choose_threshold(conf, right, 0.8) == 0.7        # 4 of the top 5
    assert calibration.choose_threshold(conf, np.zeros(7), 0.9) == 1.0  # never right: never sure


def test_threshold_keeps_pictures_with_no_right_answer_out():
    conf = np.array([0.99, 0.97, 0.95, 0.9, 0.85, 0.8])
    right = np.array([1, 1, 0, 1, 1, 1], float)
    garment = np.array([1, 1, 0, 1, 1, 1], bool)                        # the third is a cat
    assert calibration.choose_threshold(conf, right, 0.9, garment, max_other=0.0) == 0.97
    assert calibration.choose_threshold(conf, right, 0.9, garment, max_other=1.0) == 0.8


def test_fitted_probabilities_follow_the_frequencies():
    rng = np.random.default_rng(0)
    n = 4000
    top = rng.uniform(0.2, 1.0, n)
    probs = np.zeros((n, 10))
    probs[:, 0] = top
    probs[:, 1:] = ((1 - top) / 9)[:, None]
    right = rng.random(n) < top ** 2                          # right more often when more confident
    cal = calibration.fit(probs, None, np.ones(n, bool), right)
    p = cal.probability(probs, None, np.ones(n, bool))
    for lo, hi in [(0.0, 0.3), (0.3, 0.6), (0.6, 1.0)]:
        band = (p >= lo) & (p < hi)
        if band.sum() > 100:
            assert abs(right[band].mean() - p[band].mean()) < 0.06
    sure = p >= cal.threshold
    assert right[sure].mean() >= calibration.TARGET_PRECISION - 1e-9


# --- the shipped model ------------------------------------------------------------------------------

def test_shipped_model_is_calibrated_on_validation_pictures_only(model):
    """Fitted on the validation photographers' photos, the validation non-garments and the
    catalogue renders: never on a test photographer (fashion/photos/calibration_data.py)."""
    cal = model[1].calibration_
    assert cal is not None, "calibration pictures missing (models/real-photos/)"
    assert cal.fitted_on["held_out_photos"] == len(shipped().subset("val"))
    assert cal.fitted_on["non_garments"] > 100 and cal.fitted_on["catalogue_photos"] > 100
    assert 0.3 < cal.threshold < 1.0


def test_sure_answers_on_test_photographers(model):
    """On the test photographers (never trained or tuned on) and the test non-garments: sure
    answers right at least 90 % of the time and hardly any non-garment picture sure — the
    promises. Coverage and AUROC are guarded at the shipped model's level (57.7 %, 0.920:
    README, The shipped model), below what the next model should reach (80 %, 0.93)."""
    report = sure_figures(*model, "test")
    assert report["garment_photos"] > 200 and report["non_garments"] > 100, report
    assert report["sure_accuracy"] >= 0.90, report
    assert report["non_garments_sure_share"] <= 0.03, report
    assert report["sure_coverage"] >= 0.52, report
    assert report["auroc"] >= 0.90, report


@pytest.mark.parametrize("name", sorted(TABLE_OBJECTS))
def test_an_object_alone_on_a_table_is_not_sure(model, name):
    """An apple, a mug, a toy ball on a plain table (drawn here, never calibrated on)."""
    preds = predict.classify_photos(*model, [png(TABLE_OBJECTS[name](seed)) for seed in range(1000, 1003)])
    assert all(p.error is not None or not p.sure for p in preds), [(p.label, p.confidence) for p in preds]


@pytest.mark.parametrize("render", ["clean", "shop"])
def test_catalogue_photos_of_clear_cases_are_sure(model, render):
    """Fashion-MNIST *test* images rendered as product photos (the calibration saw only
    training images): clear trousers, bags and ankle boots (the network sure of the raw image)
    answered right and sure as photos."""
    from catalogue import clean_photo, shop_photo
    draw = {"clean": clean_photo, "shop": shop_photo}[render]
    ds = load()
    clf = model[0]
    first = np.concatenate([np.flatnonzero(ds.y_test == c)[:20] for c in (1, 8, 9)])
    raw = clf.probabilities(ds.x_test[first])            # clear: the network is sure of the raw image
    clear = first[(raw.argmax(axis=1) == ds.y_test[first]) & (raw.max(axis=1) >= 0.9)]
    picks = [int(i) for c in (1, 8, 9) for i in clear[ds.y_test[clear] == c][:3]]
    assert len(picks) == 9
    preds = predict.classify_photos(*model, [draw(ds.x_test[i], i) for i in picks])
    assert [p.label for p in preds] == [int(ds.y_test[i]) for i in picks]
    assert all(p.sure for p in preds), [(p.label, round(p.confidence, 3)) for p in preds]


@pytest.mark.parametrize("name", ["astronaut", "chelsea", "coffee", "rocket", "camera", "page"])
def test_non_garment_pictures_are_not_sure(model, name):
    pytest.importorskip("skimage")
    from pictures import skimage_picture
    (p,) = predict.classify_photos(*model, [png(skimage_picture(name))], names=[name])
    assert p.error is None
    assert not p.sure, f"{name}: sure of {p.label} at {p.confidence:.2f}"
    assert p.reason_text("en")


TROUSER_LIKE_BARS = pytest.mark.xfail(strict=True, reason=(
    "known: the shipped model is sure 'Trouser' (P(right) 0.81) of this colour-bar pattern, whose 28x28 "
    "input is two light vertical bars on black; it sees it as familiar as a photo of trousers (README, "
    "The shipped model). Passes, and so fails here, once a model is no longer sure of it."))


@pytest.mark.parametrize("kind,seed", [(k, s) if (k, s) != ("colour-bars", 1000) else
                                       pytest.param(k, s, marks=TROUSER_LIKE_BARS)
                                       for k in ("colour-bars", "screenshot", "landscape", "noise")
                                       for s in range(1000, 1004)])
def test_drawn_non_garments_are_not_sure(model, kind, seed):
    from pictures import DRAWINGS
    (p,) = predict.classify_photos(*model, [png(DRAWINGS[kind](seed))])
    assert p.error is not None or not p.sure, (p.label, p.confidence)


def test_an_obvious_garment_is_not_told_it_may_be_no_class(model):
    """Catalogue photos of clear Fashion-MNIST test images: answered right and never told
    they may not be one of the 10 classes; the trousers are sure and the T-shirt more
    likely right than not. (The calibration learns from phone photos: a product shot on
    pure white is not what it was fitted on, and may stay just under the 'sure' bar.)"""
    from catalogue import clean_photo
    ds = load()
    picks = [int(np.flatnonzero(ds.y_test == c)[0]) for c in (0, 1, 7, 8, 9)]   # T-shirt, trouser, sneaker, bag, boot
    preds = predict.classify_photos(*model, [clean_photo(ds.x_test[i], i) for i in picks])
    assert all(p.label == ds.y_test[i] for p, i in zip(preds, picks))
    assert preds[1].sure and preds[0].confidence > 0.5
    assert all(p.reason[0] != "photo.reason.unfamiliar" for p in preds)


def test_the_one_number_is_the_calibrated_probability(model, tmp_path):
    from pictures import DRAWINGS
    f = tmp_path / "bars.png"
    f.write_bytes(png(DRAWINGS["colour-bars"](1000)))
    clf, judge = model
    (row,) = predict.classify_files(clf, judge, [str(f)])
    (pred,) = predict.classify_photos(clf, judge, [str(f)])
    cal = judge.calibration_
    probs, z, p_right, threshold, _ = judge.assess(clf, pred.result.model_input[None], np.array([pred.result.found]))
    assert threshold == cal.threshold and 0.0 <= p_right[0] <= 1.0
    assert row["confidence"] == pytest.approx(float(p_right[0]), abs=1e-5)
    assert row["confidence"] == pytest.approx(pred.confidence, abs=1e-5)
    assert row["sure"] == bool(pred.result.found and p_right[0] >= threshold)


def test_warm_up_in_background_fits_the_calibration_once_before_any_photo():
    """The Photo page warms the model up when it opens: the calibration fit and compiled
    passes are paid for before the first upload, once per model however often it asks."""
    clf = Classifier.load(DEFAULT_MODEL)
    judge = Judge()                                  # a fresh judge, as the page caches one: nothing fitted yet
    assert not judge.is_fitted
    first = predict.warm_up_in_background(clf, judge)
    assert predict.warm_up_in_background(clf, judge) is first      # started once
    first.join(timeout=120)
    assert not first.is_alive()
    fitted = judge.calibration_
    assert fitted is not None
    assert judge.fit_once(clf).calibration_ is fitted               # the first photo reuses it
