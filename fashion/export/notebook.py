"""A saved model as the notebook the course asks for: the code that trains the same
network from scratch and the report to finish, in English or Spanish, written with
`nbformat` and put in place atomically (a failed export leaves no file behind).

    export_notebook("models/fashion_mnist_cnn.keras", "fashion.ipynb", lang="es")

The notebook imports only what a course notebook would (TensorFlow/Keras, NumPy,
Matplotlib, scikit-learn, Pillow, OpenCV), never `fashion`, and its first code cell is
tagged `parameters` (EPOCHS, TRAIN_SUBSET, ...) so a runner such as papermill can shorten it.
"""
from __future__ import annotations

from pathlib import Path

import nbformat

from fashion.errors import CardError
from fashion.export import sections_data, sections_model, sections_report
from fashion.export.checks import check_language, check_output, unwritable
from fashion.export.keras_code import model_code
from fashion.export.recipe import recipe_from_card
from fashion.files import atomic_write
from fashion.model.registry import read_card
from fashion.model.safe_load import load_model

KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def card_of(model_path: Path) -> dict | None:
    """The model's card; None when it has none (CardError when it has a broken one)."""
    card_path = Path(model_path).with_suffix(".json")
    if not card_path.is_file():
        return None
    try:
        return read_card(card_path)
    except OSError as e:
        raise CardError("card.error.unreadable", file=card_path.name, error=e.strerror or type(e).__name__) from None


def build_notebook(model, card: dict | None, model_name: str, lang: str):
    """The notebook (an nbformat node) for a loaded model and its card."""
    network = model_code(model)
    recipe = recipe_from_card(card, model_name)
    cells = [*sections_data.title(recipe, lang), *sections_data.parameters(recipe, lang),
             *sections_data.data(recipe, lang), *sections_data.augmentation(recipe, lang),
             *sections_model.network(recipe, network, lang), *sections_report.not_repeated(recipe, lang),
             *sections_model.training(recipe, lang), *sections_model.flip_tta(network, lang),
             *sections_model.judging(recipe, network, lang), *sections_report.photos(lang),
             *sections_report.informe(recipe, lang)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = KERNEL
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.validate(notebook)
    return notebook


def export_notebook(model_path, out_path, lang: str = "en") -> Path:
    """Write the notebook of a saved model to out_path; returns it. Refusals (a keyed
    StudioError) come before anything is written: an unknown language, an output that
    cannot be written, a missing or damaged model, a broken card, an architecture the
    exporter cannot write as code."""
    check_language(lang)
    out = check_output(out_path)
    model_path = Path(model_path)
    model = load_model(model_path)
    notebook = build_notebook(model, card_of(model_path), model_path.stem, lang)
    try:
        return atomic_write(out, lambda tmp: nbformat.write(notebook, tmp), suffix=".ipynb")
    except OSError as e:
        raise unwritable(out, e) from None
