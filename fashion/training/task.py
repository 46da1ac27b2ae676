"""What a training job runs, as its record keeps it: a TrainTask is a TrainConfig and, for a
fine-tune, the class's own photos (their 28x28 inputs as base64 npz, a few tens of KB,
which the job's record drops when the run ends). It round-trips to JSON:

    {"kind": "train" | "finetune", "config": {...TrainConfig...}, "photos": "<base64>"}
"""
from __future__ import annotations

import base64
from dataclasses import dataclass

from fashion.photos.own import from_bytes, to_bytes
from fashion.photos.photoset import PhotoSet
from fashion.training.config import TrainConfig


@dataclass
class TrainTask:
    config: TrainConfig
    photos: str | None = None          # a fine-tune's own photos: base64 of fashion.photos.own.to_bytes

    @property
    def kind(self) -> str:
        return "finetune" if self.config.is_finetune else "train"

    @classmethod
    def with_photos(cls, config: TrainConfig, photos: PhotoSet | None) -> "TrainTask":
        return cls(config, base64.b64encode(to_bytes(photos)).decode("ascii") if photos is not None else None)

    def own_photos(self) -> PhotoSet | None:
        """The photos carried, read back (OwnPhotosError when they are not photos)."""
        return from_bytes(base64.b64decode(self.photos)) if self.photos else None

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "config": self.config.to_dict()}
        if self.photos:
            out["photos"] = self.photos
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "TrainTask":
        """KeyError/TypeError when `d` is not a task's record."""
        photos = d.get("photos")
        return cls(TrainConfig.from_dict(d["config"]), photos if isinstance(photos, str) else None)
