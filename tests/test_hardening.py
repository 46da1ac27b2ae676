"""Hostile files and careless use, through the public surface: a studio home full of bad
model cards and a zip bomb, CLI input that used to print tracebacks, Ctrl-C and diverged
runs that used to lose work, odd photos, saves killed mid-way, unicode names."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import numpy as np
import pytest
from conftest import REPO, run_page
from PIL import Image

from fashion.i18n import t
from fashion.model import registry, safe_load

PAGES = ("pages/home.py", "pages/dataset.py", "pages/evaluate.py", "pages/train.py", "pages/photo.py",
         "pages/explain.py")
SMALL_RUN = ["--architecture", "seed_cnn", "--train-subset", "2000", "--epochs", "3", "--batch-size", "50",
             "--validation-split", "0.1"]


def cli(*args, home, timeout=300, **kw):
    env = {**os.environ, "FASHION_STUDIO_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "fashion", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout, **kw)


def no_traceback(text: str) -> bool:
    return "Traceback" not in text and 'File "' not in text


def inflating_zip(path, member: str, inflated_mb: int, extra: dict | None = None) -> None:
    """A zip whose `member` inflates to inflated_mb MB of spaces (about 1 KB per MB on
    disk), streamed in, never held whole."""
    mb = b" " * 2**20
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open(member, "w", force_zip64=True) as f:
            for _ in range(inflated_mb):
                f.write(mb)
        for name, data in (extra or {}).items():
            z.writestr(name, data)


def hostile_home(home):
    """A studio home with every kind of bad file next to a good model."""
    folder = home / "models"
    folder.mkdir(parents=True)
    good = registry.DEFAULT_MODEL.read_bytes()
    for name, card in {
        "wrong_types": b'{"test_metrics": 5}',
        "deep": b'{"test_metrics": {}, "x": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
        "huge": b'{"test_metrics": {}, "pad": "' + b"x" * (2 * 2**20) + b'"}',
        "not_utf8": b'{"test_metrics": {"accuracy": 0.5}, "name": "\xff\xfe"}',
        "liar": b'{"test_metrics": {"accuracy": 99.0}}',
        "history_strings": b'{"test_metrics": {"accuracy": 0.5}, "history": {"loss": "abc"}}',
    }.items():
        (folder / f"{name}.keras").write_bytes(good)
        (folder / f"{name}.json").write_bytes(card)
    inflating_zip(folder / "bomb.keras", "config.json", 64, {"metadata.json": "{}"})
    (folder / "bomb.json").write_text('{"test_metrics": {"accuracy": 0.99}}')
    return folder


# --- 1. cards: one schema at the boundary -------------------------------------------------

def test_bad_cards_are_named_and_their_models_listed_without_trusting_them(studio_home):
    hostile_home(studio_home)
    listing = registry.list_models()
    mine = {m.name: m for m in listing.models if not m.shipped}
    assert set(mine) == {"wrong_types", "deep", "huge", "not_utf8", "liar", "history_strings"}
    assert all(not m.card_valid and m.accuracy is None and m.card == {} for m in mine.values())
    named = {p.file for p in listing.problems}
    assert named == {f"{n}.json" for n in mine} | {"bomb.keras"}
    assert any("nested more than" in str(p) for p in listing.problems)
    assert all(p.message("es") != str(p) for p in listing.problems)   # in Spanish too


def test_every_page_works_with_a_hostile_studio_home_and_names_the_bad_files(studio_home):
    hostile_home(studio_home)
    at = run_page("pages/home.py", "en", timeout=300)
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, at.exception)
        sidebar = " ".join(x.value for x in at.sidebar.text)
        assert "deep.json" in sidebar and "wrong_types.json" in sidebar and "bomb.keras" in sidebar, page
    options = at.sidebar.selectbox(key="model_choice").options
    assert any(o.startswith("liar · ") and "99" not in o for o in options)     # its card's 9900 % is not shown
    assert not any("bomb" in o for o in options)


# --- 2. model files: bounded before Keras sees them ---------------------------------------

def test_a_zip_bomb_model_is_refused_without_inflating_it(tmp_path):
    bomb = tmp_path / "bomb.keras"
    inflating_zip(bomb, "config.json", 256, {"metadata.json": "{}", "model.weights.h5": b""})
    assert bomb.stat().st_size < 2**20
    # The peak resident memory of this process's own image: VmHWM. (getrusage's ru_maxrss
    # would not do: Linux carries the parent's peak over into a child across fork/vfork and
    # exec, so a child of a big pytest process reports pytest's size, not its own.)
    code = ("import sys; from fashion.__main__ import main; rc = main(sys.argv[1:]); "
            "hwm = [int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:')]; "
            "print(hwm[0] // 1024, file=sys.stderr); sys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code, "predict", "--model", str(bomb), str(tmp_path / "x.png")],
                       cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and no_traceback(r.stderr)
    assert "config.json unpacks to more than 1 MB" in r.stderr
    assert int(r.stderr.strip().splitlines()[-1]) < 1200          # peak MB of the whole process


def test_a_member_that_inflates_past_its_declared_size_is_caught(tmp_path):
    """The zip directory says 100 bytes; the stream holds 5 MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", b'{"class_name": "Sequential", "config": {"x": "' + b" " * (5 << 20) + b'"}}')
    data = bytearray(buf.getvalue())
    data[22:26] = (100).to_bytes(4, "little")                       # local header: uncompressed size
    cd = data.find(b"PK\x01\x02")
    data[cd + 24:cd + 28] = (100).to_bytes(4, "little")             # central directory: the same
    liar = tmp_path / "liar.keras"
    liar.write_bytes(bytes(data))
    safe_load.check_keras_file(liar)                                 # the directory alone looks fine
    with pytest.raises(ValueError) as info:
        safe_load.load_model(liar)
    assert info.value.key in ("model.error.not_zip", "model.error.member_too_big")


