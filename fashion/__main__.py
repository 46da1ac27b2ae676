"""Command line: `python -m fashion train | evaluate | predict | photos | finetune | reproduce`.

    python -m fashion train --preset quick --json
    python -m fashion evaluate --json
    python -m fashion predict --json photo1.jpg photo2.png
    python -m fashion reproduce models/fashion_mnist_cnn.json --output rebuilt.keras
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import sys
import time

from fashion.data import DatasetError, load
from fashion.errors import CardError, ConfigError, LineageError, StudioError, TrainingFailed

from fashion.judging.evaluate import evaluate
from fashion.judging.measure import compute
from fashion.judging.stored import file_sha256, store_paths, write_store
from fashion.model import registry
from fashion.model.cards import parse_bounded
from fashion.model.classifier import Classifier
from fashion.paths import studio_home, user_dir
from fashion.photos.own import from_folder
from fashion.photos.photoset import SHIPPED, PhotoSetError, build, save
from fashion.photos.predict import classify_files
from fashion.training import lineage
from fashion.training.finetune import FinetuneConfig, command, finetune, make_card
from fashion.training.lineage import command_line
from fashion.training.train import PRESETS, TrainConfig, discard_checkpoint, train

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _bool(s: str) -> bool:
    if s.lower() in ("1", "true", "yes", "on"):
        return True
    if s.lower() in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true/false, got {s!r}")


DIVERGED_ACCURACY = 0.15   # ten classes: 0.10 is guessing; a run at or below this learned nothing


def printable(text) -> str:
    """text with control characters (a newline in a file name, an escape sequence) written
    as escapes, so one name stays on one line of plain-text output."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in str(text))


def _add_train_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", choices=sorted(PRESETS), help="start from a named recipe; other flags override it")
    for f in dataclasses.fields(TrainConfig):
        flag = "--" + f.name.replace("_", "-")
        if f.name == "augmentations":
            p.add_argument(flag, help="comma-separated: shift,flip,rotate,zoom,erase,contrast,blur")
        elif f.name == "arch_params":
            p.add_argument(flag, help='JSON, e.g. \'{"conv_blocks": 3, "filters": 32}\'')
        elif f.type in ("bool", bool):
            p.add_argument(flag, type=_bool, metavar="true|false")
        else:
            kind = {"int": int, "float": float, "str": str}.get(str(f.type), str)
            p.add_argument(flag, type=kind)
    p.add_argument("--output", help="where to save the .keras file (default: the user's model registry)")
    p.add_argument("--name", help="model name in the registry")
    p.add_argument("--resume-dir", help="checkpoint folder: an interrupted run started with the same folder resumes; "
                                        "it is removed once the finished model is saved")
    p.add_argument("--save-diverged", action="store_true",
                   help=f"save the model even when training diverged (test accuracy <= {DIVERGED_ACCURACY})")
    p.add_argument("--json", action="store_true", help="print a final JSON line")


def config_from_args(a, parser: argparse.ArgumentParser | None = None) -> "TrainConfig":
    """The TrainConfig the flags describe, validated. Anything wrong (a JSON that is not an
    object, a value of the wrong type or range) goes to parser.error: one line, exit 2."""

    def fail(message: str):
        if parser is None:
            raise ValueError(message)
        parser.error(message)

    base = dataclasses.replace(PRESETS[a.preset]) if a.preset else TrainConfig()
    changes = {}
    for f in dataclasses.fields(TrainConfig):
        v = getattr(a, f.name, None)
        if v is None:
            continue
        if f.name == "augmentations":
            v = tuple(s.strip() for s in v.split(",") if s.strip())
        elif f.name == "arch_params":
            try:
                v = parse_bounded(v.encode("utf-8", "surrogateescape"), "--arch-params", max_depth=8)
            except CardError:
                fail('--arch-params: not valid JSON; give an object such as \'{"conv_blocks": 3, "filters": 32}\'')
            if not isinstance(v, dict):
                fail('--arch-params: must be a JSON object such as \'{"conv_blocks": 3, "filters": 32}\', '
                     f'not {type(v).__name__}')
        changes[f.name] = v
    try:
        return dataclasses.replace(base, **changes).validate()
    except ConfigError as e:
        fail(" ".join(e.messages("en")))


