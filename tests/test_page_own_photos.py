"""The "Your own photos" page in AppTest, in English and Spanish: the privacy note, photos per
class as their 28x28 inputs with counts, removing one, the two fine-tune choices, and the
refusal of a class with too few photos (naming how many are needed)."""
from __future__ import annotations

import pytest
from conftest import all_text, run_page

from fashion.photos import own as op
from fashion.photos.photoset import shipped

PAGE = "pages/own_photos.py"


def session_photos(counts: dict[int, int]) -> list[dict]:
    images = shipped().part(False).images
    out, i = [], 0
    for label, n in counts.items():
        for k in range(n):
            image = images[i]
            out.append({"id": f"p{i}", "label": label, "name": f"webcam {k + 1}", "image": image, "found": True,
                        "key": op.image_key(image)})
            i += 1
    return out


@pytest.mark.parametrize("lang, words", [
    ("en", ("Your own photos", "Privacy", "Choose the classes")),
    ("es", ("Tus propias fotos", "Privacidad", "Elige arriba las clases")),
])
def test_page_opens_with_its_privacy_note(lang, words):
    at = run_page(PAGE, lang)
    assert not at.exception
    text = all_text(at)
    for w in words:
        assert w in text, w


@pytest.mark.parametrize("lang, few, refusal, head", [
    ("en", "2 more needed", "at least 6", "Only the classifier head"),
    ("es", "Faltan 2", "al menos 6", "Solo la cabeza clasificadora"),
])
def test_counts_remove_choices_and_refusal_below_the_minimum(lang, few, refusal, head):
    photos = session_photos({7: 6, 6: 5})
    at = run_page(PAGE, lang, session={"own_photos": photos, "own_classes": [7, 6]})
    assert not at.exception
    text = all_text(at)
    names = {"en": ("Sneaker: 6", "Shirt: 5"), "es": ("Zapatilla: 6", "Camisa: 5")}[lang]
    assert all(n in text for n in names), text
    assert "1 more needed" in text if lang == "en" else "Faltan 1" in text
    assert len(at.get("image")) == 11                      # each photo as the 28x28 input it becomes
    radio = at.radio(key="own_choice")
    assert radio.options[0] == head and len(radio.options) == 2

    at.button(key="own_rm_p0").click().run()               # remove one Sneaker photo
    assert not at.exception
    text = all_text(at)
    assert names[0].replace("6", "5") in text and len(at.session_state["own_photos"]) == 10

    at.button(key="own_start").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert refusal in errors, errors
    assert few.replace("2", "1") in all_text(at)
    assert "own_job_id" not in at.session_state             # nothing was started
