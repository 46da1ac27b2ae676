"""The network's scores beside an answer, without a second percentage: the answer's one number
is its calibrated confidence (how often such answers are right); the bars show how strongly the
network leans to each class, and say so."""
from __future__ import annotations

import streamlit as st

from pages.ui.session import tr


def top_scores(pred, class_names: list[str], k: int = 3) -> None:
    """Bars for the network's top-k classes, named, with no number of their own."""
    st.caption(tr("photo.scores_caption", k=k))
    for label, score in pred.top(k):
        st.progress(float(score), text=class_names[label])
