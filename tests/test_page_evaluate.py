"""The Evaluate page in AppTest, in both languages, against figures computed independently
(plain Keras on x/255, as the seeds do): metrics, the confusion matrix and its cell
gallery, per-class table, mistakes, the prediction viewer, and the bad states."""
import json
import re
import zipfile

import numpy as np
import pytest
from conftest import all_text, run_page
from reference import reference

from fashion.data import class_names
from fashion.judging.report import fmt_int, fmt_pct
from fashion.model import registry

PAGE = "pages/evaluate.py"


@pytest.fixture(scope="module")
def ref():
    return reference()


def figures(at) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def confusion_figure(at) -> dict:
    return next(f for f in figures(at) if f["data"][0]["type"] == "heatmap")


def bold(at) -> list[str]:
    return [m.value.strip("*") for m in at.markdown if m.value.startswith("**")]


def table_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_evaluate_shows_the_real_figures(lang, ref):
    at = run_page(PAGE, lang)
    assert not at.exception
    names = class_names(lang)
    metrics = {m.label: m.value for m in at.metric}
    acc_label = "Test accuracy" if lang == "en" else "Exactitud en prueba"
    assert metrics[acc_label] == fmt_pct(ref["accuracy"], lang)
    text = all_text(at)
    for heading in {"en": ["Training curves", "Confusion matrix", "Per-class precision, recall and F1",
                           "Most confused pairs", "Most confident mistakes", "Prediction viewer"],
                    "es": ["Curvas de entrenamiento", "Matriz de confusión", "Pares más confundidos",
                           "Errores más seguros", "Visor de predicciones"]}[lang]:
        assert heading in text
    # curves from the model card: training and validation for accuracy and loss
    card = registry.read_card(registry.DEFAULT_MODEL.with_suffix(".json"))
    curves = [f for f in figures(at) if f["data"][0]["type"] == "scatter" and len(f["data"]) == 2]
    assert len(curves) == 2
    assert curves[0]["data"][0]["y"] == pytest.approx(card["history"]["accuracy"])
    assert curves[0]["data"][1]["y"] == pytest.approx(card["history"]["val_accuracy"])
    # the confusion matrix holds the reference counts, labelled in the page's language
    cm = confusion_figure(at)
    assert cm["data"][0]["x"] == names and cm["data"][0]["y"] == names
    assert [[int(v) for v in row] for row in cm["data"][0]["text"]] == ref["confusion"].tolist()
    clickable = cm["data"][1]
    assert clickable["type"] == "scatter" and len(clickable["customdata"]) == 100
    # the report button is there, in the page's language
    labels = [b.label for b in at.get("download_button")]
    assert labels == (["Download report", "Download notebook (.ipynb)", "Download model (.zip)"] if lang == "en"
                      else ["Descargar informe", "Descargar cuaderno (.ipynb)", "Descargar modelo (.zip)"])


def keys_under(node) -> set:
    """The widget and element keys anywhere under an AppTest block."""
    found = set()
    for child in getattr(node, "children", {}).values():
        if getattr(child, "key", None):
            found.add(child.key)
        found |= keys_under(child)
    return found


@pytest.mark.parametrize("lang", ["en", "es"])
def test_projector_mode_sets_the_matrix_beside_its_gallery_with_whole_labels(lang):
    from fashion.i18n import t
    from fashion.i18n.numbers import fmt_duration
    from fashion.judging import charts
    at = run_page(PAGE, lang, session={"projector": True})
    assert not at.exception
    sides = [keys_under(c) for c in at.columns]
    matrix_side = next(k for k in sides if any(x.startswith("cm_chart_") for x in k))
    assert "cm_mode" in matrix_side and "cell_true" not in matrix_side
    assert any({"cell_true", "cell_pred"} <= k and not any(x.startswith("cm_chart_") for x in k) for k in sides), \
        "the cell pickers and the gallery in the column beside the matrix"
    cm = confusion_figure(at)
    assert cm["data"][0]["textfont"]["size"] == charts.font_sizes(True)["cell"] and cm["layout"]["height"] <= 520
    # the headline numbers keep their whole labels; the training time reads in minutes
    card = registry.read_card(registry.DEFAULT_MODEL.with_suffix(".json"))
    metrics = {m.label: m.value for m in at.metric}
    # a model trained in stages: the time of the whole training (issue 24), not its last stage
    assert metrics[t("metric.fit_time", lang)] == fmt_duration(float(card.get("fit_seconds_total", card["fit_seconds"])), lang)
    assert t("metric.fit_time", "es") == "Tiempo de entrenamiento"


