"""Hostile and odd files uploaded to the Photo page in a real Chromium against `streamlit run`.

Every file is drawn here (numpy/PIL) and handed to the browser as an in-memory payload,
so nothing is committed and nothing touches the disk on the browser's side. Each file
gets a clear message or an answer, no exception element appears, the other photos of
the same upload are still answered, the server lives on, and a file name made of HTML
and path characters is shown as text: no element, no script, no file of that name.
"""
from __future__ import annotations

import io
import os
import re

import numpy as np
from conftest import REPO, assert_no_exception, wait_for_app
from PIL import Image
from test_photo import bomb_png, encode, garment_photo

from fashion.i18n import t

ERROR = '[data-testid="stAlertContentError"]'
ANSWER = '[data-testid="stAlertContentSuccess"], [data-testid="stAlertContentWarning"]'
CARD = '[class*="st-key-photo_card"]'        # one keyed container per answered photo (pages/photo.py)
TITLE = '[data-testid="stMarkdownContainer"] strong'   # the card's first line: "**N. file name**"
# HTML and Markdown in a name (no "/": it ends a name; no '"': browsers send it as %22)
HTML_NAME = "<img src=x onerror=alert(1)><b>bold & 'quoted' #1 *2* [a](b).png"
PATH_NAME = '..%2F..\\<img src=y onerror=alert(2)>../../evil.png'


# --- the files --------------------------------------------------------------------------------

def _png(img) -> bytes:
    return encode(img, "PNG")


def _exif_pair() -> tuple[bytes, bytes]:
    """A tall garment as a JPEG stored upright, and the same one stored on its side with
    EXIF orientation 6 ("rotate 90° clockwise to display"), as phones do."""
    img, _ = garment_photo("light", h=480, w=300)
    exif = Image.Exif()
    exif[0x0112] = 6
    sideways = Image.fromarray(np.ascontiguousarray(np.rot90(img, 1)))
    return encode(img, "JPEG", quality=92), encode(sideways, "JPEG", quality=92, exif=exif.tobytes())


def _animated_gif() -> bytes:
    img, _ = garment_photo("light")
    first = Image.fromarray(img).convert("P", palette=Image.Palette.ADAPTIVE)
    buf = io.BytesIO()
    first.save(buf, "GIF", save_all=True, append_images=[Image.new("P", first.size, 0)], duration=100, loop=0)
    return buf.getvalue()


