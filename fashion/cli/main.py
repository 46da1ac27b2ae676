"""The command line's parser and dispatch: `python -m fashion train | evaluate | predict | photos |
finetune | reproduce`.

    python -m fashion train --preset quick --json
    python -m fashion evaluate --json
    python -m fashion predict --json photo1.jpg photo2.png
    python -m fashion reproduce models/fashion_mnist_cnn.json --output rebuilt.keras
"""
from __future__ import annotations

import argparse
import os
import sys

from fashion.cli.evaluate import cmd_evaluate
from fashion.cli.finetune import cmd_finetune
from fashion.cli.photos import cmd_photos, cmd_predict
from fashion.cli.reproduce import cmd_reproduce
from fashion.cli.terminal import printable, quit_now
from fashion.cli.train import add_train_args, cmd_train
from fashion.errors import StudioError
from fashion.export import command as export_command

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m fashion", description="Fashion-MNIST CNN Studio command line")
    sub = ap.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a model")
    add_train_args(t)
    e = sub.add_parser("evaluate", help="test a model on the 10,000 test images")
    e.add_argument("--model", help="a .keras file (default: the shipped model)")
    e.add_argument("--json", action="store_true")
    e.add_argument("--store", action="store_true",
                   help="(re)compute the stored evaluation beside the model file (<model>.eval.npz/.json), "
                        "which the app reads instead of running the model")
    p = sub.add_parser("predict", help="classify photos")
    p.add_argument("--model", help="a .keras file (default: the shipped model)")
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.add_argument("files", nargs="+")
    ph = sub.add_parser("photos", help="process folders of labelled photo folders into 28x28 training arrays, "
                        "photographers split into train / validation / test")
    ph.add_argument("folder", nargs="+",
                    help="e.g. ../shared/photos-train: one folder per kind (t-shirt, shoes, hat, ...); several allowed")
    ph.add_argument("--output", help="the .npz to write (default: the repo's shipped models/real-photos/photos.npz)")
    f = sub.add_parser("finetune", help="fine-tune a model on your own photos (folders named after classes)")
    f.add_argument("--from", dest="base", required=True, help="the saved model (.keras) to start from")
    f.add_argument("--photos", required=True,
                   help="a folder of folders named after Fashion-MNIST classes, English or Spanish (Sneaker, Camisa...)")
    f.add_argument("--epochs", type=int, default=5)
    f.add_argument("--freeze-base", action="store_true",
                   help="train only the classifier head; the convolutional base stays as it is")
    f.add_argument("--name", help="the saved model's name (default: <base>-own)")
    f.add_argument("--no-save", action="store_true", help="measure only; do not save the fine-tuned model")
    f.add_argument("--quiet", action="store_true", help="no progress bar")
    f.add_argument("--json", action="store_true", help="one JSON object with the before/after figures")
    r = sub.add_parser("reproduce", help="rebuild a model by replaying the training stages its card records",
                       description="Replay the `lineage` of a model card: every recorded `python -m fashion train` "
                                   "stage again, each starting from the previous one (--init-from), in a work dir; "
                                   "the last stage saves to --output. Stages already done there are skipped, so "
                                   "the same command continues an interrupted replay.")
    r.add_argument("card", help="a model card with a lineage, e.g. models/fashion_mnist_cnn.json")
    r.add_argument("--output", required=True,
                   help="the .keras file the last stage saves (the shipped model is replaced only if named here)")
    r.add_argument("--workdir", help="where the stage models and checkpoints go "
                                     "(default: ~/.fashion-studio/reproduce/<card name>)")
    r.add_argument("--dry-run", action="store_true", help="print the stage commands (# done: when done) and stop")
    r.add_argument("--json", action="store_true",
                   help="one JSON object at the end (with --dry-run: a JSON list of the stages)")
    export_command.add_parser(sub)
    a = ap.parse_args(argv)
    commands = {"export": export_command.run, "train": lambda a: cmd_train(a, t), "evaluate": cmd_evaluate, "predict": cmd_predict,
                "photos": cmd_photos, "finetune": cmd_finetune, "reproduce": cmd_reproduce}
    try:
        return commands[a.command](a)
    except KeyboardInterrupt:   # Ctrl-C (a second one during training): one line, no traceback
        quit_now("\ninterrupted" + (f"; the checkpoint in {a.resume_dir} is kept: the same command continues"
                                     if getattr(a, "resume_dir", None) else ""))
    except StudioError as e:    # a keyed error no command expected (a full disk): its words, not its type
        print(f"error: {printable(e)}", file=sys.stderr)
        return 1
    except Exception as e:      # the last line of defence: say what happened in one line
        first = next((line.strip() for line in str(e).splitlines() if line.strip()), "")
        print(f"error: unexpected {type(e).__name__}{': ' + printable(first[:300]) if first else ''}", file=sys.stderr)
        return 1
