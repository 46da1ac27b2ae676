"""The honest protocol: photographers split three ways (train / validation / test), the test
photographers never reach training, validation choices or the not-sure calibration, and the
figure the app shows is the shipped model's stored test figure."""
import json

import numpy as np
import pytest

from fashion.judging.photo_metrics import held_out_metrics
from fashion.model.classifier import Classifier
from fashion.model.registry import DEFAULT_MODEL
from fashion.photos import photoset
from fashion.photos.calibration_data import calibration_set, load_non_garments, outlier_pictures, split_of_picture
from fashion.photos.photoset import shipped, split_of
from fashion.training.photo_mix import with_outliers


@pytest.fixture(scope="module")
def photos():
    return shipped()


def test_every_photographer_is_on_one_side(photos):
    sides = photos.splits
    assert set(sides.tolist()) == {"train", "val", "test"}
    for who in set(photos.photographers.tolist()) - {""}:
        mine = set(sides[photos.photographers == who].tolist())
        assert mine == {split_of(who)}, (who, mine)
    assert np.array_equal(photos.holdout, sides != "train")


def test_the_split_is_stable_and_mostly_training():
    # pinned: a change of salt or shares would move photographers between sides (and the shipped
    # arrays, card and figures would no longer match them)
    assert [split_of(p) for p in ("1", "2", "5", "181", "12")] == ["val", "train", "test", "train", "test"]
    shares = np.array([split_of(str(p)) for p in range(5000)])
    assert 0.15 < (shares == "test").mean() < 0.25 and 0.15 < (shares == "val").mean() < 0.25
    assert split_of("") == "train"


def test_test_photographers_never_reach_training_or_calibration(photos):
    test_people = set(photos.subset("test").photographers.tolist()) - {""}
    assert len(test_people) >= 30
    trained = with_outliers(photos.part(False), outlier_pictures())
    assert not test_people & set(trained.photographers.tolist())
    calibrated = calibration_set("val")
    groups = {g[3:] for g in calibrated.groups.tolist() if g.startswith("ph:")}
    assert groups and not test_people & groups
    assert not set(photos.subset("val").photographers.tolist()) & set(trained.photographers.tolist()) - {""}


def test_non_garment_pictures_are_split_by_picture():
    every = load_non_garments(None)
    assert every is not None and len(every) > 900
    sides = {s: {g for g in load_non_garments(s).groups.tolist()} for s in ("train", "val", "test")}
    assert not sides["train"] & sides["val"] and not sides["train"] & sides["test"] and not sides["val"] & sides["test"]
    assert split_of_picture("object-apple#0") == split_of_picture("object-apple#2")
    assert {g for g in outlier_pictures().groups.tolist()} == sides["train"]


def test_build_keeps_each_photographer_on_one_side_across_folders(tmp_path):
    """Two folders sharing a photographer: their photos land on the same side."""
    from PIL import Image
    rows = {}
    for folder, who in (("a", ["p1", "p2"]), ("b", ["p1", "p3"])):
        root = tmp_path / folder
        (root / "pants").mkdir(parents=True)
        lines = ["photo,photographer"]
        for k, p in enumerate(who):
            im = np.full((120, 80, 3), 235, np.uint8)
            im[10:110, 20 + 3 * k:60] = (40, 40, 90 + 50 * (folder == "b"))
            Image.fromarray(im).save(root / "pants" / f"{p}-{k}.png")
            lines.append(f"pants/{p}-{k}.png,{p}")
        (root / "photographers.csv").write_text("\n".join(lines) + "\n")
        rows[folder] = root
    (rows["b"] / "pants" / "same.png").write_bytes((rows["a"] / "pants" / "p1-0.png").read_bytes())
    with open(rows["b"] / "photographers.csv", "a") as f:
        f.write("pants/same.png,p1\n")
    built = photoset.build([rows["a"], rows["b"]], cache=False)
    assert len(built) == 4 and built.source == "a+b"          # the photo found in both folders kept once
    for who in ("p1", "p2", "p3"):
        assert set(built.splits[built.photographers == who].tolist()) == {split_of(who)}
    again = photoset.load(photoset.save(built, tmp_path / "p.npz"))
    assert np.array_equal(again.splits, built.splits)


def test_the_shown_figure_is_the_stored_test_figure(photos):
    """The shipped card's real-photo figure is the test photographers' figure, measured on the
    arrays that ship, and the card says which photos it learned from."""
    card = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text())
    assert card["photos"]["sha256"] == photos.digest()
    assert card["photos"]["test"] == len(photos.subset("test"))
    figures = held_out_metrics(Classifier.load(DEFAULT_MODEL))
    shown = card["real_photo_metrics"]
    assert figures["split"] == "test" and shown["photos"] == figures["photos"]
    assert shown["micro"] == pytest.approx(figures["micro"], abs=1e-6)
    assert shown["macro"] == pytest.approx(figures["macro"], abs=1e-6)
    assert shown["validation.micro"] == pytest.approx(figures["validation"]["micro"], abs=1e-6)
