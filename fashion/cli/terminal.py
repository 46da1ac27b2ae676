"""What every command prints with: names made printable, a progress bar, leaving at once on Ctrl-C."""
from __future__ import annotations

import os
import sys
import time


def printable(text) -> str:
    """text with control characters (a newline in a file name, an escape sequence) written
    as escapes, so one name stays on one line of plain-text output."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in str(text))


class ProgressBar:
    """A one-line terminal progress bar with ETA, on stderr."""

    def __init__(self, stream=sys.stderr):
        self.stream, self.last = stream, 0.0

    def batch(self, p) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and p.batch != p.batches:
            return
        self.last = now
        width = 30
        filled = int(width * p.fraction)
        eta = p.eta
        eta_s = f"{int(eta // 60)}:{int(eta % 60):02d}" if eta == eta else "?"
        self.stream.write(f"\repoch {p.epoch + 1}/{p.epochs} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{100 * p.fraction:5.1f}%  loss {p.loss:.4f}  acc {p.accuracy:.4f}  ETA {eta_s}   ")
        self.stream.flush()

    def epoch(self, epoch, metrics) -> None:
        parts = "  ".join(f"{k} {v:.4f}" for k, v in metrics.items())
        self.stream.write(f"\repoch {epoch + 1} done: {parts}{' ' * 20}\n")
        self.stream.flush()


def quit_now(message: str) -> None:
    """Print one line and leave at once with 130 (128 + SIGINT), without waiting on the
    threads TensorFlow may still be running."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()
    sys.stdout.flush()
    os._exit(130)
