"""Offline for real (issue 24), and every page in both languages: every page opened in
Chromium with every request that is not to the app's own server blocked; the test fails on
any attempted one (a favicon from a font CDN, a web font, an image). A classroom with the
network cable pulled sees the same app. The browser's locale picks the language: each page
shows its translated title and navigation and no exception; screenshots of every page go
to test-artifacts/."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import ARTIFACTS, assert_no_exception, wait_for_app

from fashion.i18n import t

PAGES = {"": "app.title", "dataset": "nav.dataset", "evaluate": "nav.evaluate", "train": "train.title",
         "photo": "nav.photo", "own_photos": "nav.own", "explain": "nav.explain"}     # page -> its title's key


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_every_page_opens_in_its_language_and_asks_nothing_of_the_internet(app_server, browser, locale):
    lang = locale[:2]
    ARTIFACTS.mkdir(exist_ok=True)
    own = urlparse(app_server.url).netloc
    outside: list[str] = []
    context = browser.new_context(locale=locale, viewport={"width": 1400, "height": 1000})

    def route(r):
        host = urlparse(r.request.url).netloc
        if r.request.url.startswith(("data:", "blob:")) or host == own:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    try:
        for page, title_key in PAGES.items():
            pg.goto(f"{app_server.url}/{page}")
            wait_for_app(pg, timeout=180_000)
            pg.locator("h1").filter(has_text=t(title_key, lang)).first.wait_for()
            # the sidebar navigation is translated too
            pg.locator('[data-testid="stSidebarNav"]').get_by_text(t("nav.evaluate", lang)).first.wait_for()
            pg.wait_for_timeout(1500)          # favicons and lazy assets come after the script
            assert_no_exception(pg)
            pg.screenshot(path=str(ARTIFACTS / f"page-{page or 'home'}-{lang}.png"), full_page=True)
    finally:
        context.close()
    assert outside == []
