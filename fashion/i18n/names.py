"""Names from Keras shown to people: a layer's kind in the user's language with Keras'
own name after it, so a student can find it in the course notebooks too.

    layer_kind("Conv2D", "es")   -> 'Convolución (Conv2D)'
"""
from __future__ import annotations

from fashion.i18n import TABLE, t


def layer_kind(kind: str, lang: str = "en") -> str:
    key = f"layer.{kind}"
    return f"{t(key, lang)} ({kind})" if key in TABLE else kind
