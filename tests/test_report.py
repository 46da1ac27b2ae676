"""The downloadable report: a self-contained HTML document whose figures are the model's
real test figures, in either language, with suggestions that follow from the numbers."""
import base64
import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from reference import reference

from fashion import data
from fashion.data import class_names
from fashion.i18n import t
from fashion.judging import report
from fashion.judging.evaluate import evaluate_probabilities
from fashion.judging.report import fmt_int, fmt_num, fmt_pct
from fashion.model import registry
from fashion.model.architectures import summary_rows


@pytest.fixture(scope="module")
def ref():
    return reference()


@pytest.fixture(scope="module")
def ev(ref):
    return evaluate_probabilities(ref["probabilities"], ref["labels"])


@pytest.fixture(scope="module")
def card():
    return registry.read_card(registry.DEFAULT_MODEL.with_suffix(".json"))


def build(card, ev, lang="en", name="fashion_mnist_cnn", ref=None):
    layers = summary_rows(ref["model"]) if ref else None
    return report.build_report(card, ev, data.load().x_test, lang, name, layers=layers)


def test_report_holds_the_real_figures_in_english(card, ev, ref):
    html = build(card, ev, "en", ref=ref)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    for section in ("Results", "Design decisions", "Training and validation curves", "Confusion matrix",
                    "Per-class metrics", "Weakest classes", "Limitations", "Possible improvements"):
        assert section in html, section
    # test accuracy and loss as the seeds compute them
    assert fmt_pct(ref["accuracy"], "en") in html
    assert fmt_num(ev.loss, "en") in html
    # per-class precision and recall of every class, from the independent reference
    for k, name in enumerate(class_names("en")):
        assert report._e(name) in html
        assert fmt_pct(ref["recall"][k], "en", 1) in html
        assert fmt_pct(ref["precision"][k], "en", 1) in html
    # architecture: parameter count and one row per layer
    if "params" in card:
        assert fmt_int(card["params"], "en") in html
    for row in summary_rows(ref["model"]):
        assert f"<td>{report._e(row['name'])}</td>" in html
    # the architecture, named and described in the report's language
    assert f"<code>{report._e(card['architecture'])}</code> — {report._e(t('report.arch.' + card['architecture'], 'en'))}" in html
    # hyperparameters and the reproducing command
    assert f"<td>Batch size</td><td class=\"n\">{card['config']['batch_size']}</td>" in html or \
        f"<td>Batch size</td><td>{card['config']['batch_size']}</td>" in html
    if card.get("command"):
        assert report._e(card["command"]) in html


def test_charts_are_valid_inline_svg_with_the_confusion_counts(card, ev, ref):
    html = build(card, ev, "en")
    svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert len(svgs) == 3                     # accuracy curve, loss curve, confusion matrix
    trees = [ET.fromstring(s) for s in svgs]  # well-formed XML, so any browser draws them
    ns = "{http://www.w3.org/2000/svg}"
    assert all(len(t.findall(f"{ns}polyline")) == 2 for t in trees[:2])   # training and validation
    cells = [int(x.text) for x in trees[2].findall(f"{ns}text") if x.text and x.text.isdigit()]
    assert cells == ref["confusion"].ravel().tolist()


def test_mistake_images_are_embedded_pngs(card, ev, ref):
    html = build(card, ev, "en")
    uris = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert len(uris) == 12
    img = Image.open(io.BytesIO(base64.b64decode(uris[0])))
    assert img.size == (84, 84)
    # the first is the most confident mistake, inverted as in seed 000
    wrong = np.flatnonzero(ref["predictions"] != ref["labels"])
    worst = wrong[np.argmax(ref["probabilities"][wrong, ref["predictions"][wrong]])]
    expected = 255 - data.load().x_test[worst]
    assert np.array_equal(np.asarray(img)[::3, ::3], expected)
    assert "http" not in re.sub(r"<pre>.*?</pre>|xmlns=\"[^\"]+\"", "", html, flags=re.S)  # nothing fetched from outside


def test_report_in_spanish(card, ev):
    ev_es = evaluate_probabilities(ev.probabilities, ev.labels, "es")
    html = build(card, ev_es, "es")
    assert '<html lang="es">' in html
    for word in ("Resultados", "Decisiones de diseño", "Matriz de confusión", "Limitaciones", "Posibles mejoras"):
        assert word in html
    for name in class_names("es"):
        assert report._e(name) in html
    acc = fmt_pct(ev.accuracy, "es")
    assert "," in acc and acc in html
    assert "Possible improvements" not in html and "Results" not in html