def test_default_cell_is_the_most_confused_pair_and_its_gallery(ref):
    at = run_page(PAGE, "en")
    cm = ref["confusion"].copy()
    np.fill_diagonal(cm, -1)
    t, p = np.unravel_index(np.argmax(cm), cm.shape)
    names = class_names("en")
    count = ref["confusion"][t, p]
    assert f"{names[t]} predicted as {names[p]}: {fmt_int(count, 'en')} test images" in bold(at)
    # the most confident first: probability of the prediction, then of the true class
    idx = np.flatnonzero((ref["labels"] == t) & (ref["predictions"] == p))
    idx = idx[np.argsort(-ref["probabilities"][idx, p], kind="stable")][:20]
    expected = [f"{fmt_pct(ref['probabilities'][k, p], 'en', 0)} ({fmt_pct(ref['probabilities'][k, t], 'en', 0)})"
                .replace(" %", "\u00a0%") for k in idx]                     # "86 %" never splits under an image
    captions = [c for img in at.image for c in img.captions if re.fullmatch(r"\d+\u00a0% \(\d+\u00a0%\)", c)]
    assert sorted(captions) == sorted(expected)     # (as a multiset: near-ties may swap places)
    assert confusion_figure(at)["layout"]["shapes"][0]["x0"] == p - 0.5


def test_choosing_a_cell_shows_that_pair_in_both_languages(ref):
    at = run_page(PAGE, "es")
    at.selectbox(key="cell_true").set_value(6)    # Shirt
    at.selectbox(key="cell_pred").set_value(0)    # T-shirt/top
    at.run()
    assert not at.exception
    n = ref["confusion"][6, 0]
    assert f"Camisa predicho como Camiseta/Top: {fmt_int(n, 'es')} imágenes de prueba" in bold(at)
    shape = confusion_figure(at)["layout"]["shapes"][0]
    assert (shape["x0"], shape["y0"]) == (-0.5, 5.5)
    # a diagonal cell shows correct examples
    at.selectbox(key="cell_true").set_value(7)
    at.selectbox(key="cell_pred").set_value(7)
    at.run()
    assert f"Zapatilla predicho correctamente: {fmt_int(ref['confusion'][7, 7], 'es')} imágenes de prueba" in bold(at)
    assert at.session_state["cm_generation"] >= 1   # hand-picked: a fresh chart, so no old click overrides it


def test_row_normalised_view_and_per_class_table(ref):
    at = run_page(PAGE, "en")
    at.radio(key="cm_mode").set_value("normalized")
    at.run()
    share = ref["confusion"] / ref["confusion"].sum(axis=1, keepdims=True)
    assert confusion_figure(at)["data"][0]["text"][6][6] == fmt_pct(share[6, 6], "en", 1)
    table = table_with(at, "Recall")
    assert list(table["Class"]) == class_names("en")
    shown = lambda col: [float(v.rstrip(" %")) for v in table[col]]
    assert shown("Recall") == pytest.approx(list(np.round(100 * ref["recall"], 1)), abs=0.051)
    assert shown("Precision") == pytest.approx(list(np.round(100 * ref["precision"], 1)), abs=0.051)
    f1 = 2 * ref["precision"] * ref["recall"] / (ref["precision"] + ref["recall"])
    assert f"Weakest class: {class_names('en')[int(np.argmin(f1))]}" in all_text(at)
    pairs = table_with(at, "Share of the true class")
    cm = ref["confusion"].copy()
    np.fill_diagonal(cm, 0)
    assert [int(c) for c in pairs["Count"]] == sorted(cm.ravel().tolist(), reverse=True)[:10]


def test_most_confident_mistakes_gallery(ref):
    at = run_page(PAGE, "en")
    wrong = np.flatnonzero(ref["predictions"] != ref["labels"])
    worst = wrong[np.argsort(-ref["probabilities"][wrong, ref["predictions"][wrong]], kind="stable")][:16]
    names = class_names("en")
    expected = [f"{names[ref['predictions'][k]]} {fmt_pct(ref['probabilities'][k, ref['predictions'][k]], 'en', 0)} "
                f"(true: {names[ref['labels'][k]]})".replace(" %", "\u00a0%") for k in worst]   # "86 %" kept whole
    captions = [c for img in at.image for c in img.captions if "(true:" in c]
    assert sorted(captions) == sorted(expected)     # (as a multiset: near-ties may swap places)


