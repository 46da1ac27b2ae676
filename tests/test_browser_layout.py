"""Layout where only a browser can measure it: a teacher's 1280x720 projector and a
student's 390x844 phone. Screenshots of each are kept in test-artifacts/ (CI artefacts).

- Train at 1280x720: the Start button is inside the first screen, without scrolling.
- Photo at 390x844: one photo's answer card is at most about 1.5 phone screens tall, and
  the newest answer comes first.
- Evaluate at 1280x720 in projector mode: the confusion matrix and the gallery of the cell
  just clicked are on the screen together, and no number's label or value is cut
  ("Tiempo de entrenamiento", "50 min 50 s"); nor are the live numbers of a Spanish run.
- A Spanish phone (390x844) on Classify a photo: a one-line title, Streamlit's own uploader
  texts in Spanish ("Subir", "25 MB por archivo", "8,8 KB"), the new answer's title below
  the top bar after the automatic scroll, and the ten class names of the probability chart
  one under the other, none overlapping, its ticks written like the labels ("50 %").
- A Spanish webcam: Streamlit's camera texts in Spanish ("Hacer la foto").
- Evaluate at 1400x1000 in Spanish: the per-class table shows all ten classes without an
  inner scrollbar, chart ticks read "20 %", captions keep "86 %" whole, and the sidebar
  shows both accuracies of the model in use in full.
"""
from __future__ import annotations

import itertools
import re

from conftest import ARTIFACTS, assert_no_exception, launch_chromium, wait_for_app, wait_for_rerun
from playwright.sync_api import expect
from test_browser_evaluate import click_cell
from test_browser_own_photos import write_y4m
from test_photo import encode, garment_photo

from fashion.data import class_names
from fashion.i18n import t
from fashion.i18n.numbers import fmt_duration, fmt_pct
from fashion.judging.stored import measured_real_photo_accuracy
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
    wait_for_rerun(pg)


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


DESKTOP = {"width": 1400, "height": 1000}
ENGLISH_WIDGET_TEXT = re.compile(r"\bUpload\b|per file|Drag and drop|\d(\.\d)?[KM]B\b|Take Photo|Clear photo")

TICKS_JS = """(chart) => [...chart.querySelectorAll('.xtick text, .ytick text')].map(e => e.textContent)"""
Y_LABELS_JS = """(chart) => [...chart.querySelectorAll('.ytick text')].map(e => {
    const r = e.getBoundingClientRect(); return {text: e.textContent, top: r.top, bottom: r.bottom, left: r.left}; })"""


def percent_ticks_read_like_labels(ticks: list[str], lang: str = "es") -> None:
    shares = [x for x in ticks if "%" in x]
    assert shares, ticks
    assert all(re.fullmatch(r"\d+(,\d+)? %" if lang == "es" else r"\d+(\.\d+)? %", x) for x in shares), shares


def test_a_spanish_phone_reads_the_photo_page(app_server, browser, tmp_path):
    shirt, _ = garment_photo("light", colour=(30, 40, 90))
    photo = tmp_path / "camiseta.jpg"
    photo.write_bytes(encode(shirt, "JPEG", quality=90))
    context, pg = _page(browser, PHONE, mobile=True)
    try:
        pg.goto(app_server.url + "/photo")
        wait_for_app(pg)
        uploader = pg.locator('[data-testid="stFileUploader"]').first
        expect(uploader).to_contain_text("por archivo", timeout=60_000)
        # a compact title: one line, not a quarter of the first screen
        title = pg.locator("h1").first.bounding_box()
        assert title["height"] < 60, title
        # Streamlit's own uploader texts, in Spanish
        text = uploader.inner_text()
        assert t("st.upload", "es") in text and re.search(r"\d+\u00a0MB por archivo", text), text
        assert not ENGLISH_WIDGET_TEXT.search(text), text
        uploader.locator('input[type="file"]').set_input_files(str(photo))
        newest = pg.locator(".st-key-photo_card_newest")
        newest.wait_for(timeout=180_000)
        wait_for_app(pg, timeout=180_000)
        chip = uploader.inner_text()
        assert re.search(r"\d+(,\d)?\u00a0KB", chip) and not ENGLISH_WIDGET_TEXT.search(chip), chip
        # the automatic scroll stops with the answer's title below the top bar
        pg.wait_for_timeout(3000)                            # it follows the layout for 2 s
        bar = pg.evaluate("() => document.querySelector('header').getBoundingClientRect().bottom")
        top = newest.evaluate("e => e.getBoundingClientRect().top")
        assert bar <= top < PHONE["height"] / 2, (bar, top)
        first_line = newest.locator("p").first.bounding_box()
        assert first_line["y"] >= bar, (first_line, bar)
        # all ten probabilities: names one under the other, none overlapping, ticks like the labels
        newest.locator('[data-testid="stExpander"] summary').first.click()
        chart = newest.locator(".js-plotly-plot").first
        chart.wait_for(timeout=120_000)
        wait_for_app(pg, timeout=120_000)
        chart.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "layout-photo-chart-390x844-es.png"))
        names = sorted(chart.evaluate(Y_LABELS_JS), key=lambda n: n["top"])
        box = chart.bounding_box()
        assert [n["text"].strip() for n in names] == class_names("es"), names      # top to bottom, in class order
        assert all(a["bottom"] <= b["top"] + 0.5 for a, b in itertools.pairwise(names)), names
        assert all(n["left"] >= box["x"] - 0.5 for n in names), (names, box)
        percent_ticks_read_like_labels(chart.evaluate(TICKS_JS))
        assert_no_exception(pg)
    finally:
        context.close()


