"""Size and single-image latency of a saved model (JSON).

One image through the model, two ways: a direct eager call `model(x)` (no `predict`),
and the compiled graph the app and CLI use (fashion.model.classifier.Classifier.probabilities).

    python bench/model_speed.py [MODEL]        # default: the shipped model
"""
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main():
    import keras
    import numpy as np

    from fashion import data
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "models" / "fashion_mnist_cnn.keras"
    t0 = time.perf_counter()
    model = keras.models.load_model(path)
    load_s = time.perf_counter() - t0
    images = data.to_model_input(data.load().x_test[:200])
    from fashion.model.classifier import Classifier

    def median_ms(call):
        for i in range(10):  # warm-up: graph tracing, oneDNN kernels
            call(images[i:i + 1])
        times = []
        for i in range(200):
            t = time.perf_counter()
            np.asarray(call(images[i:i + 1]))
            times.append((time.perf_counter() - t) * 1000)
        return round(statistics.median(times), 2), round(sorted(times)[int(0.9 * len(times))], 2)

    direct, direct_p90 = median_ms(lambda x: model(x, training=False))
    compiled, compiled_p90 = median_ms(Classifier(model).probabilities)
    print(json.dumps({"model": str(path.relative_to(REPO) if path.is_relative_to(REPO) else path),
                      "file_mb": round(path.stat().st_size / 1e6, 2), "params": int(model.count_params()),
                      "load_s": round(load_s, 2), "direct_call_ms_median": direct, "direct_call_ms_p90": direct_p90,
                      "compiled_call_ms_median": compiled, "compiled_call_ms_p90": compiled_p90}))


if __name__ == "__main__":
    main()