def hostile_files() -> list[tuple[str, bytes, str | None]]:
    """(file name, bytes, i18n key of the expected refusal or None for an answer)."""
    shirt, _ = garment_photo("light", colour=(30, 40, 90))
    textured, _ = garment_photo("textured")
    jpeg = encode(textured, "JPEG", quality=95)
    grey16 = (np.asarray(Image.fromarray(shirt).convert("L")).astype(np.uint16) * 257)
    upright, rotated = _exif_pair()
    return [
        ("empty.jpg", b"", "photo.error.empty"),
        ("shopping notes.jpg", b"these are my shopping notes, not a photo\n" * 20, "photo.error.not_image"),
        ("truncated.jpg", jpeg[: len(jpeg) // 2], "photo.error.damaged"),
        ("fake header.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "photo.error.damaged"),
        ("bomb 20000x20000.png", bomb_png(20000), "photo.error.bomb"),
        ("one pixel.png", _png(np.zeros((1, 1, 3), np.uint8)), "photo.error.too_small"),
        ("blank.png", _png(np.full((300, 300, 3), 200, np.uint8)), "photo.error.blank"),
        ("animated.gif", _animated_gif(), None),
        ("grey 16-bit.png", _png(Image.fromarray(grey16)), None),
        ("cmyk.jpg", encode(Image.fromarray(shirt).convert("CMYK"), "JPEG", quality=92), None),
        ("palette.png", _png(Image.fromarray(textured).convert("P", palette=Image.Palette.ADAPTIVE, colors=64)), None),
        ("upright.jpg", upright, None),
        ("exif rotated.jpg", rotated, None),
        (HTML_NAME, _png(shirt), None),
        (PATH_NAME, jpeg, None),
    ]


MIME = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"}


def payload(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": MIME[name.rsplit(".", 1)[-1]], "buffer": data}


def shown_name(name: str) -> str:
    """How the page names an upload: the part after the last / or \\ (never a path)."""
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def message_start(key: str) -> str:
    """The English message up to its first placeholder."""
    return t(key, "en", size="{", w="{", h="{", min="{", mb="{", limit="{").split("{")[0]


# --- reading the page -------------------------------------------------------------------------------

def card_titles(page) -> list[str]:
    """The first line of every photo's card ("N. file name"), newest first."""
    return [card.locator(TITLE).first.inner_text() for card in page.locator(CARD).all()]


def photo_block(page, name: str):
    """The card of one photo's answer (the one whose title names the file)."""
    title = page.locator(TITLE).filter(has_text=name)        # (relative to the card)
    return page.locator(CARD).filter(has=title).last


def best_guess(page, name: str) -> str:
    text = photo_block(page, name).locator(ANSWER).first.inner_text()
    m = re.search(r"(?:Answer: |Best guess: )(.+?) \(confidence", text)
    assert m, text
    return m.group(1)


def step_size(page, name: str, step_key: str) -> tuple[int, int]:
    """(width, height) of the image shown for one step of the photo's pipeline (in the
    card's details expander, opened first)."""
    details = photo_block(page, name).locator('[data-testid="stExpander"] details').first
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    # one st.image of several: each picture sits in its own box with its caption
    caption = re.compile(rf"^\s*{re.escape(t(step_key, 'en'))}\s*$")
    image = details.locator('[data-testid="stImage"] > div').filter(has_text=caption).first
    image.locator("img").evaluate("i => i.complete || new Promise(r => i.addEventListener('load', r))")
    return tuple(image.locator("img").evaluate("i => [i.naturalWidth, i.naturalHeight]"))


# --- the test ---------------------------------------------------------------------------------------

def files_named(root, needle: str) -> list[str]:
    found = []
    for folder, _, names in os.walk(root):
        found += [os.path.join(folder, n) for n in names if needle in n]
    return found


def test_hostile_uploads_get_a_message_or_an_answer_and_names_stay_text(app_server, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))     # alert(1) would land here
    page.goto(app_server.url + "/photo")
    wait_for_app(page)
    page.get_by_text(t("photo.upload", "en")).wait_for()

    files = hostile_files()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        [payload(n, d) for n, d, _ in files])
    refusals = [f for f in files if f[2]]
    answered = [f for f in files if not f[2]]
    page.wait_for_function(
        f"() => document.querySelectorAll('{ERROR}').length >= {len(refusals)}"
        f" && document.querySelectorAll('{ANSWER}').length >= {len(answered)}", timeout=180_000)
    wait_for_app(page, timeout=180_000)
    assert_no_exception(page)

    # every refused file: its name and the reason, in words
    errors = page.locator(ERROR).all_inner_texts()
    assert len(errors) == len(refusals), errors
    for name, _, key in refusals:
        lead = t("photo.cannot_use", "en", name=shown_name(name), error="\0").split("\0")[0]
        mine = [e for e in errors if e.startswith(lead)]
        assert len(mine) == 1 and message_start(key) in mine[0], (name, errors)

    # every other file: an answer in its own card, under the file's name
    answers = page.locator(ANSWER).all_inner_texts()
    assert len(answers) == len(answered), answers
    assert all(a.startswith("Answer:") or a.startswith("Not sure") for a in answers), answers
    headings = card_titles(page)
    assert len(headings) == len(answered), headings
    for name, _, _ in answered:
        assert any(h.endswith(". " + shown_name(name)) for h in headings), (name, headings)
        assert photo_block(page, shown_name(name)).locator(ANSWER).count() == 1, name

    # the EXIF-rotated photo is shown turned upright and gets the same answer as the upright one
    assert best_guess(page, "exif rotated.jpg") == best_guess(page, "upright.jpg")
    w, h = step_size(page, "exif rotated.jpg", "photo.step.original")
    assert w > h, (w, h)                                     # as stored: on its side
    w, h = step_size(page, "exif rotated.jpg", "photo.step.oriented")
    assert h > w, (w, h)                                     # as shown: upright

    # the hostile names are text: shown character for character (Markdown would have eaten the
    # * and [](), HTML the tags), no element came from them, no script ran, no file got their name
    assert any(h.endswith(". " + HTML_NAME) for h in headings), headings
    assert page.locator('img[src="x"], img[src="y"]').count() == 0
    assert page.locator('[data-testid="stMain"] b').filter(has_text="bold").count() == 0
    assert not dialogs, dialogs
    assert not files_named(REPO, "evil") and not files_named(app_server.home, "evil")
    assert not files_named(REPO, "onerror") and not files_named(app_server.home, "onerror")

    # the server lived through the bomb, and the page keeps working: a new photo, a new answer
    assert app_server.proc.poll() is None
    shirt, _ = garment_photo("dark", colour=(200, 60, 60))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        [payload("after the storm.png", _png(shirt))])
    page.locator(CARD).locator(TITLE).filter(has_text="after the storm.png").first.wait_for(timeout=120_000)
    wait_for_app(page, timeout=120_000)
    assert_no_exception(page)


def test_refusals_are_explained_in_spanish(app_server, browser):
    """A Spanish browser gets the refusals in Spanish (the same translation table)."""
    context = browser.new_context(locale="es-ES", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(app_server.url + "/photo")
        wait_for_app(page)
        page.get_by_text(t("photo.upload", "es")).wait_for()
        files = [f for f in hostile_files() if f[0] in ("empty.jpg", "shopping notes.jpg", "bomb 20000x20000.png")]
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            [payload(n, d) for n, d, _ in files])
        page.wait_for_function(f"() => document.querySelectorAll('{ERROR}').length >= {len(files)}")
        wait_for_app(page)
        errors = page.locator(ERROR).all_inner_texts()
        for name, _, key in files:
            lead = t("photo.cannot_use", "es", name=name, error="\0").split("\0")[0]
            first = t(key, "es", size="{").split("{")[0]
            assert any(e.startswith(lead) and first in e for e in errors), (name, errors)
        assert_no_exception(page)
    finally:
        context.close()