def test_a_spanish_webcam_speaks_spanish(app_server, playwright_instance, tmp_path):
    video = tmp_path / "ropa.y4m"
    write_y4m(video, frames=10)
    b = launch_chromium(playwright_instance, ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                                              f"--use-file-for-fake-video-capture={video}"])
    try:
        context = b.new_context(locale="es-ES", viewport=DESKTOP, permissions=["camera"])
        pg = context.new_page()
        pg.set_default_timeout(120_000)
        pg.goto(app_server.url + "/own_photos")
        wait_for_app(pg)
        box = pg.get_by_role("combobox", name=t("own.classes", "es"))
        box.click()
        box.press_sequentially("Camiseta")
        pg.get_by_role("option", name="Camiseta/Top").first.click()
        pg.keyboard.press("Escape")
        wait_for_app(pg)
        pg.get_by_text(t("own.camera_on", "es"), exact=True).click()
        camera = pg.locator('[data-testid="stCameraInput"]')
        expect(camera.locator('[data-testid="stCameraInputButton"]')).to_have_text(t("st.take_photo", "es"))
        assert not ENGLISH_WIDGET_TEXT.search(camera.inner_text()), camera.inner_text()
        uploader = pg.locator('[data-testid="stFileUploader"]').first
        expect(uploader).to_contain_text(t("st.upload", "es"))
        assert not ENGLISH_WIDGET_TEXT.search(uploader.inner_text()), uploader.inner_text()
        # back to English: Streamlit's own texts come back
        pg.get_by_role("combobox", name=t("sidebar.language", "es")).click()
        pg.get_by_role("option", name="English").click()
        wait_for_app(pg)
        expect(pg.locator('[data-testid="stFileUploader"]').first).to_contain_text("Upload")
        assert_no_exception(pg)
    finally:
        b.close()


def test_spanish_evaluate_on_a_desktop_shows_whole_tables_ticks_and_numbers(app_server, browser):
    context, pg = _page(browser, DESKTOP)
    try:
        pg.goto(app_server.url + "/evaluate")
        wait_for_app(pg)
        table = pg.locator(".st-key-per_class [data-testid='stDataFrame']")
        table.wait_for(timeout=120_000)
        wait_for_app(pg)
        table.scroll_into_view_if_needed()
        pg.wait_for_timeout(1000)
        # every class in view: the grid scrolls neither down nor sideways
        scroll = table.evaluate("""t => { const s = t.querySelector('.dvn-scroller');
            return s && [s.scrollHeight, s.clientHeight, s.scrollWidth, s.clientWidth]; }""")
        assert scroll, "the table's scroll area (glide-data-grid's .dvn-scroller) was not found"
        assert scroll[0] <= scroll[1] + 1 and scroll[2] <= scroll[3] + 1, scroll
        # chart ticks like the labels: "20 %", never "20%"
        chart = pg.locator('[data-testid="stPlotlyChart"]').filter(has=pg.locator(".barlayer")).first
        percent_ticks_read_like_labels(chart.evaluate(TICKS_JS))
        # captions under small images keep a number and its % together
        captions = pg.locator(".st-key-mistakes_gallery [data-testid='stImageCaption']").all_text_contents()
        assert captions and all("\u00a0%" in c and not re.search(r"\d %", c) for c in captions), captions[:3]
        # the sidebar: both accuracies of the model in use, whole
        accuracy = registry.read_card(registry.DEFAULT_MODEL.with_suffix(".json"))["test_metrics"]["accuracy"]
        sidebar = pg.locator('[data-testid="stSidebar"]').inner_text()
        assert fmt_pct(accuracy, "es") + " en las imágenes de prueba" in sidebar, sidebar
        photos = measured_real_photo_accuracy(registry.DEFAULT_MODEL)
        if photos is not None:
            assert fmt_pct(photos, "es", 1) + " con fotos reales" in sidebar, sidebar
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "layout-evaluate-1400x1000-es.png"))
        assert_no_exception(pg)
    finally:
        context.close()
