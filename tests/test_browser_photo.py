"""The Photo page in a real Chromium against a real `streamlit run`: upload two photos and
see an answer for each; take a picture with a fake webcam (a .y4m video the test writes)
and see an answer. AppTest cannot exercise either."""
from __future__ import annotations

import cv2
import numpy as np
from conftest import ARTIFACTS, assert_no_exception, camera_page, wait_for_app
from test_photo import background, encode, garment_photo, tshirt_mask

ANSWER = '[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"]'


def open_photo_page(pg, url: str) -> None:
    pg.goto(url + "/photo")
    wait_for_app(pg)
    pg.get_by_text("Upload photos (JPEG, PNG, WebP, BMP, GIF, HEIC)").wait_for()


def wait_for_answers(pg, n: int) -> list[str]:
    pg.wait_for_function(
        f"() => document.querySelectorAll('{ANSWER}').length >= {n}", timeout=120_000)
    wait_for_app(pg, timeout=120_000)
    return [t for t in pg.locator(ANSWER).all_inner_texts()]


def test_upload_two_photos_and_see_an_answer_for_each(app_server, page, tmp_path):
    shirt, _ = garment_photo("light", colour=(30, 40, 90))
    rug, _ = garment_photo("textured", colour=(235, 235, 230))
    files = [tmp_path / "navy shirt.jpg", tmp_path / "white shirt.png"]
    files[0].write_bytes(encode(shirt, "JPEG", quality=90))
    files[1].write_bytes(encode(rug, "PNG"))

    open_photo_page(page, app_server.url)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(f) for f in files])
    answers = wait_for_answers(page, 2)
    assert len(answers) == 2
    assert all(("Answer:" in a) or ("Not sure" in a) for a in answers), answers
    page.get_by_text("what the network sees (28×28)").first.wait_for()   # image captions follow their images
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "navy shirt.jpg" in body and "white shirt.png" in body
    assert "what the network sees (28×28)" in body and "Answered by the model" in body   # the compact card
    assert page.locator('[data-testid="stImage"] img').count() >= 2 * 2
    assert_no_exception(page)


def write_y4m(path, frames: int = 15) -> None:
    """A short 640x480 YUV 4:2:0 video of a garment on a plain background, for Chromium's
    fake webcam (--use-file-for-fake-video-capture)."""
    h, w = 480, 640
    img = background("light", h, w)
    m = np.zeros((h, w), np.uint8)
    m[:, 140:500] = tshirt_mask(h, 360)
    img[m > 0] = (30, 40, 90)
    yuv = cv2.cvtColor(img, cv2.COLOR_RGB2YUV_I420)              # planar Y, U, V: what y4m C420 wants
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F15:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            f.write(b"FRAME\n" + yuv.tobytes())


def test_take_a_picture_with_the_webcam_and_see_an_answer(app_server, playwright_instance, tmp_path):
    video = tmp_path / "garment.y4m"
    write_y4m(video)
    browser, pg = camera_page(playwright_instance, video)
    try:
        open_photo_page(pg, app_server.url)
        pg.get_by_text("Use the webcam").click()
        button = pg.locator('[data-testid="stCameraInputButton"]')
        button.wait_for()
        pg.wait_for_function(
            "() => { const b = document.querySelector('[data-testid=\"stCameraInputButton\"]');"
            " const v = document.querySelector('[data-testid=\"stCameraInput\"] video');"
            " return b && !b.disabled && v && v.readyState >= 2; }", timeout=60_000)
        button.click()
        answers = wait_for_answers(pg, 1)
        assert len(answers) == 1 and (("Answer:" in answers[0]) or ("Not sure" in answers[0]))
        assert "webcam photo" in pg.locator('[data-testid="stMain"]').inner_text()
        assert_no_exception(pg)
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "test_take_a_picture_with_the_webcam.png"), full_page=True)
    finally:
        browser.close()


def test_the_newest_answer_is_scrolled_into_view_on_a_phone(app_server, browser, tmp_path):
    """On a phone the uploader fills the first screen; the new answer's card is brought to the
    top of the screen (pages/common.scroll_into_view), not left below the fold."""
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    try:
        shirt, _ = garment_photo("light", colour=(30, 40, 90))
        photo = tmp_path / "navy shirt.jpg"
        photo.write_bytes(encode(shirt, "JPEG", quality=90))
        open_photo_page(pg, app_server.url)
        pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(photo)])
        wait_for_answers(pg, 1)
        pg.wait_for_function("""() => {
            const card = document.querySelector('.st-key-photo_card_newest');
            return card && Math.abs(card.getBoundingClientRect().top) < 80;
        }""", timeout=30_000)
        assert pg.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop") > 0
        assert_no_exception(pg)
    finally:
        context.close()