def check_output(output: str) -> str | None:
    """Why the model could not be saved at output (None when it can): checked before
    training, so a long run never ends in a save that fails."""
    out = os.path.abspath(output)
    if os.path.isdir(out):
        return f"--output {output}: is a folder; give a file name such as {os.path.join(output, 'model.keras')}"
    folder = os.path.dirname(out)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        return f"--output {output}: cannot create the folder {folder} ({e.strerror or e})"
    try:
        import tempfile
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as e:
        return f"--output {output}: cannot write in {folder} ({e.strerror or e})"
    return None


class ProgressBar:
    """A one-line terminal progress bar with ETA, on stderr."""

    def __init__(self, stream=sys.stderr):
        self.stream, self.last = stream, 0.0

    def batch(self, p) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and p.batch != p.batches:
            return
        self.last = now
        width = 30
        filled = int(width * p.fraction)
        eta = p.eta
        eta_s = f"{int(eta // 60)}:{int(eta % 60):02d}" if eta == eta else "?"
        self.stream.write(f"\repoch {p.epoch + 1}/{p.epochs} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{100 * p.fraction:5.1f}%  loss {p.loss:.4f}  acc {p.accuracy:.4f}  ETA {eta_s}   ")
        self.stream.flush()

    def epoch(self, epoch, metrics) -> None:
        parts = "  ".join(f"{k} {v:.4f}" for k, v in metrics.items())
        self.stream.write(f"\repoch {epoch + 1} done: {parts}{' ' * 20}\n")
        self.stream.flush()


def cmd_train(a, parser: argparse.ArgumentParser | None = None) -> int:
    import math
    try:
        config = config_from_args(a, parser)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if a.output and (problem := check_output(a.output)):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    stop = {"flag": False}

    def on_sigint(signum, frame):
        if stop["flag"]:
            raise KeyboardInterrupt
        stop["flag"] = True
        kept = (f" The checkpoint in {a.resume_dir} is kept: the same command continues the run."
                if a.resume_dir else "")
        sys.stderr.write(f"\nstopping after this batch; the last complete epoch is kept.{kept} "
                         "(Ctrl-C again to quit now)\n")

    signal.signal(signal.SIGINT, on_sigint)
    bar = ProgressBar()
    try:
        result = train(config, on_batch=bar.batch, on_epoch=bar.epoch, should_stop=lambda: stop["flag"],
                       backup_dir=a.resume_dir)
    except (TrainingFailed, ValueError) as e:
        kept = f" The checkpoint in {a.resume_dir} is kept." if a.resume_dir else ""
        print(f"\nerror: {e}{kept}", file=sys.stderr)
        return 1
    accuracy = result.test_metrics.get("accuracy", float("nan"))
    if not (math.isfinite(accuracy) and accuracy > DIVERGED_ACCURACY) and not a.save_diverged:
        print(f"\nerror: {TrainingFailed('train.err.diverged', accuracy=f'{100 * accuracy:.1f} %')} "
              "(--save-diverged keeps it anyway)", file=sys.stderr)
        if a.json:
            print(json.dumps({"error": "diverged", "test_accuracy": accuracy, "model_path": None,
                              "epochs_completed": result.epochs_completed}))
        return 1
    card = registry.make_card(result, command_line(sys.argv[1:]))
    try:
        if a.output:
            out = os.path.abspath(a.output)
            path = registry.save_model(result.model, card, os.path.splitext(os.path.basename(out))[0],
                                       folder=os.path.dirname(out), overwrite=True)
        else:
            path = registry.save_model(result.model, card,
                                       a.name or f"{config.architecture}-{time.strftime('%Y%m%d-%H%M%S')}")
    except OSError as e:   # the disk filled up, the folder went away: keep the model in the registry
        print(f"\nerror: could not save to {a.output or user_dir()} ({e.strerror or e})", file=sys.stderr)
        try:
            path = registry.save_model(result.model, card, f"rescued-{config.architecture}")
        except OSError:
            print("error: the model could not be saved anywhere"
                  + (f"; the checkpoint in {a.resume_dir} is kept" if a.resume_dir else ""), file=sys.stderr)
            return 1
        print(f"the model was saved to {path} instead", file=sys.stderr)
    if a.resume_dir and result.epochs_completed >= config.epochs and not result.stopped_early:
        discard_checkpoint(a.resume_dir)   # finished and saved: nothing left to resume
    print(f"test accuracy {accuracy:.4f}, {result.epochs_completed} epochs in "
          f"{result.fit_seconds:.0f} s; saved {path}", file=sys.stderr)
    if result.photo_metrics:
        print(f"real photos of held-out photographers: {result.photo_metrics['micro']:.4f} "
              f"({result.photo_metrics['photos']} photos)", file=sys.stderr)
    if a.json:
        print(json.dumps({"test_accuracy": accuracy, "test_loss": result.test_metrics["loss"],
                          "fit_seconds": round(result.fit_seconds, 2), "epochs_completed": result.epochs_completed,
                          "stopped_early": result.stopped_early, "model_path": str(path),
                          "history": result.history, "config": config.to_dict(),
                          "real_photo_metrics": result.photo_metrics, "photos": result.photos}))
    return 0


