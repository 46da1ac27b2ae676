"""The house's rules, checked on the code as it stands: the import-linter contract in
pyproject.toml (layers: pages -> fashion; cli -> runs -> training -> judging -> photos ->
model -> leaves; no Streamlit in the core), no import cycle among the project's modules
(Tarjan's strongly connected components over an `ast` walk of every import, top level and
inside functions alike: tests/import_graph.py), project imports only at the top of a module,
TensorFlow only behind fashion/backend.py, and no file over 400 lines."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import import_graph
import pytest

REPO = Path(__file__).resolve().parent.parent
MAX_LINES = 400


def test_the_import_contract_holds():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    r = subprocess.run([exe, "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout


def test_no_import_cycles():
    edges = import_graph.graph()
    assert len(edges) > 40                       # the walk saw the project
    assert import_graph.cycles(edges) == []


def test_project_imports_are_at_the_top():
    assert import_graph.lazy_imports() == []


def test_cycle_finder_finds_a_cycle():
    assert import_graph.cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _heavy_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        found += [f"{path.relative_to(REPO)}:{node.lineno} {n}" for n in names
                  if n.split(".")[0] in ("keras", "tensorflow")]
    return found


def test_tensorflow_only_behind_the_lazy_boundary():
    files = [p for p in import_graph.project_files() if p.name != "backend.py" or p.parent.name != "fashion"]
    assert [hit for p in files for hit in _heavy_imports(p)] == []


def test_the_home_page_and_sidebar_modules_start_without_tensorflow():
    code = ("import sys; import fashion.model.registry, fashion.judging.stored, fashion.runs.manager, "
            "fashion.preferences, fashion.i18n; print('tensorflow' in sys.modules or 'keras' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "False", r.stderr[-2000:]


@pytest.mark.parametrize("folder", ["fashion", "pages"])
def test_no_file_over_400_lines(folder):
    long = {str(p.relative_to(REPO)): n for p in sorted((REPO / folder).rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def _page_scripts() -> list[Path]:
    return [REPO / "streamlit_app.py"] + sorted((REPO / "pages").glob("*.py"))


def _keeps_data_at_module_level(path: Path) -> list[str]:
    """Top-level statements that run page work: anything but the docstring, imports,
    functions, UPPER_CASE constants, the frame call and the final main()."""
    found = []
    for i, node in enumerate(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)):
            continue
        if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and not node.value.args \
                and getattr(node.value.func, "id", "") in ("main", "run_through_frame"):
            continue
        found.append(f"{path.name}:{node.lineno}")
    return found


def test_page_scripts_keep_their_work_in_main():
    """Streamlit runs a page script in a module namespace that its functions point back to
    (a reference cycle): a variable left there (the photos, their predictions) lives until
    a full garbage collection, which the server runs rarely (runner.postScriptGC is off for
    the classroom). Each page computes inside main(), freed when the run ends
    (bench/endurance.py: 50 kept photos, +1,120 MB -> +62 MB)."""
    assert [hit for p in _page_scripts() for hit in _keeps_data_at_module_level(p)] == []
