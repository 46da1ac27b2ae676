"""Idle memory of the app server after it has loaded the default model (JSON).

Community Cloud gives an app about 2.7 GB; this is the baseline before any visitor
trains or uploads anything.

    python bench/idle_memory.py
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import CHROMIUM, CHROMIUM_ARGS, StreamlitServer  # noqa: E402


def wait_idle(page, timeout=180_000):
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def main():
    from playwright.sync_api import sync_playwright
    with StreamlitServer() as server, sync_playwright() as p:
        started = server.rss_mb()
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(server.url)
        wait_idle(page)
        home = server.rss_mb()
        page.goto(server.url + "/evaluate")  # loads the model, the dataset and the test predictions
        wait_idle(page)
        page.wait_for_selector('[data-testid="stMetric"]', timeout=180_000)
        time.sleep(3)
        loaded = server.rss_mb()
        browser.close()
        print(json.dumps({"rss_mb_started": round(started), "rss_mb_home_page": round(home),
                          "rss_mb_default_model_loaded": round(loaded)}))


if __name__ == "__main__":
    main()
