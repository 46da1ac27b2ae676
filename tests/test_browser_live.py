"""The live camera in a real Chromium against a real `streamlit run`, its webcam a .y4m video
the test writes (trousers for 4 s, then a shoe, looping): the answer follows the garment
with no click, "Keep this one" adds a card, Pause stops the frames and the camera; a denied
permission, no camera at all and an insecure origin each give their message while uploads
still work; on a phone-sized screen, in Spanish, the camera and its answer share one screen."""
from __future__ import annotations

import socket

import cv2
import pytest
from conftest import ARTIFACTS, assert_no_exception, launch_chromium, wait_for_app
from test_live_camera import SHOE_CLASSES, garment_frame

LIVE_ANSWER = ('.st-key-photo_live_box [data-testid="stAlertContentSuccess"], '
               '.st-key-photo_live_box [data-testid="stAlertContentWarning"]')
LIVE_ERROR = '.st-key-photo_live_box [data-testid="stAlertContentError"]'
FAKE_CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


def write_video(path, seconds: int = 4, fps: int = 5) -> None:
    """Trousers for `seconds`, then a sneaker, as a 320x240 YUV 4:2:0 video (Chromium loops it)."""
    h, w = 240, 320
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for label in (1, 7):
            frame = cv2.cvtColor(garment_frame(label, h, w), cv2.COLOR_RGB2YUV_I420).tobytes()
            f.writelines(b"FRAME\n" + frame for _ in range(seconds * fps))


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    path = tmp_path_factory.mktemp("live-video") / "trousers-then-shoe.y4m"
    write_video(path)
    return path


def open_live(pg, url: str, toggle: str = "Live camera") -> None:
    pg.goto(url + "/photo")
    wait_for_app(pg)
    pg.get_by_text(toggle, exact=True).click()
    pg.locator(".live-video").wait_for(state="attached")


def live_answer(pg, words: tuple, timeout: float = 120_000) -> str:
    """Wait until the live answer names one of `words`; its text."""
    pg.wait_for_function("""([selector, words]) => {
        const el = document.querySelector(selector);
        return el && words.some((w) => el.innerText.includes(w));
    }""", arg=[LIVE_ANSWER, list(words)], timeout=timeout)
    return pg.locator(LIVE_ANSWER).first.inner_text()


def frames_sent(pg) -> int:
    return int(pg.locator(".live").get_attribute("data-sent"))


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_answer_follows_the_garment_keep_adds_a_card_and_pause_stops(app_server, playwright_instance, video):
    browser = launch_chromium(playwright_instance, FAKE_CAMERA + [f"--use-file-for-fake-video-capture={video}"])
    try:
        context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000}, permissions=["camera"])
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        open_live(pg, app_server.url)
        assert "Trouser" in live_answer(pg, ("Trouser",))               # no click per frame
        assert any(name in live_answer(pg, SHOE_CLASSES) for name in SHOE_CLASSES)
        assert frames_sent(pg) >= 2
        shot(pg, "test_live_camera_answers")

        live_answer(pg, ("Trouser",))                                    # the video loops: trousers again
        pg.get_by_role("button", name="Keep this one").click()
        card = pg.locator(".st-key-photo_card_newest")
        card.wait_for(timeout=120_000)
        assert "live camera 1" in card.inner_text() and "what the network sees (28×28)" in card.inner_text()
        assert pg.locator(".live").get_attribute("data-camera") == "on"   # the camera goes on after keeping

        pg.locator(".live-pause").click()
        assert pg.locator(".live").get_attribute("data-camera") == "off"    # tracks stopped: the light is off
        assert pg.evaluate("() => document.querySelector('.stBidiComponent') !== null")
        assert pg.locator(".live-pause").inner_text() == "Resume"
        assert pg.locator(".live-status").inner_text() == "Paused: the camera is off."
        paused_at = frames_sent(pg)
        pg.wait_for_timeout(2000)                                        # at 4 frames a second, 8 would have left
        assert frames_sent(pg) == paused_at
        pg.locator(".live-pause").click()                                # resume: frames flow again
        for _ in range(120):
            if frames_sent(pg) > paused_at:
                break
            pg.wait_for_timeout(500)
        assert frames_sent(pg) > paused_at and pg.locator(".live").get_attribute("data-camera") == "on"
        assert_no_exception(pg)
    finally:
        browser.close()


