"""The pipeline is faithful: a Fashion-MNIST image rendered as the catalogue photo it came
from (tests/catalogue.py) and sent through fashion.photos.pipeline.preprocess comes back as (nearly)
the same 28x28 input, so the shipped model classifies it (nearly) as well as the image itself.

Geometry tuned to one folder of phone photos (a width squeeze, say) fails here: that is
what this test is for. 1,000 test images, both renderings, within 1.5 points."""
import numpy as np
import pytest
from catalogue import clean_photo, shop_photo

from fashion.data import load
from fashion.model.classifier import Classifier
from fashion.model.registry import DEFAULT_MODEL
from fashion.photos import pipeline as photo

N_IMAGES = 1000
MAX_DROP = 0.015


@pytest.fixture(scope="module")
def sample():
    dataset = load()
    idx = np.random.default_rng(2026).choice(len(dataset.x_test), N_IMAGES, replace=False)
    return dataset.x_test[idx], dataset.y_test[idx]


@pytest.fixture(scope="module")
def classifier():
    return Classifier.load(DEFAULT_MODEL)


@pytest.fixture(scope="module")
def raw_accuracy(sample, classifier):
    x, y = sample
    return float((classifier.probabilities(x).argmax(1) == y).mean())


@pytest.mark.parametrize("render", [clean_photo, shop_photo], ids=["clean", "shop"])
def test_catalogue_photos_score_as_the_images_themselves(render, sample, classifier, raw_accuracy):
    x, y = sample
    inputs = np.stack([photo.preprocess(render(img, i)).model_input for i, img in enumerate(x)])
    accuracy = float((classifier.probabilities(inputs).argmax(1) == y).mean())
    assert accuracy >= raw_accuracy - MAX_DROP, (
        f"{render.__name__}: {accuracy:.4f} through the pipeline vs {raw_accuracy:.4f} raw "
        f"(drop {100 * (raw_accuracy - accuracy):.1f} points > {100 * MAX_DROP} allowed)")
    # and the images themselves come back close, pixel for pixel
    assert float(np.abs(inputs - x / 255.0).mean()) < 0.12


def test_rendering_is_deterministic(sample):
    x, _ = sample
    a = photo.preprocess(shop_photo(x[0], 0)).model_input
    b = photo.preprocess(shop_photo(x[0], 0)).model_input
    assert np.array_equal(a, b)
