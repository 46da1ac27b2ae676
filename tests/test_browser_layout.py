"""Layout where only a browser can measure it: a teacher's 1280x720 projector and a
student's 390x844 phone. Screenshots of each are kept in test-artifacts/ (CI artefacts).

- Train at 1280x720: the Start button is inside the first screen, without scrolling.
- Photo at 390x844: one photo's answer card is at most about 1.5 phone screens tall, and
  the newest answer comes first.
"""
from __future__ import annotations

from conftest import ARTIFACTS, assert_no_exception, wait_for_app
from test_photo import encode, garment_photo

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}


def _page(browser, viewport, locale="es-ES", mobile=False):
    context = browser.new_context(locale=locale, viewport=viewport, is_mobile=mobile, has_touch=mobile,
                                  device_scale_factor=1)
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    return context, pg


def test_train_start_is_on_the_first_projector_screen(app_server, browser):
    context, pg = _page(browser, PROJECTOR)
    try:
        pg.goto(app_server.url + "/train")
        wait_for_app(pg)
        start = pg.get_by_role("button", name="Empezar a entrenar")
        start.wait_for()
        assert_no_exception(pg)
        box = start.bounding_box()
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "layout-train-1280x720.png"))
        assert box is not None
        assert 0 <= box["y"] and box["y"] + box["height"] <= PROJECTOR["height"], box
        assert pg.evaluate("() => window.scrollY") == 0      # seen without scrolling
    finally:
        context.close()


def test_photo_card_fits_about_one_and_a_half_phone_screens(app_server, browser, tmp_path):
    shirt, _ = garment_photo("light", colour=(30, 40, 90))
    rug, _ = garment_photo("textured", colour=(235, 235, 230))
    files = [tmp_path / "primera.jpg", tmp_path / "segunda.png"]
    files[0].write_bytes(encode(shirt, "JPEG", quality=90))
    files[1].write_bytes(encode(rug, "PNG"))
    context, pg = _page(browser, PHONE, mobile=True)
    try:
        pg.goto(app_server.url + "/photo")
        wait_for_app(pg)
        pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(f) for f in files])
        pg.wait_for_function("() => document.querySelectorAll('.st-key-photo_card_newest, [class*=\"st-key-photo_card_\"]').length >= 2",
                             timeout=180_000)
        wait_for_app(pg, timeout=180_000)
        assert_no_exception(pg)
        cards = pg.locator('[class*="st-key-photo_card_"]')
        heights = [cards.nth(i).bounding_box()["height"] for i in range(cards.count())]
        newest = pg.locator(".st-key-photo_card_newest")
        ARTIFACTS.mkdir(exist_ok=True)
        newest.scroll_into_view_if_needed()
        pg.screenshot(path=str(ARTIFACTS / "layout-photo-390x844.png"))
        pg.screenshot(path=str(ARTIFACTS / "layout-photo-390x844-full.png"), full_page=True)
        assert len(heights) == 2
        assert max(heights) <= 1.5 * PHONE["height"], heights
        assert "segunda.png" in newest.inner_text()           # the newest answer first
        first, second = (cards.nth(i).bounding_box()["y"] for i in range(2))
        assert first < second
        assert "segunda.png" in cards.nth(0).inner_text()
    finally:
        context.close()
