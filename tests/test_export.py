"""Take it home (issue 20): every studio model exports the course notebook and a zip of
itself. The notebooks of a custom CNN and of the ResNet with augmentation and flip TTA run
top to bottom in a fresh kernel (1 epoch on 2,000 images); those of the seed CNN and the
quick preset's network run up to their model (the cells after it are the same code, run by
the other two); each builds a model with the studio model's parameter count; none imports
`fashion`; the Spanish one has Spanish headings; refusals leave no file behind."""
from __future__ import annotations

import argparse
import ast
import re
import zipfile

import cv2
import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from fashion import data
from fashion.backend import keras
from fashion.errors import StudioError
from fashion.export import command
from fashion.export.model_zip import export_model_zip
from fashion.export.notebook import export_notebook
from fashion.model import registry
from fashion.model.architectures import build, with_flip_tta
from fashion.model.safe_load import load_model

SEED_RECIPE = {"architecture": "seed_cnn", "epochs": 10, "batch_size": 32, "learning_rate": 1e-3,
               "validation_split": 0.0, "seed": 0}
QUICK_RECIPE = {"architecture": "fast", "epochs": 3, "batch_size": 256, "learning_rate": 1.5e-2,
                "lr_schedule": "cosine", "warmup_epochs": 0.3, "label_smoothing": 0.1, "validation_split": 0.05,
                "seed": 1}
CUSTOM_PARAMS = {"conv_blocks": 2, "filters": 8, "kernel_size": 3, "pooling": "average", "dropout": 0.25,
                 "dense_units": 32, "batch_norm": True}
CUSTOM_RECIPE = {"architecture": "custom", "epochs": 4, "batch_size": 64, "learning_rate": 0.01, "optimizer": "sgd",
                 "lr_schedule": "onecycle", "validation_split": 0.1, "seed": 3, "arch_params": CUSTOM_PARAMS}
RESNET_PARAMS = {"widths": [8, 16], "blocks_per_stage": 1, "dropout": 0.2, "stem_width": 8, "stem_pool": True,
                 "weight_decay": 0.01}
RESNET_RECIPE = {"architecture": "resnet", "epochs": 10, "batch_size": 256, "learning_rate": 3e-3,
                 "lr_schedule": "cosine", "warmup_epochs": 1, "optimizer": "adamw", "weight_decay": 0.02,
                 "label_smoothing": 0.1, "augment": True,
                 "augmentations": ["shift", "flip", "rotate", "zoom", "erase", "contrast", "blur"],
                 "validation_split": 0.05, "seed": 7, "tta_flip": True, "arch_params": RESNET_PARAMS,
                 "photos": "shipped", "init_from": "stage7.keras"}


def card_for(model, config: dict) -> dict:
    per_class = [{"class": k, "name": n, "precision": 0.9, "recall": 0.8 + k / 100, "f1": 0.85, "support": 1000}
                 for k, n in enumerate(data.class_names("en"))]
    return {"architecture": config["architecture"], "config": config, "test_metrics": {"accuracy": 0.9, "loss": 0.3},
            "per_class": per_class, "history": {"accuracy": [0.8, 0.95], "val_accuracy": [0.8, 0.9]},
            "epochs_completed": config["epochs"], "fit_seconds": 12.5, "params": int(model.count_params()),
            "real_photo_metrics": {"micro": 0.7, "macro": 0.6, "photos": 355}}


def studio_model(name: str, folder):
    """A small studio model of each kind the issue names, saved with its card."""
    if name == "seed":
        model, config = build("seed_cnn"), SEED_RECIPE
    elif name == "quick":
        model, config = build("fast"), QUICK_RECIPE
    elif name == "custom":
        model, config = build("custom", **CUSTOM_PARAMS), CUSTOM_RECIPE
    else:
        model, config = with_flip_tta(build("resnet", **RESNET_PARAMS)), RESNET_RECIPE
    return registry.save_model(model, card_for(model, config), name, folder=folder)


def code_sources(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def imported_modules(nb) -> set[str]:
    names = set()
    for source in code_sources(nb):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                names.add((node.module or "").split(".")[0])
    return names


def run_notebook(path, workdir, photos_dir):
    """Execute a notebook as a student would, with its parameters shortened the way papermill
    does it: a cell right after the one tagged `parameters`."""
    nb = nbformat.read(path, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(
        # figures inline whatever MPLBACKEND the test process hands the kernel
        f"%matplotlib inline\nEPOCHS = 1\nTRAIN_SUBSET = 2000\nPHOTOS_DIR = {str(photos_dir)!r}"))
    nb.cells.append(nbformat.v4.new_code_cell(
        "import sys\nprint('fashion imported:', any(m.split('.')[0] == 'fashion' for m in sys.modules))"))
    NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}).execute()
    return nb


