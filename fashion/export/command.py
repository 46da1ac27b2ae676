"""`python -m fashion export MODEL --notebook OUT.ipynb [--lang en|es] [--zip OUT.zip]`:
the course notebook of a saved model, and/or the model and its card as one zip. A refusal
is one keyed line on stderr and exit status 2, with no file written."""
from __future__ import annotations

import sys

from fashion.errors import StudioError
from fashion.export.model_zip import export_model_zip
from fashion.export.notebook import export_notebook


def add_parser(subparsers):
    p = subparsers.add_parser("export", help="write a saved model's course notebook (.ipynb) and/or a zip of "
                                             "the model and its card")
    p.add_argument("model", help="the saved model (.keras; its card is the .json beside it)")
    p.add_argument("--notebook", metavar="OUT.ipynb", help="write the notebook here")
    p.add_argument("--zip", metavar="OUT.zip", dest="zip_path", help="write the model and its card here")
    p.add_argument("--lang", default="en", help="the notebook's language: en or es (default en)")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    if not args.notebook and not args.zip_path:
        print("error: say what to write: --notebook OUT.ipynb and/or --zip OUT.zip", file=sys.stderr)
        return 2
    try:
        if args.notebook:
            print(f"wrote {export_notebook(args.model, args.notebook, lang=args.lang)}")
        if args.zip_path:
            print(f"wrote {export_model_zip(args.model, args.zip_path)}")
    except StudioError as e:
        print(f"error: {e.message(args.lang if args.lang in ('en', 'es') else 'en')}", file=sys.stderr)
        return 2
    return 0
