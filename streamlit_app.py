"""Fashion-MNIST CNN Studio: the frame. Navigation, language, and the active model;
each page lives in pages/ (its shared UI helpers in pages/ui/) and calls the
`fashion` package.

Nothing here imports TensorFlow: the sidebar reads model cards and the small JSON of each
model's stored evaluation (its measured accuracy) only, so the first
page paints fast. Run with `streamlit run streamlit_app.py`.
"""
import streamlit as st

from fashion.i18n import LANGUAGES
from pages.ui.compat import keep_keras_between_runs, speak_widget_texts, style_page
from pages.ui.session import job_manager, lang, remember_browser, set_language, tr
from pages.ui.sidebar import model_sidebar, projector_sidebar, teacher_sidebar


def main() -> None:
    """The page's work, freed when the run ends (why: tests/test_architecture.py)."""
    keep_keras_between_runs()           # Streamlit's per-run keras clear_session costs the class ~0.4 s a run
    st.set_page_config(page_title="Fashion-MNIST CNN Studio", page_icon="👕", layout="wide")
    current = lang()                    # the browser's locale decides until the sidebar choice
    style_page()                        # a compact title on phones, rows of images with gaps
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
    # --- sidebar: the active model (both its accuracies in full; a chosen file that cannot be used) ---
    model_sidebar()
    # --- sidebar: teacher mode; this browser's identity; the training queue taken back after a restart ---
    projector_sidebar()
    teacher_sidebar()
    remember_browser()
    speak_widget_texts(current)         # Streamlit's own uploader and camera texts, in Spanish too
    job_manager()
    page.run()


main()
