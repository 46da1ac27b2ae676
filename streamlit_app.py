"""Fashion-MNIST CNN Studio: the frame. Navigation, language, and the active model;
each page lives in pages/ (its shared UI helpers in pages/ui/) and calls the
`fashion` package.

Nothing here imports TensorFlow: the sidebar reads model cards and the small JSON of each
model's stored evaluation (its measured accuracy) only, so the first
page paints fast. Run with `streamlit run streamlit_app.py`.
"""
import streamlit as st

from fashion.i18n import LANGUAGES
from fashion.i18n.numbers import fmt_pct
from fashion.judging.stored import measured_accuracy, measured_real_photo_accuracy
from fashion.model import registry
from pages.ui.compat import keep_keras_between_runs
from pages.ui.models import MODEL_KEY, active_model_path, set_active_model
from pages.ui.session import job_manager, lang, remember_browser, set_language, tr
from pages.ui.sidebar import projector_sidebar, teacher_sidebar


def main() -> None:
    """The page's work, freed when the run ends (why: tests/test_architecture.py)."""
    keep_keras_between_runs()           # Streamlit's per-run keras clear_session costs the class ~0.4 s a run
    st.set_page_config(page_title="Fashion-MNIST CNN Studio", page_icon="👕", layout="wide")
    current = lang()                    # the browser's locale decides until the sidebar choice
    # --- navigation first: it also tells Streamlit that pages/ is not an old-style pages folder ---
    page = st.navigation([
        st.Page("pages/home.py", title=tr("nav.home"), icon=":material/home:", default=True),
        st.Page("pages/dataset.py", title=tr("nav.dataset"), icon=":material/grid_view:"),
        st.Page("pages/evaluate.py", title=tr("nav.evaluate"), icon=":material/analytics:"),
        st.Page("pages/train.py", title=tr("nav.train"), icon=":material/model_training:"),
        st.Page("pages/photo.py", title=tr("nav.photo"), icon=":material/photo_camera:"),
        st.Page("pages/own_photos.py", title=tr("nav.own"), icon=":material/add_a_photo:"),
        st.Page("pages/explain.py", title=tr("nav.explain"), icon=":material/visibility:"),
    ])
    # --- sidebar: language (default from the browser's locale, Spanish for es-*) -------------
    st.session_state["lang_choice"] = current
    st.sidebar.selectbox(tr("sidebar.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang_choice",
                         on_change=lambda: set_language(st.session_state["lang_choice"]))
    # --- sidebar: active model (the shipped default and every saved model, with its accuracy) ---
    listing = registry.list_models()
    labels = {}
    for m in listing.models:
        measured = measured_accuracy(m.path)          # what we measured on this exact file, never the card's claim
        acc = fmt_pct(measured, current) if measured is not None else tr("sidebar.not_measured")
        photos = measured_real_photo_accuracy(m.path)   # held-out photographers' phone photos, same store
        if photos is not None:
            acc += " · " + tr("sidebar.photo_accuracy", pct=fmt_pct(photos, current, 0))
        labels[str(m.path)] = f"{m.display_name} · {acc}" + (f" · {tr('sidebar.shipped')}" if m.shipped else "")
    if labels:
        active = active_model_path()
        st.session_state["model_choice"] = active if active in labels else next(iter(labels))
        st.session_state[MODEL_KEY] = st.session_state["model_choice"]
        st.sidebar.selectbox(tr("sidebar.model"), list(labels), format_func=labels.get, key="model_choice",
                             help=tr("sidebar.model_help"),
                             on_change=lambda: set_active_model(st.session_state["model_choice"]))
        if all(m.shipped for m in listing.models):
            st.sidebar.caption(tr("sidebar.no_user_models"))
    else:
        st.sidebar.warning(tr("model.missing"))
    if listing.problems:
        with st.sidebar.expander(tr("sidebar.problems")):
            st.caption(tr("sidebar.problems_help"))
            for p in listing.problems:
                st.text(p.message(current))
    # --- sidebar: teacher mode; this browser's identity; the training queue taken back after a restart ---
    projector_sidebar()
    teacher_sidebar()
    remember_browser()
    job_manager()
    page.run()


main()
