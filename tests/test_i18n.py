"""The one translation table: every key in both languages, no key defined twice, the same
placeholders in both, every key the code asks for exists, and the class names of seed 000."""
import ast
import re
import string
from pathlib import Path

import pytest

from fashion import data, i18n
from fashion.i18n import AREAS, TABLE, language_from_locale, t

REPO = Path(__file__).resolve().parent.parent
I18N_DIR = REPO / "fashion" / "i18n"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_placeholders():
    assert len(TABLE) > 100
    for key, pair in TABLE.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        en, es = pair
        assert isinstance(en, str) and en.strip(), f"{key}: English missing"
        assert isinstance(es, str) and es.strip(), f"{key}: Spanish missing"
        assert placeholders(en) == placeholders(es), f"{key}: placeholders differ"


@pytest.mark.parametrize("area", AREAS)
def test_no_key_is_defined_twice_within_an_area(area):
    """A repeated key in one dict literal silently wins; the table builder only catches
    repeats across areas, so read the source."""
    path = I18N_DIR / f"{area}.py"
    if not path.exists():
        return  # an area not written yet contributes no keys
    tree = ast.parse(path.read_text(encoding="utf-8"))
    keys = [k.value for node in ast.walk(tree) if isinstance(node, ast.Dict)
            for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    repeated = {k for k in keys if keys.count(k) > 1}
    assert not repeated, f"{area}.py defines {sorted(repeated)} more than once"


def test_keys_are_unique_across_areas():
    seen = {}
    for area in AREAS:
        path = I18N_DIR / f"{area}.py"
        if not path.exists():
            continue
        module = __import__(f"fashion.i18n.{area}", fromlist=["STRINGS"])
        for key in module.STRINGS:
            assert key not in seen, f"{key!r} in both {seen.get(key)} and {area}"
            seen[key] = area
    assert set(seen) == set(TABLE)


def test_my_areas_are_really_translated():
    """In the frame, Dataset and Evaluate strings Spanish differs from English except
    for names and formats that are the same in both."""
    same_ok = {"app.title", "common.f1", "report.seconds", "report.pair", "report.pair_count", "report.no"}
    for area in ("common", "dataset", "evaluate"):
        module = __import__(f"fashion.i18n.{area}", fromlist=["STRINGS"])
        for key, (en, es) in module.STRINGS.items():
            if key not in same_ok:
                assert en != es, f"{key} is not translated"


KEY_CALL = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def test_every_key_the_code_uses_exists():
    files = [REPO / "streamlit_app.py", *(REPO / "pages").glob("*.py"), *(REPO / "fashion").glob("*.py")]
    missing = {}
    for path in files:
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            if key not in TABLE:
                missing.setdefault(path.name, []).append(key)
    assert not missing, f"keys used but not in the table: {missing}"


def test_class_names_are_those_of_seed_000():
    assert data.class_names("es") == ["Camiseta/Top", "Pantalón", "Suéter", "Vestido", "Abrigo",
                                      "Sandalia", "Camisa", "Zapatilla", "Bolso", "Botín"]
    assert data.class_names("en") == ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    assert len(set(data.class_names("es"))) == 10


def test_lookup_formats_and_falls_back():
    assert t("nav.dataset", "es") == "Datos" and t("nav.dataset", "en") == "Dataset"
    assert "7" in t("eval.cell_empty", "es", true="Camisa", pred="7")
    assert t("no.such.key", "es") == "no.such.key"   # visible, never a crash
    assert i18n.LANGUAGES.keys() == {"es", "en"}


@pytest.mark.parametrize("locale,expected", [("es-ES", "es"), ("es_MX", "es"), ("ES", "es"), ("en-US", "en"),
                                             ("de-DE", "en"), ("", "en"), (None, "en")])
def test_language_follows_the_browser_locale(locale, expected):
    assert language_from_locale(locale) == expected
