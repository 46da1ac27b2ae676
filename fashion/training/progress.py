"""Progress of a training run as it happens: BatchProgress after every batch, and the one
Keras callback that reports batches, epochs and silent phases, honours the stop flag and
keeps the weights of the last complete epoch."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

from fashion.backend import keras
from fashion.training.checkpoints import save_history


@dataclass
class BatchProgress:
    """Reported after every training batch."""
    epoch: int            # 0-based
    epochs: int
    batch: int            # 1-based within the epoch
    batches: int          # batches per epoch
    loss: float
    accuracy: float
    elapsed: float        # seconds since fit started

    @property
    def fraction(self) -> float:
        return (self.epoch * self.batches + self.batch) / (self.epochs * self.batches)

    @property
    def eta(self) -> float:
        f = self.fraction
        return self.elapsed * (1 - f) / f if f > 0 else float("nan")


def progress_callback(epochs: int, batches: int, on_batch, on_epoch, should_stop, state: dict, on_phase=None,
                      val_batches: int = 0):
    """The callback of every fit: `state` (shared with train()) gets the history, the
    weights and number of the last complete epoch, and whether it stopped or went NaN."""

    class Progress(keras.callbacks.Callback):
        """Forwards batch/epoch progress, honours the stop flag, and snapshots the
        weights of every complete epoch so a stop mid-epoch can roll back to it."""

        def on_train_begin(self, logs=None):
            state["t0"] = time.perf_counter()
            state["weights"] = None

        def on_epoch_begin(self, epoch, logs=None):
            state["epoch"], state["batch"] = epoch, 0
            if state["weights"] is None and state["completed"]:
                state["weights"] = self.model.get_weights()   # resumed: the restored epoch is the fallback

        def on_train_batch_end(self, batch, logs=None):
            # With steps_per_execution, Keras calls this once per call into the graph with
            # that call's last batch (which may overshoot the epoch's end): report each batch
            # of the call, in order, and honour the stop flag between them. A stop mid-epoch
            # rolls back to the last complete epoch, so batches the call ran past it change nothing.
            logs = logs or {}
            last = min(batch, batches - 1)
            loss = logs.get("loss")
            if loss is not None and not math.isfinite(float(loss)):
                state["nan"] = True
                self.model.stop_training = True
            for b in range(min(state.get("batch", 0), last), last + 1):
                state["batch"] = b + 1
                if on_batch:
                    on_batch(BatchProgress(state["epoch"], epochs, b + 1, batches,
                                           float(logs.get("loss", float("nan"))),
                                           float(logs.get("accuracy", float("nan"))),
                                           time.perf_counter() - state["t0"]))
                if should_stop and should_stop():
                    state["stopped"] = True
                    self.model.stop_training = True
                    break

        def on_test_begin(self, logs=None):   # fit's end-of-epoch validation pass
            if on_phase and state.get("batch", 0) >= batches:
                on_phase("validating", 0.0)

        def on_test_batch_end(self, batch, logs=None):
            if on_phase and val_batches and state.get("batch", 0) >= batches:
                on_phase("validating", min(1.0, (batch + 1) / val_batches))

        def on_epoch_end(self, epoch, logs=None):
            if state["batch"] < batches or state.get("nan"):
                return  # a partial epoch is not recorded
            logs = {k: float(v) for k, v in (logs or {}).items()}
            for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
                state["history"].setdefault(key, []).append(logs.get(key, float("nan")))
            state["weights"] = self.model.get_weights()
            state["completed"] = epoch + 1
            if state.get("backup_dir"):
                save_history(state["backup_dir"], state["history"])
            if on_epoch:
                on_epoch(epoch, {k: v[-1] for k, v in state["history"].items()})

    return Progress()
