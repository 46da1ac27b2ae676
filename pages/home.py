"""Home: what the app does, three ways in, and the active model's headline numbers.
No TensorFlow import here: it only reads the model card."""
from pathlib import Path

import streamlit as st

from fashion.i18n import TABLE
from fashion.i18n.numbers import fmt_int, fmt_num, fmt_pct
from fashion.judging.story import story_of
from pages.ui.compat import run_through_frame
from pages.ui.models import active_card, active_model_path
from pages.ui.session import lang, tr
from pages.ui.story_chart import epochs_text
from pages.ui.text import as_text

run_through_frame()


def arch_name(arch: str) -> str:
    """The architecture's name in the user's language (the Train page's names)."""
    key = f"train.arch.{arch}"
    return tr(key) if key in TABLE else arch


def main() -> None:
    """The page's work, freed when the run ends (why: tests/test_architecture.py)."""
    st.title(tr("app.title"))
    st.write(tr("home.tagline"))
    st.subheader(tr("home.paths"))
    c1, c2, c3 = st.columns(3)
    with c1:
        st.markdown(f"#### {tr('home.teacher')}")
        st.write(tr("home.teacher_text"))
        st.page_link("pages/dataset.py", label=tr("nav.dataset"), icon=":material/grid_view:")
        st.page_link("pages/train.py", label=tr("home.teacher_train"), icon=":material/model_training:")
        st.page_link("pages/evaluate.py", label=tr("nav.evaluate"), icon=":material/analytics:")
    with c2:
        st.markdown(f"#### {tr('home.photo')}")
        st.write(tr("home.photo_text"))
        st.page_link("pages/photo.py", label=tr("nav.photo"), icon=":material/photo_camera:")
    with c3:
        st.markdown(f"#### {tr('home.train')}")
        st.write(tr("home.train_text"))
        st.page_link("pages/train.py", label=tr("nav.train"), icon=":material/model_training:")
    st.subheader(tr("home.active"))
    path = active_model_path()
    if not path:
        st.warning(tr("model.missing"))
    else:
        card = active_card()
        metrics = card.get("test_metrics") or {}
        unknown = tr("common.unknown")
        m1, m2, m3, m4 = st.columns(4)
        acc, loss = metrics.get("accuracy"), metrics.get("loss")
        m1.metric(tr("metric.test_accuracy"), fmt_pct(acc, lang()) if acc is not None else unknown)
        m2.metric(tr("metric.test_loss"), fmt_num(loss, lang()) if loss is not None else unknown)
        m3.metric(tr("metric.params"), fmt_int(card["params"], lang()) if "params" in card else unknown)
        story = story_of(card)                   # a model trained in stages: all its epochs, not the last stage's
        m4.metric(tr("metric.epochs"), epochs_text(story) if story.staged else card.get("epochs_completed", unknown))
        st.caption(tr("home.model_date", date=str(card.get("date", unknown))[:10], name=as_text(Path(path).stem))
                   + (f" · {tr('common.architecture')}: {arch_name(card['architecture'])}" if card.get("architecture") else ""))
        st.caption(tr("home.bar"))


main()
