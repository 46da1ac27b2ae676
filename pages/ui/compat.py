"""The one place this app reaches into Streamlit beyond its public API (tested in
tests/test_compat.py, which fails when Streamlit changes what this relies on).

Streamlit lists every file of pages/ as a page of an old-style multipage app until a
script has called st.navigation, and offers no public switch for that: see
leave_pages_folder_mode below. After every script or fragment run Streamlit calls
keras.backend.clear_session(), with no setting to turn it off: see
keep_keras_between_runs. Its file uploader and camera write their own texts in English
only ("Upload", "25MB per file", "19.3KB", "Take Photo"), with no parameter or setting
for another language: see speak_widget_texts. The browser identity cookie uses the
public st.components.v2 API (pages/ui/session.py).
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

import streamlit as st

from fashion.i18n import widgets as widget_texts

FRAME = Path(__file__).resolve().parents[2] / "streamlit_app.py"


def pages_folder_mode() -> bool:
    """True while Streamlit treats pages/ as an old-style multipage folder."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the old mode
        return False
    return bool(getattr(PagesManager, "uses_pages_directory", False))


def leave_pages_folder_mode(frame: Path) -> None:
    """Run the page through the frame when Streamlit ran it alone.

    While no run has called st.navigation yet (the first run of a fresh server, and
    every AppTest run), Streamlit treats a folder named `pages/` next to the entry point
    as an old-style multipage app: opened on a page's URL (say /evaluate) it runs that
    page script alone, without this app's frame (no language or model choice, every
    file of pages/ listed as a page). When that happens, run the frame here instead, in
    the same run (so a button click is not lost), and stop: the frame's st.navigation
    switches the old mode off and runs the same page (page identity is its URL path)."""
    if pages_folder_mode():
        from streamlit.runtime.pages_manager import PagesManager
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(frame), run_name="__main__")
        st.stop()


def run_through_frame() -> None:
    """The first call of every page: when Streamlit ran the page alone (see
    leave_pages_folder_mode), run it through the app's frame instead, and stop."""
    leave_pages_folder_mode(FRAME)


def keep_keras_between_runs() -> None:
    """Skip Streamlit's keras.backend.clear_session() after each run; keep its other clean-up.

    Streamlit's script runner calls `_clean_problem_modules()` after every script and
    fragment run; for Keras that is `clear_session()`, a full garbage collection and a
    reset of Keras' global state. Training no longer runs in the server (fashion/runs/manager.py),
    but the server still answers students with Keras models held in st.cache_resource,
    and each clean-up costs about 0.26 s of CPU holding the GIL (measured with the shipped
    model loaded and warmed up; the same as a gc.collect(2), which is why
    .streamlit/config.toml also sets runner.postScriptGC = false): 20 students uploading at
    once would queue ~5 s behind it, and every second of the Train page's live poll pays it. The app keeps no Keras state that needs clearing between runs: its
    models are loaded once per file and never built inside a page script. Idempotent."""
    from streamlit.runtime.scriptrunner import script_runner
    if getattr(script_runner._clean_problem_modules, "keeps_keras", False):
        return

    def clean_problem_modules() -> None:
        if "matplotlib.pyplot" in sys.modules:   # the rest of Streamlit's clean-up, as it is
            try:
                sys.modules["matplotlib.pyplot"].close("all")
            except Exception:
                pass

    clean_problem_modules.keeps_keras = True
    clean_problem_modules.streamlit_original = script_runner._clean_problem_modules
    script_runner._clean_problem_modules = clean_problem_modules


# --- Streamlit's own widget texts in the page's language --------------------------------------

# The DOM this relies on (tests/test_compat.py finds each in Streamlit's frontend bundle): the
# widgets' data-testid values, the labels and file names inside them (the app's and the user's
# words, never rewritten), and the size format "19.3KB" (a number, then the unit, no space).
WIDGETS = ("stFileUploader", "stCameraInput", "stTooltipErrorContent")
UNTOUCHED = ("stWidgetLabel", "stFileChipName")

