"""Fine-tuning a trained model on a class's own photos, and what it gains and forgets: a
training configuration that train() runs like any other.

    photos = own.from_folder("my-photos")              # split per class: training / held out
    result = train(finetune_config("models/fashion_mnist_cnn.keras", epochs=5), own_photos=photos)
    result.finetune.before["own"]["accuracy"], result.finetune.after["own"]["accuracy"]
    result.finetune.after["fashion_mnist"]["accuracy"]  # what it kept of Fashion-MNIST

Two choices, as in every transfer-learning recipe:
- freeze_base=True: only the classifier head (the Dense layers) learns; every convolution
  and batch-norm weight stays exactly as it was. Fast, and it keeps what the network knew.
- freeze_base=False: the whole network learns, at a ten times lower learning rate, so the
  features adapt to the photos without being wiped out. Batch-norm layers stay in
  inference mode either way (small, mixed batches would corrupt their statistics).

Each step shows the network PHOTOS_PER_STEP of the user's training photos (augmented like
phone photos, fashion.training.photo_mix.augment_photos) next to REHEARSAL_PER_STEP
Fashion-MNIST training images (so it does not simply forget them); an epoch shows every
training photo PASSES_PER_EPOCH times (fashion/training/config.py). Before and after are
measured the same way (fashion/training/finetune_figures.py).

In the app a fine-tune runs as a job in a worker process: `task` is what a page submits.
"""
from __future__ import annotations

from pathlib import Path

from fashion.model.architectures import ARCHITECTURES, arch_param_problems
from fashion.model.registry import read_card
from fashion.photos.photoset import PhotoSet
from fashion.training.config import (
    FINETUNE_MAX_EPOCHS,
    PHOTOS_PER_STEP,
    REHEARSAL_PER_STEP,
    TrainConfig,
    default_learning_rate,
)
from fashion.training.task import TrainTask

MAX_EPOCHS = FINETUNE_MAX_EPOCHS    # the own-photos page's epoch slider stops here
PHOTOS_PLACEHOLDER = "DIR"          # the photos a page sent: the command line names a folder to put them in


def _base_card_config(path: str) -> dict:
    try:
        card = read_card(Path(path).with_suffix(".json"))
    except (OSError, ValueError):
        return {}
    config = card.get("config") if isinstance(card.get("config"), dict) else {}
    return {**config, "architecture": card.get("architecture")}


def base_architecture(path: str) -> str:
    """The base model's architecture as its card names it, or 'fast' where the card does
    not say one the studio knows."""
    name = _base_card_config(path).get("architecture")
    return name if name in ARCHITECTURES else "fast"


def finetune_config(base: str, epochs: int = 5, freeze_base: bool = True, learning_rate: float = 0.0,
                    seed: int = 0, photos_source: str = PHOTOS_PLACEHOLDER) -> TrainConfig:
    """The TrainConfig of a fine-tune of `base` on own photos from `photos_source`: 16 own
    photos + 32 Fashion-MNIST images a step, the choice's learning rate unless one is
    given (0: the default), the base's architecture as its card records it."""
    architecture = base_architecture(base)
    arch_params = _base_card_config(base).get("arch_params")
    if not isinstance(arch_params, dict) or arch_param_problems(architecture, arch_params):
        arch_params = {}
    return TrainConfig(architecture=architecture, arch_params=arch_params, epochs=epochs,
                       batch_size=REHEARSAL_PER_STEP, photo_ratio=PHOTOS_PER_STEP / REHEARSAL_PER_STEP,
                       learning_rate=learning_rate or default_learning_rate(bool(freeze_base)), seed=seed,
                       validation_split=0.0, init_from=str(base), own_photos=photos_source,
                       freeze_base=freeze_base)


FinetuneConfig = finetune_config    # the name pages/own_photos.py calls


def task(photos: PhotoSet, config: TrainConfig) -> dict:
    """The job task a page submits (TrainTask.to_dict): the fine-tune's config and the
    photos' 28x28 inputs."""
    return TrainTask.with_photos(config, photos).to_dict()
