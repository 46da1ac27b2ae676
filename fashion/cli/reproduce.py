"""`python -m fashion reproduce`: a model rebuilt by replaying the training stages its card records."""
from __future__ import annotations

import json
import signal
import sys

from fashion.cli.terminal import printable
from fashion.cli.train import check_output, check_train_args
from fashion.errors import LineageError, TrainingFailed
from fashion.paths import studio_home
from fashion.training import lineage


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
