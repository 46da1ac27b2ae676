"""The model card schema, checked at the boundary: a card on disk is read only through
`load_card`, which bounds its size and nesting before parsing and checks every known
field's type, so the pages can trust what they get.

A card is a JSON object with at least `test_metrics`; every field the app reads has a
type below. Unknown fields are kept (newer versions may add some) but are still bounded
in size and depth. Anything else raises `CardError` naming the file.

    card = load_card(Path("models/fashion_mnist_cnn.json"))
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np

from fashion.errors import CardError

MAX_CARD_BYTES = 1024 * 1024      # a real card is a few KB (history of 500 epochs: ~60 KB)
MAX_DEPTH = 16                    # a real card nests 4 levels (config -> arch_params -> widths)
MAX_TEXT = 20_000                 # characters in any one string
MAX_ITEMS = 10_000                # entries in any one list or object

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def nesting_depth(data: bytes) -> int:
    """How deeply the JSON text nests objects and arrays, counted on the raw bytes (no
    parsing, no recursion: strings are blanked out, then brackets summed)."""
    text = _STRING.sub(b'""', data)
    a = np.frombuffer(text, np.uint8)
    steps = (np.isin(a, (ord("["), ord("{"))).astype(np.int32)
             - np.isin(a, (ord("]"), ord("}"))).astype(np.int32))
    return int(np.cumsum(steps).max(initial=0))


def parse_bounded(data: bytes, file: str, max_depth: int = MAX_DEPTH):
    """JSON bytes -> Python value, refusing text nested deeper than max_depth."""
    if nesting_depth(data) > max_depth:
        raise CardError("card.error.too_deep", file=file, limit=max_depth)
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise CardError("card.error.not_json", file=file) from None


def read_bounded(path: Path, limit: int) -> bytes | None:
    """At most limit bytes of the file; None when it is longer."""
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    return None if len(data) > limit else data


# --- the schema ---------------------------------------------------------------------------

def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return (isinstance(v, (int, float)) and not isinstance(v, bool))


def _text(v) -> bool:
    return isinstance(v, str) and len(v) <= MAX_TEXT


def _opt_text(v) -> bool:
    return v is None or _text(v)


def _numbers(v) -> bool:
    return isinstance(v, list) and all(x is None or _is_number(x) for x in v)


def _metrics(v) -> bool:
    """{name: number or None}; an accuracy, where given, is a share in [0, 1]."""
    if not (isinstance(v, dict) and all(isinstance(k, str) and (x is None or _is_number(x)) for k, x in v.items())):
        return False
    acc = v.get("accuracy")
    return acc is None or (math.isfinite(acc) and 0.0 <= acc <= 1.0)


def _history(v) -> bool:
    return isinstance(v, dict) and all(isinstance(k, str) and _numbers(x) for k, x in v.items())


def _per_class(v) -> bool:
    if not isinstance(v, list) or len(v) > 1000:
        return False
    for row in v:
        if not isinstance(row, dict):
            return False
        for k, x in row.items():
            if k in ("precision", "recall", "f1") and not (x is None or _is_number(x)):
                return False
            if k in ("support", "index") and not _is_int(x):
                return False
            if k == "name" and not _text(x):
                return False
    return True


CONFIG_FIELDS = {   # TrainConfig fields the pages read back from a card
    "architecture": (_text, "text"), "epochs": (_is_int, "int"), "batch_size": (_is_int, "int"),
    "learning_rate": (_is_number, "number"), "lr_schedule": (_text, "text"), "warmup_epochs": (_is_number, "number"),
    "optimizer": (_text, "text"), "weight_decay": (_is_number, "number"), "label_smoothing": (_is_number, "number"),
    "augment": (lambda v: isinstance(v, bool), "bool"), "augmentations": (lambda v: isinstance(v, list) and all(_text(x) for x in v), "list"),
    "validation_split": (_is_number, "number"), "train_subset": (_is_int, "int"), "seed": (_is_int, "int"),
    "tta_flip": (lambda v: isinstance(v, bool), "bool"), "arch_params": (lambda v: isinstance(v, dict), "object"),
}


def _config(v) -> bool:
    return isinstance(v, dict) and all(check(v[k]) for k, (check, _) in CONFIG_FIELDS.items() if k in v)


FIELDS = {  # field -> (check, what it must be, in words)
    "test_metrics": (_metrics, "an object of numbers with an accuracy between 0 and 1"),
    "architecture": (_text, "a text"),
    "config": (_config, "an object of training settings"),
    "history": (_history, "an object of lists of numbers"),
    "per_class": (_per_class, "a list of per-class rows"),
    "epochs_completed": (_is_int, "a whole number"),
    "stopped_early": (lambda v: isinstance(v, bool), "true or false"),
    "fit_seconds": (_is_number, "a number"),
    "params": (_is_int, "a whole number"),
    "date": (_text, "a text"),
    "data_source": (_text, "a text"),
    "command": (_text, "a text"),
    "machine": (_text, "a text"),
    "name": (_text, "a text"),
    "display_name": (_text, "a text"),
    "file": (_text, "a text"),
    "run_name": (_opt_text, "a text"),
    "preset": (_opt_text, "a text"),
    "photos": (lambda v: isinstance(v, dict), "an object"),
    "real_photo_metrics": (lambda v: isinstance(v, dict) and all(x is None or _is_number(x) for x in v.values()),
                           "an object of numbers"),
}


def _bounded(v) -> bool:
    """Every string and container anywhere in v within the size limits (iterative)."""
    stack = [v]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            if len(x) > MAX_TEXT:
                return False
        elif isinstance(x, (list, dict)):
            if len(x) > MAX_ITEMS:
                return False
            stack.extend(x.values() if isinstance(x, dict) else x)
    return True


def validate_card(card, file: str) -> dict:
    """The card itself when it follows the schema; CardError naming the first bad field."""
    if not isinstance(card, dict) or "test_metrics" not in card:
        raise CardError("card.error.not_card", file=file)
    for name, (check, _) in FIELDS.items():
        if name in card and not check(card[name]):
            raise CardError("card.error.field", file=file, field=name)
    if not _bounded(card):
        raise CardError("card.error.too_big", file=file, kb=MAX_CARD_BYTES // 1024, limit=MAX_CARD_BYTES // 1024)
    return card


def load_card(path: Path) -> dict:
    """Read and check a model card; CardError (a ValueError) when it is unusable, OSError
    when it cannot be read at all."""
    path = Path(path)
    data = read_bounded(path, MAX_CARD_BYTES)
    if data is None:
        raise CardError("card.error.too_big", file=path.name, kb=path.stat().st_size // 1024,
                        limit=MAX_CARD_BYTES // 1024)
    return validate_card(parse_bounded(data, path.name), path.name)
