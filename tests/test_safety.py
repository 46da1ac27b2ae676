"""Safety: no raw HTML from anything a user supplies, nothing written by `predict`, and file
names that never become paths.

1. The UI code (streamlit_app.py and pages/) is read statically: every use of raw HTML
   (`unsafe_allow_html=`, `st.html`, `components.html`/`iframe`) is listed, and there
   must be none; the page scripts of `st.components.v2.component` (html/css/js) must be
   fixed strings (a literal, or a module-level NAME = "literal"), never built from
   anything at run time; no uploader takes a model or a pickle.
2. `python -m fashion predict` runs on hostile files with its working directory, HOME,
   FASHION_STUDIO_HOME and TMPDIR in a sandbox, under a Python audit hook that records
   every file the process opens for writing, creates, moves or deletes: there must be
   none outside the sandbox, none at all of its own, and the input folder is untouched.
3. The Photo page's `plain()` (how a file name is shown) keeps only the last part of a
   name with / or \\ in it and escapes every Markdown/HTML character.
"""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from test_browser_hostile import PATH_NAME, hostile_files

from fashion.i18n import t
from pages.ui.text import file_name

UI_FILES = [REPO / "streamlit_app.py", *sorted((REPO / "pages").glob("*.py"))]
RAW_HTML_CALLS = {"html", "iframe"}          # st.html, components.html, components.iframe
TAKES_UNSAFE_HTML = {"markdown", "caption", "write"}   # Streamlit's functions with unsafe_allow_html
COMPONENT_CODE = {"html", "css", "js"}       # st.components.v2.component's trusted page code
ALLOWED_RAW_HTML: set[tuple[str, int]] = set()   # (file, line) of reviewed fixed strings: none needed


# --- 1. raw HTML, read statically ---------------------------------------------------------

def _fixed_strings(tree: ast.Module) -> set[str]:
    """Module-level names bound once to a plain string literal (no f-string, no +)."""
    bound: dict[str, list] = {}
    for top in tree.body:
        targets = top.targets if isinstance(top, ast.Assign) else [top.target] if isinstance(top, ast.AnnAssign) else []
        for tg in targets:
            if isinstance(tg, ast.Name):
                bound.setdefault(tg.id, []).append(top.value)
    for node in ast.walk(tree):     # rebound anywhere else (global, augmented, walrus): not fixed
        if isinstance(node, (ast.AugAssign, ast.NamedExpr)) and isinstance(node.target, ast.Name):
            bound.setdefault(node.target.id, []).append(None)
        if isinstance(node, ast.Global):
            for n in node.names:
                bound.setdefault(n, []).append(None)
    return {n for n, values in bound.items()
            if len(values) == 1 and isinstance(values[0], ast.Constant) and isinstance(values[0].value, str)}


