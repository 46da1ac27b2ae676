"""The frame: navigation, the sidebar's language and active model, the home page, and the
bad states the frame itself must survive (no models, a corrupt model file)."""
import json
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, all_text, assert_no_exception, run_page, wait_for_app
from playwright.sync_api import expect
from streamlit.testing.v1 import AppTest

from fashion.i18n import t
from fashion.judging.report import fmt_int, fmt_pct
from fashion.judging.stored import measured_real_photo_accuracy
from fashion.model import registry

HOME = "pages/home.py"


def shipped_card() -> dict:
    return registry.read_card(registry.DEFAULT_MODEL.with_suffix(".json"))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_home_page_in_both_languages(lang):
    at = run_page(HOME, lang)
    assert not at.exception
    text = all_text(at)
    expected = {"en": ["Where to start", "Teacher demo", "Classify a photo", "Train your own", "Active model"],
                "es": ["Por dónde empezar", "Demostración en clase", "Clasificar una foto", "Entrena tu propia red",
                       "Modelo activo"]}[lang]
    for phrase in expected:
        assert phrase in text
    card = shipped_card()
    metrics = {m.label: m.value for m in at.metric}
    acc_label = "Test accuracy" if lang == "en" else "Exactitud en prueba"
    assert metrics[acc_label] == fmt_pct(card["test_metrics"]["accuracy"], lang)
    if "params" in card:
        assert fmt_int(card["params"], lang) in metrics.values()
    # page links to the other pages, labelled in the language; the teacher's path has its own
    # link to Train (the quick preset live) beside the "train your own" one
    links = [el.proto.label for el in at.get("page_link")]
    assert links == [t(k, lang) for k in ("nav.dataset", "home.teacher_train", "nav.evaluate", "nav.photo",
                                          "nav.train")]
    assert ("Evaluate" if lang == "en" else "Evaluar") in links
    # sidebar: language and the active model with its test accuracy
    assert at.sidebar.selectbox(key="lang_choice").label == ("Language" if lang == "en" else "Idioma")
    models = at.sidebar.selectbox(key="model_choice")
    assert models.value == str(registry.DEFAULT_MODEL)
    shipped = "shipped" if lang == "en" else "incluido"
    photos = measured_real_photo_accuracy(registry.DEFAULT_MODEL)   # shown when the store measured it
    on_photos = f" · {t('sidebar.photo_accuracy', lang, pct=fmt_pct(photos, lang, 0))}" if photos is not None else ""
    assert (f"fashion_mnist_cnn · {fmt_pct(card['test_metrics']['accuracy'], lang)}{on_photos} · {shipped}"
            in models.options)
    no_user_models = {"en": "No models of your own yet", "es": "Aún no tienes modelos propios"}[lang]
    assert no_user_models in " ".join(c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("locale,heading", [("es-ES", "Por dónde empezar"), ("es-MX", "Por dónde empezar"),
                                            ("en-GB", "Where to start"), ("de-DE", "Where to start")])
def test_language_defaults_to_the_browser_locale(locale, heading):
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=60)
    at.context["locale"] = locale
    at.run()
    assert not at.exception
    assert heading in [s.value for s in at.subheader]


