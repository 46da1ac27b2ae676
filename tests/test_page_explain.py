"""AppTest of the "Inside the CNN" page, in English and Spanish, on small models saved
to the test's own registry (a plain CNN, a flip-TTA wrapped one, one without convolutions)."""
from __future__ import annotations

import json

import keras
import numpy as np
import pytest
from conftest import all_text, run_page

from fashion.i18n import t
from fashion.judging import explain as ex
from fashion.model import architectures as models
from fashion.model import registry, safe_load

PAGE = "pages/explain.py"


SAMPLE = 500        # map points in these tests (the app shows 2,000)


@pytest.fixture(scope="module")
def module_home(tmp_path_factory):
    """One registry for the whole module, so the page's per-model caches (keyed by model
    path + mtime) are computed once, not once per test."""
    home = tmp_path_factory.mktemp("explain-home")
    folder = home / "models"
    keras.utils.set_random_seed(0)
    paths = {
        "tiny": registry.save_model(models.build("custom", conv_blocks=2, filters=8, dense_units=16),
                                    {"test_metrics": {}}, "tiny", folder),
        "tiny_tta": registry.save_model(models.with_flip_tta(models.build("custom", conv_blocks=2, filters=8,
                                                                          dense_units=16)),
                                        {"test_metrics": {}}, "tiny-tta", folder),
        "mlp": registry.save_model(keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                                                     keras.layers.Dense(16, activation="relu"),
                                                     keras.layers.Dense(10, activation="softmax")], name="mlp"),
                                   {"test_metrics": {}}, "mlp", folder),
    }
    return home, {k: str(v) for k, v in paths.items()}


@pytest.fixture
def home(module_home, studio_home, monkeypatch):
    monkeypatch.setenv("FASHION_STUDIO_HOME", str(module_home[0]))
    monkeypatch.setenv("FASHION_EXPLAIN_SAMPLE", str(SAMPLE))
    return module_home[1]


@pytest.fixture
def tiny(home) -> str:
    return home["tiny"]


@pytest.fixture
def tiny_tta(home) -> str:
    return home["tiny_tta"]


def figures(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def embedding_map(at) -> dict:
    maps = [f for f in figures(at) if len(f["data"]) >= 10]
    assert len(maps) == 1
    return maps[0]


def captions(at) -> list[str]:
    return [c for el in at.get("image") for c in el.captions]


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]
    verdicts = tuple(t("explain.wrong", lang, name="{}").split("{}")[0] for lang in ("en", "es"))
    problems = [e.value for e in at.error if not e.value.startswith(verdicts)]   # red verdicts are content
    assert not problems, problems


def test_english_page_walks_an_image_through_the_network(tiny):
    at = run_page(PAGE, "en", session={"model_path": tiny})
    assert_clean(at)
    text = all_text(at) + "\n" + "\n".join(captions(at))
    for expected in ("1. Pick an image", "2. The network, layer by layer", "3. What the first layer learned",
                     "4. Feature maps", "5. Grad-CAM", "6. The embedding map",
                     "Test image #0 · true class: Ankle boot", "Prediction: **", "Predicted: ",
                     "What would make it a …?"):
        assert expected in text, expected
    assert at.radio(key="explain_projection").options == ["PCA (instant)", "t-SNE (clearer groups, takes a while)"]

    model = safe_load.load_model(tiny)
    convs = ex.conv_layers(model)
    table = at.dataframe[0].value
    assert list(table.columns) == ["Layer", "Type", "Output shape", "Parameters", "Settings"]
    assert table["Parameters"].sum() == model.count_params()
    assert set(convs) <= set(table["Layer"])
    assert "8 filters 3×3, padding 'same'" in table["Settings"].tolist()
    assert f"{model.count_params():,} parameters in total" in text
    for name in convs:              # one feature-map grid per conv layer, its kind named in words
        assert f"**{name}** · Convolution (Conv2D) ·" in text

    fig = embedding_map(at)
    names = [t["name"] for t in fig["data"][:10]]
    assert names[6] == "Shirt" and names[0] == "T-shirt/top"
    assert sum(len(t["x"]) for t in fig["data"][:10]) == SAMPLE
    assert f"6. The embedding map: {SAMPLE} test images" in text
    assert all(isinstance(i, int) for t in fig["data"][:10] for i in t["customdata"])
    assert fig["data"][-1]["name"] == "chosen image"     # image 0 is placed on the map as a star
    assert fig["layout"]["xaxis"]["title"]["text"] == "principal component 1"


