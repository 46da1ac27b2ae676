"""Shared fixtures: an isolated studio home, AppTest runs of the real app, and a real
Streamlit server driven by Playwright in Debian's Chromium."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
sys.path.insert(0, str(REPO))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


BROWSER_GROUP = "browser"    # every test_browser_*.py file: one process, one Streamlit server


def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (pyproject.toml: --dist loadgroup), a file's tests stay in one
    process (its module fixtures are computed once) and the browser files share one, so
    one Streamlit server and one Chromium serve them all."""
    for item in items:
        name = item.path.name
        item.add_marker(pytest.mark.xdist_group(BROWSER_GROUP if name.startswith("test_browser_") else name))


@pytest.fixture(autouse=True)
def studio_home(tmp_path, monkeypatch):
    """Every test gets its own empty user registry (never the developer's ~/.fashion-studio)."""
    home = tmp_path / "studio-home"
    monkeypatch.setenv("FASHION_STUDIO_HOME", str(home))
    return home


# --- AppTest --------------------------------------------------------------------------

def run_page(page: str, lang: str = "en", timeout: float = 120, session: dict | None = None):
    """Run the real app (frame + navigation) on one page in AppTest and return it.

    session["model_path"] picks the active model the way a browser does: it is stored as
    this AppTest browser's preference (pages/common.active_model_path reads it from there;
    the session key itself only mirrors the choice)."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=timeout)
    at.session_state["lang"] = lang
    session = dict(session or {})
    if session.get("model_path"):
        from fashion import preferences
        session.setdefault("browser_id", "apptest-browser-00000000")
        preferences.store().set(session["browser_id"], model=str(session.pop("model_path")))
    for k, v in session.items():
        at.session_state[k] = v
    at.run()
    if page != "pages/home.py":
        at.switch_page(page)
        at.run()
    return at


def all_text(at) -> str:
    """Every piece of text AppTest can see on the page, joined (for content assertions)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning",
                 "error", "success", "metric", "expander", "tabs", "button", "selectbox", "radio",
                 "slider", "number_input", "checkbox", "toggle", "multiselect", "text_input"):
        for el in getattr(at, kind, []):
            for attr in ("value", "label", "body"):
                v = getattr(el, attr, None)
                if isinstance(v, str):
                    parts.append(v)
    return "\n".join(parts)


# --- real browser ------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, proc: subprocess.Popen, home: Path, log: Path):
        self.url, self.proc, self.home, self.log = url, proc, home, log


SERVER_START_S = 240   # a server starting while the other test process trains: slow, not broken


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """`streamlit run streamlit_app.py` on a free port, with its own studio home."""
    home = tmp_path_factory.mktemp("server-home")
    port = _free_port()
    log = home / "server.log"
    env = {**os.environ, "FASHION_STUDIO_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"),
         "--server.port", str(port), "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + SERVER_START_S
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except Exception:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError(f"streamlit did not answer in {SERVER_START_S} s: {log.read_text()[-2000:]}")
    yield Server(url, proc, home, log)
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        yield p


def launch_chromium(playwright, extra_args=()):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_ARGS + list(extra_args))


def camera_page(playwright, video):
    """(browser, page) of a Chromium whose webcam plays the .y4m file `video` (camera
    allowed, English, desktop size); the caller closes the browser."""
    b = launch_chromium(playwright, ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                                     f"--use-file-for-fake-video-capture={video}"])
    context = b.new_context(locale="en-US", viewport={"width": 1400, "height": 1000}, permissions=["camera"])
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    return b, pg


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = launch_chromium(playwright_instance)
    yield b
    b.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser page (English locale); a screenshot is kept in test-artifacts/."""
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    except Exception:
        pass
    context.close()


def wait_for_app(pg, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script (no 'Running...' status)."""
    pg.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=timeout)


def wait_for_rerun(pg, timeout: float = 60_000, start_ms: float = 2_000) -> None:
    """After an action that reruns the script (a toggle, a number entered): wait for that
    run to start, then to end. The "Running" status shows only after a delay, so on a busy
    machine wait_for_app alone can return before the run has begun."""
    try:
        pg.wait_for_selector('[data-testid="stApp"]:not([data-test-script-state="notRunning"])', timeout=start_ms)
    except PlaywrightTimeout:
        pass                     # a quick run may have come and gone already
    pg.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


def assert_no_exception(pg) -> None:
    assert pg.locator('[data-testid="stException"]').count() == 0, pg.locator('[data-testid="stException"]').first.inner_text()
