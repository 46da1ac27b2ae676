"""The Evaluate page in a real Chromium: click a cell of the confusion matrix and see the
test images of that true -> predicted pair; download the report and find the page's numbers."""
import re

from conftest import assert_no_exception, wait_for_app
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect


def click_cell(pg, row: int, col: int) -> None:
    """Click the centre of one cell of the 10x10 matrix (row: true class, col: prediction).
    Plotly may be drawing the chart again (a rerun, a resize) as we look: then look again."""
    for _ in range(20):
        plot = pg.locator(".js-plotly-plot").filter(has=pg.locator(".heatmaplayer")).first
        drag = plot.locator(".nsewdrag").first
        try:
            drag.wait_for(state="visible")
            plot.scroll_into_view_if_needed(timeout=5_000)
            box = drag.bounding_box(timeout=5_000)
        except PlaywrightError:
            box = None               # detached while we looked
        if box and box["width"] > 0 and box["height"] > 0:
            break
        pg.wait_for_timeout(250)
    else:
        raise AssertionError("the confusion matrix never settled on screen")
    x = box["x"] + (col + 0.5) * box["width"] / 10
    y = box["y"] + (row + 0.5) * box["height"] / 10
    pg.mouse.move(x, y)
    pg.mouse.click(x, y)


def gallery_count(gallery) -> int:
    heading = gallery.locator("strong").first.inner_text()
    return int(re.search(r": ([\d,]+) test images", heading).group(1).replace(",", ""))


def test_click_a_confusion_cell_shows_that_pairs_images(app_server, page):
    page.goto(app_server.url + "/evaluate")
    wait_for_app(page)
    expect(page.locator(".heatmaplayer")).to_have_count(1, timeout=120_000)
    expect(page.get_by_role("combobox", name="Active model")).to_be_visible()   # through the frame
    gallery = page.locator(".st-key-cell_gallery")

    click_cell(page, 7, 7)                                  # Sneaker -> Sneaker: correct examples
    expect(gallery).to_contain_text("Sneaker predicted correctly", timeout=60_000)
    wait_for_app(page)
    n = gallery_count(gallery)
    assert n > 0
    expect(gallery.locator("img")).to_have_count(min(20, n))

    click_cell(page, 6, 0)                                  # Shirt -> T-shirt/top: the classic confusion
    expect(gallery).to_contain_text("Shirt predicted as T-shirt/top", timeout=60_000)
    wait_for_app(page)
    n = gallery_count(gallery)
    assert n > 0
    expect(gallery.locator("img")).to_have_count(min(20, n))
    # the selectboxes follow the click
    expect(page.get_by_role("combobox", name="True class")).to_have_value("Shirt")
    expect(page.get_by_role("combobox", name="Predicted class")).to_have_value("T-shirt/top")
    assert_no_exception(page)


def test_downloaded_report_matches_the_page(app_server, page):
    page.goto(app_server.url + "/evaluate")
    wait_for_app(page)
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Test accuracy")
    expect(metric).to_have_count(1, timeout=120_000)
    accuracy = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    loss = page.locator('[data-testid="stMetric"]').filter(has_text="Test loss") \
        .locator('[data-testid="stMetricValue"]').inner_text().strip()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download report").click()
    download = info.value
    assert download.suggested_filename == "report-fashion_mnist_cnn-en.html"
    html = open(download.path(), encoding="utf-8").read()
    assert f"<td>Test accuracy</td><td class=\"n\">{accuracy}</td>" in html
    assert f"<td>Test loss</td><td class=\"n\">{loss}</td>" in html
    assert "<svg" in html and "data:image/png;base64," in html
    assert_no_exception(page)
