"""Take it home, in a real browser (issue 20): on Evaluate, "Download notebook" gives the
course notebook of the active model in the page's language (nbformat v4, a `parameters`
cell first, never importing `fashion`), and "Download model" a zip of the .keras file and
its card that plain Keras loads."""
from __future__ import annotations

import json
import zipfile

import nbformat
from conftest import assert_no_exception, wait_for_app

from fashion.model import registry


def _download(pg, label: str, folder):
    with pg.expect_download(timeout=300_000) as info:
        pg.get_by_role("button", name=label).click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_evaluate_hands_out_the_notebook_and_the_model(app_server, browser, tmp_path):
    context = browser.new_context(locale="es-ES", viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    try:
        pg.goto(app_server.url + "/evaluate")
        wait_for_app(pg)
        assert_no_exception(pg)
        notebook = _download(pg, "Descargar cuaderno (.ipynb)", tmp_path)
        model = _download(pg, "Descargar modelo (.zip)", tmp_path)
    finally:
        context.close()
    assert notebook.name == f"{registry.DEFAULT_MODEL.stem}.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []) and "EPOCHS" in code[0].source
    assert not any("import fashion" in c.source or "from fashion" in c.source for c in code)
    assert any("Matriz de confusión" in c.source for c in nb.cells if c.cell_type == "markdown")
    with zipfile.ZipFile(model) as z:
        names = set(z.namelist())
        assert {f"{registry.DEFAULT_MODEL.stem}.keras", f"{registry.DEFAULT_MODEL.stem}.json"} <= names
        card = json.loads(z.read(f"{registry.DEFAULT_MODEL.stem}.json"))
    assert card["lineage"] and card["test_metrics"]["accuracy"] > 0.9
