"""Training speed: the seed recipe against the quick preset, one after the other, in one run.

    python bench/train_speed.py                      # both, prints one JSON object
    python bench/train_speed.py --seed-script PATH   # another copy of seed_reference.py
    python bench/train_speed.py --smoke              # one tiny epoch each: checks the bench runs, no figures

1. The seed recipe: `../shared/bench/seed_reference.py` (seed 000 as its notebook runs it:
   the same CNN, Adam, batch 32, 10 epochs, validating on the test set), in a fresh process.
2. The quick preset: `python -m fashion train --preset quick --json`, in a fresh process,
   saving to a temporary folder (the user's registry is not touched).

Both report their own fit time (the `model.fit` call, graph tracing and per-epoch
validation included; start-up, data loading and the final test scoring excluded) and
wall time (the whole process). The target: the quick preset reaches at least 91.0 % test
accuracy in at most 1/6 of the seed recipe's fit time measured in the same run. The JSON
carries both fit times, both test accuracies and their ratio (`fit_ratio`, seed / quick).

The machine's load average is printed before and after: on a shared machine other
processes slow both runs, and not always by the same factor.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED_SCRIPT_CANDIDATES = (REPO.parent / "shared" / "bench" / "seed_reference.py",
                          REPO / "shared" / "bench" / "seed_reference.py")
TARGET_ACCURACY = 0.91
TARGET_SPEEDUP = 6.0


def last_json_line(text: str) -> dict:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in the output")


def run(cmd: list[str], env: dict, cwd: Path) -> tuple[dict, float, float]:
    """Run cmd, return (its final JSON line, wall seconds, CPU seconds); exit with its
    stderr on failure. CPU seconds (user + system of the process) count the work done,
    which other processes on a shared machine inflate far less than the wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        sys.exit(f"{' '.join(cmd)} failed with exit status {proc.returncode}")
    return last_json_line(proc.stdout), wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed-script", type=Path, help="path to seed_reference.py")
    parser.add_argument("--smoke", action="store_true",
                        help="one epoch each on few images: checks that the bench runs (its figures mean nothing)")
    args = parser.parse_args()
    seed_script = args.seed_script or next((p for p in SEED_SCRIPT_CANDIDATES if p.exists()), None)
    if seed_script is None or not seed_script.exists():
        sys.exit("seed_reference.py not found; pass --seed-script PATH")

    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}
    load_before = os.getloadavg()

    seed_args = ["1", "32"] if args.smoke else []
    quick_args = ["--epochs", "1", "--train-subset", "3000", "--warmup-epochs", "0"] if args.smoke else []
    seed, seed_wall, seed_cpu = run([sys.executable, str(seed_script), *seed_args], env, seed_script.parent)
    with tempfile.TemporaryDirectory() as tmp:
        quick_env = {**env, "FASHION_STUDIO_HOME": tmp}
        quick, quick_wall, quick_cpu = run([sys.executable, "-m", "fashion", "train", "--preset", "quick", "--json",
                                 "--output", str(Path(tmp) / "quick.keras"), *quick_args], quick_env, REPO)

    seed_acc = seed["test_acc_per_epoch"][-1]
    quick_acc = quick["test_accuracy"]
    fit_ratio = seed["fit_s"] / quick["fit_seconds"]
    report = {
        "machine": f"{os.cpu_count()} CPU cores",
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "seed": {"recipe": "seed_reference.py: seed_cnn, Adam, batch 32, 10 epochs",
                 "wall_s": round(seed_wall, 1), "cpu_s": round(seed_cpu, 1), "fit_s": seed["fit_s"], "test_accuracy": seed_acc,
                 "test_acc_per_epoch": seed["test_acc_per_epoch"]},
        "quick": {"recipe": "python -m fashion train --preset quick",
                  "config": {k: quick["config"].get(k) for k in ("architecture", "epochs", "batch_size", "learning_rate",
                                                                 "lr_schedule", "warmup_epochs", "label_smoothing",
                                                                 "augment", "tta_flip", "validation_split")},
                  "wall_s": round(quick_wall, 1), "cpu_s": round(quick_cpu, 1), "fit_s": quick["fit_seconds"], "test_accuracy": round(quick_acc, 4),
                  "val_acc_per_epoch": [round(v, 4) for v in quick["history"].get("val_accuracy", [])]},
        "seed_fit_s": seed["fit_s"], "quick_fit_s": quick["fit_seconds"],
        "seed_test_accuracy": seed_acc, "quick_test_accuracy": round(quick_acc, 4),
        "fit_ratio": round(fit_ratio, 2),
        "wall_ratio": round(seed_wall / quick_wall, 2),
        "cpu_ratio": round(seed_cpu / quick_cpu, 2),    # whole processes: start-up and test scoring included
        "target": f"quick >= {TARGET_ACCURACY:.1%} test accuracy in <= 1/{TARGET_SPEEDUP:g} of the seed fit time",
        "target_met": bool(quick_acc >= TARGET_ACCURACY and fit_ratio >= TARGET_SPEEDUP),
        "smoke": bool(args.smoke),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
