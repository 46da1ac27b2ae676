"""Fashion-MNIST CNN Studio: the frame. Navigation, language, and the active model;
each page lives in pages/ and calls the `fashion` package."""
import streamlit as st

from fashion import registry
from fashion.i18n import LANGUAGES
from pages.common import LANG_KEY, MODEL_KEY, active_model_path, lang, tr

st.set_page_config(page_title="Fashion-MNIST CNN Studio", page_icon=":material/checkroom:", layout="wide")

# --- sidebar: language ----------------------------------------------------------
current = lang()
choice = st.sidebar.selectbox(tr("sidebar.language"), list(LANGUAGES), index=list(LANGUAGES).index(current),
                              format_func=LANGUAGES.get, key="lang_choice")
if choice != current:
    st.session_state[LANG_KEY] = choice
    st.rerun()

# --- sidebar: active model ------------------------------------------------------
listing = registry.list_models()
paths = [str(m.path) for m in listing.models]
labels = {}
for m in listing.models:
    acc = f"{100 * m.accuracy:.2f} %" if m.accuracy is not None else tr("sidebar.no_accuracy")
    labels[str(m.path)] = f"{m.name} · {acc}" + (f" · {tr('sidebar.shipped')}" if m.shipped else "")
if paths:
    active = active_model_path()
    index = paths.index(active) if active in paths else 0
    picked = st.sidebar.selectbox(tr("sidebar.model"), paths, index=index, format_func=labels.get,
                                  help=tr("sidebar.model_help"))
    st.session_state[MODEL_KEY] = picked
else:
    st.sidebar.warning(tr("model.missing"))
if listing.problems:
    with st.sidebar.expander(tr("sidebar.problems")):
        for p in listing.problems:
            st.text(p)

# --- navigation -------------------------------------------------------------------
pages = [
    st.Page("pages/home.py", title=tr("nav.home"), icon=":material/home:", default=True),
    st.Page("pages/dataset.py", title=tr("nav.dataset"), icon=":material/grid_view:"),
    st.Page("pages/evaluate.py", title=tr("nav.evaluate"), icon=":material/analytics:"),
    st.Page("pages/train.py", title=tr("nav.train"), icon=":material/model_training:"),
    st.Page("pages/photo.py", title=tr("nav.photo"), icon=":material/photo_camera:"),
    st.Page("pages/explain.py", title=tr("nav.explain"), icon=":material/visibility:"),
]
st.navigation(pages).run()