def test_language_choice_holds_across_pages():
    at = run_page(HOME, "en")
    at.sidebar.selectbox(key="lang_choice").set_value("es")
    at.run()
    assert at.session_state["lang"] == "es"
    assert "Por dónde empezar" in all_text(at)
    at.switch_page("pages/dataset.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Datos"
    assert at.sidebar.selectbox(key="lang_choice").value == "es"


def _user_copy_of_shipped_model(studio_home, name="my_model", accuracy=0.5):
    folder = studio_home / "models"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(registry.DEFAULT_MODEL, folder / f"{name}.keras")
    card = {**shipped_card(), "display_name": name,   # as registry.save_model writes it
            "test_metrics": {"accuracy": accuracy, "loss": 1.0}, "date": "2099-01-01T00:00:00+00:00"}
    (folder / f"{name}.json").write_text(json.dumps(card))
    return folder / f"{name}.keras"


def test_model_choice_lists_user_models_and_holds_across_pages(studio_home):
    path = _user_copy_of_shipped_model(studio_home)
    at = run_page(HOME, "en")
    box = at.sidebar.selectbox(key="model_choice")
    # shipped first, then the user's; the card claims 50 %, but nothing has measured this file yet
    assert box.options[1] == "my_model · not measured yet"
    box.set_value(str(path))
    at.run()
    assert at.session_state["model_path"] == str(path)
    assert "No models of your own yet" not in " ".join(c.value for c in at.sidebar.caption)
    assert "my_model" in " ".join(c.value for c in at.main.caption)
    assert {m.label: m.value for m in at.metric}["Test accuracy"] == fmt_pct(0.5, "en")
    at.switch_page("pages/dataset.py")
    at.run()
    at.switch_page(HOME)
    at.run()
    assert at.sidebar.selectbox(key="model_choice").value == str(path)
    assert at.session_state["model_path"] == str(path)


@pytest.mark.parametrize("lang,heading", [("en", "Some model files were skipped:"),
                                          ("es", "Se omitieron algunos archivos de modelo:")])
def test_a_corrupt_model_file_is_reported_and_skipped(lang, heading, studio_home):
    folder = studio_home / "models"
    folder.mkdir(parents=True)
    (folder / "junk.keras").write_bytes(b"this is not a zip file")
    (folder / "junk.json").write_text('{"test_metrics": {"accuracy": 0.9}}')
    at = run_page(HOME, lang)
    assert not at.exception
    assert heading in [e.label for e in at.sidebar.expander]
    assert t("registry.problem.skipped", lang, problem=t("model.error.not_zip", lang, name="junk.keras")) \
        in [x.value for x in at.sidebar.text]
    assert not any("junk" in o for o in at.sidebar.selectbox(key="model_choice").options)
    assert at.metric        # the shipped model still shows its numbers


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_chosen_model_damaged_later_is_named_and_the_model_in_use_is_the_one_shown(lang, studio_home):
    """Issue 25: the browser chose half.keras; the file was then damaged. The sidebar shows the
    model every page really uses, says which file failed and why, and the pages use that model
    (no "could not be loaded" on them); the choice itself is kept for when the file is good again."""
    path = _user_copy_of_shipped_model(studio_home, name="half")
    good = path.read_bytes()
    at = run_page(HOME, lang, session={"model_path": str(path)})
    assert at.sidebar.selectbox(key="model_choice").value == str(path)
    assert not at.sidebar.error
    path.write_bytes(good[: len(good) // 2])                 # damaged since it was chosen
    at.run()
    assert not at.exception
    box = at.sidebar.selectbox(key="model_choice")
    assert box.value == str(registry.DEFAULT_MODEL)          # shown = used
    [error] = [e.value for e in at.sidebar.error]
    assert error == t("sidebar.model_replaced", lang, chosen="half.keras", used="fashion_mnist_cnn",
                      error=t("model.error.not_zip", lang, name="half.keras").rstrip("."))
    assert "fashion_mnist_cnn" in " ".join(c.value for c in at.main.caption)   # the home page's model
    accuracies = " ".join(c.value for c in at.sidebar.caption)
    assert fmt_pct(shipped_card()["test_metrics"]["accuracy"], lang) in accuracies
    at.switch_page("pages/evaluate.py")
    at.run()
    assert not at.exception and not at.main.error, [e.value for e in at.main.error]
    assert "fashion_mnist_cnn" in " ".join(c.value for c in at.main.caption)
    path.write_bytes(good)                                  # the file is good again: the choice holds
    at.run()
    assert at.sidebar.selectbox(key="model_choice").value == str(path)
    assert not at.sidebar.error


def test_the_sidebar_shows_both_accuracies_of_the_model_in_use_in_full():
    """The select box cuts a long entry; the caption under it carries both numbers whole."""
    at = run_page(HOME, "es")
    card = shipped_card()
    [caption] = [c.value for c in at.sidebar.caption if "Fashion-MNIST" in c.value]
    assert fmt_pct(card["test_metrics"]["accuracy"], "es") in caption
    photos = measured_real_photo_accuracy(registry.DEFAULT_MODEL)
    if photos is not None:
        assert fmt_pct(photos, "es", 1) in caption and "fotos reales" in caption


@pytest.mark.parametrize("lang,expected", [("en", "No model is available"), ("es", "No hay ningún modelo disponible")])
def test_no_model_at_all_is_explained(lang, expected, monkeypatch, tmp_path):
    monkeypatch.setattr(registry, "SHIPPED_DIR", tmp_path / "none")
    monkeypatch.setattr(registry, "DEFAULT_MODEL", tmp_path / "none" / "fashion_mnist_cnn.keras")
    at = run_page(HOME, lang)
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 2 and all(expected in w for w in warnings)   # sidebar and home page
    assert not at.metric


def test_home_and_frame_do_not_import_tensorflow():
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"at = AppTest.from_file({str(REPO / 'streamlit_app.py')!r}, default_timeout=60)\n"
        "at.session_state['lang'] = 'en'\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "assert at.title[0].value == 'Fashion-MNIST CNN Studio'\n"
        "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_spanish_browser_gets_spanish_on_a_deep_link(app_server, browser):
    """A real Chromium with a Spanish locale, opening a page's URL directly: the frame runs
    (sidebar with language and model), in Spanish."""
    context = browser.new_context(locale="es-ES", viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    try:
        pg.goto(app_server.url + "/dataset")
        wait_for_app(pg)
        expect(pg.get_by_role("heading", name="Las primeras 25 imágenes de entrenamiento")).to_be_visible(timeout=60_000)
        expect(pg.get_by_role("combobox", name="Idioma")).to_have_value("Español")
        nav = pg.locator('[data-testid="stSidebarNav"]')
        expect(nav).to_contain_text("Evaluar")
        expect(nav).not_to_contain_text("common")      # helper modules (pages/ui/) are not pages
        expect(nav).not_to_contain_text("session")
        assert_no_exception(pg)
    finally:
        context.close()
