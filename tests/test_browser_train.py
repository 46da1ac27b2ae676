"""The Train page in a real Chromium against `streamlit run`: a tiny run (small subset)
whose progress bar moves live and ends with a saved model that becomes the active one
and shows up in Compare runs; and a longer run found again after a reload, then stopped."""
from __future__ import annotations

import re
import time

from conftest import assert_no_exception, wait_for_app, wait_for_rerun
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

RUN_TIMEOUT = 240_000   # ms: a tiny run, its test-set score and the save, on a busy 2-core machine


def set_number(pg, label: str, value: int) -> None:
    box = pg.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")
    wait_for_rerun(pg)


def choose(pg, label: str, option: str) -> None:
    """Pick an option of a select box. The list is opened again when a rerun (the number
    just entered) redrew the page and closed it before the option showed."""
    box = pg.get_by_role("combobox", name=label)
    wanted = pg.get_by_role("option", name=option, exact=True)
    for _ in range(5):
        box.click()
        try:
            wanted.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeout:
            pg.keyboard.press("Escape")
            wait_for_app(pg)
    wanted.click()
    wait_for_app(pg)


def open_train(pg, url: str) -> None:
    """The Train page with its settings expander open."""
    pg.goto(url + "/train")
    wait_for_app(pg)
    expect(pg.get_by_role("button", name="Start training")).to_be_visible(timeout=120_000)
    pg.get_by_text("Network and hyperparameters").click()
    expect(pg.get_by_text("Model summary (before training)")).to_be_visible()


def progress_now(pg) -> tuple[str, str] | None:
    """(aria-valuenow, text) of the live progress bar, or None when there is none."""
    return pg.evaluate("""() => {
        const bar = document.querySelector('[data-testid="stProgress"] [role="progressbar"]');
        if (!bar) return null;
        const box = bar.closest('[data-testid="stProgress"]');
        return [bar.getAttribute('aria-valuenow') || '', box.innerText || ''];
    }""")


def test_tiny_run_progress_moves_result_shows_and_becomes_active(app_server, page):
    open_train(page, app_server.url)
    # long enough (1,125 batches) that the 1 s live poll lands in training several times
    # even on an idle machine, where 2,000 images once went by between two polls
    set_number(page, "Training images", 6000)
    set_number(page, "Epochs", 3)
    choose(page, "Batch size", "16")
    page.get_by_label("Name for the saved model").fill("browser-tiny")
    page.get_by_label("Name for the saved model").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Start training").click()

    # watch the bar while the job trains in the background
    seen = []
    done = page.get_by_text("Saved to the model registry as browser-tiny")
    deadline = time.time() + RUN_TIMEOUT / 1000
    while time.time() < deadline and done.count() == 0:
        now = progress_now(page)
        if now and (not seen or seen[-1] != now):
            seen.append(now)
        page.wait_for_timeout(150)
    expect(done).to_be_visible(timeout=10_000)
    values = [float(v) for v, text in seen if v and " · batch " in text]   # the training bar (phases have their own)
    moving = [v for v in values if 0 < v < 100]
    assert len(set(values)) >= 2 and moving, f"the progress bar did not move: {seen}"
    # the bar names the epoch it is in (which ones a 1 s poll catches depends on the machine's speed)
    assert any(re.search(r"Epoch [123]/3 · batch \d+/\d+", text) for _, text in seen), seen
    assert values == sorted(values), f"progress went backwards: {seen}"

    # the result, the curves, and the model made active at once
    expect(page.get_by_text("Test accuracy", exact=False).first).to_be_visible()
    expect(page.locator(".js-plotly-plot").filter(has_text="batch loss (smoothed)")).to_have_count(1)
    expect(page.locator(".js-plotly-plot").filter(has_text="Accuracy").first).to_be_visible()
    page.get_by_role("button", name="Use this model in the app").click()
    wait_for_app(page)
    expect(page.get_by_text("This is the active model")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("combobox", name="Active model")).to_have_value(re.compile("browser-tiny"))

    # Compare runs lists it and draws its curves
    page.get_by_text("Compare runs").click()
    expect(page.get_by_text(re.compile(r"browser-tiny ·")).first).to_be_visible()
    expect(page.locator(".js-plotly-plot").filter(has_text=re.compile(r"browser-tiny · validation"))).to_have_count(1)
    assert_no_exception(page)


def test_a_reloaded_tab_finds_its_run_and_stop_keeps_completed_epochs(app_server, page):
    open_train(page, app_server.url)
    set_number(page, "Training images", 3000)
    set_number(page, "Epochs", 40)
    choose(page, "Batch size", "32")
    page.get_by_role("button", name="Start training").click()
    expect(page.get_by_text("Epoch 1/40")).to_be_visible(timeout=RUN_TIMEOUT)
    assert "job=" in page.url

    # a reload is a new session: the job id in the URL finds the run again
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Run:")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Epoch ").first).to_be_visible(timeout=60_000)

    # let one epoch complete, then stop
    expect(page.locator(".js-plotly-plot").filter(has_text="validation").first).to_be_visible(timeout=RUN_TIMEOUT)
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_text("Stopped. The ")).to_be_visible(timeout=RUN_TIMEOUT)
    kept = page.get_by_text("Stopped. The ").inner_text()
    epochs = int(kept.split("The ")[1].split(" ")[0])
    assert 1 <= epochs < 40
    expect(page.get_by_text("Saved to the model registry as")).to_be_visible()
    expect(page.get_by_role("button", name="Start training")).to_be_enabled()
    assert_no_exception(page)
