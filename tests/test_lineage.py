"""`python -m fashion reproduce`: a model card's lineage replayed stage by stage."""
import hashlib
import json
import shlex
import subprocess
import sys

import pytest
from conftest import REPO

from fashion.__main__ import main
from fashion.errors import LineageError
from fashion.training.lineage import plan

TINY = "python -m fashion train --architecture seed_cnn --epochs 1 --train-subset 300 --validation-split 0.2 --photos ''"


def write_card(path, lineage, **extra):
    card = {"test_metrics": {"accuracy": 0.5}, **extra}
    if lineage is not None:
        card["lineage"] = lineage
    path.write_text(json.dumps(card))
    return path


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reproduce(*args):
    return subprocess.run([sys.executable, "-m", "fashion", "reproduce", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=600)


def test_replays_two_stages_through_the_cli_then_skips_them(tmp_path, capsys):
    card = write_card(tmp_path / "tiny.json", [
        {"what": "from scratch", "command": f"{TINY} --output s0.keras", "test_accuracy": 0.6},
        {"what": "continued", "command": f"{TINY} --init-from s0.keras --output s1.keras --json"}])
    work, out = tmp_path / "work", tmp_path / "out" / "rebuilt.keras"
    r = reproduce(card, "--workdir", work, "--output", out, "--json")
    assert r.returncode == 0, r.stderr
    assert "epoch 1/1" in r.stderr                      # each stage's progress streamed through
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert [s["status"] for s in report["stages"]] == ["ran", "ran"] and report["output"] == str(out)
    assert report["stages"][0]["recorded_test_accuracy"] == 0.6
    written = json.loads(out.with_suffix(".json").read_text())
    assert report["test_accuracy"] == written["test_metrics"]["accuracy"] > 0.1
    lineage = written["lineage"]
    assert [e["stage"] for e in lineage] == [0, 1] and [e["what"] for e in lineage] == ["from scratch", "continued"]
    assert lineage[0]["sha256"] == sha256(work / "stage0.keras") and lineage[1]["sha256"] == sha256(out)
    first, second = (shlex.split(e["command"]) for e in lineage)
    assert first[first.index("--output") + 1] == str(work / "stage0.keras") and "--init-from" not in first
    assert second[second.index("--init-from") + 1] == str(work / "stage0.keras")
    assert second[second.index("--resume-dir") + 1] == str(work / "stage1.checkpoint")
    assert lineage[1]["recorded_command"].endswith("--output s1.keras --json") and written["epochs_total"] == 2
    assert not (REPO / "s0.keras").exists() and not (REPO / "s1.keras").exists()

    again = reproduce(card, "--workdir", work, "--output", out, "--json")     # resumable: nothing left to run
    assert again.returncode == 0, again.stderr
    assert [s["status"] for s in json.loads(again.stdout.strip().splitlines()[-1])["stages"]] == ["skipped"] * 2
    assert "already done, skipped" in again.stderr and "epoch 1/1" not in again.stderr
    assert sha256(out) == lineage[1]["sha256"]

    # a stage stopped before its last epoch is not done: the next run continues it
    stage0_card = work / "stage0.json"
    stage0_card.write_text(json.dumps({**json.loads(stage0_card.read_text()), "stopped_early": True}))
    assert main(["reproduce", str(card), "--workdir", str(work), "--output", str(out), "--dry-run"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("python -m fashion train") and lines[1].startswith("# done: python -m fashion train")


def test_dry_run_of_the_shipped_card_chains_its_stages_inside_the_work_dir(tmp_path, capsys):
    shipped = REPO / "models" / "fashion_mnist_cnn.json"
    recorded = json.loads(shipped.read_text())["lineage"]
    work, out = tmp_path / "work", tmp_path / "rebuilt.keras"
    assert main(["reproduce", str(shipped), "--workdir", str(work), "--output", str(out), "--dry-run"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(recorded) >= 2
    previous = None
    for i, line in enumerate(lines):
        args = shlex.split(line)
        assert args[:4] == ["python", "-m", "fashion", "train"] and args.count("--output") == 1
        output = args[args.index("--output") + 1]
        assert output == (str(out) if i == len(lines) - 1 else str(work / f"stage{i}.keras"))
        assert args[args.index("--resume-dir") + 1] == str(work / f"stage{i}.checkpoint")
        assert (args[args.index("--init-from") + 1] if "--init-from" in args else None) == previous
        assert "models/fashion_mnist_cnn.keras" not in line       # the shipped model is never a target
        previous = output
    assert main(["reproduce", str(shipped), "--workdir", str(work), "--output", str(out), "--dry-run", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["command"] for r in rows] == lines and not any(r["done"] for r in rows)


@pytest.mark.parametrize("lineage,words", [
    (None, "records no lineage"),
    ([], "records no lineage"),
    (["python -m fashion train --epochs 1"], "stage 0 of the lineage has no command"),
    ([{"command": "python -m fashion evaluate --json"}], "is not a training command"),
    ([{"command": "rm -rf ~"}], "is not a training command"),
    ([{"command": f"{TINY} --bogus 1"}], "cannot be replayed: unrecognized arguments: --bogus"),
    ([{"command": f"{TINY} --epochs 0"}], "cannot be replayed: epochs must be between"),
    ([{"command": f"{TINY} --init 'x"}], "cannot be replayed"),
    ([{"command": TINY}, {"command": TINY}], "stage 1 does not start from the stage before it"),
])
def test_a_lineage_that_cannot_be_replayed_is_refused(tmp_path, capsys, lineage, words):
    card = write_card(tmp_path / "card.json", lineage)
    code = main(["reproduce", str(card), "--workdir", str(tmp_path / "w"), "--output", str(tmp_path / "o.keras")])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "unexpected" not in err
    assert not (tmp_path / "w").exists() and not (tmp_path / "o.keras").exists()


def test_refusals_are_keyed_and_never_a_traceback(tmp_path):
    with pytest.raises(LineageError) as e:
        plan(write_card(tmp_path / "card.json", None), tmp_path / "w", tmp_path / "o.keras")
    assert e.value.key == "lineage.err.none" and "linaje" in e.value.message("es")
    for card in (tmp_path / "missing.json", write_card(tmp_path / "plain.json", None)):
        r = reproduce(card, "--output", tmp_path / "o.keras")
        assert r.returncode == 2 and r.stderr.startswith("error: ") and "Traceback" not in r.stderr