def test_prediction_viewer_colours_and_random_draw(ref):
    at = run_page(PAGE, "es")
    names = class_names("es")
    wrong = int(np.flatnonzero(ref["predictions"] != ref["labels"])[0])
    right = int(np.flatnonzero(ref["predictions"] == ref["labels"])[0])
    at.number_input(key="viewer_index").set_value(wrong)
    at.run()
    md = [m.value for m in at.markdown if m.value.startswith(":")]
    assert md[0].startswith(":red[") and f"pero es {names[ref['labels'][wrong]]}" in md[0]
    bars = figures(at)[-1]["data"][0]
    assert bars["marker"]["color"][ref["labels"][wrong]] == "#1f77b4"        # true class blue
    assert bars["marker"]["color"][ref["predictions"][wrong]] == "#d62728"   # wrong prediction red
    assert bars["orientation"] == "h" and bars["y"] == names      # class names one under the other
    assert bars["x"] == pytest.approx(ref["probabilities"][wrong].tolist(), abs=1e-4)
    at.number_input(key="viewer_index").set_value(right)
    at.run()
    md = [m.value for m in at.markdown if m.value.startswith(":")]
    assert md[0].startswith(":blue[") and "correcto" in md[0]
    # drawing among mistakes only lands on a mistake
    at.checkbox(key="viewer_mistakes").check()
    at.button[0].click()
    at.run()
    k = at.session_state["viewer_index"]
    assert ref["predictions"][k] != ref["labels"][k]


def _corrupt_model(home, name="broken"):
    """A .keras that passes the registry's cheap check (a zip with config.json) but
    cannot be loaded, with a valid card: it is listed, and fails only when used."""
    folder = home / "models"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / f"{name}.keras", "w") as z:
        z.writestr("config.json", "{ this is not a model")
    (folder / f"{name}.json").write_text(json.dumps({"test_metrics": {"accuracy": 0.5}, "params": 1}))
    return folder / f"{name}.keras"


@pytest.mark.parametrize("lang,expected", [("en", "could not be loaded"), ("es", "No se pudo cargar el modelo")])
def test_a_corrupt_model_explains_itself(lang, expected, studio_home):
    path = _corrupt_model(studio_home)
    at = run_page(PAGE, lang, session={"model_path": str(path)})
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert expected in errors and "broken.keras" in errors
    assert not at.get("plotly_chart")
    # the rest of the app keeps working with the same choice
    at.switch_page("pages/dataset.py")
    at.run()
    assert not at.exception and len(at.image) >= 25


@pytest.mark.parametrize("lang,expected", [("en", "No model is available"), ("es", "No hay ningún modelo disponible")])
def test_no_model_at_all(lang, expected, monkeypatch, tmp_path):
    monkeypatch.setattr(registry, "SHIPPED_DIR", tmp_path / "none")
    monkeypatch.setattr(registry, "DEFAULT_MODEL", tmp_path / "none" / "fashion_mnist_cnn.keras")
    at = run_page(PAGE, lang)
    assert not at.exception
    assert expected in " ".join(w.value for w in at.warning)
    assert not at.get("download_button")


def test_a_model_for_another_task_explains_itself(studio_home):
    """A loadable Keras model with the wrong output (3 classes, not 10): an error box."""
    import keras
    folder = studio_home / "models"
    folder.mkdir(parents=True)
    foreign = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")])
    foreign.save(folder / "three_classes.keras")
    (folder / "three_classes.json").write_text(json.dumps({"test_metrics": {}}))
    at = run_page(PAGE, "en", session={"model_path": str(folder / "three_classes.keras")})
    assert not at.exception
    assert "three_classes.keras could not classify the test images" in " ".join(e.value for e in at.error)
    assert not at.get("plotly_chart")


def test_percentage_ticks_are_written_like_the_labels():
    """Every percentage axis on the page: ticks "92,5 %" as fmt_pct writes labels, never Plotly's
    ".0%" ("92%", a point where Spanish labels have a comma)."""
    at = run_page(PAGE, "es")
    axes = [axis for fig in figures(at) for name, axis in fig["layout"].items()
            if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict)]
    assert not [a for a in axes if "%" in str(a.get("tickformat", ""))]
    ticks = [text for a in axes for text in a.get("ticktext") or [] if "%" in text]
    assert len(ticks) >= 10 and all(re.fullmatch(r"\d+(,\d+)? %", x) for x in ticks), ticks
    assert fmt_pct(0.5, "es", 0) in ticks and fmt_pct(1.0, "es", 0) in ticks