_WIDGET_TEXTS_JS = r"""
export default function(component) {
    const { data } = component;
    if (!data || !Array.isArray(data.rules)) return;
    const decimal = data.decimal === "," ? "," : ".";
    const SIZE = "(\\d+(?:\\.\\d+)?)([KMGTP]?B)";
    const size = (n, unit) => n.replace(".", decimal) + "\u00a0" + unit;
    // Each rule: [Streamlit's English template, the translation]; {size}, {name}, {type} are holes.
    const rules = data.rules.map(([en, out]) => {
        const holes = [];
        const source = en.split(/(\{size\}|\{name\}|\{type\})/).map((part) => {
            if (part === "{size}") { holes.push("size"); return SIZE; }
            if (part === "{name}" || part === "{type}") { holes.push(part.slice(1, -1)); return "(.+)"; }
            return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        }).join("");
        return {re: new RegExp("^" + source + "$"), holes, out};
    });
    rules.push({re: new RegExp("^" + SIZE + "$"), holes: ["size"], out: "{size}"});   // a file's size alone
    const translate = (text) => {
        const core = (text || "").trim();
        if (!core) return null;
        for (const {re, holes, out} of rules) {
            const m = core.match(re);
            if (!m) continue;
            let k = 1, result = out;
            for (const hole of holes) {
                const value = hole === "size" ? size(m[k], m[k + 1]) : m[k];
                k += hole === "size" ? 2 : 1;
                result = result.replace("{" + hole + "}", () => value);
            }
            return text.replace(core, () => result);
        }
        return null;
    };
    const widgets = data.widgets.map((id) => `[data-testid="${id}"]`).join(", ");
    const untouched = data.untouched.map((id) => `[data-testid="${id}"]`).join(", ");
    const originals = new Map();          // text node (or "value\0attribute") -> Streamlit's English
    const rewrite = (key, current, set) => {
        const next = translate(current);
        if (next === null || next === current) return;
        if (!originals.has(key)) originals.set(key, current);
        set(next);
    };
    const fix = () => {
        for (const widget of document.querySelectorAll(widgets)) {
            const walker = document.createTreeWalker(widget, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                if (!node.parentElement || node.parentElement.closest(untouched)) continue;
                rewrite(node, node.nodeValue, (v) => { node.nodeValue = v; });
            }
            for (const el of widget.querySelectorAll("[aria-label], [title]")) {
                if (el.closest(untouched)) continue;
                for (const attr of ["aria-label", "title"]) {
                    if (el.hasAttribute(attr)) {
                        rewrite(el.getAttribute(attr) + "\u0000" + attr, el.getAttribute(attr), (v) => el.setAttribute(attr, v));
                    }
                }
            }
        }
    };
    let queued = false;
    const observer = new MutationObserver(() => {
        if (queued) return;
        queued = true;
        requestAnimationFrame(() => { queued = false; fix(); });
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    fix();
    return () => {                         // the page is back in English: give Streamlit its texts back
        observer.disconnect();
        for (const [node, text] of originals) if (node instanceof Node) node.nodeValue = text;
    };
}
"""
_widget_texts = None


def speak_widget_texts(language: str) -> None:
    """Show Streamlit's own uploader and camera texts ("Upload", "25MB per file",
    "19.3KB", "Take Photo", ...) in the page's language, sizes with its decimal mark.

    Streamlit 1.67 writes them in English only: st.file_uploader and st.camera_input take
    no text parameters, and no config option sets the frontend's language. So a component
    made with the public st.components.v2 API (mounted once per run, in the sidebar, from
    the frame) watches the page and rewrites, inside those widgets only, each text node or
    aria-label/title that is exactly one of Streamlit's texts (fashion/i18n/widgets.py);
    labels and file names are never touched. English pages mount nothing, and a page
    switched back to English gets Streamlit's texts back. tests/test_compat.py fails when
    the installed Streamlit no longer writes these texts or this DOM."""
    global _widget_texts
    if language != "es":                # Streamlit's own language: nothing to do
        return
    if _widget_texts is None:
        _widget_texts = st.components.v2.component("fashion_studio.widget_texts", js=_WIDGET_TEXTS_JS)
    rules = [[english, spanish] for english, spanish in widget_texts.STRINGS.values()]
    with st.sidebar:
        _widget_texts(data={"rules": rules, "decimal": ",", "widgets": list(WIDGETS), "untouched": list(UNTOUCHED)},
                      key="widget_texts")


# --- the app's style sheet, over Streamlit's own layout --------------------------------------

# The DOM this relies on (tests/test_compat.py finds each in Streamlit's frontend bundle).
STYLED = ("stMain", "stImage", "stImageContainer")

PAGE_CSS = """
/* Phones: a compact page title. Streamlit's h1 takes two huge lines of a 390 px screen in
   Spanish, a quarter of the first screen. */
@media (max-width: 640px) {
  [data-testid="stMain"] h1 { font-size: 1.6rem !important; line-height: 1.25 !important;
                              padding: 0.25rem 0 0.5rem 0 !important; }
}
/* A row of images drawn by one st.image (photo steps, Grad-CAM pairs, augmentations):
   Streamlit sets them edge to edge, each as tall as its own shape. Give them a gap and the
   same square box (the picture fitted inside), so pictures and captions line up. */
[data-testid="stImage"]:has(> [data-testid="stImageContainer"]:nth-child(2)) { column-gap: 0.75rem; }
[data-testid="stImage"]:has(> [data-testid="stImageContainer"]:nth-child(2)) > [data-testid="stImageContainer"] > img {
  aspect-ratio: 1 / 1; object-fit: contain; height: auto;
}
"""


def style_page() -> None:
    """The app's few style rules over Streamlit's layout (PAGE_CSS: a compact title on phones,
    gaps and equal boxes in rows of images). Streamlit has no styling option for either; a
    style-only st.html (public API) takes no room on the page. The selectors name Streamlit's
    data-testid values, which tests/test_compat.py checks still exist."""
    st.html(f"<style>{PAGE_CSS}</style>")
