"""A saved model to take home: its .keras file and its model card in one zip, written
atomically. The .keras file inside opens with plain `keras.models.load_model`."""
from __future__ import annotations

import zipfile
from pathlib import Path

from fashion.export.checks import check_output, unwritable
from fashion.export.notebook import card_of
from fashion.files import atomic_write
from fashion.model.safe_load import verify_keras_file


def export_model_zip(model_path, out_path) -> Path:
    """Zip `<name>.keras` and `<name>.json` (when there is a card) into out_path; returns it.
    The model file is checked first (ModelFileError when missing or damaged), the card too
    (CardError when broken)."""
    model_path = Path(model_path)
    out = check_output(out_path)
    verify_keras_file(model_path)
    card = card_of(model_path)
    members = [model_path] + ([model_path.with_suffix(".json")] if card is not None else [])

    def write(tmp):
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for member in members:
                z.write(member, arcname=member.name)

    try:
        return atomic_write(out, write, suffix=".zip")
    except OSError as e:
        raise unwritable(out, e) from None
