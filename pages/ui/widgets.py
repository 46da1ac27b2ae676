"""Widgets every page shares: projector mode, a row of headline numbers, scrolling a
container into view, and a gallery of Fashion-MNIST images."""
from __future__ import annotations

import re

import streamlit as st

from pages.ui.display import to_display

PROJECTOR_KEY = "projector"


def projector() -> bool:
    """Projector mode (the sidebar toggle): larger chart text, one-screen layouts, tabs
    instead of long scrolls, durations in minutes."""
    return bool(st.session_state.get(PROJECTOR_KEY, False))


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
    // The app's top bar (a <header> laid over the top of the page) covers what scrolls
    // under it: stop the container that far below it, plus a little air, so its title shows.
    const barBottom = () => Math.max(0, ...Array.from(document.querySelectorAll("header"))
        .filter((h) => ["fixed", "sticky", "absolute"].includes(getComputedStyle(h).position))
        .map((h) => h.getBoundingClientRect())
        .filter((r) => r.top <= 1 && r.height < 160)
        .map((r) => r.bottom));
    const place = (el, behavior) => {
        el.style.scrollMarginTop = (barBottom() + 12) + "px";
        el.scrollIntoView({behavior, block: "start"});
    };
    const follow = () => {
        if (userMoved || ++tries > 30) return;
        const el = document.querySelector(".st-key-" + key);
        const now = Date.now();
        if (el && scrolledAt === null) {
            place(el, "smooth");
            scrolledAt = now;
        } else if (el && now - scrolledAt > 700 && Math.abs(el.getBoundingClientRect().top - barBottom() - 12) > 40) {
            place(el, "auto");   // the layout moved it meanwhile
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


def unbroken(text: str) -> str:
    """A caption whose numbers keep their unit: "86 %" never wraps into "86" and "%" under
    a narrow image (a no-break space between a digit and the percent sign)."""
    return re.sub(r"(\d) %", "\\1\u00a0%", text)


def gallery(images, captions: list[str], columns: int = 8, scale: int = 3) -> None:
    """A grid of small images with a caption under each (numbers kept whole)."""
    images = list(images)
    for start in range(0, len(images), columns):
        cols = st.columns(columns)
        for col, img, cap in zip(cols, images[start:start + columns], captions[start:start + columns]):
            col.image(to_display(img, scale), caption=unbroken(cap))
