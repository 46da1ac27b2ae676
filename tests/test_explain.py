"""Unit tests of fashion/explain.py: shapes for every architecture (plain and flip-TTA
wrapped, in memory and reloaded from disk), and Grad-CAM against synthetic models whose
evidence region is known by construction."""
from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import pytest
from keras import layers

from fashion.judging import explain as ex
from fashion.model import architectures as models
from fashion.model import registry, safe_load
from pages.ui import display

RNG = np.random.default_rng(0)


# --- a model whose evidence is known: class 0 reads the top-left quadrant, class 1 the bottom-right --

def quadrant_model(scale: float = 1.0) -> keras.Model:
    """Identity 3x3 conv (so the 'feature map' is the image itself), then a Dense layer
    whose class-0 weights cover only the top-left quadrant and class-1 weights only the
    bottom-right one; all other weights are zero. Scores depend on nothing else."""
    inputs = keras.Input((28, 28, 1))
    x = layers.Conv2D(1, 3, padding="same", use_bias=False, name="conv")(inputs)
    x = layers.Flatten(name="flatten")(x)
    outputs = layers.Dense(10, activation="softmax", name="classifier")(x)
    model = keras.Model(inputs, outputs, name="quadrants")
    kernel = np.zeros((3, 3, 1, 1), np.float32)
    kernel[1, 1, 0, 0] = 1.0
    model.get_layer("conv").set_weights([kernel])
    w = np.zeros((28, 28, 10), np.float32)
    w[:14, :14, 0] = scale
    w[14:, 14:, 1] = scale
    model.get_layer("classifier").set_weights([w.reshape(784, 10), np.zeros(10, np.float32)])
    return model


def four_blobs() -> np.ndarray:
    """The same bright square in the middle of each quadrant."""
    img = np.zeros((28, 28), np.float32)
    for r in (4, 18):
        for c in (4, 18):
            img[r:r + 6, c:c + 6] = 1.0
    return img


def quadrant_mass(cam: np.ndarray) -> dict:
    return {"tl": cam[:14, :14].sum(), "tr": cam[:14, 14:].sum(),
            "bl": cam[14:, :14].sum(), "br": cam[14:, 14:].sum()}


def test_grad_cam_peaks_where_the_model_looks():
    model = quadrant_model()
    img = four_blobs()
    for class_index, quadrant in ((0, "tl"), (1, "br")):
        cam = ex.grad_cam(model, img, class_index)
        assert cam.shape == (28, 28) and cam.dtype == np.float32
        assert cam.min() >= 0.0 and cam.max() == pytest.approx(1.0)
        peak = np.unravel_index(np.argmax(cam), cam.shape)
        in_quadrant = (peak[0] < 14) == (quadrant[0] == "t") and (peak[1] < 14) == (quadrant[1] == "l")
        assert in_quadrant, (class_index, peak)
        mass = quadrant_mass(cam)
        others = sum(v for k, v in mass.items() if k != quadrant)
        assert mass[quadrant] > 20 * others, mass     # the identical decoy blobs stay dark


def test_grad_cam_survives_a_saturated_softmax():
    """Scores are taken before the softmax, so a 100 % prediction still has a map."""
    model = quadrant_model(scale=100.0)
    img = four_blobs()
    img[14:, 14:] = 0.0                          # no bottom-right blob: class 0 wins outright
    assert float(np.asarray(model(img[None, :, :, None]))[0].max()) == pytest.approx(1.0)
    cam = ex.grad_cam(model, img, 0)
    assert cam.max() == pytest.approx(1.0)
    mass = quadrant_mass(cam)
    assert mass["tl"] > 20 * (mass["tr"] + mass["bl"])


def test_classic_grad_cam_cannot_tell_the_decoys_apart():
    """Why element-wise weighting is the default: one weight per channel lights up every
    blob the channel responds to, used or not."""
    cam = ex.grad_cam(quadrant_model(), four_blobs(), 0, method="classic")
    mass = quadrant_mass(cam)
    assert min(mass.values()) > 0.9 * max(mass.values())


def test_grad_cam_of_flip_tta_averages_image_and_mirror():
    """The wrapper also scores the mirror image, whose top-left is the original's top-right."""
    model = models.with_flip_tta(quadrant_model())
    assert ex.is_flip_tta(model)
    cam = ex.grad_cam(model, four_blobs(), 0)
    mass = quadrant_mass(cam)
    assert mass["tl"] == pytest.approx(mass["tr"], rel=0.05)
    assert mass["tl"] > 20 * (mass["bl"] + mass["br"])