def test_weakest_class_and_its_confusions_come_from_the_numbers(card, ev, ref):
    f1 = 2 * ref["precision"] * ref["recall"] / (ref["precision"] + ref["recall"])
    weakest = int(np.argmin(f1))
    row = ref["confusion"][weakest].copy()
    row[weakest] = -1
    partner = int(np.argmax(row))
    names = class_names("en")
    text = " ".join(report.suggestions(card, ev, "en"))
    assert f"{names[weakest]} is the weakest class" in text
    assert f"predicted {names[partner]}" in text
    assert f"({ref['confusion'][weakest, partner]})" in text
    assert f"{ref['confusion'][partner, weakest]} {names[partner]} images are predicted {names[weakest]}" in text


def history(train, val, train_loss=None, val_loss=None):
    n = len(train)
    return {"accuracy": train, "val_accuracy": val,
            "loss": train_loss or list(np.linspace(0.6, 0.2, n)), "val_loss": val_loss or list(np.linspace(0.6, 0.3, n))}


def test_overfitting_suggestion_quotes_the_gap_and_fits_the_config(ev):
    card = {"config": {"augment": False, "weight_decay": 0.0, "validation_split": 0.1},
            "history": history([0.85, 0.93, 0.97, 0.99], [0.86, 0.89, 0.90, 0.90])}
    text = " ".join(report.suggestions(card, ev, "en"))
    assert "99.00 %" in text and "90.00 %" in text and "gap of 9.0 points" in text
    assert "data augmentation" in text and "weight decay" in text
    card["config"].update(augment=True, weight_decay=5e-4)
    text = " ".join(report.suggestions(card, ev, "en"))
    assert "gap of 9.0 points" in text and "data augmentation" not in text and "weight decay" not in text
    text_es = " ".join(report.suggestions(card, ev, "es"))
    assert "diferencia de 9,0 puntos" in text_es


def test_rising_validation_loss_suggests_stopping_at_the_best_epoch(ev):
    card = {"config": {"validation_split": 0.1},
            "history": history([0.85, 0.90, 0.92, 0.93, 0.94], [0.86, 0.89, 0.905, 0.905, 0.906],
                               val_loss=[0.40, 0.31, 0.27, 0.29, 0.33])}
    text = " ".join(report.suggestions(card, ev, "en"))
    assert "lowest at epoch 3 (0.270)" in text and "ended at 0.330 after 5 epochs" in text


def test_still_improving_suggests_more_epochs_and_low_accuracy_underfits(ev):
    card = {"config": {"validation_split": 0.1},
            "history": history([0.80, 0.85, 0.88], [0.82, 0.86, 0.89], val_loss=[0.5, 0.4, 0.33])}
    text = " ".join(report.suggestions(card, ev, "en"))
    assert "rose by 3.0 points in the last of 3 epochs" in text
    assert "Training accuracy is only 88.00 %" in text
    # and a validation split of 0 is called out
    card["config"]["validation_split"] = 0.0
    assert any("Hold out" in s for s in report.suggestions(card, ev, "en"))


def test_user_text_is_escaped(card, ev):
    evil = {**card, "command": "<script>alert(1)</script>"}
    html = build(evil, ev, "en", name='<img src=x onerror="alert(2)">')
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html
    assert report.report_filename('../<x> y', "es") == "informe-x--y-es.html"


def test_report_module_imports_neither_streamlit_nor_tensorflow():
    code = ("import sys, fashion.judging.report, fashion.judging.evaluate; "
            "print(sorted(m for m in ('streamlit', 'tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=report.__file__.rsplit("/fashion/", 1)[0]).stdout.strip()
    assert out == "[]"


def test_a_card_without_history_or_config_still_gives_a_report(ev):
    html = report.build_report({"test_metrics": {}}, ev, data.load().x_test, "es", "sin_historial")
    assert "La ficha del modelo no tiene historial de entrenamiento." in html
    assert fmt_pct(ev.accuracy, "es") in html and "<svg" in html       # the confusion matrix still
    assert report.suggestions({}, ev, "es")                             # and suggestions from the test numbers
