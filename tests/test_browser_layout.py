"""Layout where only a browser can measure it: a teacher's 1280x720 projector and a
student's 390x844 phone. Screenshots of each are kept in test-artifacts/ (CI artefacts).

- Train at 1280x720: the Start button is inside the first screen, without scrolling.
- Photo at 390x844: one photo's answer card is at most about 1.5 phone screens tall, and
  the newest answer comes first.
- Evaluate at 1280x720 in projector mode: the confusion matrix and the gallery of the cell
  just clicked are on the screen together, and no number's label or value is cut
  ("Tiempo de entrenamiento", "50 min 50 s"); nor are the live numbers of a Spanish run.
"""
from __future__ import annotations

from conftest import ARTIFACTS, assert_no_exception, wait_for_app
from playwright.sync_api import expect
from test_browser_evaluate import click_cell
from test_photo import encode, garment_photo

from fashion.i18n import t
from fashion.i18n.numbers import fmt_duration
from fashion.model import registry

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


METRICS_JS = """(selector) => [...document.querySelectorAll(selector + ' [data-testid="stMetric"]')].map(m => {
    const label = m.querySelector('[data-testid="stMetricLabel"]'), value = m.querySelector('[data-testid="stMetricValue"]');
    const cut = (el) => [el, ...el.querySelectorAll('*')].some((e) => e.scrollWidth > e.clientWidth + 1);
    return {label: label.innerText.trim(), value: value.innerText.trim(), cut: cut(label) || cut(value)};
})"""


def metrics_in(pg, selector: str) -> list[dict]:
    """Every st.metric under selector: its label and value as shown, and whether either is
    cut (an element of it narrower than its text, shown with an ellipsis)."""
    return pg.evaluate(METRICS_JS, selector)


def projector_on(pg) -> None:
    """Turn projector mode on with the sidebar toggle, as the teacher does."""
    pg.get_by_text(t("sidebar.projector", "es"), exact=True).click()
    wait_for_app(pg)


def inside(box: dict, viewport: dict) -> bool:
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] \
        and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]


def test_evaluate_matrix_and_its_gallery_share_one_projector_screen(app_server, browser):
    card = registry.read_card(registry.DEFAULT_MODEL.with_suffix(".json"))
    context, pg = _page(browser, PROJECTOR)
    try:
        pg.goto(app_server.url + "/evaluate")
        wait_for_app(pg)
        expect(pg.locator(".heatmaplayer")).to_have_count(1, timeout=60_000)   # one chart more above it now
        projector_on(pg)
        expect(pg.locator(".heatmaplayer")).to_have_count(1, timeout=60_000)   # one chart more above it now
        wait_for_app(pg)
        # the headline numbers: every label and value whole, the duration in minutes
        shown = metrics_in(pg, ".st-key-headline_metrics")
        assert len(shown) >= 5 and not [m for m in shown if m["cut"]], shown
        by_label = {m["label"]: m["value"] for m in shown}
        assert by_label[t("metric.fit_time", "es")] == fmt_duration(float(card.get("fit_seconds_total", card["fit_seconds"])), "es"), by_label

        click_cell(pg, 6, 0)                                  # Camisa -> Camiseta/Top
        gallery = pg.locator(".st-key-cell_gallery")
        expect(gallery).to_contain_text("Camisa predicho como Camiseta/Top", timeout=60_000)
        wait_for_app(pg)
        matrix = pg.locator(".js-plotly-plot").filter(has=pg.locator(".heatmaplayer")).first
        matrix.scroll_into_view_if_needed()                   # the teacher scrolls to the matrix...
        first_image = gallery.locator("img").first
        expect(first_image).to_be_visible()
        pg.mouse.move(1, 1)                                   # no tooltip over the screenshot
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "layout-evaluate-1280x720-projector.png"))
        # ...and sees the whole matrix and the chosen cell's images at once
        assert inside(matrix.bounding_box(), PROJECTOR), matrix.bounding_box()
        assert inside(first_image.bounding_box(), PROJECTOR), first_image.bounding_box()
        assert_no_exception(pg)
    finally:
        context.close()


def test_train_live_numbers_are_not_cut_in_spanish(app_server, browser):
    context, pg = _page(browser, PROJECTOR)
    try:
        pg.goto(app_server.url + "/train")
        wait_for_app(pg)
        pg.get_by_label(t("train.run_name", "es"), exact=True).fill("etiquetas-enteras")
        pg.get_by_label(t("train.run_name", "es"), exact=True).press("Enter")
        wait_for_app(pg)
        pg.get_by_role("button", name=t("train.start", "es")).click()
        live = pg.locator(".st-key-tr_live_metrics [data-testid='stMetric']")
        expect(live).to_have_count(5, timeout=120_000)
        shown = metrics_in(pg, ".st-key-tr_live_metrics")
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "layout-train-run-1280x720.png"))
        stop = pg.get_by_role("button", name=t("train.stop", "es"))
        stop.click()
        assert [m["label"] for m in shown] == [t(k, "es") for k in ("train.eta", "train.elapsed", "train.batch_loss",
                                                                    "train.batch_accuracy", "train.val_accuracy")]
        assert not [m for m in shown if m["cut"]], shown
        expect(live).to_have_count(0, timeout=240_000)   # the run is over before another test needs the slot
        assert_no_exception(pg)
    finally:
        context.close()
