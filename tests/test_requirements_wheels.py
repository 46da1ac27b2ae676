"""The README tells a Community Cloud deployer which Python to pick. Community Cloud installs
requirements.txt with pip on Linux x86-64 and the Python chosen at deploy time (it cannot be
changed afterwards), so every pinned release must have a wheel for each Python version the
README names, and the version it warns against must really lack one.

Asked of the package index with pip itself (`pip index versions` with a target Python and
platform: the versions pip would install there, without downloading the wheels). Skipped
only when no package index can be reached."""
from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import REPO

# Linux x86-64 wheels a glibc 2.31 system takes (Debian 11 and later): every manylinux tag up to it.
PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(5, 32)] + [
    "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]
OFFLINE = re.compile(r"Could not fetch URL|NewConnectionError|Max retries exceeded|Temporary failure in name resolution|"
                     r"Network is unreachable|ConnectionError|timed out", re.I)


def pins() -> list[tuple[str, str]]:
    found = []
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt pins every package with ==: {line!r}"
            found.append((name.strip(), version.strip()))
    return found


def readme_pythons() -> tuple[list[str], list[str]]:
    """(the versions the README's Community Cloud section says every pin has a wheel for,
    the versions it says not to pick)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Deploying to Streamlit Community Cloud", 1)[1].split("\n## ", 1)[0]
    good = re.search(r"Python versions with a wheel for every pin: ([0-9., and]+)", section)
    bad = re.search(r"Not Python ([0-9.]+)", section)
    assert good and bad, "the README's Community Cloud section names the Python versions to pick and the one not to"
    return re.findall(r"3\.\d+", good.group(1)), re.findall(r"3\.\d+", bad.group(1))


def versions_with_wheels(name: str, python: str) -> tuple[set[str], str]:
    """The releases of `name` pip finds a wheel of for CPython `python` on Linux x86-64, and pip's own words."""
    cmd = [sys.executable, "-m", "pip", "index", "versions", name, "--python-version", python,
           "--implementation", "cp", "--only-binary=:all:", "--disable-pip-version-check"]
    for platform in PLATFORMS:
        cmd += ["--platform", platform]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    listed = re.search(r"Available versions: (.*)", out.stdout)
    return ({v.strip() for v in listed.group(1).split(",")} if listed else set()), out.stdout + out.stderr


@pytest.fixture(scope="module")
def index_reachable():
    _, said = versions_with_wheels("pip", f"{sys.version_info.major}.{sys.version_info.minor}")
    if OFFLINE.search(said) and "Available versions" not in said:
        pytest.skip(f"no package index reachable: {said.strip()[-300:]}")


def test_every_pin_has_a_wheel_for_every_python_the_readme_names(index_reachable):
    good, bad = readme_pythons()
    assert good and set(good).isdisjoint(bad)
    asks = [(name, version, python) for python in good + bad for name, version in pins()]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda a: (a, versions_with_wheels(a[0], a[2])), asks))
    if any(OFFLINE.search(said) for _, (_, said) in answers):
        pytest.skip("the package index stopped answering")
    missing = {python: [f"{name}=={version}" for (name, version, p), (found, _) in answers
                        if p == python and version not in found] for python in good + bad}
    for python in good:
        assert not missing[python], f"README says Python {python} works, but these pins have no wheel for it: " \
                                    f"{missing[python]}"
    for python in bad:
        assert missing[python], f"README says not to pick Python {python}, yet every pin has a wheel for it now"
