"""What every page shares: the language, the active model, cached loading of the
dataset, models and test-set predictions, friendly error boxes, and image galleries.

Heavy imports (TensorFlow) happen inside the cached loaders, never at import time,
so the home page paints fast.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

import numpy as np
import streamlit as st

from fashion import data, preferences
from fashion.data import DatasetError, class_names
from fashion.i18n import language_from_locale, t
from fashion.judging.measure import ensure
from fashion.model import registry
from fashion.model.classifier import Classifier
from fashion.runs import jobs
from pages.compat import leave_pages_folder_mode

LANG_KEY = "lang"
MODEL_KEY = "model_path"
FRAME = Path(__file__).resolve().parent.parent / "streamlit_app.py"


def _leave_pages_folder_mode() -> None:
    """Run the page through the frame when Streamlit ran it alone (see pages/compat.py)."""
    leave_pages_folder_mode(FRAME)


def lang() -> str:
    """'es' or 'en': the sidebar choice, first taken from the browser's locale."""
    _leave_pages_folder_mode()
    return session_language()


def session_language() -> str:
    """lang() for the frame itself: the frame runs before its st.navigation has switched
    the pages-folder mode off, so it must not start the frame again (see above)."""
    if LANG_KEY not in st.session_state:
        try:
            st.session_state[LANG_KEY] = language_from_locale(st.context.locale)
        except Exception:
            st.session_state[LANG_KEY] = "en"
    return st.session_state[LANG_KEY]


def tr(key: str, **fmt) -> str:
    """Translate into the session's language."""
    return t(key, lang(), **fmt)


PROJECTOR_KEY = "projector"


def projector() -> bool:
    """Projector mode (the sidebar toggle): larger chart text, one-screen layouts, tabs
    instead of long scrolls, durations in minutes."""
    return bool(st.session_state.get(PROJECTOR_KEY, False))


def projector_sidebar() -> None:
    """The projector-mode toggle, remembered for this browser like the model."""
    ss = st.session_state
    if PROJECTOR_KEY not in ss:
        try:
            ss[PROJECTOR_KEY] = bool(browser_prefs().get("projector", False))
        except Exception:  # no stored preferences yet (or unreadable): off
            ss[PROJECTOR_KEY] = False
    ss["projector_choice"] = ss[PROJECTOR_KEY]

    def changed() -> None:
        ss[PROJECTOR_KEY] = bool(ss["projector_choice"])
        try:
            set_browser_prefs(projector=ss[PROJECTOR_KEY])
        except Exception:  # kept for this session at least
            pass

    st.sidebar.toggle(tr("sidebar.projector"), key="projector_choice", help=tr("sidebar.projector_help"),
                      on_change=changed)


def names() -> list[str]:
    """Class names in the session's language."""
    return class_names(lang())


# --- cached resources (one copy per server process) ------------------------------------

@st.cache_resource(show_spinner=False)
def _dataset():
    return data.load()


def dataset():
    """The dataset, or None after showing what is wrong and what to do."""
    try:
        return _dataset()
    except DatasetError as e:
        st.error(tr("data.missing", error=str(e)))
        st.info(tr("data.missing_help"))
        return None


@st.cache_resource(show_spinner=False, max_entries=8)
def _classifier(path: str, mtime: float):
    """The one Classifier (loaded model + all its inference) per model file, per server."""
    return Classifier.load(path)


