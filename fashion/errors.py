"""Errors that say what went wrong in any language: an i18n key and its parameters.

The core never hands a page an English sentence to pick apart. A `StudioError` carries
`key` and `params` (a page calls `error.message(lang)`, or `t(key, lang, **params)` on
a copy that crossed a process boundary as `error.to_dict()`); `str(error)` is the English
text, for logs and the command line.

    raise TrainingFailed("train.err.nan")
    ConfigError([("config.err.epochs", {"low": 1, "high": 500})])
"""
from __future__ import annotations

from fashion.i18n import t


class StudioError(Exception):
    """Base of the keyed errors; subclasses add the built-in exception they stand for."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(t(key, "en", **params))

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.params)

    def to_dict(self) -> dict:
        """A JSON-safe copy (key, params, English text) for a job or a JSON line."""
        return {"key": self.key, "params": {k: _plain(v) for k, v in self.params.items()}, "message": str(self)}


def _plain(v):
    return v if isinstance(v, (str, int, float, bool)) or v is None else str(v)


class ConfigError(StudioError, ValueError):
    """Settings that cannot run. `problems` is a list of (key, params), one per rule broken;
    the first one is this error's own key."""

    def __init__(self, problems: list[tuple[str, dict]]):
        self.problems = list(problems) or [("config.err.invalid", {})]
        key, params = self.problems[0]
        super().__init__(key, **params)
        if len(self.problems) > 1:  # the English text names every problem
            self.args = (" ".join(t(k, "en", **p) for k, p in self.problems),)

    def messages(self, lang: str = "en") -> list[str]:
        return [t(k, lang, **p) for k, p in self.problems]


class TrainingFailed(StudioError, RuntimeError):
    """Training could not finish; the key says why (train.err.nan, train.err.oom, ...)."""


class ModelFileError(StudioError, ValueError):
    """A .keras file that is refused or cannot be opened (model.error.*)."""


class CardError(StudioError, ValueError):
    """A model card that does not follow the schema (card.error.*)."""


class LineageError(StudioError, ValueError):
    """A card whose lineage cannot be replayed (lineage.err.*, card.error.*)."""


class DatasetError(StudioError, RuntimeError):
    """Fashion-MNIST is missing or damaged: which file (data.err.*), then how to get it."""

    def __init__(self, key: str, **params):
        super().__init__(key, **params)
        self.args = (self.message("en"),)

    def message(self, lang: str = "en") -> str:
        return f"{t(self.key, lang, **self.params)} {t('data.how_to_get', lang)}"


class ClassifierError(StudioError, ValueError):
    """The model or the input cannot be used for inference; the message says why (classifier.err.*)."""


class PhotoError(StudioError, ValueError):
    """A file that cannot be used as a photo (photo.error.*)."""
