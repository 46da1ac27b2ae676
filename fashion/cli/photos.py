"""`python -m fashion predict` (classify photo files) and `python -m fashion photos` (a photo folder
processed once into 28x28 training arrays)."""
from __future__ import annotations

import json
import sys

from fashion.cli.model_file import load_classifier
from fashion.cli.terminal import printable
from fashion.photos.judge import Judge
from fashion.photos.photoset import SHIPPED, PhotoSetError, build, save
from fashion.photos.predict import classify_files


def cmd_predict(a) -> int:
    """Classify photo files: one line (or one JSON object) per file, in order. Exit 0 when
    every file was classified, 2 when any could not be used; never a traceback."""
    classifier = load_classifier(a.model)
    if classifier is None:
        return 2
    try:
        rows = classify_files(classifier, Judge(keep=False), a.files)   # kept beside the model, or fitted: writes nothing
    except Exception as e:  # a model that cannot take 28x28 inputs, for instance
        print(f"error: could not classify with this model: {e or type(e).__name__}", file=sys.stderr)
        rows = [{"file": f, "error": "could not classify with this model"} for f in a.files]
    for row in rows:
        if a.json:
            print(json.dumps(row, ensure_ascii=False))
        elif "error" in row:
            print(f"{printable(row['file'])}: error: {row['error']}")
        else:
            verdict = "" if row["sure"] else f"  (not sure: {row['reason']})"
            print(f"{printable(row['file'])}: {row['name']}  confidence {100 * row['confidence']:.0f} %{verdict}")
    return 0 if all("error" not in r for r in rows) else 2


def cmd_photos(a) -> int:
    """Process a photo folder once (cached by content + pipeline version) and save the arrays."""
    try:
        photos = build(a.folder, on_progress=lambda i, n: sys.stderr.write(f"\rprocessed {i}/{n} photos")
                       if i % 50 == 0 or i == n else None)
    except PhotoSetError as e:
        print(f"\nerror: {e}", file=sys.stderr)
        return 2
    path = save(photos, a.output or SHIPPED)
    print(f"\nsaved {path}", file=sys.stderr)
    print(json.dumps({"path": str(path), **photos.describe()}))
    return 0
