"""Learning from real photos: the photo folder reader, its cache, the shipped arrays, the
partial-label loss, outlier exposure, and refusals before training starts."""
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fashion.photos import photoset
from fashion.photos import pipeline as photo
from fashion.photos.photoset import ACCEPT, PhotoSetError

REPO = Path(__file__).resolve().parent.parent
SHARED_PHOTOS = REPO.parent / "shared" / "photos-train"
SHARED_MORE = [REPO.parent / "shared" / name for name in ("photos-dev", "photos-extra-seen")]


def garment_jpeg(seed: int, dark: bool = True) -> bytes:
    """A synthetic phone photo: a dark blob of cloth on a light, slightly noisy floor."""
    rng = np.random.default_rng(seed)
    img = np.full((240, 200, 3), 215, np.uint8) + rng.integers(0, 12, (240, 200, 3), dtype=np.uint8)
    y0, x0 = rng.integers(30, 60, 2)
    img[y0:y0 + 140, x0:x0 + 90] = (40, 50, 90) if dark else (150, 60, 60)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def make_folder(root: Path, kinds: dict[str, int]) -> Path:
    for k, (kind, n) in enumerate(kinds.items()):
        (root / kind).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            (root / kind / f"{i}.jpg").write_bytes(garment_jpeg(100 * k + i))
    return root


# --- reading photo folders -------------------------------------------------------------------

def test_build_maps_folders_to_accepted_labels_and_caches(tmp_path, monkeypatch):
    root = make_folder(tmp_path / "photos", {"shoes": 2, "longsleeve": 2, "hat": 1})
    (root / "photographers.csv").write_text("photo,photographer\nshoes/0.jpg,7\nshoes/1.jpg,7\n")
    calls = []
    real = photo.preprocess
    monkeypatch.setattr(photoset, "preprocess", lambda data: calls.append(1) or real(data))
    ps = photoset.build(root)
    assert len(ps) == 5 and ps.images.dtype == np.uint8 and ps.images.shape == (5, 28, 28)
    rows = {name: ps.accept[i] for i, name in enumerate(ps.names)}
    assert set(np.flatnonzero(rows["shoes/0.jpg"])) == {5, 7, 9}
    assert set(np.flatnonzero(rows["longsleeve/1.jpg"])) == {0, 2, 6}
    assert not rows["hat/0.jpg"].any()                       # no Fashion-MNIST class: flat target
    assert set(ps.photographers) == {"7", ""}                  # from photographers.csv; '' where not listed
    assert len(calls) == 5
    again = photoset.build(root)                              # second build: every photo from the cache
    assert len(calls) == 5 and np.array_equal(again.images, ps.images)


def test_cache_is_invalidated_by_a_pipeline_version_change(tmp_path, monkeypatch):
    root = make_folder(tmp_path / "photos", {"dress": 2})
    photoset.build(root)
    calls = []
    real = photo.preprocess
    monkeypatch.setattr(photoset, "preprocess", lambda data: calls.append(1) or real(data))
    photoset.build(root)
    assert calls == []
    monkeypatch.setattr(photoset, "PIPELINE_VERSION", photoset.PIPELINE_VERSION + 1)
    photoset.build(root)
    assert len(calls) == 2                                    # a new pipeline processes every photo again


def test_saved_arrays_round_trip_and_stale_arrays_are_refused(tmp_path, monkeypatch):
    root = make_folder(tmp_path / "photos", {"pants": 2, "skirt": 1})
    ps = photoset.build(root)
    path = photoset.save(ps, tmp_path / "out" / "photos.npz")
    back = photoset.load(path)
    assert np.array_equal(back.images, ps.images) and np.array_equal(back.accept, ps.accept)
    assert back.digest() == ps.digest() and list(back.names) == list(ps.names)
    monkeypatch.setattr(photoset, "PIPELINE_VERSION", photoset.PIPELINE_VERSION + 1)
    with pytest.raises(PhotoSetError) as e:
        photoset.load(path)
    assert e.value.key == "photoset.error.stale" and "python -m fashion photos" in str(e.value)


