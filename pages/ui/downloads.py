"""Take it home (issue 20): the course notebook of a model (.ipynb, in the page's
language) and the model itself with its card (.zip). Both are made only when the button
is pressed (a callable `data`), so drawing a page never loads TensorFlow or writes files;
the export works in a temporary folder and hands back the bytes."""
from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import streamlit as st

from fashion.export.model_zip import export_model_zip
from fashion.export.notebook import export_notebook
from pages.ui.session import lang, tr


def notebook_bytes(model_path: str, language: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="fashion-export-") as folder:
        out = Path(folder) / "notebook.ipynb"
        export_notebook(model_path, out, lang=language)
        return out.read_bytes()


def model_zip_bytes(model_path: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="fashion-export-") as folder:
        out = Path(folder) / "model.zip"
        export_model_zip(model_path, out)
        return out.read_bytes()


def take_home_buttons(model_path: str, key: str) -> None:
    """'Download notebook (.ipynb)' and 'Download model (.zip)' for this saved model."""
    stem = Path(model_path).stem
    left, right = st.columns(2)
    left.download_button(tr("export.button.notebook"), data=partial(notebook_bytes, str(model_path), lang()),
                         file_name=f"{stem}.ipynb", mime="application/x-ipynb+json", icon=":material/code:",
                         help=tr("export.button.notebook_help"), on_click="ignore", key=f"{key}_notebook")
    right.download_button(tr("export.button.model"), data=partial(model_zip_bytes, str(model_path)),
                          file_name=f"{stem}.zip", mime="application/zip", icon=":material/download:",
                          help=tr("export.button.model_help"), on_click="ignore", key=f"{key}_model")
