"""Classify photo files with a model: the shared core of the Photo page and
`python -m fashion predict`."""
from __future__ import annotations

import os

import numpy as np

from .data import class_names
from .photo import PhotoError, preprocess


def classify_files(model, files, lang: str = "en") -> list[dict]:
    """One dict per file, in order: file, label, name, confidence, probabilities
    (or file and error). Photos are preprocessed one by one and classified in one batch."""
    rows, inputs, slots = [], [], []
    for f in files:
        name = os.fspath(f) if not isinstance(f, (bytes, bytearray)) else "<bytes>"
        try:
            result = preprocess(f)
        except PhotoError as e:
            rows.append({"file": name, "error": str(e)})
            continue
        except Exception as e:  # never a traceback for one bad file
            rows.append({"file": name, "error": f"could not read this image ({type(e).__name__})"})
            continue
        slots.append(len(rows))
        rows.append({"file": name})
        inputs.append(result.model_input)
    if inputs:
        from .evaluate import predict_proba
        probs = predict_proba(model, np.stack(inputs))
        names = class_names(lang)
        for slot, p in zip(slots, probs):
            k = int(p.argmax())
            rows[slot].update({"label": k, "name": names[k], "confidence": float(p[k]),
                               "probabilities": [float(v) for v in p]})
    return rows