def raw_html_uses(source: str, filename: str) -> list[tuple[str, int, str]]:
    """(file, line, what) for every call that can put raw HTML on the page."""
    found = []
    tree = ast.parse(source, filename)
    fixed = _fixed_strings(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for kw in node.keywords:
            if kw.arg == "unsafe_allow_html" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                found.append((filename, node.lineno, "unsafe_allow_html=" + ast.unparse(kw.value)))
        func = node.func
        name = getattr(func, "attr", getattr(func, "id", ""))
        if name in TAKES_UNSAFE_HTML and any(kw.arg is None for kw in node.keywords):
            found.append((filename, node.lineno, f"{name}(**...)"))     # **kwargs could carry it
        if isinstance(func, ast.Attribute) and func.attr in RAW_HTML_CALLS:
            found.append((filename, node.lineno, ast.unparse(func)))
        if name == "component":     # st.components.v2.component(name, html=, css=, js=)
            code = [kw.value for kw in node.keywords if kw.arg in COMPONENT_CODE or kw.arg is None] + node.args[1:]
            for value in code:
                literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
                if not literal and not (isinstance(value, ast.Name) and value.id in fixed):
                    found.append((filename, node.lineno, f"component(... {ast.unparse(value)})"))
    return found


def test_the_scanner_finds_raw_html():
    code = ("import streamlit as st\nst.markdown(name, unsafe_allow_html=True)\nst.write(x, unsafe_allow_html=flag)\n"
            "st.html(name)\nimport streamlit.components.v1 as c\nc.html(name)\nst.caption(y, **opts)\n"
            "st.markdown(z, unsafe_allow_html=False)\nt(key, lang, **fmt)\n")
    assert [line for _, line, _ in raw_html_uses(code, "x.py")] == [2, 3, 4, 6, 7]
    code = ('JS = "export default function(c) {}"\nBUILT = f"{name}"\nLATER = "x"\nLATER += name\n'
            'import streamlit as st\nst.components.v2.component("a", js=JS)\n'
            'st.components.v2.component("b", js="fixed", css="p {}")\n'
            'st.components.v2.component("c", js=BUILT)\nst.components.v2.component("d", html=name)\n'
            'st.components.v2.component("e", js=LATER)\nst.components.v2.component("f", **parts)\n'
            'st.components.v2.component("g", "<b>" + name)\n')
    assert [line for _, line, _ in raw_html_uses(code, "x.py")] == [8, 9, 10, 11, 12]


def test_no_raw_html_in_the_ui():
    uses = []
    for path in UI_FILES:
        uses += raw_html_uses(path.read_text(encoding="utf-8"), path.relative_to(REPO).as_posix())
    unreviewed = [u for u in uses if (u[0], u[1]) not in ALLOWED_RAW_HTML]
    assert not unreviewed, f"raw HTML in the UI (user text could become markup): {unreviewed}"
    assert len(UI_FILES) >= 7      # the frame and every page were read


PHOTO_ARCHIVE_UPLOADERS = {"own_photos.py"}   # reviewed: type=["zip"], unpacked only by fashion.photos.own.read_zip


def test_uploaders_take_only_images():
    """No page lets a user upload a model (.keras, .h5) or a pickle: nothing uploaded is ever executed.
    An uploader names image types only (what fashion.photos.pipeline decodes), or exactly ["zip"] for a zip of
    class-named photo folders, on a reviewed page that unpacks it with fashion.photos.own.read_zip
    (image members only, within size caps; a .keras model is a zip too, and is never loaded)."""
    from fashion.photos.decode import ACCEPTED_EXTENSIONS
    risky = {"keras", "h5", "hdf5", "pkl", "pickle", "npy", "npz", "joblib", "py", "zip"}
    seen = 0
    for path in UI_FILES:
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "file_uploader":
                seen += 1
                types = next((kw.value for kw in node.keywords if kw.arg == "type"), None)
                assert types is not None, f"{path.name}:{node.lineno}: a file_uploader without type= takes anything"
                names = [n.lower().lstrip(".") for n in _constant_list(types, path)]
                assert names, f"{path.name}:{node.lineno}: type= is no list of strings this test can read"
                if names == ["zip"]:
                    assert path.name in PHOTO_ARCHIVE_UPLOADERS and "read_zip(" in source, \
                        f"{path.name}:{node.lineno}: a zip uploader on a page not reviewed for it"
                    continue
                assert not risky & set(names) and set(names) <= set(ACCEPTED_EXTENSIONS), (path.name, names)
    assert seen >= 3     # Photo, Your own photos (photos and zip)


def _constant_list(node, path: Path) -> list[str]:
    """The strings of a list literal; of a module-level NAME = [...] it refers to; of a
    sequence imported from the fashion package (NAME or module.NAME), also inside list()/tuple()."""
    import importlib
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("list", "tuple", "sorted") \
            and len(node.args) == 1 and not node.keywords:
        node = node.args[0]
    imported = {}                    # local name -> (module, attribute or None)
    for top in tree.body:
        if isinstance(top, ast.ImportFrom) and top.module and top.module.split(".")[0] == "fashion" and not top.level:
            for a in top.names:
                imported[a.asname or a.name] = (top.module, a.name)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in imported:
        module, attr = imported[node.value.id]
        value = getattr(importlib.import_module(f"{module}.{attr}"), node.attr)
        return [v for v in value if isinstance(v, str)]
    if isinstance(node, ast.Name):
        name = node.id
        if name in imported:
            module, attr = imported[name]
            return [v for v in getattr(importlib.import_module(module), attr) if isinstance(v, str)]
        for top in tree.body:
            if isinstance(top, ast.Assign) and any(getattr(tg, "id", None) == name for tg in top.targets):
                node = top.value
    return [e.value for e in getattr(node, "elts", []) if isinstance(e, ast.Constant)]


# --- 2. `predict` writes nothing ----------------------------------------------------------------

# Runs the CLI exactly as `python -m fashion predict ...`, recording every write-like event
# Python raises an audit event for (builtins.open and os.open with a write flag, mkdir,
# rename/replace, remove/unlink, rmdir, symlink/link, truncate, chmod), and prints them on a
# last stderr line. Python's own bytecode cache is switched off (PYTHONDONTWRITEBYTECODE).
AUDITED_RUN = r"""
import json, os, runpy, sys
WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
events = []
def hook(event, args):
    if event == "open":
        path, mode, flags = (list(args) + [None, None, None])[:3]
        if isinstance(path, int):
            return
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & WRITE):
            events.append([event, os.path.abspath(os.fsdecode(path))])
    elif event in ("os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink", "os.link",
                   "os.truncate", "os.chmod", "shutil.copyfile", "shutil.move", "shutil.rmtree"):
        for a in args[:2]:
            if isinstance(a, (str, bytes, os.PathLike)):
                events.append([event, os.path.abspath(os.fsdecode(a))])
sys.addaudithook(hook)
sys.argv = ["fashion", *sys.argv[1:]]
try:
    runpy.run_module("fashion", run_name="__main__", alter_sys=True)
finally:
    sys.stderr.write("\nAUDIT " + json.dumps(events) + "\n")
"""


def tree(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under root -> (size, mtime_ns)."""
    out = {}
    for folder, _, names in os.walk(root):
        for n in names:
            p = Path(folder) / n
            st = p.lstat()
            out[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def test_predict_on_hostile_files_writes_nothing(tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    files = []
    for name, data, key in hostile_files():
        path = inputs / name.replace("/", "%2F")          # a name with / cannot exist; \ can
        path.write_bytes(data)
        files.append((str(path), key))
    sandbox = {k: tmp_path / k for k in ("cwd", "home", "studio", "tmp")}
    for d in sandbox.values():
        d.mkdir()
    before = tree(inputs)
    env = {**os.environ, "HOME": str(sandbox["home"]), "FASHION_STUDIO_HOME": str(sandbox["studio"]),
           "TMPDIR": str(sandbox["tmp"]), "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1",
           "TF_CPP_MIN_LOG_LEVEL": "2"}
    for var in ("KERAS_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "MPLCONFIGDIR"):
        env.pop(var, None)
    r = subprocess.run([sys.executable, "-c", AUDITED_RUN, "predict", "--json", *[f for f, _ in files]],
                       cwd=sandbox["cwd"], env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in r.stdout + r.stderr, r.stderr[-3000:]
    assert r.returncode == 2, r.stderr[-3000:]                 # some files could not be used

    # every file has its row, in order: the refusal in words, or an answer
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert [row["file"] for row in rows] == [f for f, _ in files]
    for row, (_, key) in zip(rows, files):
        if key:
            assert set(row) == {"file", "error"}, row
            assert row["error"].startswith(t(key, "en", size="{", w="{", h="{", min="{").split("{")[0]), row
        else:
            assert 0 <= row["label"] <= 9 and 0 <= row["confidence"] <= 1, row

    # nothing written: not by Python (the audit), not by native code (the folders)
    events = json.loads(r.stderr.rsplit("AUDIT ", 1)[1])
    assert ["open", str(sandbox["home"] / ".keras" / "keras.json")] in events   # the audit does see writes
    inside = [e for e in events if Path(e[1]).is_relative_to(tmp_path)]
    outside = [e for e in events if e not in inside and e[1] != os.devnull]
    assert not outside, f"predict wrote outside its sandbox: {outside}"
    # expected: Keras' own config file in HOME, and temporary files in TMPDIR (Python's tempfile
    # checks the folder is writable; TensorFlow's autograph writes the source of a tf.function)
    allowed = {sandbox["home"] / ".keras", sandbox["home"] / ".keras" / "keras.json"}
    unexpected = [e for e in inside if Path(e[1]) not in allowed and not Path(e[1]).is_relative_to(sandbox["tmp"])]
    assert not unexpected, f"predict wrote: {unexpected}"
    assert tree(inputs) == before                                  # the photos are only read
    assert not tree(sandbox["cwd"]) and not tree(sandbox["studio"])
    # in the temp folder only TensorFlow's autograph files and matplotlib's font cache (fashion/backend.py)
    assert all(n.startswith(("__autograph_generated_file", "fashion-studio-matplotlib/")) for n in tree(sandbox["tmp"])), \
        tree(sandbox["tmp"])
    assert set(tree(sandbox["home"])) <= {".keras/keras.json"}
    assert not any("evil" in n for n in os.listdir(tmp_path))


# --- 3. file names never become paths (pages/ui/text.py: file_name) -----------------------------------

def test_file_names_are_shown_as_escaped_text_without_their_path():
    plain = file_name
    assert plain("../../etc/passwd") == "passwd"
    assert plain("..\\..\\windows\\evil.png") == "evil.png"
    assert plain(PATH_NAME) == "evil.png"
    assert plain("/") == "?" and plain("") == "?"
    shown = plain("<img src=x onerror=alert(1)> **bold** [a](javascript:x) `code` #1.png")
    # every character Markdown or HTML would act on is escaped with a backslash
    assert re.search(r"(?<!\\)[<>*\[\]()`#!|~_]", shown) is None, shown
    assert re.sub(r"\\(.)", r"\1", shown) == "<img src=x onerror=alert(1)> **bold** [a](javascript:x) `code` #1.png"
