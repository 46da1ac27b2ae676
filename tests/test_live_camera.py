"""The live camera of the Photo page (pages/ui/live_camera.py) without a camera: frames
decoded from what the component sends, and in AppTest through the real app frame, the
"Live camera" toggle, an answer to a frame set on the component (the trigger value a
browser sends), "Keep this one" giving a card, each camera error's message, one camera at a
time, projector mode, Spanish, and session memory that stays flat however many frames come.

AppTest has no element for st.components.v2 components, so a frame is sent as the browser
sends it: the run's widget states plus the component's trigger ("frame") or state
("error") value, under the ids Streamlit gives them."""
from __future__ import annotations

import base64
import io
import json

import cv2
import numpy as np
from conftest import all_text, run_page
from PIL import Image
from streamlit.proto.WidgetStates_pb2 import WidgetState
from test_photo import encode, garment_photo

from fashion.i18n import TABLE
from pages.ui.live_camera import KEPT_CAP, MAX_FPS, MAX_FRAME_CHARS, frame_from
from pages.ui.live_component import ERROR_CODES, LABELS

PAGE = "pages/photo.py"
COMPONENT = "fashion_studio.live_camera"
LIGHT_FLOOR = (236, 232, 226)
SHOE_CLASSES = ("Sandal", "Sneaker", "Ankle boot")


# --- frames like a camera's ---------------------------------------------------------------------

def garment_frame(label: int, h: int = 240, w: int = 320, colour=(40, 50, 110)) -> np.ndarray:
    """An RGB camera frame of a real Fashion-MNIST test garment of class `label`, drawn as a dark
    garment held up against a light wall (the way a photo shows it)."""
    from fashion import data
    d = data.load()
    image = d.x_test[np.flatnonzero(d.y_test == label)[0]]
    frame = np.full((h, w, 3), LIGHT_FLOOR, np.uint8)
    side = int(h * 0.85)
    ink = np.clip(cv2.resize(image, (side, side), interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255, 0, 1)
    y0, x0 = (h - side) // 2, (w - side) // 2
    patch = frame[y0:y0 + side, x0:x0 + side].astype(np.float32)
    frame[y0:y0 + side, x0:x0 + side] = (patch * (1 - ink[..., None]) + np.array(colour) * ink[..., None]).astype(np.uint8)
    return frame


def jpeg(rgb: np.ndarray, quality: int = 80) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def frame_value(n: int, data: bytes) -> dict:
    """The component's "frame" trigger value, as its JavaScript sends it."""
    return {"n": n, "jpeg": base64.b64encode(data).decode()}


# --- the component in AppTest --------------------------------------------------------------------

def component(at):
    found = [c for c in at.get("bidi_component") if c.proto.component_name == COMPONENT]
    return found[0] if found else None


def component_data(at) -> dict:
    return json.loads(component(at).proto.json)


def send(at, frame: dict | None = None, error: str = ""):
    """Rerun as the browser does when the component sets its trigger or state value (its
    state "error" is "" once the camera works, and the browser sends it with every rerun)."""
    cid = component(at).proto.id
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=cid, json_value=json.dumps({"error": error or ""})))   # its state, always
    if frame is not None:
        states.widgets.append(WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{cid}__events",
                                          json_trigger_value=json.dumps([{"event": "frame", "value": frame}])))
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def live_page(lang: str = "en", **session):
    at = run_page(PAGE, lang, session=session)
    at.toggle(key="photo_live_on").set_value(True)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def answers(at) -> list[str]:
    return [e.value for e in at.success] + [e.value for e in at.warning]


# --- frames -------------------------------------------------------------------------------------

def test_a_frame_is_read_from_what_the_component_sends():
    data = jpeg(garment_frame(1))
    assert frame_from(frame_value(7, data)) == (7, data)
    assert frame_from({"n": 0, "jpeg": base64.b64encode(b"x").decode()}) == (0, b"x")


def test_anything_else_is_no_frame():
    good = base64.b64encode(b"\xff\xd8\xff").decode()
    for value in (None, "frame", [], {"jpeg": good}, {"n": "3", "jpeg": good}, {"n": True, "jpeg": good},
                  {"n": -1, "jpeg": good}, {"n": 2, "jpeg": ""}, {"n": 2, "jpeg": 5}, {"n": 2.5, "jpeg": good},
                  {"n": 2, "jpeg": "not base64 at all!"}, {"n": 2, "jpeg": "A" * (MAX_FRAME_CHARS + 4)}):
        assert frame_from(value) is None, value


def test_every_button_label_and_camera_error_has_its_words():
    """The component's labels and error codes become keys at run time: each has en + es."""
    keys = [f"photo.live.{name}" for name in LABELS] + [f"photo.live.error.{code}" for code in ERROR_CODES]
    assert all(key in TABLE for key in keys), [k for k in keys if k not in TABLE]


# --- the page -------------------------------------------------------------------------------------

def test_the_live_toggle_mounts_the_camera_and_waits_for_a_frame():
    at = run_page(PAGE, "en")
    assert component(at) is None                                    # off until asked for
    assert at.toggle(key="photo_live_on").label == "Live camera"
    at = live_page()
    data = component_data(at)
    assert data["answered"] == 0 and data["fps"] == MAX_FPS <= 4 and 64 <= data["edge"] <= 640
    assert data["labels"]["pause"] == "Pause" and data["labels"]["flip"] == "Switch camera"
    assert "Hold a garment up to the camera" in all_text(at)
    assert at.file_uploader(key="photo_upload") is not None         # uploads stay beside it
    at.toggle(key="photo_live_on").set_value(False)
    at.run()
    assert component(at) is None


