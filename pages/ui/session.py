"""This browser's session: its language, its identity (a cookie holding an id the server
signed), its stored preferences, teacher mode (its passphrase tries limited), and the
server's training queue with the classroom caps of st.secrets.

`tr` and `lang` only look things up: routing a page through the frame is the page's own
first call (pages.ui.compat.run_through_frame)."""
from __future__ import annotations

import hmac
import math

import streamlit as st

from fashion import attempts, identity, preferences
from fashion.data import class_names
from fashion.errors import StudioError
from fashion.i18n import language_from_locale, t
from fashion.runs.manager import manager

LANG_KEY = "lang"


def lang() -> str:
    """'es' or 'en': the sidebar choice, first taken from the browser's locale."""
    if LANG_KEY not in st.session_state:
        try:
            st.session_state[LANG_KEY] = language_from_locale(st.context.locale)
        except Exception:
            st.session_state[LANG_KEY] = "en"
    return st.session_state[LANG_KEY]


def set_language(code: str) -> None:
    """The sidebar's language choice, for this session (every page reads it through lang)."""
    st.session_state[LANG_KEY] = code


def tr(key: str, **fmt) -> str:
    """Translate into the session's language."""
    return t(key, lang(), **fmt)


def names() -> list[str]:
    """Class names in the session's language."""
    return class_names(lang())


# --- the browser's identity and its preferences -------------------------------------------

BROWSER_COOKIE = "fashion_studio_browser"
BROWSER_KEY = "browser_id"               # session: this tab's browser identity
BROWSER_COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
_SET_COOKIE_JS = """
export default function(component) {
    const { data } = component;
    if (!data || !data.name || !data.value) return;
    const present = document.cookie.split("; ").some((c) => c.startsWith(data.name + "="));
    if (!present || data.replace) {
        document.cookie = `${data.name}=${data.value}; path=/; max-age=${data.max_age}; SameSite=Lax`;
    }
}
"""
_cookie_setter = None


def sent_cookie() -> str | None:
    """The identity cookie the browser sent with this session's request, if any."""
    try:
        return st.context.cookies.get(BROWSER_COOKIE)
    except Exception:   # no request context (bare script runs)
        return None


def client_address() -> str | None:
    """The client's network address as Streamlit exposes it (None on localhost, and where
    the server cannot tell)."""
    try:
        return st.context.ip_address or None
    except Exception:
        return None


def browser_id() -> str:
    """This browser's identity: the app's cookie when it holds an id this server signed
    (fashion.identity), else a new signed id (set as the cookie by remember_browser). A
    made-up, forged or malformed cookie is never an identity. All tabs of a browser share
    it; it owns the browser's training runs and keys its preferences."""
    ss = st.session_state
    if not ss.get(BROWSER_KEY):
        cookie = sent_cookie()
        ss[BROWSER_KEY] = cookie if identity.verify_browser_id(cookie) else identity.new_browser_id()
    return ss[BROWSER_KEY]


def cookie_instruction() -> dict | None:
    """What the browser must be told to keep: None when its cookie is this session's
    identity; else the cookie to write, with replace=True when the browser sent one the
    server refused (the component then overwrites it instead of keeping it)."""
    mine, sent = browser_id(), sent_cookie()
    if sent == mine:
        return None
    return {"name": BROWSER_COOKIE, "value": mine, "max_age": BROWSER_COOKIE_MAX_AGE,
            "replace": bool(sent) and not identity.verify_browser_id(sent)}


def remember_browser() -> None:
    """Ask the browser to keep its identity as a cookie (called by the frame every run).
    Streamlit has no API that sets a cookie; a tiny component made with the public
    st.components.v2 API does it in the page's own document."""
    global _cookie_setter
    instruction = cookie_instruction()
    if instruction is None:
        return
    if _cookie_setter is None:
        _cookie_setter = st.components.v2.component("fashion_studio.browser_identity", js=_SET_COOKIE_JS)
    with st.sidebar:
        _cookie_setter(data=instruction, key="browser_identity")


def browser_prefs() -> dict:
    """This browser's stored preferences (model, teacher, display settings)."""
    return preferences.store().get(browser_id())


def set_browser_prefs(**values) -> None:
    try:
        preferences.store().set(browser_id(), **values)
    except StudioError as e:    # DiskFull: remembered for this server run only, and said so
        st.warning(tr("disk.warn.preferences", error=e.message(lang())))


# --- the server: its secrets, its training queue, the teacher -----------------------------

def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:   # no secrets file at all
        return None


def server_settings() -> dict:
    """The classroom caps set in .streamlit/secrets.toml (environment variables are the
    fallback, read by fashion.runs.rules.Limits)."""
    keys = ("max_trainings", "max_epochs", "max_queue", "worker_threads", "max_runs_per_address")
    return {k: v for k in keys if (v := _secret(k)) is not None}


def job_manager():
    """The server's training jobs (fashion.runs.manager), with the caps of the secrets file."""
    return manager(server_settings())


def teacher_available() -> bool:
    """Teacher mode exists only when the server has a passphrase in st.secrets."""
    return bool(_secret("teacher_passphrase"))


def is_teacher() -> bool:
    """This browser unlocked teacher mode with the current passphrase (its stored token is
    the passphrase keyed with this install's secret: fashion.identity.teacher_token)."""
    secret = _secret("teacher_passphrase")
    if not secret:
        return False
    stored = browser_prefs().get("teacher") or ""
    return hmac.compare_digest(str(stored), identity.teacher_token(str(secret)))


def _attempt_keys() -> dict:
    """Who a passphrase try counts against: this browser, its address, the whole server."""
    return {"browser": browser_id(), "address": client_address(), "server": "all"}


def teacher_wait() -> float:
    """Seconds until this browser's next passphrase try is taken (0: now)."""
    return attempts.teacher_limiter().wait(_attempt_keys())


def unlock_teacher(passphrase: str) -> attempts.Outcome:
    """Turn teacher mode on for this browser when the passphrase is right. Wrong tries
    make the next ones wait (fashion.attempts): the outcome says whether it worked, or
    was refused unchecked, and how long to wait."""
    secret = _secret("teacher_passphrase")
    if not secret:
        return attempts.Outcome(ok=False, refused=False, wait_s=0.0)
    outcome = attempts.teacher_limiter().attempt(
        _attempt_keys(), lambda: hmac.compare_digest(str(passphrase).encode(), str(secret).encode()))
    if outcome.ok:
        set_browser_prefs(teacher=identity.teacher_token(str(secret)))
    return outcome


def wait_text(seconds: float) -> str:
    """A wait in the session's language: "40 s", "15 min"."""
    whole = max(1, int(math.ceil(seconds)))
    if whole < 120:
        return tr("teacher.wait_seconds", n=whole)
    return tr("teacher.wait_minutes", n=int(math.ceil(whole / 60)))


def lock_teacher() -> None:
    set_browser_prefs(teacher=None)