def _load(path):
    try:
        return registry.load_model(path or registry.DEFAULT_MODEL)
    except (OSError, ValueError) as e:
        print(f"error: cannot load model {printable(path or registry.DEFAULT_MODEL)}: {printable(e)}", file=sys.stderr)
        return None


def cmd_evaluate(a) -> int:
    model = _load(a.model)
    if model is None:
        return 2
    try:
        ds = load()
    except DatasetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if getattr(a, "store", False):
        path = a.model or registry.DEFAULT_MODEL
        stored = compute(Classifier.of(model), ds, file_sha256(path))
        try:
            write_store(path, stored)
        except OSError as e:
            print(f"error: cannot write the evaluation store beside {path}: {e}", file=sys.stderr)
            return 1
        print(f"stored the evaluation of {path} in {', '.join(str(p) for p in store_paths(path))}", file=sys.stderr)
        ev = stored.evaluation()
    else:
        ev = evaluate(model, ds.x_test, ds.y_test)
    if a.json:
        print(json.dumps(ev.to_dict()))
    else:
        print(f"test accuracy {ev.accuracy:.4f}, loss {ev.loss:.4f}")
        for row in ev.per_class:
            print(f"  {row['name']:<12} precision {row['precision']:.3f}  recall {row['recall']:.3f}  f1 {row['f1']:.3f}")
    return 0


def cmd_predict(a) -> int:
    """Classify photo files: one line (or one JSON object) per file, in order. Exit 0 when
    every file was classified, 2 when any could not be used; never a traceback."""
    model = _load(a.model)
    if model is None:
        return 2
    try:
        rows = classify_files(model, a.files)
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


