"""A model's whole training, told from its card: a model trained in stages (each stage
starting from the previous one's weights, `--init-from`; the shipped model has nine) is
one training of sum(epochs) epochs and sum(time), not its last stage. The card's
`lineage` lists the stages, each with its per-epoch `history` where it was recorded; the
card's `history` is the last stage's epochs. For a stage without recorded curves, only
where it ended (its test accuracy) is known, and that is what the whole curve shows."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Stage:
    number: int
    what: str
    epochs: int
    first_epoch: int            # 1-based, counted over the whole training
    last_epoch: int
    test_accuracy: float | None
    fit_seconds: float | None
    history: dict = field(default_factory=dict)   # per-epoch curves, where the card has them


@dataclass
class TrainingStory:
    epochs: int | None
    fit_seconds: float | None
    stages: list[Stage]

    @property
    def staged(self) -> bool:
        return len(self.stages) > 1


def _number(v) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _history_of(entry: dict, epochs: int) -> dict:
    """A lineage entry's own per-epoch curves (recorded since the honest-protocol stages),
    kept only when they cover its epochs."""
    h = entry.get("history")
    if not isinstance(h, dict):
        return {}
    curves = {k: v for k, v in h.items() if isinstance(v, list) and len(v) == epochs
              and all(_number(x) is not None for x in v)}
    return curves if "accuracy" in curves or "loss" in curves else {}


def story_of(card: dict) -> TrainingStory:
    """The whole training of the model a card describes (see the module docstring)."""
    history = card.get("history") if isinstance(card.get("history"), dict) else {}
    last_epochs = len(history.get("loss") or history.get("accuracy") or [])
    lineage = [s for s in (card.get("lineage") or []) if isinstance(s, dict)]
    stages, epoch = [], 0
    for i, entry in enumerate(lineage):
        n = int(_number(entry.get("epochs")) or 0)
        last = i == len(lineage) - 1
        stages.append(Stage(number=int(_number(entry.get("stage")) if _number(entry.get("stage")) is not None else i),
                            what=str(entry.get("what") or ""), epochs=n, first_epoch=epoch + 1, last_epoch=epoch + n,
                            test_accuracy=_number(entry.get("test_accuracy")), fit_seconds=_number(entry.get("fit_seconds")),
                            history=_history_of(entry, n) or (history if last and n == last_epochs else {})))
        epoch += n
    if not stages:
        n = int(_number(card.get("epochs_completed")) or last_epochs)
        accuracy = _number((card.get("test_metrics") or {}).get("accuracy"))
        stages = [Stage(0, "", n, 1, n, accuracy, _number(card.get("fit_seconds")), history)]
    epochs = _number(card.get("epochs_total")) or sum(s.epochs for s in stages) or None
    seconds = _number(card.get("fit_seconds_total"))
    if seconds is None and all(s.fit_seconds is not None for s in stages):
        seconds = sum(s.fit_seconds for s in stages)
    return TrainingStory(int(epochs) if epochs else None, seconds, stages)
