"""The repo deploys unchanged to Streamlit Community Cloud (CPython 3.12, manylinux x86-64)."""
import json
import re
import shutil
import subprocess
import sys

import pytest
from conftest import REPO

# Community Cloud runs Debian (glibc 2.36): any manylinux tag up to 2.36 installs there.
PLATFORMS = ["manylinux2014_x86_64"] + [f"manylinux_2_{n}_x86_64" for n in range(17, 37)]


def pinned_requirements():
    reqs = []
    for line in (REPO / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            reqs.append(line)
    return reqs


def test_every_requirement_is_pinned():
    reqs = pinned_requirements()
    assert reqs and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][A-Za-z0-9.]*", r) for r in reqs), reqs


def test_every_requirement_has_a_cpython_312_manylinux_wheel(tmp_path):
    """Resolve the whole dependency tree for 3.12 with binary wheels only (metadata, no install)."""
    report = tmp_path / "report.json"
    cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--only-binary=:all:",
           "--python-version", "3.12", "--implementation", "cp", "--target", str(tmp_path / "t"),
           "--report", str(report), "-q", "-r", str(REPO / "requirements.txt")]
    for p in PLATFORMS:
        cmd += ["--platform", p]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    installs = json.loads(report.read_text())["install"]
    def norm(n):
        return re.sub(r"[-_.]+", "-", n).lower()

    urls = {norm(i["metadata"]["name"]): i["download_info"]["url"] for i in installs}
    for req in pinned_requirements():
        name = norm(req.split("==")[0])
        url = urls[name]
        wheel = url.rsplit("/", 1)[-1]
        assert wheel.endswith(".whl"), url
        assert "cp312" in wheel or "py3-none" in wheel or "abi3" in wheel or "py2.py3" in wheel, wheel


def test_packages_txt_names_only_debian_packages():
    names = [l.strip() for l in (REPO / "packages.txt").read_text().splitlines() if l.strip() and not l.startswith("#")]
    assert names
    for name in names:
        assert re.fullmatch(r"[a-z0-9][a-z0-9+.\-]+", name), name
        r = subprocess.run(["apt-cache", "show", name], capture_output=True, text=True)
        assert r.returncode == 0 and f"Package: {name}" in r.stdout, f"{name} is not a Debian package"


def test_streamlit_config_is_safe_for_hosting():
    import tomllib
    cfg = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["enableXsrfProtection"] is True
    assert 10 <= cfg["server"]["maxUploadSize"] <= 50  # phone photos fit, nothing absurd
    assert cfg["theme"]["base"] == "light"


# --- set-up: the README's commands do everything on a fresh Debian/Ubuntu machine ------------

def readme_command(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text[text.index(title):]
    return block[block.index("```bash\n") + 8:block.index("\n```", block.index("```bash"))].strip()


def test_ci_runs_exactly_the_readme_test_command_which_sets_up_the_system():
    command = readme_command("**Run the whole test suite**")
    assert command.startswith("sh tests/setup_system.sh && ") and command.endswith("python -m pytest tests")
    ci_lines = [l.strip() for l in (REPO / ".ci" / "run").read_text().splitlines()
                if l.strip() and not l.startswith("#") and not l.startswith(("set ", "cd "))]
    assert ci_lines == [command]
    assert readme_command("**Run the app**").startswith("sh tests/setup_system.sh app && ")


def _fake_system(tmp_path, uid: int):
    """A PATH with only what the script may call: a recording apt-get and sudo, an id
    that answers uid, no chromium."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    for name, body in {"apt-get": f'echo "apt-get $*" >> {log}', "sudo": f'echo "sudo" >> {log}; exec "$@"',
                       "id": f"echo {uid}"}.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    env_bin = shutil.which("env")
    (bin_dir / "env").symlink_to(env_bin)
    return {"PATH": str(bin_dir), "FASHION_SETUP_DATASET_DIR": str(tmp_path / "no-dataset")}, log


@pytest.mark.parametrize("uid, sudo", [(0, False), (1000, True)])
def test_setup_installs_what_is_missing_and_says_so(tmp_path, uid, sudo):
    env, log = _fake_system(tmp_path, uid)
    r = subprocess.run(["/bin/sh", str(REPO / "tests" / "setup_system.sh")], env=env, capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert "installing dataset-fashion-mnist chromium" in r.stdout and "installed" in r.stdout
    calls = log.read_text()
    assert "apt-get install -y -q dataset-fashion-mnist chromium" in calls and ("sudo" in calls) == sudo


def test_setup_does_nothing_when_everything_is_present(tmp_path):
    env, log = _fake_system(tmp_path, 0)
    (tmp_path / "no-dataset").mkdir()                       # the dataset is there...
    r = subprocess.run(["/bin/sh", str(REPO / "tests" / "setup_system.sh"), "app"], env=env,
                       capture_output=True, text=True, timeout=30)   # ...and the app needs no browser
    assert r.returncode == 0 and "nothing to install" in r.stdout and not log.exists()