# --- 3. the CLI: no tracebacks, no lost work ----------------------------------------------

def malformed_model(path, config: bytes):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("config.json", config)
        z.writestr("metadata.json", '{"keras_version": "3.0.0"}')
        z.writestr("model.weights.h5", b"")


@pytest.mark.parametrize("args, message", [
    (["train", "--arch-params", "[1,2]"], "must be a JSON object"),
    (["train", "--arch-params", "{bad"], "not valid JSON"),
    (["train", "--architecture", "custom", "--arch-params", '{"conv_blocks":"2"}'], "conv_blocks must be a whole number"),
    (["train", "--output", "/proc/no/such/m.keras", "--epochs", "1"], "cannot create the folder"),
])
def test_bad_train_arguments_exit_2_with_one_clear_line(args, message, studio_home):
    r = cli(*args, home=studio_home)
    assert r.returncode == 2 and no_traceback(r.stderr), r.stderr[-2000:]
    assert message in r.stderr and "epoch 1" not in r.stderr      # refused before any training


@pytest.mark.parametrize("kind", ["unknown layer", "nested 100,000 deep"])
def test_a_malformed_model_config_is_refused_without_a_traceback(kind, tmp_path, studio_home):
    config = (b'{"class_name": "NoSuchLayer", "config": {}}' if kind == "unknown layer" else
              b'{"class_name": "Sequential", "config": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    bad = tmp_path / "bad.keras"
    malformed_model(bad, config)
    r = cli("predict", "--model", str(bad), str(tmp_path / "x.png"), home=studio_home)
    assert r.returncode == 2 and no_traceback(r.stderr), r.stderr[-2000:]
    assert "bad.keras" in r.stderr


def _train_and_interrupt(args, home, on_line: str, times: int):
    """Run `train`, send Ctrl-C `times` times as soon as stderr shows on_line."""
    env = {**os.environ, "FASHION_STUDIO_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    p = subprocess.Popen([sys.executable, "-m", "fashion", "train", *args], cwd=REPO, env=env,
                         stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    err, sent = "", False
    while (ch := p.stderr.read(1)):
        err += ch
        if not sent and on_line in err:
            for i in range(times):
                time.sleep(0.3 * i)               # two presses, not one signal sent twice (they would merge)
                p.send_signal(signal.SIGINT)
            sent = True
    out = p.stdout.read()
    return p.wait(timeout=120), err, out, sent


def test_ctrl_c_keeps_the_checkpoint_and_the_same_command_resumes(tmp_path, studio_home):
    ckpt, out = tmp_path / "ckpt", tmp_path / "out" / "m.keras"
    args = [*SMALL_RUN, "--resume-dir", str(ckpt), "--output", str(out), "--json"]
    rc, err, _, sent = _train_and_interrupt(args, studio_home, "epoch 1 done", times=1)
    assert sent and rc == 0 and no_traceback(err)
    assert "the same command continues" in err and out.exists()        # the complete epoch is saved...
    assert (ckpt / "latest.weights.h5").exists()                        # ...and the checkpoint kept

    rc, err, _, sent = _train_and_interrupt(args, studio_home, "epoch 2 done", times=2)   # Ctrl-C twice
    assert sent and rc == 130 and no_traceback(err)
    assert err.rstrip().splitlines()[-1].startswith("interrupted")
    assert json.loads((ckpt / "training_metadata.json").read_text())["epoch"] == 2

    r = cli("train", *args, home=studio_home)                           # the same command once more
    assert r.returncode == 0 and "epoch 3 done" in r.stderr
    assert "epoch 1 done" not in r.stderr and "epoch 2 done" not in r.stderr   # resumed, not restarted
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["epochs_completed"] == 3 and len(summary["history"]["loss"]) == 3
    assert not ckpt.exists()                                            # finished and saved: removed


def test_a_diverged_run_is_reported_and_not_saved(studio_home):
    r = cli("train", "--architecture", "seed_cnn", "--optimizer", "sgd", "--learning-rate", "1",
            "--train-subset", "300", "--epochs", "1", "--batch-size", "32", home=studio_home)
    assert r.returncode == 1 and no_traceback(r.stderr)
    assert "diverged" in r.stderr or "NaN" in r.stderr
    assert not list(studio_home.glob("models/*.keras"))                # nothing saved


# --- 4. photos ------------------------------------------------------------------------------

def _high_depth(mode: str, size=(1700, 1600)) -> bytes:
    rng = np.random.default_rng(0)
    w, h = size
    if mode == "RGB16":                       # a 48-bit PNG
        import cv2
        a = (rng.random((h, w, 3)) * 65535).astype(np.uint16)
        return cv2.imencode(".png", a)[1].tobytes()
    dtype = {"I;16": "<u2", "I;16B": ">u2", "I": "<i4", "F": "<f4"}[mode]
    a = (rng.random((h, w)) * (1.0 if mode == "F" else 60000)).astype(dtype)
    img = Image.frombuffer(mode, (w, h), a.tobytes(), "raw", mode, 0, 1)
    buf = io.BytesIO()
    img.save(buf, format="PNG" if mode == "I;16" else "TIFF")
    return buf.getvalue()


@pytest.mark.parametrize("mode", ["I;16", "I;16B", "I", "F", "RGB16"])
def test_high_bit_depth_images_of_any_size_decode(mode):
    from fashion.photos.decode import decode
    stored, upright, alpha = decode(_high_depth(mode))
    assert upright.dtype == np.uint8 and upright.shape[2] == 3 and max(upright.shape[:2]) <= 384
    assert upright.std() > 5                  # the picture survived, not a flat grey


def test_predict_names_each_unusable_file_on_its_own_line(tmp_path, studio_home):
    folder = tmp_path / "a folder"
    folder.mkdir()
    photo = tmp_path / "shoe\nname.png"
    photo.write_bytes(_high_depth("I;16", (400, 300)))
    locked = tmp_path / "locked.png"
    locked.write_bytes(photo.read_bytes())
    locked.chmod(0)
    files = [str(folder), str(tmp_path / "missing.png"), str(photo), str(locked)]
    r = cli("predict", *files, home=studio_home)
    assert no_traceback(r.stderr)
    lines = r.stdout.rstrip("\n").split("\n")
    assert len(lines) == 4, lines                                  # the newline in a name is escaped
    assert lines[0].endswith(t("photo.error.is_directory", "en"))
    assert lines[1].endswith(t("photo.error.missing", "en"))
    assert lines[2].startswith(str(tmp_path / "shoe\\nname.png")) and "error" not in lines[2]
    if os.geteuid() != 0:                                          # root reads any file
        assert lines[3].endswith(t("photo.error.no_permission", "en"))
    assert len({lines[0].split(": ")[-1], lines[1].split(": ")[-1]}) == 2   # distinct messages


# --- 5. registry: killed saves, unicode names -------------------------------------------------

def test_a_save_killed_mid_way_leaves_nothing_behind_and_burns_no_name(studio_home):
    killed = ("import os, signal; from fashion.files import atomic_write; from fashion.model import registry; "
              "from fashion.paths import user_dir; path = registry.reserve_name(user_dir(), 'run'); "
              "atomic_write(path, lambda tmp: os.kill(os.getpid(), signal.SIGKILL))")
    r = subprocess.run([sys.executable, "-c", killed], cwd=REPO, env={**os.environ,
                       "FASHION_STUDIO_HOME": str(studio_home)}, capture_output=True, timeout=60)
    assert r.returncode == -signal.SIGKILL
    folder = studio_home / "models"
    assert {p.name.split("-")[0] for p in folder.iterdir()} == {".run.reserved", ".tmp"}   # the left-overs
    from fashion.model.architectures import seed_cnn
    path = registry.save_model(seed_cnn(), {"test_metrics": {"accuracy": 0.5}}, "run")
    assert path.name == "run.keras"                                # the name was not burned
    assert sorted(p.name for p in folder.iterdir()) == ["run.json", "run.keras"]


def test_unicode_names_are_kept_and_their_files_stay_safe(studio_home):
    from fashion.model.architectures import seed_cnn
    model = seed_cnn()
    paths = [registry.save_model(model, {"test_metrics": {"accuracy": 0.5}}, name)
             for name in ("Camiseta año", "模型", "モデル", "a\nb")]
    assert paths[0].name == "Camiseta-ano.keras"
    assert paths[1].stem.startswith("model-") and paths[1] != paths[2]     # different names stay apart
    assert all(p.name.isascii() for p in paths)
    shown = {m.display_name for m in registry.list_models().models if not m.shipped}
    assert shown == {"Camiseta año", "模型", "モデル", "ab"}


# --- 7. keyed errors; defaults in one place -----------------------------------------------------

def test_training_failures_carry_keys_pages_translate():
    from fashion.training.train import TrainConfig, TrainingFailed, train
    with pytest.raises(TrainingFailed) as info:
        train(TrainConfig(architecture="seed_cnn", epochs=1, batch_size=32, train_subset=1000),
              should_stop=lambda: True)
    assert info.value.key == "train.err.no_epoch"
    assert info.value.message("es") == t("train.err.no_epoch", "es") != str(info.value)


def test_pages_never_read_english_error_text():
    for path in (REPO / "pages").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for pattern in ('in error', '"NaN" in', "'NaN' in", "in str(e)", "out of memory\" in"):
            assert pattern not in source, f"{path.name} matches English error text: {pattern!r}"


def test_the_custom_builder_takes_its_defaults_and_limits_from_the_core():
    from fashion.model.architectures import CUSTOM_DEFAULTS, CUSTOM_LIMITS
    from pages.ui.train_form import SETTINGS_OPEN
    at = run_page("pages/train.py", session={SETTINGS_OPEN: True})   # the settings expander, open
    at.selectbox(key="tr_arch").select("custom").run()
    assert not at.exception
    blocks = at.slider(key="tr_blocks")
    assert blocks.value == CUSTOM_DEFAULTS["conv_blocks"] and at.select_slider(key="tr_filters").value == CUSTOM_DEFAULTS["filters"]
    assert (blocks.min, blocks.max) == CUSTOM_LIMITS["conv_blocks"]
    assert list(at.select_slider(key="tr_kernel").options) == [str(k) for k in CUSTOM_LIMITS["kernel_size"]]
    assert "CUSTOM_DEFAULTS = {" not in (REPO / "pages" / "train.py").read_text(encoding="utf-8")
