"""No jargon in what a newcomer reads (issue 24): the course's notebooks are "course
notebook 000" in English as in Spanish, never "seed 000" (the word "seed" only in "random
seed", the training setting); the data source is said in plain words."""
from __future__ import annotations

import re

from fashion.i18n import TABLE, t


def test_no_seed_jargon_in_english():
    bad = {key: en for key, (en, _es) in TABLE.items()
           for m in re.finditer(r"seed", en, re.I) if not re.search(r"random $", en[:m.start()], re.I)}
    assert bad == {}


def test_the_data_source_is_said_in_plain_words():
    assert "installed on this computer" in t("data.from.debian", "en", folder="/usr/share/datasets/fashion-mnist")
    assert "instalados en este ordenador" in t("data.from.debian", "es", folder="/x")


def test_the_grad_cam_question_names_the_class_chosen_in_its_selector():
    from fashion.data import class_names
    for lang in ("en", "es"):
        assert not any(name in t("explain.cam_help", lang, layer="conv") for name in class_names(lang))
        assert class_names(lang)[7] in t("explain.cam_other_caption", lang, name=class_names(lang)[7], prob="3 %")
