"""The same network, at home: the seed recipe trained by its exported notebook against the
studio's own seed preset. Prints one JSON object.

    python bench/notebook_parity.py                         # trains both (about 2 x 2-4 min on 2 CPU cores)
    python bench/notebook_parity.py --studio-model M.keras  # compare with an already trained seed-preset model
    python bench/notebook_parity.py --smoke                 # 1 epoch on 2,000 images each: checks the bench runs

1. The studio: `python -m fashion train --preset seed --json` in a fresh process (seed 000's
   CNN, Adam, batch 32, 10 epochs, all 60,000 images, seeded), saved to a temporary folder.
2. The notebook: that model exported (fashion.export.notebook, as `python -m fashion export`),
   run top to bottom by nbclient in a fresh kernel with its own parameters (EPOCHS = 10,
   TRAIN_SUBSET = 0); its `test_acc` is read back.

The target (issue 20): the notebook's test accuracy within +-0.6 points of the studio's.
The notebook seeds Keras before building the network (the same starting weights) and
shuffles with tf.data under the same seed (the same batches), so on one machine it lands on
the studio's figure itself: 2 CPU cores, shared, gave 0.9104 for both (a notebook that let
`model.fit` shuffle arrays its own way gave 0.9029, 0.75 points off).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fashion.export.notebook import export_notebook  # noqa: E402

TARGET_POINTS = 0.6


def train_studio_seed(folder: Path, smoke: bool) -> Path:
    out = folder / "seed.keras"
    cmd = [sys.executable, "-m", "fashion", "train", "--preset", "seed", "--output", str(out), "--json"]
    if smoke:
        cmd += ["--epochs", "1", "--train-subset", "2000"]
    subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return out


def run_notebook(path: Path, workdir: Path, smoke: bool) -> tuple[float, float]:
    """(the notebook's test accuracy, seconds to run it)."""
    nb = nbformat.read(path, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    if smoke:
        nb.cells.insert(at + 1, nbformat.v4.new_code_cell("EPOCHS = 1\nTRAIN_SUBSET = 2000"))
    nb.cells.append(nbformat.v4.new_code_cell("import json\nprint('PARITY ' + json.dumps(float(test_acc)))"))
    start = time.perf_counter()
    NotebookClient(nb, timeout=3600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}).execute()
    seconds = time.perf_counter() - start
    for output in nb.cells[-1].get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith("PARITY "):
                return json.loads(line[len("PARITY "):]), seconds
    raise RuntimeError("the notebook printed no test accuracy")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--studio-model", help="an already trained seed-preset model (its card gives the accuracy)")
    ap.add_argument("--smoke", action="store_true", help="1 epoch on 2,000 images: checks the bench runs")
    a = ap.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with tempfile.TemporaryDirectory(prefix="notebook-parity-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        model = Path(a.studio_model) if a.studio_model else train_studio_seed(folder, a.smoke)
        studio_seconds = None if a.studio_model else round(time.perf_counter() - start, 1)
        card = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))
        studio = float(card["test_metrics"]["accuracy"])
        export_notebook(model, folder / "seed.ipynb")
        notebook, notebook_seconds = run_notebook(folder / "seed.ipynb", folder, a.smoke)
    points = 100 * (notebook - studio)
    print(json.dumps({
        "studio_test_accuracy": round(studio, 4), "notebook_test_accuracy": round(notebook, 4),
        "difference_points": round(points, 2), "target_points": TARGET_POINTS,
        "within_target": abs(points) <= TARGET_POINTS, "smoke": a.smoke,
        "studio_wall_seconds": studio_seconds, "notebook_wall_seconds": round(notebook_seconds, 1),
        "studio_config": card.get("config"),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
