"""Home: what the app does, three ways in, and the active model's headline numbers.
No TensorFlow import here: it only reads the model card."""
import streamlit as st

from pages.common import tr, active_card, active_model_path

st.title(tr("app.title"))
st.write(tr("home.tagline"))

st.subheader(tr("home.paths"))
c1, c2, c3 = st.columns(3)
with c1:
    st.markdown(f"#### {tr('home.teacher')}")
    st.write(tr("home.teacher_text"))
    st.page_link("pages/dataset.py", label=tr("nav.dataset"), icon=":material/grid_view:")
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
card = active_card()
if not active_model_path():
    st.warning(tr("model.missing"))
else:
    m1, m2, m3, m4 = st.columns(4)
    metrics = card.get("test_metrics", {})
    acc = metrics.get("accuracy")
    m1.metric(tr("metric.test_accuracy"), f"{100 * acc:.2f} %" if acc is not None else tr("common.unknown"))
    loss = metrics.get("loss")
    m2.metric(tr("metric.test_loss"), f"{loss:.3f}" if loss is not None else tr("common.unknown"))
    m3.metric(tr("metric.params"), f"{card['params']:,}" if "params" in card else tr("common.unknown"))
    m4.metric(tr("metric.epochs"), card.get("epochs_completed", tr("common.unknown")))
    if card.get("architecture"):
        st.caption(f"{tr('common.architecture')}: `{card['architecture']}`")
