"""`python -m fashion finetune`: a saved model fine-tuned on a folder of class-named photo folders."""
from __future__ import annotations

import json
import sys

from fashion.cli.terminal import ProgressBar, printable
from fashion.errors import DatasetError, StudioError
from fashion.model import registry
from fashion.photos.own import from_folder
from fashion.training.config import cli_command
from fashion.training.finetune import finetune_config
from fashion.training.train import train


def cmd_finetune(a) -> int:
    """Fine-tune a saved model on a folder of class-named photo folders; print before and
    after (own held-out photos, shipped real photos, Fashion-MNIST test) as one JSON object."""
    config = finetune_config(a.base, epochs=a.epochs, freeze_base=a.freeze_base, photos_source=a.photos)
    try:
        config.validate()
        photos = from_folder(a.photos)
        progress = ProgressBar() if not a.quiet else None
        result = train(config, own_photos=photos, on_batch=progress.batch if progress else None,
                       on_epoch=progress.epoch if progress else None)
    except (StudioError, DatasetError) as e:
        print(f"\nerror: {printable(e)}", file=sys.stderr)
        return 2
    summary = {**result.summary(), "model_path": None}
    if not a.no_save:
        try:
            path = registry.save_model(result.model, result.card(cli_command(result.config)),
                                       a.name or config.default_name)
        except StudioError as e:      # the disk is full (DiskFull): what is free, what to do
            print(f"\nerror: the fine-tuned model was not saved: {printable(e)}", file=sys.stderr)
            return 1
        except OSError as e:
            print(f"\nerror: the fine-tuned model was not saved ({printable(e.strerror or e)})", file=sys.stderr)
            return 1
        summary["model_path"] = str(path)
        print(f"saved {path}", file=sys.stderr)
    if a.json:
        print(json.dumps(summary))
    else:
        before, after = result.finetune.before, result.finetune.after
        for key, label in (("own", "own held-out photos"), ("fashion_mnist", "Fashion-MNIST test")):
            print(f"{label}: {before[key]['accuracy']:.3f} -> {after[key]['accuracy']:.3f}")
        if after.get("real_photos"):
            print(f"real phone photos (held out): {before['real_photos']['micro']:.3f} -> "
                  f"{after['real_photos']['micro']:.3f}")
    return 0
