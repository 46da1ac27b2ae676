"""The command line, `python -m fashion ...`: one module per command, `main` parses and dispatches."""