@pytest.mark.parametrize("layout, key, named", [
    ({"shoes": 1, "socks": 1}, "photoset.error.unknown_folders", "socks"),
    ({"shoes": 1, "dress": 0}, "photoset.error.empty_folders", "dress"),
])
def test_bad_folders_are_refused_by_name(tmp_path, layout, key, named):
    root = tmp_path / "photos"
    for kind, n in layout.items():
        (root / kind).mkdir(parents=True)
    make_folder(root, {k: n for k, n in layout.items() if n})
    with pytest.raises(PhotoSetError) as e:
        photoset.build(root)
    assert e.value.key == key and named in str(e.value)


def test_unreadable_photos_are_refused_all_together_by_name(tmp_path):
    root = make_folder(tmp_path / "photos", {"t-shirt": 2})
    (root / "t-shirt" / "broken.jpg").write_bytes(b"not a jpeg at all")
    (root / "t-shirt" / "empty.png").write_bytes(b"")
    with pytest.raises(PhotoSetError) as e:
        photoset.build(root)
    assert e.value.key == "photoset.error.unreadable" and e.value.params["count"] == 2
    assert "broken.jpg" in str(e.value) and "empty.png" in str(e.value)


def test_cli_training_refuses_a_bad_photo_folder_before_training(tmp_path):
    root = tmp_path / "photos"
    (root / "socks").mkdir(parents=True)
    r = subprocess.run([sys.executable, "-m", "fashion", "train", "--preset", "quick", "--photos", str(root)],
                       cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode != 0 and "socks" in r.stderr and "Traceback" not in r.stderr
    assert "epoch" not in r.stderr.lower().replace("epochs", "")   # refused before the first epoch


# --- the shipped arrays ------------------------------------------------------------------------

def test_shipped_arrays_match_the_current_pipeline():
    try:
        ps = photoset.shipped()
    except PhotoSetError as e:
        pytest.fail(f"{e}")                       # the message says how to rebuild them
    assert len(ps) > 4000 and ps.holdout.sum() > 800 and (~ps.holdout).sum() > 2500
    assert set(ps.kinds) <= set(ACCEPT)
    # whole photographers: nobody is on both sides of the split
    held = set(ps.photographers[ps.holdout]) - {""}
    assert held and not held & set(ps.photographers[~ps.holdout])
    if SHARED_PHOTOS.is_dir():                    # where the photos are, a few re-processed match exactly
        for i in np.random.default_rng(0).choice(len(ps), 6, replace=False):
            folder = next((f for f in (SHARED_PHOTOS, *SHARED_MORE) if (f / str(ps.names[i])).is_file()), None)
            assert folder is not None, f"{ps.names[i]} is in none of the shared photo folders"
            data = (folder / str(ps.names[i])).read_bytes()
            again = (photo.preprocess(data).model_input * 255).round().astype(np.uint8)
            assert np.array_equal(again, ps.images[i]), (
                f"{ps.names[i]} no longer matches; rebuild with: {photoset.REBUILD_COMMAND}")


def test_licence_and_attribution_ship_with_the_arrays():
    text = (photoset.SHIPPED.parent / "LICENSE.md").read_text()
    assert "CC0" in text and "clothing-dataset" in text


# --- the loss ----------------------------------------------------------------------------------

def test_partial_label_loss_moves_mass_into_the_accepted_set():
    import keras
    import tensorflow as tf

    from fashion.training.photo_mix import partial_label_loss
    loss_fn = partial_label_loss()
    mask = tf.constant([[0, 0, 1, 0, 0, 0, 1, 0, 0, 0]], tf.float32)     # Pullover or Shirt
    logits = tf.Variable(tf.random.stateless_normal([1, 10], seed=[1, 2]))
    opt = keras.optimizers.SGD(0.5)
    before = float(tf.reduce_sum(tf.nn.softmax(logits) * mask))
    for _ in range(50):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(loss_fn(mask, tf.nn.softmax(logits)))
        opt.apply_gradients([(tape.gradient(loss, logits), logits)])
    p = tf.nn.softmax(logits).numpy()[0]
    assert p[[2, 6]].sum() > 0.95 > before
    assert all(p[k] < 0.01 for k in range(10) if k not in (2, 6))


def test_partial_label_loss_is_cross_entropy_for_one_label_and_flat_for_none():
    import tensorflow as tf

    from fashion.training.photo_mix import partial_label_loss
    p = tf.constant([[0.7, 0.1, 0.2] + [0.0] * 7, [0.1] * 10], tf.float32)
    one_hot = tf.constant([[1.0] + [0.0] * 9, [0.0] * 10])
    out = partial_label_loss(0.0, outlier_weight=1.0)(one_hot, p).numpy()
    assert out[0] == pytest.approx(-np.log(0.7), rel=1e-4)
    assert out[1] == pytest.approx(-np.log(0.1), rel=1e-4)   # a flat answer is the best it can do


def test_outlier_exposure_lowers_confidence_on_its_folder():
    """A small network trained on two kinds, with and without a third 'no class' kind:
    outlier exposure makes its answers on that kind flatter."""
    import keras

    from fashion.training.photo_mix import partial_label_loss
    rng = np.random.default_rng(0)
    x_in = rng.normal(0, 1, (400, 8)).astype("float32") + np.repeat([[2.0] * 8, [-2.0] * 8], 200, axis=0)
    m_in = np.zeros((400, 10), "float32")
    m_in[:200, 1], m_in[200:, 3] = 1, 1
    x_out = (rng.normal(0, 1, (200, 8)) + np.array([2.0, -2.0] * 4)).astype("float32")
    m_out = np.zeros((200, 10), "float32")

    def confidence_on_outliers(with_outliers: bool) -> float:
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(10, activation="softmax")])
        model.compile(keras.optimizers.Adam(0.01), partial_label_loss(0.0, 1.0))
        x, m = (np.concatenate([x_in, x_out]), np.concatenate([m_in, m_out])) if with_outliers else (x_in, m_in)
        model.fit(x, m, epochs=30, batch_size=64, verbose=0)
        return float(model.predict(x_out, verbose=0).max(axis=1).mean())

    assert confidence_on_outliers(True) < confidence_on_outliers(False) - 0.2


