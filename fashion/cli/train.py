"""`python -m fashion train`: its flags (one per TrainConfig field), checking them, and the run."""
from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import signal
import sys
import time

from fashion.cli.terminal import ProgressBar, printable
from fashion.errors import CardError, ConfigError, StudioError, TrainingFailed
from fashion.i18n import t
from fashion.model import registry
from fashion.model.cards import parse_bounded
from fashion.model.naming import release, reserve_file
from fashion.paths import user_dir
from fashion.training.checkpoints import checkpoint_epoch, discard_checkpoint
from fashion.training.config import PRESETS, TrainConfig
from fashion.training.lineage import command_line
from fashion.training.train import train


def _bool(s: str) -> bool:
    if s.lower() in ("1", "true", "yes", "on"):
        return True
    if s.lower() in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true/false, got {s!r}")


DIVERGED_ACCURACY = 0.15   # ten classes: 0.10 is guessing; a run at or below this learned nothing


def add_train_args(p: argparse.ArgumentParser) -> None:
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
    p.add_argument("--output", help="where to save the .keras file (default: the user's model registry); "
                                    "an existing file is replaced only with --force, or by the same command "
                                    "continuing the run that saved it (--resume-dir)")
    p.add_argument("--force", action="store_true", help="replace the --output file if it exists")
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


def cmd_train(a, parser: argparse.ArgumentParser | None = None) -> int:
    try:
        config = config_from_args(a, parser)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if a.output and (problem := check_output(a.output)):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    reservation = None
    if a.output:      # the output is this run's alone until it ends: two runs never both claim it
        reservation = reserve_file(os.path.abspath(a.output))
        if reservation is None:
            print(f"error: {t('cli.err.output_busy', output=printable(a.output))}", file=sys.stderr)
            return 2
        if os.path.exists(a.output) and not getattr(a, "force", False) and not continues(a):
            release(reservation)
            print(f"error: {t('cli.err.output_exists', output=printable(a.output))}", file=sys.stderr)
            return 2
    try:
        return _train_and_save(a, config)
    finally:
        release(reservation)


def continues(a) -> bool:
    """Whether this command continues the run that saved its --output (stopped, its
    checkpoint kept in --resume-dir): then the output is its own to replace."""
    if not (a.resume_dir and checkpoint_epoch(a.resume_dir)):
        return False
    try:
        card = registry.read_card(os.path.splitext(os.path.abspath(a.output))[0] + ".json")
    except (OSError, ValueError):
        return False
    return card.get("command") == command_line(sys.argv[1:])


def _save_error(e: OSError) -> str:
    """A failed save in words: the keyed message of a full disk, else the system's reason."""
    return e.message("en") if isinstance(e, StudioError) else (e.strerror or str(e))


def _train_and_save(a, config: TrainConfig) -> int:
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
    except (StudioError, ValueError) as e:     # TrainingFailed, a full disk (DiskFull)...
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
    card = result.card(command_line(sys.argv[1:]))
    try:
        if a.output:
            out = os.path.abspath(a.output)
            path = registry.save_model(result.model, card, os.path.splitext(os.path.basename(out))[0],
                                       folder=os.path.dirname(out), overwrite=True)
        else:
            path = registry.save_model(result.model, card,
                                       a.name or f"{config.architecture}-{time.strftime('%Y%m%d-%H%M%S')}")
    except OSError as e:   # the disk filled up, the folder went away: keep the model in the registry
        print(f"\nerror: could not save to {a.output or user_dir()} ({_save_error(e)})", file=sys.stderr)
        try:
            path = registry.save_model(result.model, card, f"rescued-{config.architecture}")
        except OSError as again:
            print(f"error: the model could not be saved anywhere ({_save_error(again)})"
                  + (f"; the checkpoint in {a.resume_dir} is kept" if a.resume_dir else ""), file=sys.stderr)
            return 1
        print(f"the model was saved to {path} instead", file=sys.stderr)
    if a.resume_dir and result.epochs_completed >= config.epochs and not result.stopped_early:
        discard_checkpoint(a.resume_dir)   # finished and saved: nothing left to resume
    print(f"test accuracy {accuracy:.4f}, {result.epochs_completed} epochs in "
          f"{result.fit_seconds:.0f} s; saved {path}", file=sys.stderr)
    if result.photo_metrics:
        m, val = result.photo_metrics, result.photo_metrics.get("validation")
        print((f"real photos, validation photographers (choose on these): {val['micro']:.4f} ({val['photos']} photos); "
               if val else "") + f"test photographers (the figure shown): {m['micro']:.4f} ({m['photos']} photos)",
              file=sys.stderr)
    if a.json:
        print(json.dumps({"test_accuracy": accuracy, "test_loss": result.test_metrics["loss"],
                          "fit_seconds": round(result.fit_seconds, 2), "epochs_completed": result.epochs_completed,
                          "stopped_early": result.stopped_early, "model_path": str(path),
                          "history": result.history, "config": config.to_dict(),
                          "real_photo_metrics": result.photo_metrics, "photos": result.photos}))
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
    add_train_args(p)
    a = p.parse_args(args)
    a.init_from = None
    config_from_args(a)
