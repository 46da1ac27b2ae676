"""`python -m fashion train --output X`: an existing X is replaced only with --force (exit 2
and a keyed message otherwise, before any training), and two runs to one output never
both claim it (an O_EXCL `.X.reserved` beside it for the whole run)."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO

from fashion.cli.main import main
from fashion.i18n import t
from fashion.model.naming import release, reserve_file

SMALL_RUN = ["--architecture", "seed_cnn", "--train-subset", "300", "--epochs", "1", "--batch-size", "50",
             "--validation-split", "0.1"]


def test_an_existing_output_is_refused_without_force(tmp_path, studio_home, capsys):
    out = tmp_path / "same.keras"
    out.write_bytes(b"the first model")
    assert main(["train", *SMALL_RUN, "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert t("cli.err.output_exists", output=str(out)) in err and "--force" in err
    assert out.read_bytes() == b"the first model", "nothing replaced"
    assert not (tmp_path / ".same.keras.reserved").exists()


def test_an_output_another_run_holds_is_refused(tmp_path, studio_home, capsys):
    out = tmp_path / "same.keras"
    held = reserve_file(out)       # as another run that is still training would
    try:
        assert main(["train", *SMALL_RUN, "--output", str(out), "--force"]) == 2
    finally:
        release(held)
    assert t("cli.err.output_busy", output=str(out)) in capsys.readouterr().err
    assert not out.exists()


def test_two_runs_to_one_output_never_both_claim_it(tmp_path, studio_home):
    out = tmp_path / "same.keras"
    env = {**os.environ, "FASHION_STUDIO_HOME": str(studio_home), "PYTHONUNBUFFERED": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "fashion", "train", *SMALL_RUN, "--output", str(out)],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=600), p.stderr.read()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    claimed = [err for code, err in results if f"saved {out}" in err]
    assert len(claimed) == 1, "exactly one run says it saved the file"
    refused = next(err for code, err in results if code == 2)
    assert "already" in refused and "Traceback" not in refused
    assert out.is_file() and not (tmp_path / ".same.keras.reserved").exists()
    # with --force the file is replaced
    assert subprocess.run([sys.executable, "-m", "fashion", "train", *SMALL_RUN, "--output", str(out), "--force"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600).returncode == 0
