"""`python -m fashion evaluate`: a model on the 10,000 test images, or its stored evaluation
(and kept not-sure judge) (re)made."""
from __future__ import annotations

import json
import sys

from fashion.cli.model_file import load_classifier
from fashion.data import load
from fashion.errors import DatasetError
from fashion.judging.evaluate import evaluate
from fashion.judging.measure import compute
from fashion.judging.stored import file_sha256, store_paths, write_store
from fashion.paths import DEFAULT_MODEL, judge_path
from fashion.photos import judge_store
from fashion.photos.judge import Judge


def cmd_evaluate(a) -> int:
    classifier = load_classifier(a.model)
    if classifier is None:
        return 2
    try:
        ds = load()
    except DatasetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if getattr(a, "store", False):
        path = a.model or DEFAULT_MODEL
        stored = compute(classifier, ds, file_sha256(path))
        try:
            write_store(path, stored)
        except OSError as e:
            print(f"error: cannot write the evaluation store beside {path}: {e}", file=sys.stderr)
            return 1
        print(f"stored the evaluation of {path} in {', '.join(str(p) for p in store_paths(path))}", file=sys.stderr)
        if judge_store.write(path, Judge().fit(classifier).state_arrays()):
            print(f"kept its not-sure judge in {judge_path(path)}", file=sys.stderr)
        ev = stored.evaluation()
    else:
        ev = evaluate(classifier, ds.x_test, ds.y_test)
    if a.json:
        print(json.dumps(ev.to_dict()))
    else:
        print(f"test accuracy {ev.accuracy:.4f}, loss {ev.loss:.4f}")
        for row in ev.per_class:
            print(f"  {row['name']:<12} precision {row['precision']:.3f}  recall {row['recall']:.3f}  f1 {row['f1']:.3f}")
    return 0