def _non_loopback_address() -> str | None:
    """This machine's address on its network (an http:// page there is not a secure origin);
    connecting a UDP socket sends nothing."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_a_denied_permission_is_explained_and_uploads_still_work(app_server, playwright_instance, video):
    browser = launch_chromium(playwright_instance, ["--use-fake-device-for-media-stream",
                                                    f"--use-file-for-fake-video-capture={video}"])
    try:
        context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
        context.grant_permissions([])                                    # the user said no
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        open_live(pg, app_server.url)
        pg.locator(LIVE_ERROR).wait_for()
        assert "not allowed to use the camera" in pg.locator(LIVE_ERROR).inner_text()
        assert pg.locator(".live").get_attribute("data-camera") == "off"
        assert pg.locator('[data-testid="stFileUploader"] input[type="file"]').count() == 1
        assert_no_exception(pg)
    finally:
        browser.close()


def test_no_camera_and_an_insecure_origin_are_explained(app_server, playwright_instance):
    browser = launch_chromium(playwright_instance, ["--use-fake-ui-for-media-stream"])   # and no camera at all
    try:
        context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000}, permissions=["camera"])
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        open_live(pg, app_server.url)
        pg.locator(LIVE_ERROR).wait_for()
        assert "No camera was found" in pg.locator(LIVE_ERROR).inner_text()
        assert_no_exception(pg)
        address = _non_loopback_address()
        if address is None:
            pytest.skip("this machine has no network address besides loopback")
        insecure = app_server.url.replace("127.0.0.1", address)
        open_live(pg, insecure)
        pg.locator(LIVE_ERROR).wait_for()
        text = pg.locator(LIVE_ERROR).inner_text()
        assert "https://" in text and "localhost" in text, text
        assert_no_exception(pg)
    finally:
        browser.close()


def test_on_a_phone_in_spanish_the_camera_and_its_answer_share_one_screen(app_server, playwright_instance, video):
    browser = launch_chromium(playwright_instance, FAKE_CAMERA + [f"--use-file-for-fake-video-capture={video}"])
    try:
        context = browser.new_context(locale="es-ES", viewport={"width": 390, "height": 844}, permissions=["camera"],
                                      is_mobile=True, has_touch=True, device_scale_factor=2)
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        open_live(pg, app_server.url, toggle="Cámara en vivo")
        live_answer(pg, ("Pantalón", "No estoy seguro", "Respuesta"))
        assert pg.locator(".live-pause").inner_text() == "Pausar"
        pg.wait_for_function("""([answer]) => {           // the camera scrolls into view by itself
            const host = [...document.querySelectorAll('[data-testid="stBidiComponentIsolated"]')]
                .find((h) => h.shadowRoot && h.shadowRoot.querySelector('.live-video'));
            const video = host && host.shadowRoot.querySelector('.live-video').getBoundingClientRect();
            const bar = document.querySelector('[data-testid="stHeader"]').getBoundingClientRect();
            const said = document.querySelector(answer);
            return video && said && video.top >= bar.bottom - 1
                && said.getBoundingClientRect().bottom <= window.innerHeight + 1;
        }""", arg=[LIVE_ANSWER], timeout=30_000)
        top = pg.locator('[data-testid="stHeader"]').bounding_box()
        video_box = pg.locator(".live-video").bounding_box()
        answer_box = pg.locator(LIVE_ANSWER).first.bounding_box()
        assert video_box["y"] >= top["y"] + top["height"] - 1 and video_box["height"] > 150
        assert answer_box["y"] + answer_box["height"] <= 844 + 1
        shot(pg, "test_live_camera_phone_es")
        assert_no_exception(pg)
    finally:
        browser.close()
