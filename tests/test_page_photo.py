"""The Photo page in AppTest: uploads and a webcam shot through the real app frame, each
photo's steps, answer (or "not sure" and why), top 3, charts and heat maps; the results
table for several photos; a bad file's message; Spanish; inputs kept for Inside the CNN."""
from __future__ import annotations

import json
import re

import numpy as np
from conftest import all_text, run_page
from test_photo import encode, garment_photo

PAGE = "pages/photo.py"


def photos():
    shirt, _ = garment_photo("light", colour=(30, 40, 90))
    rug, _ = garment_photo("cluttered", colour=(200, 40, 40))
    return [("shirt_on_bed.jpg", encode(shirt, "JPEG", quality=90), "image/jpeg"),
            ("red_<img src=x onerror=alert(1)>.png", encode(rug, "PNG"), "image/png")]


def assert_no_exception(at):
    assert not at.exception, [e.value for e in at.exception]


def captions(at) -> list[str]:
    return [c for im in at.image for c in im.captions]


def open_details(at) -> list[str]:
    """Open every card's lazy details expander (as a click does) and rerun; their keys."""
    keys = [e.key for e in at.expander if (e.key or "").startswith("photo_details_")]
    for key in keys:
        at.session_state[key] = True
    at.run()
    return keys


def answers(at) -> list[str]:
    return [e.value for e in at.success] + [e.value for e in at.warning]


def test_empty_page_invites_an_upload():
    at = run_page(PAGE, "en")
    assert_no_exception(at)
    assert at.file_uploader(key="photo_upload").accept_multiple_files
    assert "Upload one or more photos" in all_text(at)


def test_two_uploads_and_a_bad_file_give_two_answers_a_table_and_a_message():
    at = run_page(PAGE, "en")
    files = photos() + [("notes.jpg", b"this is not a photo at all", "image/jpeg")]
    at.file_uploader(key="photo_upload").set_value(files)
    at.run()
    assert_no_exception(at)
    text = all_text(at)
    # one answer box per usable photo: "Answer: ..." or "Not sure. ... Best guess: ..."
    found = answers(at)
    assert len(found) == 2 and all(("Answer:" in a) or ("Not sure" in a) for a in found)
    # the details wait, closed and not computed, until their expander is opened
    assert "original" not in captions(at) and not at.get("plotly_chart")
    assert len(open_details(at)) == 2
    assert_no_exception(at)
    text = all_text(at)
    # the steps strip, the real example, the heat maps
    shown = " | ".join(captions(at))
    for caption in ("original", "oriented", "garment found", "cropped", "model input 28×28",
                    "closest real Fashion-MNIST example", "on the model input", "on the photo"):
        assert shown.count(caption) == 2, caption
    assert "The network's scores for all 10 classes" in text
    assert len(at.get("plotly_chart")) == 2
    # one number per answer: the bars (top 3 and all 10) are the network's scores, said so in
    # words, with no percentage of their own beside the answer's confidence
    assert all(not re.search(r"\d", bar.proto.text) for bar in at.get("progress"))
    for chart in at.get("plotly_chart"):
        bars = json.loads(chart.proto.spec)["data"][0]
        assert not bars.get("text"), bars.get("text")
    assert sum(c.value.startswith("The network's scores for its top 3 classes") for c in at.caption) == 2
    # a compact card each: the photo and its 28x28 side by side, the top-3 bars, the model named
    assert shown.count("your photo") == 2 and shown.count("what the network sees (28×28)") == 2
    assert len(at.get("progress")) == 6
    assert [c.value for c in at.caption].count("Answered by the model fashion_mnist_cnn.") == 2
    # newest first: the second upload's card comes before the first's
    titles = [m.value for m in at.markdown if m.value.startswith("**") and ". " in m.value[:6]]
    assert titles[0].startswith("**2. ") and titles[-1].startswith("**1. ")
    # the results table lists all three in three narrow columns
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == [f"{i}. {f[0]}" for i, f in enumerate(files, 1)]
    assert len(table.columns) == 3
    assert "not an image" in " ".join(e.value for e in at.error)
    # the file name is shown as text: no HTML, Markdown escaped
    assert any("red\\_\\<img src=x onerror=alert\\(1\\)\\>.png" in m.value for m in at.markdown)
    assert not any("<img" in m.value.replace("\\<img", "") for m in at.markdown)
    # the inputs are kept for the Inside the CNN page
    kept = at.session_state["photo_inputs"]
    assert [k["name"] for k in kept] == [f[0] for f in files[:2]]
    assert all(k["input"].shape == (28, 28) and k["input"].dtype == np.float32 for k in kept)


def test_webcam_photo_in_spanish():
    at = run_page(PAGE, "es")
    at.toggle(key="photo_camera_on").set_value(True)
    at.run()
    shirt, _ = garment_photo("textured", colour=(240, 240, 235))
    at.camera_input(key="photo_camera").set_value(("camera.jpg", encode(shirt, "JPEG", quality=85), "image/jpeg"))
    at.run()
    assert_no_exception(at)
    found = answers(at)
    assert len(found) == 1 and (("Respuesta:" in found[0]) or ("No estoy seguro" in found[0]))
    text = all_text(at)
    assert "foto de la cámara" in text and "Respuesta del modelo" in text
    assert "entrada del modelo 28×28" not in captions(at)      # the steps wait behind the expander
    assert len(open_details(at)) == 1
    assert_no_exception(at)
    assert "entrada del modelo 28×28" in captions(at) and len(at.get("plotly_chart")) == 1


def test_a_blank_image_is_refused_in_words():
    at = run_page(PAGE, "en")
    blank = encode(np.full((200, 200, 3), 250, np.uint8), "PNG")
    at.file_uploader(key="photo_upload").set_value([("blank.png", blank, "image/png")])
    at.run()
    assert_no_exception(at)
    assert "single flat colour" in " ".join(e.value for e in at.error)
    assert not answers(at)
