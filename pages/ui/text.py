"""User-given names (runs, models, photo files, zip folders) shown as the text they are.

Streamlit renders Markdown in st.markdown/st.write/st.caption/alerts/subheaders and in
widget labels, so a run named `![p](http://…)**BOLD**` would show an image (fetched by
every viewer's browser), a link and bold text. Every such name goes through `as_text`
before it is placed in a translated sentence."""
from __future__ import annotations

import re

# Characters that start Markdown (links, images, emphasis, code, HTML, headings, tables,
# LaTeX, Streamlit's :icon: and :color[...] directives). An underscore between two letters
# or digits cannot start emphasis, so `my_model` stays as it is.
_MARKDOWN = re.compile(r"[\\`*\[\]()#!|<>~$:]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def as_text(name) -> str:
    """The name with every Markdown (and HTML) special character escaped; '?' when empty."""
    text = " ".join(str(name if name is not None else "").split()) or "?"
    return _MARKDOWN.sub(lambda m: "\\" + m.group(0), text)


def file_name(path) -> str:
    """A file's name without its folders (as given by a browser or a zip), as text."""
    return as_text(re.split(r"[\\/]", str(path))[-1])