def cmd_finetune(a) -> int:
    """Fine-tune a saved model on a folder of class-named photo folders; print before and
    after (own held-out photos, shipped real photos, Fashion-MNIST test) as one JSON object."""
    from pathlib import Path
    config = FinetuneConfig(base=a.base, epochs=a.epochs, freeze_base=a.freeze_base)
    try:
        config.validate()
        photos = from_folder(a.photos)
        progress = ProgressBar() if not a.quiet else None
        result = finetune(config, photos, on_batch=progress.batch if progress else None,
                          on_epoch=progress.epoch if progress else None)
    except (StudioError, DatasetError) as e:
        print(f"\nerror: {printable(e)}", file=sys.stderr)
        return 2
    summary = {**result.summary(), "model_path": None}
    if not a.no_save:
        line = command(config, a.photos)
        path = registry.save_model(result.model, make_card(result, line), a.name or f"{Path(config.base).stem}-own")
        summary["model_path"] = str(path)
        print(f"saved {path}", file=sys.stderr)
    if a.json:
        print(json.dumps(summary))
    else:
        for key, label in (("own", "own held-out photos"), ("fashion_mnist", "Fashion-MNIST test")):
            print(f"{label}: {result.before[key]['accuracy']:.3f} -> {result.after[key]['accuracy']:.3f}")
        if result.after.get("real_photos"):
            print(f"real phone photos (held out): {result.before['real_photos']['micro']:.3f} -> "
                  f"{result.after['real_photos']['micro']:.3f}")
    return 0


class _Refusing(argparse.ArgumentParser):
    """A parser that raises ValueError where argparse would print usage and exit."""

    def error(self, message):
        raise ValueError(message)


def check_train_args(args: list[str]) -> None:
    """ValueError when `python -m fashion train` would refuse args: unknown flags (no
    abbreviations either, so a replay finds --output and --init-from by their names),
    values of the wrong type or range. --init-from is not checked: a replay makes it."""
    p = _Refusing(prog="python -m fashion train", add_help=False, allow_abbrev=False)
    _add_train_args(p)
    a = p.parse_args(args)
    a.init_from = None
    config_from_args(a)


