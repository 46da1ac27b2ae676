"""See the augmentation (issue 20, course notebook 003): one training image, as it is and
under each augmentation chosen on the Train page, with the trainer's own random transforms
(fashion.training.augmentation). Computed only while its expander is open, so the Train
page's first paint never waits for TensorFlow."""
from __future__ import annotations

import numpy as np
import streamlit as st

from fashion.training.augmentation import augment_batch
from pages.ui.display import to_display
from pages.ui.models import dataset
from pages.ui.session import names, tr

SEED_KEY = "tr_aug_preview_seed"


def _another() -> None:
    st.session_state[SEED_KEY] = int(np.random.default_rng().integers(2**31))


def augmented_views(image: np.ndarray, augmentations: list[str], seed: int) -> list[np.ndarray]:
    """The (28, 28) uint8 image under each augmentation alone (4 random draws each)."""
    x = np.repeat(image[None, ..., None].astype(np.float32) / 255.0, 4, axis=0)
    views = []
    for k, name in enumerate(augmentations):
        out = np.asarray(augment_batch(x, (name,), seed + k))
        views += [(np.clip(v[..., 0], 0, 1) * 255).round().astype(np.uint8) for v in out]
    return views


def render_augmentation_preview(augmentations: list[str]) -> None:
    box = st.expander(tr("train.aug_preview"), icon=":material/auto_awesome:", on_change="rerun",
                      key="tr_aug_preview")
    if not box.open or not augmentations:
        return
    with box:
        data = dataset()
        if data is None:
            return
        seed = int(st.session_state.setdefault(SEED_KEY, 0))
        index = int(np.random.default_rng(seed).integers(len(data.x_train)))
        image = data.x_train[index]
        st.caption(tr("train.aug_preview_help", name=names()[int(data.y_train[index])]))
        views = augmented_views(image, augmentations, seed)
        for k, name in enumerate(augmentations):
            row = [to_display(image)] + [to_display(v) for v in views[4 * k:4 * k + 4]]
            st.image(row, width=84,
                     caption=[tr("train.aug_original")] + [tr(f"train.aug.{name}")] * 4)
        st.button(tr("train.aug_another"), on_click=_another, icon=":material/shuffle:", key="tr_aug_another")
