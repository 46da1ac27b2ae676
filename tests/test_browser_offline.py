"""Offline for real (issue 24): every page opened in Chromium with every request that is
not to the app's own server blocked; the test fails on any attempted one (a favicon from
a font CDN, a web font, an image). A classroom with the network cable pulled sees the
same app."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import assert_no_exception, wait_for_app

PAGES = ("", "dataset", "evaluate", "train", "photo", "own_photos", "explain")


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_every_page_asks_nothing_of_the_internet(app_server, browser, locale):
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
        for page in PAGES:
            pg.goto(f"{app_server.url}/{page}")
            wait_for_app(pg)
            pg.wait_for_timeout(1500)          # favicons and lazy assets come after the script
            assert_no_exception(pg)
    finally:
        context.close()
    assert outside == []