def test_each_frame_gets_its_answer_and_the_browser_is_told_which():
    at = live_page()
    send(at, frame_value(1, jpeg(garment_frame(1))))
    assert component_data(at)["answered"] == 1
    found = answers(at)
    assert len(found) == 1 and "Answer: **Trouser**" in found[0], found
    assert "what the network sees (28×28)" in [c for im in at.image for c in im.captions]
    assert len(at.get("progress")) == 3                             # the top 3 follow the answer
    send(at, frame_value(2, jpeg(garment_frame(7))))                # the garment changes: so does the answer
    assert component_data(at)["answered"] == 2
    found = answers(at)
    assert len(found) == 1 and any(name in found[0] for name in SHOE_CLASSES), found
    assert at.session_state["photo_live_answer"].n == 2


def test_a_frame_that_cannot_be_used_is_said_and_a_broken_one_is_dropped():
    at = live_page()
    send(at, frame_value(3, jpeg(np.full((240, 320, 3), 200, np.uint8))))
    assert component_data(at)["answered"] == 3
    assert "cannot be classified: the image is a single flat colour" in " ".join(w.value for w in at.warning)
    assert at.button(key="photo_live_keep").disabled
    send(at, {"n": 4, "jpeg": "%%% not a picture %%%"})              # never reached the pipeline
    assert component_data(at)["answered"] == 3


def test_keep_this_one_adds_the_frame_as_a_card_with_its_steps():
    at = live_page()
    send(at, frame_value(1, jpeg(garment_frame(1))))
    at.button(key="photo_live_keep").click()
    at.run()
    assert not at.exception
    titles = [m.value for m in at.markdown if m.value.startswith("**1. ")]
    assert titles == ["**1. live camera 1**"], titles
    assert any(e.key.startswith("photo_details_") for e in at.expander)    # the card's steps and Grad-CAM
    assert at.toggle(key="photo_live_on").value                      # the camera goes on
    assert sum("Trouser" in a for a in answers(at)) == 2             # live answer + the kept card


def test_kept_frames_are_capped_and_memory_stays_flat():
    at = live_page()
    sizes = []
    for n in range(1, 3 * KEPT_CAP):
        send(at, frame_value(n, jpeg(garment_frame((1, 7, 0)[n % 3], colour=(30 + 4 * n, 50, 110)))))
        if n % 2 == 0:
            at.button(key="photo_live_keep").click()
            at.run()
        live = {k: at.session_state[k] for k in ("photo_live_answer", "photo_live_kept") if k in at.session_state}
        sizes.append(len(live["photo_live_answer"].frame) + sum(len(f) for _, f in live.get("photo_live_kept", [])))
    kept = at.session_state["photo_live_kept"]
    assert len(kept) == KEPT_CAP and kept[-1][0] == 3 * KEPT_CAP // 2 - 1   # numbered on, the oldest dropped
    assert "photo_live_frame" not in at.session_state                # no frame left waiting
    assert max(sizes[KEPT_CAP * 2:]) <= 1.5 * min(sizes[KEPT_CAP * 2:])     # one answer + the cap, not a history


def test_each_camera_error_is_explained_and_uploads_still_work():
    expected = {"denied": "not allowed to use the camera", "none": "No camera was found",
                "busy": "in use by another app", "insecure": "https://", "failed": "could not be started",
                "<script>": "could not be started"}                      # an unknown code: the general message
    at = live_page()
    for code, words in expected.items():
        send(at, error=code)
        errors = " ".join(e.value for e in at.error)
        assert words in errors and "Uploading photos still works." in errors, (code, errors)
        assert "<script>" not in errors
    send(at, error="")                                                # the camera works again
    assert not at.error
    assert "Hold a garment up to the camera" in all_text(at)


def test_one_camera_at_a_time():
    at = live_page()
    at.toggle(key="photo_camera_on").set_value(True)
    at.run()
    assert not at.toggle(key="photo_live_on").value and component(at) is None
    assert at.camera_input(key="photo_camera") is not None
    at.toggle(key="photo_live_on").set_value(True)
    at.run()
    assert not at.toggle(key="photo_camera_on").value and component(at) is not None


def test_projector_mode_shows_the_answer_large():
    at = live_page(projector=True)
    send(at, frame_value(1, jpeg(garment_frame(1))))
    assert component_data(at)["big"] is True
    assert any(t.value.startswith("Trouser · ") for t in at.title)


def test_live_camera_in_spanish():
    at = run_page(PAGE, "es")
    assert at.toggle(key="photo_live_on").label == "Cámara en vivo"
    at = live_page("es")
    data = component_data(at)
    assert data["labels"]["pause"] == "Pausar" and data["labels"]["resume"] == "Reanudar"
    send(at, frame_value(1, jpeg(garment_frame(1))))
    found = answers(at)
    assert len(found) == 1 and "Respuesta: **Pantalón**" in found[0], found
    assert at.button(key="photo_live_keep").label == "Guardar esta"
    send(at, error="denied")
    assert "Subir fotos sigue funcionando" in " ".join(e.value for e in at.error)
    shirt, _ = garment_photo("light", colour=(30, 40, 90))             # an upload beside the camera still works
    at.file_uploader(key="photo_upload").set_value([("camisa.jpg", encode(shirt, "JPEG", quality=90), "image/jpeg")])
    at.run()
    assert not at.exception
    assert any(m.value.startswith("**1. camisa.jpg") for m in at.markdown)
