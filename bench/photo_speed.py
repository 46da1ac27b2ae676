"""Time per photo of the real-photo path: preprocessing (decode, find the garment, frame it
as 28x28) plus inference (the image and its mirror, with the not-sure rule), one photo at a
time, as the Photo page and `python -m fashion predict` do it. Prints one JSON object.

    python bench/photo_speed.py ../shared/photos-dev            # every photo under the folder
    python bench/photo_speed.py ../shared/photos-dev --model models/fashion_mnist_cnn.keras --limit 100

Loading the model, measuring its usual energy on Fashion-MNIST and fitting its not-sure
calibration (fashion/calibration.py) happen once per model (`setup_s`) and are not part
of the per-photo figures. `median_ms` is wall-clock time;
`median_cpu_ms` is this process's CPU time (steadier on a busy machine: compare it with
`load_average`).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".heic", ".heif"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("root", help="a folder of photos (searched recursively)")
    ap.add_argument("--model", help="a .keras file (default: the shipped model)")
    ap.add_argument("--limit", type=int, default=0, help="time only the first N photos (0 = all)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed photos first (caches, lazy imports)")
    a = ap.parse_args(argv)

    from fashion.errors import PhotoError
    from fashion.model import registry
    from fashion.model.classifier import Classifier
    from fashion.paths import DEFAULT_MODEL
    from fashion.photos.judge import Judge
    from fashion.photos.pipeline import preprocess
    from fashion.photos.predict import verdict

    files = sorted(p for p in Path(a.root).rglob("*") if p.suffix.lower() in EXTENSIONS)
    if a.limit:
        files = files[:a.limit]
    if not files:
        print(json.dumps({"error": f"no photos under {a.root}"}))
        return 2
    model_path = Path(a.model) if a.model else DEFAULT_MODEL

    t0 = time.perf_counter()
    classifier = Classifier.load(model_path)
    judge = Judge().fit(classifier)            # fitted once per model, as in the app
    setup = time.perf_counter() - t0

    def one(path):
        result = preprocess(path)
        t_pre = time.perf_counter()
        probs, z, p_right, threshold, unfamiliar = judge.assess(classifier, result.model_input[None],
                                                                np.array([result.found]))
        verdict(probs[0], result, None if z is None else float(z[0]),
              None if p_right is None else (float(p_right[0]), threshold,
                                            None if unfamiliar is None else bool(unfamiliar[0])))
        return t_pre

    for f in files[:a.warmup]:
        try:
            one(f)
        except PhotoError:
            pass

    wall, cpu, pre, inf, errors = [], [], [], [], 0
    for f in files:
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            t_pre = one(f)
        except PhotoError:
            errors += 1
            continue
        w1, c1 = time.perf_counter(), time.process_time()
        wall.append(w1 - w0)
        cpu.append(c1 - c0)
        pre.append(t_pre - w0)
        inf.append(w1 - t_pre)

    ms = lambda v, q=50: round(1000 * float(np.percentile(v, q)), 1)  # noqa: E731
    card = {}
    try:
        card = registry.read_card(model_path.with_suffix(".json"))
    except Exception:
        pass
    print(json.dumps({
        "photos": len(wall), "errors": errors,
        "median_ms": ms(wall), "p90_ms": ms(wall, 90),
        "median_preprocess_ms": ms(pre), "median_inference_ms": ms(inf),
        "median_cpu_ms": ms(cpu),
        "setup_s": round(setup, 2),
        "model": str(model_path), "model_test_accuracy": (card.get("test_metrics") or {}).get("accuracy"),
        "cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