def model_mtime(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


def active_model_path() -> str | None:
    """The model this browser uses: its own choice in the sidebar (kept server-side for
    the browser, so it survives reloads and new tabs), else the class default the teacher
    set, else the shipped model."""
    path = preferences.model_choice(browser_id())
    if path:
        return path
    if registry.DEFAULT_MODEL.exists():
        return str(registry.DEFAULT_MODEL)
    listing = registry.list_models()
    return str(listing.models[0].path) if listing.models else None


def set_active_model(path: str) -> None:
    """Make path this browser's model, in every tab and after reloads."""
    preferences.store().set(browser_id(), model=str(path))
    st.session_state[MODEL_KEY] = str(path)


# --- the browser's identity, its preferences, the teacher -------------------------------

BROWSER_COOKIE = "fashion_studio_browser"
BROWSER_KEY = "browser_id"               # session: this tab's browser identity
BROWSER_COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
_BROWSER_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_SET_COOKIE_JS = """
export default function(component) {
    const { data } = component;
    if (!data || !data.name || !data.value) return;
    const present = document.cookie.split("; ").some((c) => c.startsWith(data.name + "="));
    if (!present) {
        document.cookie = `${data.name}=${data.value}; path=/; max-age=${data.max_age}; SameSite=Lax`;
    }
}
"""
_cookie_setter = None


def browser_id() -> str:
    """This browser's identity: the app's cookie when the browser sent one, else a new
    unguessable id (set as the cookie by remember_browser). All tabs of a browser share
    it; it owns the browser's training runs and keys its preferences."""
    ss = st.session_state
    if not ss.get(BROWSER_KEY):
        try:
            cookie = st.context.cookies.get(BROWSER_COOKIE)
        except Exception:   # no request context (bare script runs)
            cookie = None
        valid = isinstance(cookie, str) and _BROWSER_ID.fullmatch(cookie)
        ss[BROWSER_KEY] = cookie if valid else secrets.token_urlsafe(18)
    return ss[BROWSER_KEY]


def remember_browser() -> None:
    """Ask the browser to keep its identity as a cookie when it did not send one (called
    by the frame every run). Streamlit has no API that sets a cookie; a tiny component
    made with the public st.components.v2 API does it in the page's own document."""
    global _cookie_setter
    identity = browser_id()
    try:
        sent = st.context.cookies.get(BROWSER_COOKIE)
    except Exception:
        sent = None
    if sent == identity:
        return
    if _cookie_setter is None:
        _cookie_setter = st.components.v2.component("fashion_studio.browser_identity", js=_SET_COOKIE_JS)
    with st.sidebar:
        _cookie_setter(data={"name": BROWSER_COOKIE, "value": identity, "max_age": BROWSER_COOKIE_MAX_AGE},
                       key="browser_identity")


def metric_row(key: str, metrics) -> None:
    """Headline numbers in one row that wraps instead of cutting a (long, Spanish) label or
    value: each as wide as it needs. metrics: (label, value) or (label, value, help)."""
    with st.container(horizontal=True, horizontal_alignment="distribute", key=key):
        for label, value, *help_text in metrics:
            st.metric(label, value, help=help_text[0] if help_text else None, width="content")


_SCROLL_JS = """
export default function(component) {
    const { data } = component;
    const key = data && data.key;
    if (typeof key !== "string" || !/^[A-Za-z0-9_-]+$/.test(key)) return;
    // The container may arrive after this component, and what is above it may still grow
    // (images loading) for a moment: follow it for 2 s, unless the user scrolls first.
    let tries = 0, userMoved = false;
    const stop = () => { userMoved = true; };
    for (const ev of ["wheel", "touchstart", "keydown", "mousedown"]) {
        window.addEventListener(ev, stop, {once: true, passive: true});
    }
    let scrolledAt = null;
    const follow = () => {
        if (userMoved || ++tries > 30) return;
        const el = document.querySelector(".st-key-" + key);
        const now = Date.now();
        if (el && scrolledAt === null) {
            el.scrollIntoView({behavior: "smooth", block: "start"});
            scrolledAt = now;
        } else if (el && now - scrolledAt > 700 && Math.abs(el.getBoundingClientRect().top) > 40) {
            el.scrollIntoView({behavior: "auto", block: "start"});   // the layout moved it meanwhile
        }
        if (scrolledAt === null || now - scrolledAt < 2000) setTimeout(follow, 100);
    };
    setTimeout(follow, 100);
}
"""
_scroller = None


def scroll_into_view(container_key: str, nonce: str = "") -> None:
    """Scroll the page to the container made with st.container(key=container_key) (a
    keyed container carries the CSS class st-key-<key>): the newest photo answer, the
    live run right after Start. Streamlit has no scroll API; a component made with the
    public st.components.v2 API runs a fixed script in the page's own document, with the
    key as data (no raw HTML). A new nonce scrolls again while the component stays mounted."""
    global _scroller
    if _scroller is None:
        _scroller = st.components.v2.component("fashion_studio.scroll_into_view", js=_SCROLL_JS)
    _scroller(data={"key": container_key, "nonce": nonce}, key=f"scroll_{container_key}")


def browser_prefs() -> dict:
    """This browser's stored preferences (model, teacher, display settings)."""
    return preferences.store().get(browser_id())


def set_browser_prefs(**values) -> None:
    preferences.store().set(browser_id(), **values)


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:   # no secrets file at all
        return None


def server_settings() -> dict:
    """The classroom caps set in .streamlit/secrets.toml (environment variables are the
    fallback, read by fashion.runs.jobs.Limits)."""
    keys = ("max_trainings", "max_epochs", "max_queue", "worker_threads")
    return {k: v for k in keys if (v := _secret(k)) is not None}


def job_manager():
    """The server's training jobs (fashion.runs.jobs), with the caps of the secrets file."""
    return jobs.manager(server_settings())


def _teacher_token(passphrase: str) -> str:
    return hashlib.sha256(("fashion-studio-teacher:" + passphrase).encode()).hexdigest()[:32]


def teacher_available() -> bool:
    """Teacher mode exists only when the server has a passphrase in st.secrets."""
    return bool(_secret("teacher_passphrase"))


def is_teacher() -> bool:
    """This browser unlocked teacher mode with the current passphrase."""
    secret = _secret("teacher_passphrase")
    if not secret:
        return False
    stored = browser_prefs().get("teacher") or ""
    return hmac.compare_digest(stored, _teacher_token(str(secret)))


def unlock_teacher(passphrase: str) -> bool:
    """Turn teacher mode on for this browser when the passphrase is right."""
    secret = _secret("teacher_passphrase")
    if not secret or not hmac.compare_digest(str(passphrase).encode(), str(secret).encode()):
        return False
    set_browser_prefs(teacher=_teacher_token(str(secret)))
    return True


def lock_teacher() -> None:
    set_browser_prefs(teacher=None)


def teacher_sidebar() -> None:
    """The sidebar's teacher box: unlock with the passphrase; then set the class's
    default model and delete models trained in class (runs are stopped on Train)."""
    with st.sidebar.expander(tr("teacher.title"), expanded=False):
        if not teacher_available():
            st.caption(tr("teacher.unavailable"))
            return
        if not is_teacher():
            with st.form("teacher_unlock", clear_on_submit=True, border=False):
                given = st.text_input(tr("teacher.passphrase"), type="password", key="teacher_pass")
                if st.form_submit_button(tr("teacher.unlock")):
                    if unlock_teacher(given):
                        st.rerun()
                    st.error(tr("teacher.wrong"))
            return
        st.success(tr("teacher.on"))
        store = preferences.store()
        default = store.class_default()
        if default:
            st.caption(tr("teacher.default_is", name=Path(default).stem))
        active = active_model_path()
        if active and active != default and st.button(tr("teacher.set_default"), key="teacher_default"):
            store.set_class_default(active)
            st.rerun()
        user_models = [m for m in registry.list_models().models if not m.shipped]
        if user_models:
            by_path = {str(m.path): m for m in user_models}
            doomed = st.selectbox(tr("teacher.delete"), list(by_path), format_func=lambda p: by_path[p].display_name,
                                  key="teacher_delete_pick")
            if st.button(tr("teacher.delete_button"), key="teacher_delete", icon=":material/delete:"):
                registry.delete_model(by_path[doomed])
                if store.class_default() == doomed:
                    store.set_class_default(None)
                st.toast(tr("teacher.deleted", name=by_path[doomed].display_name))
                st.rerun()
        else:
            st.caption(tr("teacher.no_user_models"))
        if st.button(tr("teacher.lock"), key="teacher_lock"):
            lock_teacher()
            st.rerun()


def active_card() -> dict:
    path = active_model_path()
    if not path:
        return {}
    try:
        return registry.read_card(Path(path).with_suffix(".json"))
    except (OSError, ValueError):
        return {}


def classifier():
    """The active model's Classifier (fashion.model.classifier), or None after an explanation."""
    path = active_model_path()
    if not path:
        st.warning(tr("model.missing"))
        return None
    try:
        return _classifier(path, model_mtime(path))
    except Exception as e:  # corrupt or foreign file: explain, keep the app running
        st.error(tr("model.load_failed", name=Path(path).name, error=str(e) or type(e).__name__))
        return None


def model():
    """The active Keras model, or None after an explanation on the page."""
    clf = classifier()
    return clf.model if clf is not None else None


@st.cache_resource(show_spinner=False, max_entries=8)
def _stored(path: str, mtime: float):
    """The model's stored evaluation (fashion.judging.stored): read from beside the model
    file when it matches the file's hash (the model is not even loaded), else computed once
    with the model's Classifier and written there."""
    return ensure(path, lambda: _classifier(path, mtime), _dataset())


def stored_evaluation():
    """The active model's StoredEvaluation (test-set probabilities, explain-sample
    features), or None after an explanation on the page."""
    path = active_model_path()
    if path is None:
        st.warning(tr("model.missing"))
        return None
    if dataset() is None:
        return None
    try:
        return _stored(path, model_mtime(path))
    except Exception as e:
        if classifier() is not None:   # the model loads (else that error is shown): it cannot classify these
            _cannot_classify(path, e)
        return None


def test_probabilities() -> np.ndarray | None:
    """Probabilities of the active model on the 10,000 test images, computed once per model
    file ever (the stored evaluation)."""
    stored = stored_evaluation()
    return stored.probabilities if stored is not None else None


@st.cache_data(show_spinner=False, max_entries=16)
def _evaluation(path: str, mtime: float, language: str):
    return _stored(path, mtime).evaluation(language)


def evaluation():
    """The active model's Evaluation on the test set (accuracy, confusion, per class, mistakes),
    or None after an explanation on the page. Inference runs once per model."""
    if test_probabilities() is None:
        return None
    path = active_model_path()
    try:
        return _evaluation(path, model_mtime(path), lang())
    except Exception as e:  # probabilities of the wrong shape: not a 10-class Fashion-MNIST model
        _cannot_classify(path, e)
        return None


def _cannot_classify(path: str, error: Exception) -> None:
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    st.error(tr("model.predict_failed", name=Path(path).name, error=first_line))


# --- showing Fashion-MNIST images ---------------------------------------------------------

def to_display(images: np.ndarray, scale: int = 3) -> np.ndarray:
    """uint8 (..., 28, 28) -> dark garment on white (seed 000's cmap=binary), each pixel
    a scale x scale block so the browser does not blur it."""
    a = 255 - np.asarray(images, dtype=np.uint8)
    return a.repeat(scale, axis=-2).repeat(scale, axis=-1)


def gallery(images, captions: list[str], columns: int = 8, scale: int = 3) -> None:
    """A grid of small images with a caption under each."""
    images = list(images)
    for start in range(0, len(images), columns):
        cols = st.columns(columns)
        for col, img, cap in zip(cols, images[start:start + columns], captions[start:start + columns]):
            col.image(to_display(img, scale), caption=cap)
