"""The Dataset page in AppTest, in both languages, on the real Fashion-MNIST files: the
5x5 grid of seed 000, one class at a time, counts, mean images, the intensity histogram,
and what the app says when the dataset cannot be found."""
import json

import numpy as np
import pytest
from conftest import all_text, run_page

from fashion import data
from fashion.data import class_names
from fashion.judging.report import fmt_int

PAGE = "pages/dataset.py"


@pytest.fixture(scope="module")
def ds():
    return data.load()


def figures(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def captions(at) -> list[str]:
    return [c for img in at.image for c in img.captions]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_dataset_page_shows_the_real_data(lang, ds):
    at = run_page(PAGE, lang)
    assert not at.exception
    names = class_names(lang)
    text = all_text(at)
    assert ("The first 25 training images" if lang == "en" else "Las primeras 25 imágenes de entrenamiento") in text
    assert fmt_int(60000, lang) in text and fmt_int(10000, lang) in text
    caps = captions(at)
    # the 5x5 grid of seed 000: the first 25 training images, each with its class name
    assert caps[:25] == [names[k] for k in ds.y_train[:25]]
    grid = at.image[0]
    assert grid.value and len(at.image) == 25 + 24 + 10
    # the mean image of every class, named
    assert caps[-10:] == names
    # counts per class: 6,000 / 1,000 each, both splits, labelled in the language
    counts = next(f for f in figures(at) if f["data"][0]["type"] == "bar" and len(f["data"]) == 2)
    assert counts["data"][0]["x"] == names
    assert ("A balanced dataset: 6,000 training and 1,000 test images" if lang == "en"
            else "Un conjunto equilibrado: 6.000 imágenes de entrenamiento y 1.000 de prueba") in text
    # the intensity histogram: 256 grey levels, and the share of background pixels
    zero_share = float((ds.x_train == 0).mean())
    assert f"{100 * zero_share:.1f}".replace(".", "," if lang == "es" else ".") + " %" in text


def test_browse_a_class_and_reshuffle(ds):
    at = run_page(PAGE, "en")
    at.selectbox(key="data_class").set_value(6)       # Shirt
    at.run()
    picked = [int(c.lstrip("#")) for c in captions(at) if c.startswith("#")]
    assert len(picked) == 24 and all(ds.y_train[i] == 6 for i in picked)
    assert "24 random training images of Shirt, out of 6,000." in all_text(at)
    at.button[0].click()                              # Reshuffle
    at.run()
    again = [int(c.lstrip("#")) for c in captions(at) if c.startswith("#")]
    assert len(again) == 24 and all(ds.y_train[i] == 6 for i in again) and again != picked


def test_histogram_of_one_class_and_log_scale(ds):
    at = run_page(PAGE, "es")
    at.selectbox(key="hist_class").set_value(1)       # Trouser
    at.toggle(key="hist_log").set_value(False)
    at.run()
    assert not at.exception
    hist = figures(at)[-1]
    assert hist["layout"]["yaxis"]["type"] == "linear"
    assert hist["layout"]["xaxis"]["title"]["text"] == "Nivel de gris (0 = fondo)"
    expected = np.bincount(ds.x_train[ds.y_train == 1].ravel(), minlength=256)
    y = hist["data"][0]["y"]
    if isinstance(y, dict):                          # plotly's typed-array encoding
        import base64
        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
    assert np.array_equal(np.asarray(y), expected)


@pytest.fixture
def no_dataset(tmp_path, monkeypatch):
    """Fashion-MNIST nowhere: FASHION_MNIST_DIR is an empty folder, the Debian package and
    the Keras cache are missing, and the network is unreachable (a dead proxy)."""
    from pages.ui import models
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("FASHION_MNIST_DIR", str(empty))
    monkeypatch.setattr(data, "DEBIAN_DIR", str(tmp_path / "no-debian"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    data.load.cache_clear()
    models._dataset.clear()
    yield
    data.load.cache_clear()
    models._dataset.clear()


@pytest.mark.parametrize("lang,expected,fix", [
    ("en", "The Fashion-MNIST dataset is not available", "How to fix it"),
    ("es", "El conjunto de datos Fashion-MNIST no está disponible", "Cómo arreglarlo")])
def test_missing_dataset_says_what_to_do(lang, expected, fix, no_dataset):
    at = run_page(PAGE, lang)
    assert not at.exception
    error = " ".join(e.value for e in at.error)
    assert expected in error and "could not be downloaded" in error and "FASHION_MNIST_DIR" in error
    assert fix in " ".join(i.value for i in at.info)
    assert not at.image
    # the rest of the app keeps working
    at.switch_page("pages/home.py")
    at.run()
    assert not at.exception and at.title[0].value == "Fashion-MNIST CNN Studio"
    assert at.metric and not at.error