def printed(nb) -> str:
    return "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                     if o.get("output_type") == "stream")


def exported(kind: str, lang: str, tmp_path):
    """(the studio model's path, the exported notebook), the notebook checked as a file."""
    path = studio_model(kind, tmp_path / "models")
    nb = nbformat.read(export_notebook(path, tmp_path / f"{kind}.ipynb", lang=lang), as_version=4)
    nbformat.validate(nb)
    assert "fashion" not in imported_modules(nb)
    assert imported_modules(nb) <= {"gzip", "os", "pathlib", "cv2", "keras", "matplotlib", "numpy", "tensorflow",
                                    "PIL", "sklearn"}
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.metadata["tags"] == ["parameters"]
    assert re.search(r"^EPOCHS = \d+", first_code.source, re.M) and "TRAIN_SUBSET = 0" in first_code.source
    return path, nb


@pytest.mark.parametrize("kind,lang", [("seed", "en"), ("quick", "es")])
def test_exported_notebook_runs_to_its_model_and_builds_the_same_network(kind, lang, tmp_path, monkeypatch):
    path, nb = exported(kind, lang, tmp_path)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for source in code_sources(nb):
        exec(compile(source.replace("TRAIN_SUBSET = 0", "TRAIN_SUBSET = 2000"), kind, "exec"), namespace)
        if "model = keras." in source:
            break
    assert namespace["model"].count_params() == load_model(path).count_params()
    assert [type(layer).__name__ for layer in namespace["model"].layers] == \
        [type(layer).__name__ for layer in build({"seed": "seed_cnn", "quick": "fast"}[kind]).layers]


@pytest.mark.parametrize("kind,lang", [("custom", "en"), ("resnet", "es")])
def test_exported_notebook_runs_top_to_bottom_and_builds_the_same_network(kind, lang, tmp_path):
    path, nb = exported(kind, lang, tmp_path)
    out = tmp_path / f"{kind}.ipynb"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    photos = tmp_path / "photos"
    photos.mkdir()
    if kind == "custom":   # one Fashion-MNIST sneaker, photographed as dark on white
        cv2.imwrite(str(photos / "sneaker.png"),
                    cv2.resize(255 - data.load().x_test[0], (280, 280), interpolation=cv2.INTER_CUBIC))
    executed = run_notebook(out, tmp_path, photos)
    text = printed(executed)
    counts = re.findall(r"^count_params = (\d+)$", text, re.M)
    assert counts and int(counts[-1]) == load_model(path).count_params()
    assert "fashion imported: False" in text
    assert (tmp_path / next(re.finditer(r"MODEL_FILE = '([^']+)'", first_code.source)).group(1)).is_file()
    photo_cell = next(c for c in executed.cells if "def photo_to_fashion_mnist" in c.source)
    shown = [o.get("output_type") for o in photo_cell.get("outputs", [])]
    assert ("display_data" in shown) == (kind == "custom")       # the photo's prediction, or where to put photos
    if kind == "resnet":
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "fotos reales" in markdown and "stage7.keras" in markdown     # what the notebook does not repeat
        assert "RandomErasing" in "\n".join(code_sources(nb)) and "tta_mirror" in "\n".join(code_sources(nb))


def test_the_model_is_written_as_readable_keras_code(tmp_path):
    nb = nbformat.read(export_notebook(studio_model("seed", tmp_path), tmp_path / "seed.ipynb"), as_version=4)
    code = "\n".join(code_sources(nb))
    assert "layers.Conv2D(32, (3, 3), activation='relu')" in code
    assert "layers.MaxPooling2D(pool_size=(2, 2))" in code
    assert "layers.Dense(10, activation='softmax')" in code
    assert "model.summary()" in code and "test_loss, test_acc = model.evaluate(" in code
    assert "model.save(MODEL_FILE)" in code and "confusion_matrix(" in code and "classification_report(" in code
    assert "'blue'" in code and "'red'" in code
    assert "keras.utils.set_random_seed(SEED)" in code and ".shuffle(len(x_train), seed=SEED)" in code


