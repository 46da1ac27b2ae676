"""Take it home in the pages (issue 20): the notebook and the model are offered on
Evaluate (the active model), and the Train page shows what each chosen augmentation does
to a training image. The files themselves are checked in tests/test_export.py (executed
notebooks) and tests/test_browser_take_home.py (downloaded in Chromium)."""
from __future__ import annotations

import io
import zipfile

from conftest import run_page

from fashion.model import registry
from pages.ui.downloads import model_zip_bytes
from pages.ui.train_form import SETTINGS_OPEN


def test_evaluate_offers_the_notebook_and_the_model_in_the_pages_language():
    for lang, labels in (("en", {"Download notebook (.ipynb)", "Download model (.zip)"}),
                         ("es", {"Descargar cuaderno (.ipynb)", "Descargar modelo (.zip)"})):
        at = run_page("pages/evaluate.py", lang)
        assert not at.exception
        shown = {b.label for b in at.get("download_button")}
        assert labels <= shown, shown


def test_the_model_zip_holds_the_keras_file_and_its_card():
    with zipfile.ZipFile(io.BytesIO(model_zip_bytes(str(registry.DEFAULT_MODEL)))) as z:
        assert sorted(z.namelist()) == ["fashion_mnist_cnn.json", "fashion_mnist_cnn.keras"]


def test_the_train_page_shows_what_each_chosen_augmentation_does():
    import numpy as np

    from pages.ui.train_augment import augmented_views
    image = np.zeros((28, 28), np.uint8)
    image[6:22, 10:18] = 200                          # an off-centre bar: flips and shifts move it
    views = augmented_views(image, ["flip", "shift", "contrast"], seed=3)
    assert len(views) == 12 and all(v.shape == (28, 28) and v.dtype == np.uint8 for v in views)
    assert any(not np.array_equal(v, image) for v in views[:8])
    at = run_page("pages/train.py", "en", session={SETTINGS_OPEN: True})   # the settings expander, open
    assert not at.exception
    at.toggle(key="tr_aug").set_value(True).run()
    assert any(e.label == "See what the augmentation does" for e in at.expander)
