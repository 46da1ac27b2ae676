"""Replaying a model's recorded lineage: the training stages its card lists, run again.

A model trained in stages (each `python -m fashion train ... --init-from <previous>`)
records them in its card's `lineage`. `plan` turns those commands into the stages of a
replay inside a work dir (stage<i>.keras, each stage starting from the one before, each
with its checkpoint folder there), the last stage saving to the requested output;
`replay` runs them one by one as `python -m fashion train` subprocesses (memory goes back
to the system between stages), skipping stages already done, and `record` writes the
replayed lineage into the final model's card.

    stages = plan("models/fashion_mnist_cnn.json", "~/.fashion-studio/reproduce/x", "rebuilt.keras")
    results = replay(stages)
    record(stages, results, source="models/fashion_mnist_cnn.json")
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from fashion.errors import CardError, LineageError, TrainingFailed
from fashion.files import file_sha256
from fashion.model import registry
from fashion.paths import REPO_DIR

REWRITTEN = ("--output", "--init-from", "--resume-dir", "--name")   # set by the replay, whatever the card says
INTERPRETER = re.compile(r"python[0-9.]*")


def command_line(args) -> str:
    """How a card records a CLI run: `python -m fashion` and the arguments, shell-quoted."""
    return "python -m fashion " + " ".join(shlex.quote(str(s)) for s in args)


@dataclass(frozen=True)
class Stage:
    """One stage of a replay: the train arguments it runs and where it saves."""
    index: int
    total: int
    what: str
    recorded: str             # the command as the card records it
    args: tuple[str, ...]     # the arguments after `python -m fashion train`
    output: Path
    resume_dir: Path
    recorded_accuracy: float | None = None   # the test accuracy the card records for this stage

    @property
    def command(self) -> str:
        return command_line(["train", *self.args])

    @property
    def last(self) -> bool:
        return self.index == self.total - 1


@dataclass(frozen=True)
class StageResult:
    stage: Stage
    ran: bool                 # False: it was already done (skipped)
    card: dict                # the card the stage's training wrote beside its model


def read_lineage(card_path) -> list[dict]:
    """The card's lineage entries, each an object with a text `command`; LineageError
    (keyed, never a traceback) when the card cannot be read or records no lineage."""
    file = str(card_path)
    try:
        card = registry.read_card(Path(card_path))
    except CardError as e:
        raise LineageError(e.key, **e.params) from None
    except OSError as e:
        raise LineageError("card.error.unreadable", file=file, error=e.strerror or str(e)) from None
    lineage = card.get("lineage")
    if not isinstance(lineage, list) or not lineage:
        raise LineageError("lineage.err.none", file=file)
    for i, entry in enumerate(lineage):
        if not isinstance(entry, dict) or not isinstance(entry.get("command"), str):
            raise LineageError("lineage.err.stage", file=file, stage=i)
    return lineage


def train_args(command: str, file: str, stage: int, check: Callable[[list[str]], None] | None = None) -> list[str]:
    """The arguments after `python -m fashion train` of a recorded command; LineageError
    when it is not such a command (check(args) raises ValueError on flags train refuses)."""
    try:
        words = shlex.split(command)
    except ValueError as e:
        raise LineageError("lineage.err.bad_args", file=file, stage=stage, error=str(e)) from None
    if not (words and INTERPRETER.fullmatch(os.path.basename(words[0])) and words[1:4] == ["-m", "fashion", "train"]):
        raise LineageError("lineage.err.not_train", file=file, stage=stage, command=command[:300])
    args = words[4:]
    if check:
        try:
            check(args)
        except ValueError as e:
            raise LineageError("lineage.err.bad_args", file=file, stage=stage, error=str(e)[:300]) from None
    return args


def _flag_value(args: list[str], flag: str) -> str | None:
    value = None
    for i, a in enumerate(args):
        if a == flag and i + 1 < len(args):
            value = args[i + 1]
        elif a.startswith(flag + "="):
            value = a[len(flag) + 1:]
    return value


def _without(args: list[str], valued: tuple[str, ...], bare: tuple[str, ...]) -> list[str]:
    """args less the given flags: `--flag value`, `--flag=value`, and bare `--flag`."""
    kept, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a in valued:
            skip = True
        elif a in bare or any(a.startswith(f + "=") for f in valued + bare):
            continue
        else:
            kept.append(a)
    return kept


def plan(card_path, workdir, output, check: Callable[[list[str]], None] | None = None) -> list[Stage]:
    """The stages replaying the card's lineage: stage i saves workdir/stage<i>.keras and
    starts from stage i-1's file there (the first stage starts where its command says),
    keeps its checkpoint in workdir/stage<i>.checkpoint, and the last stage saves to
    output. Every stage after the first must continue the one before (--init-from)."""
    file = str(card_path)
    lineage = read_lineage(card_path)
    workdir = Path(os.path.expanduser(str(workdir))).absolute()
    output = Path(os.path.expanduser(str(output))).absolute()
    stages, total = [], len(lineage)
    for i, entry in enumerate(lineage):
        args = train_args(entry["command"], file, i, check)
        if i > 0 and not _flag_value(args, "--init-from"):
            raise LineageError("lineage.err.not_chained", file=file, stage=i)
        start = _flag_value(args, "--init-from") if i == 0 else str(stages[-1].output)
        target = output if i == total - 1 else workdir / f"stage{i}.keras"
        resume = workdir / f"stage{i}.checkpoint"
        args = _without(args, REWRITTEN, ("--json", "--force"))   # --name: --output names the file
        args += (["--init-from", start] if start else []) + ["--output", str(target), "--resume-dir", str(resume),
                                                             "--force", "--json"]   # a stopped stage's model goes
        recorded = entry.get("test_accuracy")
        recorded = float(recorded) if isinstance(recorded, (int, float)) and not isinstance(recorded, bool) else None
        stages.append(Stage(i, total, str(entry.get("what", "")), entry["command"], tuple(args), target, resume,
                            recorded))
    return stages


def stage_card(stage: Stage) -> dict | None:
    """The card beside the stage's model when the stage is done: the model exists, its card
    records exactly this stage's command, and every epoch ran (a stopped run is not done:
    the same command continues it from its checkpoint)."""
    if not stage.output.is_file():
        return None
    try:
        card = registry.read_card(stage.output.with_suffix(".json"))
    except (CardError, OSError):
        return None
    epochs = card.get("config", {}).get("epochs")
    complete = isinstance(epochs, int) and card.get("epochs_completed", 0) >= epochs and not card.get("stopped_early")
    return card if complete and card.get("command") == stage.command else None


def run_stage(stage: Stage, env: dict | None = None) -> dict:
    """Run one stage as `python -m fashion train` in a subprocess (its progress goes
    straight to our stderr; its JSON line is read from its stdout) and return the card it
    wrote; TrainingFailed naming the stage when it fails or stops before its last epoch."""
    env = dict(os.environ if env is None else env)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_DIR), env.get("PYTHONPATH", "")) if p)
    proc = subprocess.run([sys.executable, "-m", "fashion", "train", *stage.args], stdout=subprocess.PIPE,
                          text=True, env=env)
    if proc.returncode != 0:
        raise TrainingFailed("lineage.err.stage_failed", stage=stage.index, code=proc.returncode,
                             folder=str(stage.resume_dir))
    card = stage_card(stage)
    if card is None:
        raise TrainingFailed("lineage.err.stage_incomplete", stage=stage.index, folder=str(stage.resume_dir))
    return card


def replay(stages: list[Stage], on_stage: Callable[[Stage, bool], None] | None = None,
           should_stop: Callable[[], bool] | None = None) -> list[StageResult]:
    """Run the stages in order, skipping those already done; on_stage(stage, skipped) is
    called before each. Stops at the first stage that fails (TrainingFailed naming it),
    or before the next stage to run once should_stop() is true (lineage.err.stopped)."""
    results = []
    for stage in stages:
        card = stage_card(stage)
        if on_stage:
            on_stage(stage, card is not None)
        if card is not None:
            results.append(StageResult(stage, False, card))
            continue
        if should_stop and should_stop():
            raise TrainingFailed("lineage.err.stopped", stage=stage.index)
        results.append(StageResult(stage, True, run_stage(stage)))
    return results


def lineage_entry(result: StageResult) -> dict:
    """One stage as the card's lineage records it (the shipped card's fields, plus the
    command the card it replays recorded)."""
    stage, card = result.stage, result.card
    entry = {"stage": stage.index, **({"what": stage.what} if stage.what else {}), "command": stage.command,
             "recorded_command": stage.recorded,
             "epochs": card.get("epochs_completed"), "fit_seconds": card.get("fit_seconds"),
             "test_accuracy": card["test_metrics"].get("accuracy"), "sha256": file_sha256(stage.output)}
    micro = (card.get("real_photo_metrics") or {}).get("micro")
    if micro is not None:
        entry["real_photos_held_out"] = micro
    return entry


def record(results: list[StageResult], source, command: str) -> dict:
    """Write the replayed lineage into the final model's card (atomically, beside the
    model the last stage saved) and return that card."""
    entries = [lineage_entry(r) for r in results]
    card = {**results[-1].card, "lineage": entries,
            "epochs_total": sum(e["epochs"] or 0 for e in entries),
            "fit_seconds_total": round(sum(e["fit_seconds"] or 0 for e in entries), 1),
            "reproduced_from": {"card": str(source), "command": command}}
    registry.write_card(results[-1].stage.output.with_suffix(".json"), card)
    return card


def summary(results: list[StageResult], card: dict) -> dict:
    """What the replay did, as one JSON-safe object: each stage's command, whether it ran
    or was already done, and its test accuracy; the output and its test accuracy."""
    stages = [{"stage": e["stage"], "command": e["command"], "status": "ran" if r.ran else "skipped",
               "test_accuracy": e["test_accuracy"], "recorded_test_accuracy": r.stage.recorded_accuracy,
               "real_photos_held_out": e.get("real_photos_held_out")}
              for r, e in zip(results, card["lineage"])]
    return {"stages": stages, "output": str(results[-1].stage.output),
            "test_accuracy": card["test_metrics"].get("accuracy"),
            "real_photos_held_out": (card.get("real_photo_metrics") or {}).get("micro")}