def test_grad_cam_of_a_frozen_model():
    """Gradients are taken from the image on, so frozen layers (transfer learning) still
    give the same map as trainable ones."""
    model = quadrant_model()
    trainable = ex.grad_cam(model, four_blobs(), 0)
    frozen = quadrant_model()
    frozen.trainable = False
    np.testing.assert_allclose(ex.grad_cam(frozen, four_blobs(), 0), trainable, atol=1e-6)


def test_grad_cam_defaults_to_the_predicted_class():
    model = quadrant_model()
    img = np.zeros((28, 28), np.float32)
    img[16:26, 16:26] = 1.0                      # only bottom-right: class 1 wins
    assert int(np.argmax(np.asarray(model(img[None, :, :, None]))[0])) == 1
    np.testing.assert_allclose(ex.grad_cam(model, img), ex.grad_cam(model, img, 1))


def test_element_equals_classic_after_global_average_pooling():
    """With global average pooling every place gets the same gradient, so both variants agree."""
    keras.utils.set_random_seed(1)
    inputs = keras.Input((28, 28, 1))
    x = layers.Conv2D(8, 3, activation="relu")(inputs)
    x = layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
    img = RNG.random((28, 28)).astype(np.float32)
    nonzero = 0
    for c in range(10):
        a, b = ex.grad_cam(model, img, c), ex.grad_cam(model, img, c, method="classic")
        np.testing.assert_allclose(a, b, atol=1e-4)
        nonzero += a.max() > 0
    assert nonzero > 0


# --- every architecture, plain and wrapped --------------------------------------------------

@pytest.fixture(scope="module")
def zoo():
    keras.utils.set_random_seed(0)
    built = {name: models.build(name) for name in models.ARCHITECTURES}
    built["custom_nopool"] = models.build("custom", conv_blocks=1, filters=4, pooling="none", dense_units=8)
    return built


@pytest.mark.parametrize("name", list(models.ARCHITECTURES) + ["custom_nopool"])
@pytest.mark.parametrize("wrapped", [False, True])
def test_every_architecture(zoo, name, wrapped):
    base = zoo[name]
    model = models.with_flip_tta(base) if wrapped else base
    img = RNG.random((28, 28)).astype(np.float32)

    assert ex.unwrap(model) is base
    assert ex.is_flip_tta(model) == wrapped

    table = ex.layer_table(model)
    assert sum(r["params"] for r in table) == base.count_params()
    assert all(r["output_shape"] for r in table)

    convs = ex.conv_layers(model)
    assert convs and set(convs) <= set(ex.spatial_layers(model))
    maps = ex.feature_maps(model, img)
    assert [n for n, _ in maps] == convs
    for n, fmap in maps:
        assert fmap.ndim == 3 and fmap.shape[-1] == base.get_layer(n).filters
        assert fmap.dtype == np.float32

    filters = ex.first_layer_filters(model)
    first = base.get_layer(convs[0])
    assert filters.shape == (first.filters,) + tuple(first.kernel_size)

    assert ex.gradcam_layer(model) in ex.spatial_layers(model)
    cam = ex.grad_cam(model, img)
    assert cam.shape == (28, 28) and cam.dtype == np.float32
    assert 0.0 <= cam.min() and cam.max() <= 1.0
    other = ex.grad_cam(model, img, 3, layer_name=convs[0], method="classic")
    assert other.shape == (28, 28)

    feats = ex.penultimate_features(model, RNG.random((5, 28, 28)).astype(np.float32))
    classifier = [layer for layer in base.layers if isinstance(layer, layers.Dense)][-1]
    assert feats.shape == (5, int(np.prod(classifier.input.shape[1:])))


def test_reloaded_tta_model_is_explained_like_the_original(studio_home):
    keras.utils.set_random_seed(0)
    model = models.with_flip_tta(models.build("custom", conv_blocks=2, filters=4, dense_units=8))
    path = registry.save_model(model, {"test_metrics": {}}, "tiny-tta")
    loaded = safe_load.load_model(path)
    img = RNG.random((28, 28)).astype(np.float32)
    assert ex.is_flip_tta(loaded)
    assert ex.conv_layers(loaded) == ex.conv_layers(model)
    for c in (0, 5):
        np.testing.assert_allclose(ex.grad_cam(loaded, img, c), ex.grad_cam(model, img, c), atol=1e-5)
    np.testing.assert_allclose(ex.penultimate_features(loaded, img[None]), ex.penultimate_features(model, img[None]),
                               atol=1e-5)