def test_photo_metrics_count_as_photo_eval_does():
    from fashion.judging.photo_metrics import photo_metrics
    accept = np.zeros((4, 10), bool)
    accept[0, [5, 7, 9]] = accept[1, [5, 7, 9]] = True
    accept[2, 1] = True                                   # pants; row 3: a hat (not scored)
    ps = photoset.PhotoSet(np.zeros((4, 28, 28), np.uint8), accept, np.array(["shoes", "shoes", "pants", "hat"]),
                           np.array(["", "", "", ""]), np.zeros(4, bool))
    p = np.zeros((4, 10))
    p[0, 7] = p[1, 1] = p[2, 1] = p[3, 0] = 1
    m = photo_metrics(p, ps)
    assert m["micro"] == pytest.approx(2 / 3) and m["shoes"] == 0.5 and m["macro"] == pytest.approx(0.75)
    assert m["photos"] == 3 and m["per_kind"] == {"pants": 1.0, "shoes": 0.5}


def test_training_with_photos_learns_them(tmp_path):
    """A short run of the quick preset on a Fashion-MNIST subset plus the shipped photos:
    it trains, records the photos in its result, and its held-out photo accuracy is measured."""
    from fashion.training.config import TrainConfig
    from fashion.training.train import train
    config = TrainConfig(architecture="fast", epochs=1, batch_size=128, learning_rate=3e-3,
                         train_subset=3000, validation_split=0.1, photos="shipped", photo_ratio=0.25, seed=3)
    result = train(config)
    assert result.photos["trained_on"] > 2000 and result.photos["sha256"] == photoset.shipped().digest()
    assert 0.0 <= result.photo_metrics["micro"] <= 1.0 and result.photo_metrics["photos"] > 200
    assert result.test_metrics["accuracy"] > 0.6
    import keras
    path = tmp_path / "m.keras"
    result.model.save(path)
    keras.models.load_model(path)                     # no custom objects in the saved file
