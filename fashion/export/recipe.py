"""The run a notebook repeats, read from the model card: its training settings (with the
trainer's defaults where an older card leaves one out) and the studio's figures for it.
Only the card's JSON is read, never the trainer, so the export follows what was saved."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

# TrainConfig's defaults (fashion/training/config.py), for cards that omit a setting
DEFAULTS = {"architecture": "", "epochs": 10, "batch_size": 32, "learning_rate": 1e-3, "lr_schedule": "constant",
            "warmup_epochs": 0.0, "optimizer": "adam", "weight_decay": 0.0, "label_smoothing": 0.0,
            "augment": False, "augmentations": [], "validation_split": 0.0, "train_subset": 0, "seed": 0,
            "tta_flip": False, "photos": "", "init_from": "", "own_photos": "", "freeze_base": False}


@dataclass
class Recipe:
    """What the notebook trains and what the studio measured for the same run."""
    name: str
    epochs: int
    batch_size: int
    learning_rate: float
    lr_schedule: str
    warmup_epochs: float
    optimizer: str
    weight_decay: float
    label_smoothing: float
    augmentations: list
    validation_split: float
    train_subset: int
    seed: int
    photos: str                       # the run also learned from phone photos ('' = no)
    started_from: str                 # init_from: the run started from another model's weights
    finetune: bool                    # a fine-tune on a class's own photos
    card_found: bool
    card: dict = field(default_factory=dict)

    @property
    def studio_accuracy(self):
        acc = (self.card.get("test_metrics") or {}).get("accuracy")
        return acc if isinstance(acc, (int, float)) else None


def _typed(config: dict, key: str):
    default = DEFAULTS[key]
    value = config.get(key, default)
    if isinstance(default, bool):
        return value if isinstance(value, bool) else default
    if isinstance(default, (int, float)) and (isinstance(value, bool) or not isinstance(value, (int, float))
                                              or not math.isfinite(value)):
        return default
    if isinstance(default, int) and not isinstance(default, bool):
        return int(value)
    if isinstance(default, str) and not isinstance(value, str):
        return default
    if isinstance(default, list):
        return [x for x in value if isinstance(x, str)] if isinstance(value, list) else default
    return value


def recipe_from_card(card: dict | None, model_name: str) -> Recipe:
    """The recipe of a card (None: no card; the seed recipe's settings are used)."""
    config = (card or {}).get("config") or {}
    c = {k: _typed(config, k) for k in DEFAULTS}
    augmentations = c["augmentations"] if c["augment"] else []
    finetune = bool(c["own_photos"]) or isinstance((card or {}).get("finetune"), dict)
    name = (card or {}).get("display_name") or (card or {}).get("name") or model_name
    return Recipe(name=str(name), epochs=max(1, c["epochs"]), batch_size=max(1, c["batch_size"]),
                  learning_rate=float(c["learning_rate"]), lr_schedule=c["lr_schedule"],
                  warmup_epochs=float(c["warmup_epochs"]), optimizer=c["optimizer"],
                  weight_decay=float(c["weight_decay"]), label_smoothing=float(c["label_smoothing"]),
                  augmentations=list(augmentations), validation_split=float(c["validation_split"]),
                  train_subset=c["train_subset"], seed=c["seed"], photos=c["photos"],
                  started_from=c["init_from"], finetune=finetune, card_found=card is not None, card=card or {})