def test_spanish_page_with_a_flip_tta_model(tiny_tta):
    at = run_page(PAGE, "es", session={"model_path": tiny_tta})
    assert_clean(at)
    text = all_text(at) + "\n" + "\n".join(captions(at))
    for expected in ("1. Elige una imagen", "2. La red, capa a capa", "3. Lo que aprendió la primera capa",
                     "4. Mapas de activación", "5. Grad-CAM: dónde está la evidencia", "6. El mapa de representaciones",
                     "Imagen de prueba n.º 0 · clase real: Botín", "Este modelo mira cada imagen dos veces",
                     "Predicción: **", "Predicha: ", "¿Qué lo haría ser un/a …?"):
        assert expected in text, expected
    assert at.radio(key="explain_projection").options[0] == "PCA (inmediata)"
    for english in ("Pick an image", "Feature maps", "Test image #", "What would make it"):
        assert english not in text, english
    assert list(at.dataframe[0].value.columns) == ["Capa", "Tipo", "Forma de salida", "Parámetros", "Ajustes"]
    assert [t["name"] for t in embedding_map(at)["data"][:10]][6] == "Camisa"


def test_picking_images_and_classes(tiny):
    at = run_page(PAGE, "en", session={"model_path": tiny})
    at.selectbox(key="explain_class").select(6).run()           # Shirt: a random shirt is shown
    assert_clean(at)
    assert any("true class: Shirt" in c for c in captions(at))
    at.button[[b.label for b in at.button].index("Another image")].click().run()
    assert any("true class: Shirt" in c for c in captions(at))

    at.number_input(key="explain_index").set_value(42).run()
    assert any(c.startswith("Test image #42 · ") for c in captions(at))
    at.selectbox(key="explain_cam_class").select(4).run()       # what would make it a Coat?
    assert_clean(at)
    assert any(c.startswith("What would make it a Coat? (") for c in captions(at)), captions(at)
    at.toggle(key="explain_maps_all").set_value(True).run()     # every spatial layer, not only convs
    assert_clean(at)
    text = all_text(at)
    assert "· Batch normalisation (BatchNormalization) ·" in text and "· ReLU activation (ReLU) ·" in text


def test_the_chosen_image_survives_a_visit_to_another_page(tiny):
    at = run_page(PAGE, "en", session={"model_path": tiny})
    at.number_input(key="explain_index").set_value(42).run()
    at.switch_page("pages/home.py").run()
    at.switch_page(PAGE).run()
    assert_clean(at)
    assert at.number_input(key="explain_index").value == 42
    assert any(c.startswith("Test image #42 · ") for c in captions(at))


def test_photo_from_the_photo_page(tiny):
    photo = np.zeros((28, 28), np.float32)
    photo[6:22, 8:20] = 0.8
    at = run_page(PAGE, "en", session={"model_path": tiny, "explain_source": "photo",
                                       "photo_inputs": [{"name": "my-shoe.jpg", "input": photo}]})
    assert_clean(at)
    text = all_text(at) + "\n" + "\n".join(captions(at))
    assert at.radio(key="explain_source").options == ["the test set", "your photos (1)"]
    assert "Your photo: my-shoe.jpg" in text
    assert "the star places it with the same projection" in text
    assert "The network is" not in text                          # a photo has no true class to judge


def test_photo_source_without_photos_explains_where_to_get_them(tiny):
    at = run_page(PAGE, "en", session={"model_path": tiny, "explain_source": "photo"})
    assert_clean(at)
    assert "No photos yet" in all_text(at)
    assert any(c.startswith("Test image #0 · ") for c in captions(at))


def test_tsne_on_request(tiny):
    at = run_page(PAGE, "en", session={"model_path": tiny})
    at.radio(key="explain_projection").set_value("tsne").run()
    assert "t-SNE has not been computed for this model yet" in all_text(at)
    assert embedding_map(at)["layout"]["xaxis"]["title"]["text"] == "principal component 1"
    at.button(key="explain_tsne_go").click().run()
    assert_clean(at)
    assert embedding_map(at)["layout"]["xaxis"]["title"]["text"] == "t-SNE dimension 1"
    at.run()                                                     # cached now: shown without the button
    assert "t-SNE has not been computed" not in all_text(at)
    assert embedding_map(at)["layout"]["xaxis"]["title"]["text"] == "t-SNE dimension 1"


def test_a_model_without_convolutions_is_explained_without_crashing(home):
    at = run_page(PAGE, "en", session={"model_path": home["mlp"]})
    assert_clean(at)
    text = all_text(at)
    assert "This model has no convolutional layer" in text
    assert "5. Grad-CAM" not in text and "6. The embedding map" in text