# --- inputs, features, projections, pictures ------------------------------------------------

def test_inputs_are_validated():
    model = quadrant_model()
    with pytest.raises(ex.ExplainError, match="28x28"):
        ex.grad_cam(model, np.zeros((32, 32), np.float32))
    with pytest.raises(ex.ExplainError, match=r"\[0, 1\]"):
        ex.grad_cam(model, np.full((28, 28), 3.0, np.float32))
    with pytest.raises(ex.ExplainError, match="class_index"):
        ex.grad_cam(model, np.zeros((28, 28), np.float32), 10)
    with pytest.raises(ex.ExplainError, match="no layer named"):
        ex.grad_cam(model, np.zeros((28, 28), np.float32), 0, layer_name="nope")
    img = four_blobs()
    np.testing.assert_allclose(ex.grad_cam(model, (img * 255).astype(np.uint8), 0), ex.grad_cam(model, img, 0))
    np.testing.assert_allclose(ex.grad_cam(model, img[..., None], 0), ex.grad_cam(model, img, 0))


def test_penultimate_features_batches_and_reduces():
    keras.utils.set_random_seed(0)
    model = models.build("seed_cnn_dropout")                 # 1,600 numbers feed its classifier
    images = RNG.random((7, 28, 28)).astype(np.float32)
    full = ex.penultimate_features(model, images)
    assert full.shape == (7, 1600)
    np.testing.assert_allclose(ex.penultimate_features(model, images, batch_size=3), full, atol=1e-5)
    assert ex.penultimate_features(model, images, max_dims=64).shape == (7, 64)


@pytest.mark.parametrize("wrapped", [False, True])
def test_features_and_probabilities_match_the_model(zoo, wrapped):
    model = models.with_flip_tta(zoo["fast"]) if wrapped else zoo["fast"]
    images = RNG.random((6, 28, 28)).astype(np.float32)
    feats, probs = ex.features_and_probabilities(model, images, batch_size=4)
    np.testing.assert_allclose(feats, ex.penultimate_features(model, images), atol=1e-5)
    np.testing.assert_allclose(probs, np.asarray(model(images[..., None], training=False)), atol=1e-5)


def test_embedding_sample_is_balanced():
    labels = np.repeat(np.arange(10), 50)
    idx = ex.embedding_sample(labels, 200)
    assert len(idx) == 200 and len(np.unique(idx)) == 200 and np.all(np.diff(idx) > 0)
    assert np.bincount(labels[idx]).tolist() == [20] * 10
    np.testing.assert_array_equal(idx, ex.embedding_sample(labels, 200))


def test_projections():
    feats = np.concatenate([RNG.normal(0, 1, (30, 12)), RNG.normal(8, 1, (30, 12))]).astype(np.float32)
    pca = ex.project(feats, "pca")
    assert pca.coords.shape == (60, 2) and pca.coords.dtype == np.float32
    np.testing.assert_allclose(pca.transform(feats[:3]), pca.coords[:3], atol=1e-4)
    assert abs(pca.coords[:30, 0].mean() - pca.coords[30:, 0].mean()) > 5     # the two groups separate
    tsne = ex.project_2d(feats, "tsne")
    assert tsne.shape == (60, 2) and np.isfinite(tsne).all()
    assert ex.project(feats, "tsne").transform(feats) is None
    with pytest.raises(ex.ExplainError):
        ex.project_2d(feats, "umap")
    with pytest.raises(ex.ExplainError):
        ex.project_2d(feats[:2], "pca")


def test_pictures():
    grid = display.tile(RNG.random((10, 5, 5)), columns=4, scale=3, gap=1)
    assert grid.dtype == np.uint8 and grid.shape == (3 * 16 + 1, 4 * 16 + 1)
    assert display.tile(np.zeros((0, 3, 3))).shape == (1, 1)
    over = display.overlay(four_blobs(), np.zeros((28, 28)), scale=4)
    assert over.shape == (112, 112, 3) and over.dtype == np.uint8
    np.testing.assert_array_equal(over[..., 0], display.enlarge((four_blobs() * 255).astype(np.uint8), 4))
    assert display.colorize(np.array([0.0, 1.0])).tolist() == [[0, 0, 4], [252, 255, 164]]


def test_core_never_imports_streamlit():
    source = Path(ex.__file__).read_text(encoding="utf-8")
    assert "import streamlit" not in source and "from streamlit" not in source
