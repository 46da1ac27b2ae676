"""Resumable runs. A checkpoint folder holds the weights (and optimizer state) of the last
*complete* epoch, its number, and the history so far (the file names are those of Keras'
BackupAndRestore, so folders it wrote still resume). It is written only at the end of a
complete epoch and never deleted by training: a stopped, interrupted or failed run keeps
it, and the same command continues. The caller discards it once the finished model is
safely saved."""
from __future__ import annotations

import json
import os
import signal
import threading

from fashion.backend import keras
from fashion.errors import TrainingFailed
from fashion.files import TEMP_PREFIX, atomic_write, remove_quietly, write_json

CHECKPOINT_WEIGHTS = "latest.weights.h5"
CHECKPOINT_META = "training_metadata.json"
CHECKPOINT_TMP = ".tmp-" + CHECKPOINT_WEIGHTS
CHECKPOINT_FILES = (CHECKPOINT_WEIGHTS, CHECKPOINT_META, "history.json", CHECKPOINT_TMP, CHECKPOINT_META + ".tmp",
                    "history.json.tmp", CHECKPOINT_WEIGHTS + ".bkp", CHECKPOINT_META + ".bkp")


def load_history(backup_dir) -> dict:
    """History of the epochs an interrupted run already finished (for resuming)."""
    if not backup_dir:
        return {}
    path = os.path.join(backup_dir, "history.json")
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def save_history(backup_dir, history: dict) -> None:
    write_json(os.path.join(backup_dir, "history.json"), history)


class _sigint_deferred:
    """Hold back Ctrl-C while a checkpoint is written: a SIGINT that arrives meanwhile is
    passed to the previous handler when the block ends. Only the main thread receives
    Python signals; elsewhere this does nothing."""

    def __enter__(self):
        self.old, self.caught = None, []
        if threading.current_thread() is threading.main_thread():
            self.old = signal.signal(signal.SIGINT, lambda signum, frame: self.caught.append(signum))

    def __exit__(self, *exc):
        if self.old is None:
            return False
        signal.signal(signal.SIGINT, self.old)
        for _ in self.caught:      # each Ctrl-C counts (a second one may mean "quit now")
            if callable(self.old):
                self.old(signal.SIGINT, None)
            elif self.old == signal.SIG_DFL:
                raise KeyboardInterrupt
        return False


def checkpoint_epoch(backup_dir) -> int:
    """Complete epochs saved in backup_dir (0 when there is no usable checkpoint)."""
    if not backup_dir:
        return 0
    try:
        with open(os.path.join(backup_dir, CHECKPOINT_META)) as f:
            epoch = json.load(f).get("epoch", 0)
    except (OSError, ValueError, AttributeError):
        return 0
    ok = isinstance(epoch, int) and epoch > 0 and os.path.isfile(os.path.join(backup_dir, CHECKPOINT_WEIGHTS))
    return epoch if ok else 0


def restore_checkpoint(model, backup_dir) -> int:
    """Load the checkpoint into a compiled model; the number of epochs it holds."""
    epoch = checkpoint_epoch(backup_dir)
    if epoch:
        model.optimizer.build(model.trainable_variables)   # so its state is restored too
        try:
            model.load_weights(os.path.join(backup_dir, CHECKPOINT_WEIGHTS))
        except Exception as e:  # another network's checkpoint, a damaged file
            raise TrainingFailed("train.err.checkpoint", folder=str(backup_dir)) from e
    return epoch


def checkpoint_callback(backup_dir, batches, state):

    class EpochCheckpoint(keras.callbacks.Callback):
        """Saves weights + epoch number at the end of every complete epoch (never a partial
        one: a stop mid-epoch must not pass for a finished epoch), temp file then rename."""

        def on_epoch_end(self, epoch, logs=None):
            if state.get("batch", 0) < batches or state.get("nan"):
                return
            with _sigint_deferred():   # a Ctrl-C now lands after the checkpoint is whole
                atomic_write(os.path.join(backup_dir, CHECKPOINT_WEIGHTS),
                             lambda tmp: self.model.save_weights(tmp, overwrite=True), suffix=".weights.h5")
                write_json(os.path.join(backup_dir, CHECKPOINT_META), {"epoch": epoch + 1, "batch": 0})

    return EpochCheckpoint()


def discard_checkpoint(backup_dir) -> None:
    """Remove the checkpoint files of a finished, saved run (only the files training
    writes: a folder the user named is never removed with other things in it)."""
    if not backup_dir or not os.path.isdir(backup_dir):
        return
    for name in os.listdir(backup_dir):
        if name in CHECKPOINT_FILES or name.startswith(TEMP_PREFIX):
            remove_quietly(os.path.join(backup_dir, name))
    try:
        os.rmdir(backup_dir)
    except OSError:
        pass  # not empty: something else lives there
