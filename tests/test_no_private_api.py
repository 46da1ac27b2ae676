"""A static check: the app and its core use Streamlit, Keras and TensorFlow through their
public API only. The one exception lives in the compatibility modules (pages/ui/compat.py for
Streamlit, fashion/compat.py for Keras/TensorFlow), each with its own test that fails when
the library changes (tests/test_compat.py).

Flagged anywhere else in fashion/, pages/ and streamlit_app.py:
- an attribute `x._name` (one leading underscore, not a dunder) whose name our own code
  never defines (assigned as `self._name = ...` or `def _name` / `class _name` in our
  modules): a library's private attribute, e.g. Keras' `_run_through_graph`,
  `_keras_history`, `_functional` or Streamlit's `_clean_problem_modules`;
- `getattr` / `setattr` / `hasattr` / `delattr` with such a name as a string;
- imports of the libraries' internals: a module path with a `_private` part, or Keras'
  `keras.src`, TensorFlow's `tensorflow.python` / `tensorflow.core`, Streamlit's
  `streamlit.runtime` / `streamlit.web` / `streamlit.elements` / `streamlit.testing`.
"""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

COMPAT = {REPO / "fashion" / "compat.py", REPO / "pages" / "ui" / "compat.py"}
INTERNAL_MODULES = ("keras.src", "tensorflow.python", "tensorflow.core", "tf_keras", "streamlit.runtime",
                    "streamlit.web", "streamlit.elements", "streamlit.testing", "streamlit.proto")
STDLIB_OK = {"_exit"}            # os._exit: documented public API of the standard library


def sources() -> list[Path]:
    files = sorted((REPO / "fashion").rglob("*.py")) + sorted((REPO / "pages").rglob("*.py"))
    return [f for f in files + [REPO / "streamlit_app.py"] if f not in COMPAT]


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def own_private_names(trees) -> set[str]:
    """Private names our own code defines: `self._x = ...`, `x._y = ...` targets, defs, classes."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and _private(node.name):
                names.add(node.name)
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                targets = [node.target]
            for t in targets:
                for sub in ast.walk(t):
                    if isinstance(sub, ast.Attribute) and _private(sub.attr) and isinstance(sub.value, ast.Name) \
                            and sub.value.id in ("self", "cls"):
                        names.add(sub.attr)
    return names


def violations(files: list[Path]) -> list[str]:
    trees = {f: ast.parse(f.read_text(encoding="utf-8"), filename=str(f)) for f in files}
    own = own_private_names(trees.values()) | STDLIB_OK
    found = []
    for f, tree in trees.items():
        where = f.relative_to(REPO) if f.is_relative_to(REPO) else f
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
                found.append(f"{where}:{node.lineno}: private attribute {ast.unparse(node)}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in ("getattr", "setattr", "hasattr", "delattr") and len(node.args) > 1
                  and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
                  and _private(node.args[1].value) and node.args[1].value not in own):
                found.append(f"{where}:{node.lineno}: private attribute by name {ast.unparse(node)}")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = ([a.name for a in node.names] if isinstance(node, ast.Import)
                           else [node.module or ""] if node.level == 0 else [])
                for m in modules:
                    if any(_private(part) for part in m.split(".")) or m.startswith(INTERNAL_MODULES):
                        found.append(f"{where}:{node.lineno}: library internals imported ({m})")
    return found


def test_no_private_library_api_outside_the_compat_modules():
    found = violations(sources())
    assert not found, ("use the public API, or move the workaround into fashion/compat.py or pages/ui/compat.py "
                       "with a test:\n" + "\n".join(found))


def test_the_check_catches_what_it_is_for(tmp_path):
    """The check itself must fail on the patterns it exists to stop (the ones this project
    used to have): Keras' graph walk and history, Streamlit's script-runner internals."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from keras.src.models import functional\n"
        "from streamlit.runtime.scriptrunner import script_runner\n"
        "def f(model, layer, x):\n"
        "    graph = getattr(model, '_functional', None) or model\n"
        "    return graph._run_through_graph([x]), layer.output._keras_history[0]\n"
        "script_runner._clean_problem_modules = lambda: None\n"
        "class Ours:\n"
        "    def __init__(self):\n"
        "        self._lock = None\n"
        "    def use(self):\n"
        "        return self._lock, os._exit\n")
    found = violations([bad])
    text = "\n".join(found)
    for needle in ("keras.src.models", "streamlit.runtime.scriptrunner", "'_functional'", "_run_through_graph",
                   "_keras_history", "_clean_problem_modules"):
        assert needle in text, (needle, text)
    assert "self._lock" not in text and "os._exit" not in text     # our own private names, the stdlib's public one
