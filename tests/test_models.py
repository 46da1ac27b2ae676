"""Every architecture builds, trains a step, and round-trips through plain load_model."""
import keras
import numpy as np
import pytest

from fashion.model import architectures as models


@pytest.mark.parametrize("name", [n for n in models.ARCHITECTURES])
def test_architecture_builds_trains_and_reloads(name, tmp_path):
    model = models.build(name)
    assert model.input_shape == (None, 28, 28, 1) and model.output_shape == (None, 10)
    model.compile("adam", "sparse_categorical_crossentropy")
    x = np.random.default_rng(0).random((16, 28, 28, 1), dtype=np.float32)
    y = np.arange(16) % 10
    before = [w.copy() for w in model.get_weights()]
    loss = model.train_on_batch(x, y)
    assert np.isfinite(loss)
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))
    p = np.asarray(model(x, training=False))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
    path = tmp_path / f"{name}.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)  # no custom objects, safe mode
    np.testing.assert_allclose(np.asarray(reloaded(x, training=False)), p, rtol=1e-4, atol=1e-6)


def test_seed_cnn_is_seed_000_layer_for_layer():
    m = models.seed_cnn()
    kinds = [type(l).__name__ for l in m.layers]
    assert kinds == ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Conv2D", "Flatten", "Dense", "Dense"]
    assert [l.filters for l in m.layers if hasattr(l, "filters")] == [32, 64, 64]
    assert m.count_params() == 93322


def test_strided_cnn_is_seed_002():
    m = models.strided_cnn()
    convs = [l for l in m.layers if isinstance(l, keras.layers.Conv2D)]
    assert [(c.kernel_size, c.strides, c.padding) for c in convs] == [((2, 2), (2, 2), "same")] * 2
    pools = [l for l in m.layers if isinstance(l, keras.layers.MaxPooling2D)]
    assert all(p.strides == (1, 1) for p in pools)
    assert [l.units for l in m.layers if isinstance(l, keras.layers.Dense)] == [256, 128, 10]
    assert [l.rate for l in m.layers if isinstance(l, keras.layers.Dropout)] == [0.5, 0.5]


def test_resnet_has_residual_blocks_with_batch_norm():
    m = models.resnet()
    kinds = {type(l).__name__ for l in m.layers}
    assert {"Add", "BatchNormalization", "GlobalAveragePooling2D"} <= kinds


def test_flip_tta_averages_image_and_mirror(tmp_path):
    base = models.seed_cnn()
    wrapped = models.with_flip_tta(base)
    x = np.random.default_rng(1).random((4, 28, 28, 1), dtype=np.float32)
    expected = (np.asarray(base(x)) + np.asarray(base(x[:, :, ::-1, :]))) / 2
    np.testing.assert_allclose(np.asarray(wrapped(x)), expected, rtol=1e-5, atol=1e-6)
    wrapped.save(tmp_path / "tta.keras")
    again = keras.models.load_model(tmp_path / "tta.keras")
    np.testing.assert_allclose(np.asarray(again(x)), expected, rtol=1e-5, atol=1e-6)


def test_custom_builder_and_its_refusals():
    m = models.custom_cnn(conv_blocks=3, filters=16, kernel_size=5, pooling="average", dropout=0.1, dense_units=64)
    assert [l.filters for l in m.layers if hasattr(l, "filters")] == [16, 32, 64]
    with pytest.raises(ValueError, match="conv_blocks"):
        models.custom_cnn(conv_blocks=9)
    with pytest.raises(ValueError, match="dropout"):
        models.custom_cnn(dropout=1.0)
    with pytest.raises(ValueError, match="50 million"):
        models.custom_cnn(conv_blocks=3, filters=256, pooling="none", dense_units=2048)


def test_summary_rows_list_every_layer():
    rows = models.summary_rows(models.seed_cnn())
    assert len(rows) == 8 and rows[0]["type"] == "Conv2D" and rows[0]["output_shape"] == "(26, 26, 32)"
    assert sum(r["params"] for r in rows) == 93322
