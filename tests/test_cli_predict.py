"""`python -m fashion predict`: the --json contract (one object per file, in order; a bad
file gets "error" and the rest are still classified; exit 2 if any failed, 0 if none),
`confidence` is the calibrated probability the not-sure rule compares (fashion/calibration.py),
and never a traceback."""
from __future__ import annotations

import functools
import json
import subprocess
import sys

import numpy as np
from conftest import REPO
from test_photo import encode, garment_photo

from fashion.model.classifier import Classifier
from fashion.paths import DEFAULT_MODEL
from fashion.photos.judge import Judge


@functools.lru_cache(maxsize=1)
def shipped_threshold() -> float:
    return Judge().fit(Classifier.load(DEFAULT_MODEL)).calibration_.threshold


def predict(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fashion", "predict", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def write_photos(tmp_path):
    shirt, _ = garment_photo("light", colour=(30, 40, 90))
    rug, _ = garment_photo("cluttered", colour=(220, 220, 210))
    good = [tmp_path / "shirt.jpg", tmp_path / "on a rug.png"]
    good[0].write_bytes(encode(shirt, "JPEG", quality=90))
    good[1].write_bytes(encode(rug, "PNG"))
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a photo\n")
    return good, bad


def check_row(row: dict, file: str) -> None:
    assert row["file"] == file
    assert set(row) == {"file", "label", "name", "confidence", "sure", "reason", "probabilities"}
    assert 0 <= row["label"] <= 9 and isinstance(row["name"], str) and row["name"]
    p = np.array(row["probabilities"])
    assert p.shape == (10,) and abs(p.sum() - 1) < 1e-3 and int(p.argmax()) == row["label"]
    assert 0 <= row["confidence"] <= 1
    assert isinstance(row["sure"], bool)
    # the JSON confidence is exactly what the not-sure rule compares
    assert row["sure"] == (row["confidence"] >= shipped_threshold())   # (a garment was found in these photos)
    assert bool(row["reason"]) == (not row["sure"])


def test_json_contract_with_a_bad_file_exits_2(tmp_path):
    good, bad = write_photos(tmp_path)
    files = [str(good[0]), str(bad), str(good[1])]
    r = predict("--json", *files)
    assert r.returncode == 2, r.stderr[-2000:]
    assert "Traceback" not in r.stdout + r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert [row["file"] for row in rows] == files
    check_row(rows[0], files[0])
    check_row(rows[2], files[2])
    assert set(rows[1]) == {"file", "error"} and "not an image" in rows[1]["error"]


def test_all_good_exits_0_and_text_mode_reads_well(tmp_path, capsys):
    """In-process (the subprocess above already proved the real command line)."""
    from fashion.__main__ import main
    good, _ = write_photos(tmp_path)
    assert main(["predict", "--json", *map(str, good)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    for row, f in zip(rows, good):
        check_row(row, str(f))
    assert main(["predict", *map(str, good)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith(str(good[0]) + ": ") and "confidence" in lines[0]


def test_missing_model_is_an_error_not_a_traceback(tmp_path):
    good, _ = write_photos(tmp_path)
    r = predict("--model", str(tmp_path / "nope.keras"), "--json", str(good[0]))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "nope.keras" in r.stderr


def test_scores_are_the_models_own_probabilities_averaged_with_the_mirror():
    """The not-sure rule reads logits; its probabilities must still be exactly the model's."""
    from fashion import data
    from fashion.judging.evaluate import predict_proba
    from fashion.photos.energy import photo_scores, reference_energy
    classifier = Classifier.load(DEFAULT_MODEL)
    x = data.load().x_test[:64].astype(np.float32) / 255.0
    probs, z = photo_scores(classifier, x, reference_energy(classifier))
    own = predict_proba(classifier, np.concatenate([x, x[:, :, ::-1]]))
    np.testing.assert_allclose(probs, (own[:64] + own[64:]) / 2, atol=1e-5)
    assert z is not None and np.isfinite(z).all()
    assert abs(float(np.median(z))) < 1.0          # real Fashion-MNIST images are the reference: z near 0