def cmd_reproduce(a) -> int:
    """Replay the training stages a model card's lineage records (fashion/lineage.py), each
    in a subprocess; stages already done in the work dir are skipped, so an interrupted
    replay continues where it stopped."""
    from pathlib import Path
    workdir = a.workdir or str(studio_home() / "reproduce" / Path(a.card).stem)
    try:
        stages = lineage.plan(a.card, workdir, a.output, check=check_train_args)
    except LineageError as e:
        print(f"error: {printable(e)}", file=sys.stderr)
        return 2
    if a.dry_run:
        rows = [{"stage": s.index, "command": s.command, "done": lineage.stage_card(s) is not None} for s in stages]
        print(json.dumps(rows) if a.json else
              "\n".join(("# done: " if r["done"] else "") + r["command"] for r in rows))
        return 0
    if problem := check_output(a.output):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    stop = {"flag": False}

    def on_sigint(signum, frame):   # the running stage gets the same Ctrl-C and stops after its batch
        stop["flag"] = True

    def on_stage(stage, done):
        where = f"already done, skipped ({stage.output})" if done else stage.command
        print(f"stage {stage.index} ({stage.index + 1} of {stage.total}): {where}", file=sys.stderr, flush=True)

    signal.signal(signal.SIGINT, on_sigint)
    try:
        results = lineage.replay(stages, on_stage, should_stop=lambda: stop["flag"])
        card = lineage.record(results, a.card, lineage.command_line(
            ["reproduce", a.card, "--workdir", workdir, "--output", a.output]))
    except TrainingFailed as e:
        print(f"error: {printable(e)}", file=sys.stderr)
        return 130 if stop["flag"] else 1
    except OSError as e:
        print(f"error: could not write the card of {a.output} ({e.strerror or e})", file=sys.stderr)
        return 1
    report = lineage.summary(results, card)
    recorded = stages[-1].recorded_accuracy
    print(f"saved {report['output']}: test accuracy {report['test_accuracy']:.4f}"
          f"{f' (recorded: {recorded:.4f})' if recorded is not None else ''}; its card records the "
          f"{len(stages)} replayed stages. The stage models stay in {workdir}.", file=sys.stderr)
    if a.json:
        print(json.dumps(report))
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m fashion", description="Fashion-MNIST CNN Studio command line")
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a model")
    _add_train_args(t)
    e = sub.add_parser("evaluate", help="test a model on the 10,000 test images")
    e.add_argument("--model", help="a .keras file (default: the shipped model)")
    e.add_argument("--json", action="store_true")
    e.add_argument("--store", action="store_true",
                   help="(re)compute the stored evaluation beside the model file (<model>.eval.npz/.json), "
                        "which the app reads instead of running the model")
    p = sub.add_parser("predict", help="classify photos")
    p.add_argument("--model", help="a .keras file (default: the shipped model)")
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.add_argument("files", nargs="+")
    ph = sub.add_parser("photos", help="process a folder of labelled photo folders into 28x28 training arrays")
    ph.add_argument("folder", help="e.g. ../shared/photos-train: one folder per kind (t-shirt, shoes, hat, ...)")
    ph.add_argument("--output", help="the .npz to write (default: the repo's shipped models/real-photos/photos.npz)")
    f = sub.add_parser("finetune", help="fine-tune a model on your own photos (folders named after classes)")
    f.add_argument("--from", dest="base", required=True, help="the saved model (.keras) to start from")
    f.add_argument("--photos", required=True,
                   help="a folder of folders named after Fashion-MNIST classes, English or Spanish (Sneaker, Camisa...)")
    f.add_argument("--epochs", type=int, default=5)
    f.add_argument("--freeze-base", action="store_true",
                   help="train only the classifier head; the convolutional base stays as it is")
    f.add_argument("--name", help="the saved model's name (default: <base>-own)")
    f.add_argument("--no-save", action="store_true", help="measure only; do not save the fine-tuned model")
    f.add_argument("--quiet", action="store_true", help="no progress bar")
    f.add_argument("--json", action="store_true", help="one JSON object with the before/after figures")
    r = sub.add_parser("reproduce", help="rebuild a model by replaying the training stages its card records",
                       description="Replay the `lineage` of a model card: every recorded `python -m fashion train` "
                                   "stage again, each starting from the previous one (--init-from), in a work dir; "
                                   "the last stage saves to --output. Stages already done there are skipped, so "
                                   "the same command continues an interrupted replay.")
    r.add_argument("card", help="a model card with a lineage, e.g. models/fashion_mnist_cnn.json")
    r.add_argument("--output", required=True,
                   help="the .keras file the last stage saves (the shipped model is replaced only if named here)")
    r.add_argument("--workdir", help="where the stage models and checkpoints go "
                                     "(default: ~/.fashion-studio/reproduce/<card name>)")
    r.add_argument("--dry-run", action="store_true", help="print the stage commands (# done: when done) and stop")
    r.add_argument("--json", action="store_true",
                   help="one JSON object at the end (with --dry-run: a JSON list of the stages)")
    a = ap.parse_args(argv)
    commands = {"train": lambda a: cmd_train(a, t), "evaluate": cmd_evaluate, "predict": cmd_predict,
                "photos": cmd_photos, "finetune": cmd_finetune, "reproduce": cmd_reproduce}
    try:
        return commands[a.command](a)
    except KeyboardInterrupt:   # Ctrl-C (a second one during training): one line, no traceback
        quit_now("\ninterrupted" + (f"; the checkpoint in {a.resume_dir} is kept: the same command continues"
                                     if getattr(a, "resume_dir", None) else ""))
    except Exception as e:      # the last line of defence: say what happened in one line
        first = next((line.strip() for line in str(e).splitlines() if line.strip()), "")
        print(f"error: unexpected {type(e).__name__}{': ' + printable(first[:300]) if first else ''}", file=sys.stderr)
        return 1


def quit_now(message: str) -> None:
    """Print one line and leave at once with 130 (128 + SIGINT), without waiting on the
    threads TensorFlow may still be running."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    sys.stdout.flush()
    os._exit(130)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:   # Ctrl-C while Python is still starting up the command
        quit_now("\ninterrupted")