def test_spanish_notebook_has_spanish_headings(tmp_path):
    nb = nbformat.read(export_notebook(studio_model("quick", tmp_path), tmp_path / "q.ipynb", lang="es"),
                       as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## Matriz de confusión" in markdown and "exactitud" in markdown and "## Informe" in markdown
    assert "Camiseta/Top" in "\n".join(code_sources(nb))
    english = nbformat.read(export_notebook(studio_model("quick", tmp_path), tmp_path / "e.ipynb"), as_version=4)
    assert "## Confusion matrix" in "\n".join(c.source for c in english.cells)


def test_the_informe_carries_the_studio_figures(tmp_path):
    nb = nbformat.read(export_notebook(studio_model("quick", tmp_path), tmp_path / "q.ipynb"), as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "90.00 %" in markdown and "70.00 %" in markdown      # test and real-photo accuracy
    assert "| Shirt |" in markdown and "12 s" in markdown and "fast" in markdown
    assert "Reflections" in markdown


def assert_nothing_written(folder):
    assert not [p for p in folder.iterdir() if p.suffix in (".ipynb", ".zip") or p.name.startswith(".tmp-")]


def test_refusals_are_keyed_and_leave_no_file(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    good = studio_model("seed", tmp_path / "models")
    damaged = tmp_path / "damaged.keras"
    damaged.write_bytes(b"not a zip at all")
    cases = [(tmp_path / "missing.keras", out / "a.ipynb", "en", "model.error.missing"),
             (damaged, out / "b.ipynb", "en", "model.error.not_zip"),
             (good, tmp_path / "no-such-folder" / "c.ipynb", "en", "export.err.unwritable"),
             (good, out, "en", "export.err.output_is_folder"),
             (good, out / "d.ipynb", "fr", "export.err.language")]
    for model_path, out_path, lang, key in cases:
        with pytest.raises(StudioError) as e:
            export_notebook(model_path, out_path, lang=lang)
        assert e.value.key == key
        assert e.value.message("es") != e.value.message("en")
    assert_nothing_written(out)


def test_a_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    good = studio_model("seed", tmp_path / "models")

    def full_disk(notebook, fp, *args, **kwargs):
        with open(fp, "w") as f:
            f.write("{")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nbformat, "write", full_disk)
    with pytest.raises(StudioError) as e:
        export_notebook(good, tmp_path / "x.ipynb")
    assert e.value.key == "export.err.unwritable"
    assert_nothing_written(tmp_path)


def test_an_architecture_it_cannot_write_is_refused_by_name(tmp_path):
    inner = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3)], name="inner_block")
    model = keras.Sequential([keras.Input((28, 28, 1)), inner, keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")], name="odd")
    path = registry.save_model(model, {"test_metrics": {}}, "odd", folder=tmp_path / "models")
    with pytest.raises(StudioError) as e:
        export_notebook(path, tmp_path / "odd.ipynb")
    assert e.value.key == "export.err.architecture" and "inner_block" in str(e.value)
    assert not (tmp_path / "odd.ipynb").exists()


def test_shared_layers_are_refused(tmp_path):
    inputs = keras.Input((28, 28, 1))
    dense = keras.layers.Dense(1)
    x = keras.layers.Flatten()(inputs)
    outputs = keras.layers.Dense(10, activation="softmax")(keras.layers.Concatenate()([dense(x), dense(x)]))
    path = registry.save_model(keras.Model(inputs, outputs), {"test_metrics": {}}, "shared", folder=tmp_path)
    with pytest.raises(StudioError) as e:
        export_notebook(path, tmp_path / "shared.ipynb")
    assert e.value.key == "export.err.architecture"


def test_model_zip_holds_the_model_and_its_card(tmp_path):
    path = studio_model("quick", tmp_path / "models")
    out = export_model_zip(path, tmp_path / "quick.zip")
    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == ["quick.json", "quick.keras"]
        z.extractall(tmp_path / "unzipped")
    loaded = keras.models.load_model(tmp_path / "unzipped" / "quick.keras")
    assert loaded.count_params() == load_model(path).count_params()
    x = np.zeros((1, 28, 28, 1), np.float32)
    assert np.allclose(loaded.predict(x, verbose=0), load_model(path).predict(x, verbose=0))
    with pytest.raises(StudioError) as e:
        export_model_zip(tmp_path / "missing.keras", tmp_path / "missing.zip")
    assert e.value.key == "model.error.missing" and not (tmp_path / "missing.zip").exists()


def test_export_command(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers(dest="command"))
    path = studio_model("seed", tmp_path / "models")
    args = parser.parse_args(["export", str(path), "--notebook", str(tmp_path / "n.ipynb"), "--lang", "es",
                              "--zip", str(tmp_path / "m.zip")])
    assert command.run(args) == 0
    assert (tmp_path / "n.ipynb").is_file() and (tmp_path / "m.zip").is_file()
    refused = parser.parse_args(["export", str(tmp_path / "nope.keras"), "--notebook", str(tmp_path / "x.ipynb"),
                                 "--lang", "es"])
    assert command.run(refused) == 2
    assert "no se encontró" in capsys.readouterr().err and not (tmp_path / "x.ipynb").exists()
    assert command.run(parser.parse_args(["export", str(path), "--notebook", str(tmp_path / "y.ipynb"),
                                          "--lang", "de"])) == 2
