"""The one lazy boundary: TensorFlow and Keras, imported on first use.

Every module of the core writes `from fashion.backend import keras, tf` at its top and
uses `keras.layers.Conv2D`, `tf.function` ... as usual; the real import happens the first
time an attribute is read. So the home page, the sidebar, the model list and the job
queue (which import the core but never run a network) start without TensorFlow's import
(seconds, ~500 MB), and no other module needs an import inside a function to stay light.

TensorFlow's start-up chatter (oneDNN notes, CPU-feature and absl lines) is turned off
here before the first import, unless FASHION_VERBOSE_TF=1."""
from __future__ import annotations

import importlib
import os
import tempfile
import types


def _quiet() -> None:
    # Keras imports matplotlib when it is installed; its font cache then goes to the temp
    # folder, never into the user's home (the CLI writes nothing but what it is asked to).
    os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "fashion-studio-matplotlib"))
    if os.environ.get("FASHION_VERBOSE_TF") == "1":
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class LazyModule(types.ModuleType):
    """A module that imports the real one when an attribute is first read."""

    def __init__(self, name: str):
        super().__init__(name)
        self.__dict__["_real"] = None

    def _load(self):
        real = self.__dict__["_real"]
        if real is None:
            _quiet()
            real = importlib.import_module(self.__name__)
            self.__dict__["_real"] = real
        return real

    def __getattr__(self, attr):
        return getattr(self._load(), attr)

    @property
    def loaded(self) -> bool:
        return self.__dict__["_real"] is not None


keras = LazyModule("keras")
tf = LazyModule("tensorflow")
