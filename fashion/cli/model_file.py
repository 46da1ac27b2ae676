"""The model file a command names (--model), loaded once for the whole command."""
from __future__ import annotations

import sys

from fashion.cli.terminal import printable
from fashion.model.classifier import Classifier
from fashion.paths import DEFAULT_MODEL


def load_classifier(path) -> Classifier | None:
    """The Classifier of the model file a command names (default: the shipped model), built
    once for the whole command; None after one line on stderr saying why it cannot be loaded."""
    try:
        return Classifier.load(path or DEFAULT_MODEL)
    except (OSError, ValueError) as e:
        print(f"error: cannot load model {printable(path or DEFAULT_MODEL)}: {printable(e)}", file=sys.stderr)
        return None
