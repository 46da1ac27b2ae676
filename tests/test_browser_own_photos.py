""""Your own photos" in a real Chromium against a real `streamlit run`: take photos with a
fake webcam into two classes, one shot after another, fine-tune the shipped model on them
in the training worker to the end, see before and after side by side, and use the new
model on the Photo page at once. Only a browser can take webcam photos."""
from __future__ import annotations

import re

import cv2
import numpy as np
from conftest import ARTIFACTS, assert_no_exception, camera_page, wait_for_app
from playwright.sync_api import expect
from test_photo import background, tshirt_mask

SHOTS = 6          # fashion.photos.own.MIN_PER_CLASS


def write_y4m(path, frames: int = 30) -> None:
    """A 2-second 640x480 video of a garment that drifts and changes colour, for
    Chromium's fake webcam: successive shots are different photos."""
    h, w = 480, 640
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F15:1 Ip A1:1 C420jpeg\n".encode())
        for i in range(frames):
            img = background("light", h, w)
            m = np.zeros((h, w), np.uint8)
            x0 = 100 + 3 * i
            m[:, x0:x0 + 360] = tshirt_mask(h, 360)
            img[m > 0] = (30 + 4 * i, 40, 90 + 2 * i)
            f.write(b"FRAME\n" + cv2.cvtColor(img, cv2.COLOR_RGB2YUV_I420).tobytes())


def choose(pg, label: str, option: str) -> None:
    """Pick an option of the Streamlit select box or multiselect with this label."""
    box = pg.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(option)         # the list shows the options that match what is typed
    pg.get_by_role("option", name=re.compile(f"^{re.escape(option)}$")).first.click()
    pg.keyboard.press("Escape")            # close a multiselect's list
    wait_for_app(pg)


def take_shots(pg, class_name: str, n: int) -> None:
    for i in range(1, n + 1):
        pg.wait_for_function(
            "() => { const b = document.querySelector('[data-testid=\"stCameraInputButton\"]');"
            " const v = document.querySelector('[data-testid=\"stCameraInput\"] video');"
            " return b && !b.disabled && v && v.readyState >= 2; }", timeout=60_000)
        pg.locator('[data-testid="stCameraInputButton"]').click()
        pg.get_by_text(f"{class_name}: {i} photo(s)").wait_for(timeout=60_000)
        wait_for_app(pg)


def test_photograph_two_classes_finetune_to_the_end_and_use_it(app_server, playwright_instance, tmp_path):
    video = tmp_path / "clothes.y4m"
    write_y4m(video)
    browser, pg = camera_page(playwright_instance, video)
    try:
        pg.goto(app_server.url + "/own_photos")
        wait_for_app(pg)
        pg.get_by_text("Privacy: your photos stay in this browser session").wait_for()

        choose(pg, "Classes to teach", "Sneaker")
        choose(pg, "Classes to teach", "Shirt")
        pg.get_by_text("Use the webcam").click()
        take_shots(pg, "Sneaker", SHOTS)
        choose(pg, "Add to the class", "Shirt")
        take_shots(pg, "Shirt", SHOTS)
        main = pg.locator('[data-testid="stMain"]')
        assert "Sneaker: 6 photo(s)" in main.inner_text() and "needed" not in main.inner_text()
        pg.wait_for_function("() => document.querySelectorAll("
                             f"'[data-testid=\"stMain\"] [data-testid=\"stImage\"] img').length >= {2 * SHOTS}")
        pg.get_by_text("Use the webcam").click()                                  # camera off
        wait_for_app(pg)

        pg.get_by_text("Only the classifier head").click()
        slider = pg.get_by_role("slider").first
        slider.focus()
        slider.press("Home")                                                       # 1 epoch
        wait_for_app(pg)
        pg.get_by_role("button", name="Fine-tune on my photos").click()
        pg.get_by_text("Fine-tune finished").wait_for(timeout=600_000)
        pg.get_by_role("button", name="Use it now on the Photo page").wait_for()   # the whole result is drawn
        wait_for_app(pg)
        for words in ("Your held-out photos (4)", "Real phone photos shipped with the studio",
                      "Fashion-MNIST test (10000 images)", "Saved as a new model"):
            expect(main).to_contain_text(words, timeout=60_000)      # retried: the page may still be re-drawing
        table = main.locator('[data-testid="stTable"]')
        expect(table).to_have_count(1, timeout=60_000)
        assert "before" in table.inner_text().lower() and "after" in table.inner_text().lower()
        expect(pg.locator('[data-testid="stMetric"]').nth(2)).to_be_visible(timeout=60_000)   # at least 3
        expect(main.locator('.js-plotly-plot').nth(1)).to_be_visible(timeout=60_000)          # confusion before and after
        assert_no_exception(pg)
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "test_own_photos_finetuned.png"), full_page=True)

        pg.get_by_role("button", name="Use it now on the Photo page").click()
        pg.wait_for_url(re.compile(r".*/photo$"), timeout=60_000)
        wait_for_app(pg)
        active = pg.get_by_role("combobox", name="Active model").input_value()
        assert "own-photos" in active, active                                  # the new model, in use
        assert_no_exception(pg)
    finally:
        try:
            ARTIFACTS.mkdir(exist_ok=True)
            pg.screenshot(path=str(ARTIFACTS / "test_own_photos_last.png"), full_page=True)
        except Exception:
            pass
        browser.close()
