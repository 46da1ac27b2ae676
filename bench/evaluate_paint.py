"""Time to paint the Evaluate page on a first visit, as AppTest runs it (JSON).

    python bench/evaluate_paint.py

A fresh process (nothing cached: no dataset, no model, no stored evaluation read yet) runs
the home page, then switches to Evaluate for the shipped model; the second figure is the
Evaluate run: dataset loading, reading the stored evaluation beside the model, metrics,
and drawing every element. It also says whether TensorFlow or scikit-learn had to be
imported for it (with a valid store, neither is). No server or browser is involved, so
network and rendering time are not included.
"""
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> int:
    os.environ.setdefault("FASHION_STUDIO_HOME", tempfile.mkdtemp(prefix="paint-home-"))
    from streamlit.testing.v1 import AppTest

    from fashion.judging import stored as evaluation_store
    from fashion.model import registry
    t0 = time.perf_counter()
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=300)
    at.session_state["lang"] = "en"
    at.run()
    t1 = time.perf_counter()
    at.switch_page("pages/evaluate.py")
    at.run()
    t2 = time.perf_counter()
    print(json.dumps({"home_first_run_s": round(t1 - t0, 2), "evaluate_first_visit_s": round(t2 - t1, 2),
                      "store_valid": evaluation_store.read_store(registry.DEFAULT_MODEL) is not None,
                      "tensorflow_imported": "tensorflow" in sys.modules, "sklearn_imported": "sklearn" in sys.modules,
                      "exceptions": len(at.exception), "load_average": [round(x, 2) for x in os.getloadavg()]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
