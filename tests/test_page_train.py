"""The Train page in AppTest (the real app: frame, sidebar and navigation): the form,
presets, the live model summary, refused settings, a tiny real run followed to the
end, making it the active model, finding it again from the URL, and Compare runs."""
from __future__ import annotations

import dataclasses
import json
import time

import pytest
import streamlit as st
from conftest import REPO, all_text, run_page

from fashion.i18n import t
from fashion.runs import manager as manager_module
from fashion.runs.job import CANCELLED, DONE, FAILED
from fashion.training.train import PRESETS
from pages.ui import train_form
from pages.ui.text import as_text
from pages.ui.train_compare import COMPARE_OPEN
from pages.ui.train_form import SETTINGS_OPEN

PAGE = "pages/train.py"
OPEN = {SETTINGS_OPEN: True, COMPARE_OPEN: True}


def train_page(lang: str = "en", session: dict | None = None):
    """The Train page with its settings and Compare expanders open (drawn only while open)."""
    return run_page(PAGE, lang, session={**OPEN, **(session or {})})


@pytest.fixture(autouse=True)
def navigation_only(monkeypatch):
    """AppTest resets PagesManager.uses_pages_directory before every run, and since this
    repo has a pages/ folder Streamlit then starts each run in the old pages-folder mode,
    runs the page bare until its first element, and reruns it under st.navigation. That
    first partial run swallows button clicks. The real server settles on st.navigation
    after its first run; this makes AppTest do the same from the start."""
    from streamlit.runtime.pages_manager import PagesManager
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def manager(monkeypatch):
    """A fresh server-wide job manager for each test."""
    m = manager_module.JobManager(max_running=1)
    monkeypatch.setattr(manager_module, "_MANAGER", m)
    return m


def no_exception(at):
    assert not at.exception, [e.value for e in at.exception]


def dataframes_text(at) -> str:
    return "\n".join(df.value.to_string() for df in at.dataframe)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_form_shows_presets_summary_and_hyperparameters(manager, lang):
    at = train_page(lang)
    no_exception(at)
    text = all_text(at)
    assert t("train.title", lang) in text
    for key in ("train.preset", "train.architecture", "train.epochs", "train.batch", "train.optimizer",
                "train.subset", "train.val_split", "train.augment", "train.start", "train.tab_compare"):
        assert t(key, lang) in text, key
    assert at.select_slider(key="tr_lr").label == t("train.lr", lang)
    preset = at.selectbox(key="tr_preset")
    assert preset.value == "quick"
    assert list(preset.options) == [
        t(f"train.preset.{k}", lang) for k in ("quick", "seed", "overfit", "best", "custom")]
    # the live model summary of the fast CNN: its layers and parameter count
    summary = at.dataframe[0].value
    assert t("train.col.shape", lang) in summary.columns and len(summary) >= 5
    assert t("train.total_params", lang) in text
    assert not at.error
    assert not at.button(key="tr_start").disabled


def test_presets_fill_the_form_and_the_builder_updates_the_summary(manager):
    at = train_page()
    at.selectbox(key="tr_preset").select("overfit").run()
    no_exception(at)
    overfit = PRESETS["overfit"]
    assert at.selectbox(key="tr_arch").value == "custom"
    assert at.number_input(key="tr_subset").value == overfit.train_subset
    assert at.number_input(key="tr_epochs").value == overfit.epochs
    assert at.slider(key="tr_dropout").value == 0.0
    assert at.checkbox(key="tr_bn").value is False
    rows_two_blocks = len(at.dataframe[0].value)
    at.slider(key="tr_blocks").set_value(3).run()
    no_exception(at)
    assert len(at.dataframe[0].value) == rows_two_blocks + 3   # one more conv, ReLU, pool
    at.selectbox(key="tr_preset").select("seed").run()
    assert at.selectbox(key="tr_arch").value == "seed_cnn"
    assert at.selectbox(key="tr_batch").value == 32
    assert "conv2d" in dataframes_text(at)


def test_the_preset_box_follows_the_settings(manager):
    """Once a setting differs from the preset, the box says "your own settings"; picking a
    preset again fills the form with it."""
    at = train_page()
    at.selectbox(key="tr_arch").select("custom").run()
    no_exception(at)
    assert at.selectbox(key="tr_preset").value == "custom"
    assert t("train.preset.custom.help", "en") in all_text(at)
    at.selectbox(key="tr_preset").select("quick").run()
    assert at.selectbox(key="tr_arch").value == PRESETS["quick"].architecture
    assert at.selectbox(key="tr_preset").value == "quick"
    at.number_input(key="tr_epochs").set_value(PRESETS["quick"].epochs + 1).run()
    assert at.selectbox(key="tr_preset").value == "custom"


def test_the_start_button_is_in_the_first_row_and_settings_wait_in_an_expander(manager):
    """The first row (preset, name, Start) is drawn at once; the settings and Compare are
    drawn only while their expanders are open, so the page paints before TensorFlow builds
    the layer table or Plotly draws the comparison, and keeps the settings while closed."""
    at = run_page(PAGE)
    start = at.button(key="tr_start")
    expanders = [e.label for e in at.expander]
    assert t("train.settings", "en") in expanders and t("train.tab_compare", "en") in expanders
    assert not at.dataframe and not at.get("plotly_chart")            # closed: nothing drawn inside
    with pytest.raises(KeyError):
        at.selectbox(key="tr_arch")
    at.session_state[SETTINGS_OPEN] = True                                # the user opens the settings
    at.run()
    settings = at.expander[[e.label for e in at.expander].index(t("train.settings", "en"))]
    assert at.selectbox(key="tr_arch") in settings.selectbox
    assert start.key not in [b.key for b in settings.button]
    assert len(at.dataframe[0].value) >= 5                                # the layer table, built on opening
    at.number_input(key="tr_epochs").set_value(7).run()
    at.session_state[SETTINGS_OPEN] = False                               # closed again: the change holds
    at.run()
    at.run()
    assert t("train.line.epochs", "en", n=7) in " ".join(c.value for c in at.caption)
    at.session_state[SETTINGS_OPEN] = True
    at.run()
    assert at.number_input(key="tr_epochs").value == 7
    at.selectbox(key="tr_preset").select("custom").run()                 # "your own settings" opens them
    at.session_state[SETTINGS_OPEN] = False
    at.run()
    at.selectbox(key="tr_preset").select("quick").run()
    at.selectbox(key="tr_preset").select("custom").run()
    assert at.session_state[SETTINGS_OPEN] and at.selectbox(key="tr_arch")


def test_a_value_typed_while_the_layer_table_is_built_is_kept(manager, monkeypatch):
    """Opening the settings on a cold server builds the layer table (TensorFlow starts): a
    value typed meanwhile ends that run before it finishes. The next run keeps what was
    typed, not the value the form had before."""
    at = run_page(PAGE)                                                    # settings closed
    built = train_form.model_summary

    def cut_short(*args, **kwargs):
        st.stop()                     # the run ends here, as when the browser sends a typed value

    monkeypatch.setattr(train_form, "model_summary", cut_short)
    at.session_state[SETTINGS_OPEN] = True
    at.run()                                                  # the widgets drawn, the table not yet
    assert at.number_input(key="tr_epochs").value != 40
    monkeypatch.setattr(train_form, "model_summary", built)
    at.number_input(key="tr_epochs").set_value(40)
    at.number_input(key="tr_subset").set_value(3000).run()
    no_exception(at)
    assert at.number_input(key="tr_epochs").value == 40 and at.number_input(key="tr_subset").value == 3000
    line = " ".join(c.value for c in at.caption)
    assert t("train.line.epochs", "en", n=40) in line, line


def test_invalid_combinations_are_refused_with_a_message(manager):
    at = train_page()
    at.number_input(key="tr_subset").set_value(150)
    at.slider(key="tr_val").set_value(0.45).run()
    no_exception(at)
    errors = [e.value for e in at.error]
    assert t("config.err.batch_too_big", "en", batch=at.selectbox(key="tr_batch").value, images=82) in errors
    assert at.button(key="tr_start").disabled

    at.number_input(key="tr_subset").set_value(50).run()
    assert t("config.err.train_subset", "en") in [e.value for e in at.error]

    at.number_input(key="tr_subset").set_value(0)
    at.toggle(key="tr_aug").set_value(True).run()
    at.multiselect(key="tr_augs").set_value([]).run()
    assert t("train.err.no_aug", "en") in [e.value for e in at.error]
    assert at.button(key="tr_start").disabled

    # Spanish: the same refusal in Spanish
    at.session_state["lang"] = "es"
    at.run()
    assert t("train.err.no_aug", "es") in [e.value for e in at.error]


def test_sometimes_hidden_settings_survive_being_hidden(manager):
    """Augmentation kinds and the builder's knobs are drawn only when needed; hiding and
    showing them again keeps the user's choice (and never breaks the page)."""
    at = train_page()
    at.toggle(key="tr_aug").set_value(True).run()
    at.multiselect(key="tr_augs").set_value(["rotate", "erase"]).run()
    at.toggle(key="tr_aug").set_value(False).run()
    at.run()
    no_exception(at)
    at.toggle(key="tr_aug").set_value(True).run()
    no_exception(at)
    assert at.multiselect(key="tr_augs").value == ["rotate", "erase"]

    at.selectbox(key="tr_arch").select("custom").run()
    at.slider(key="tr_blocks").set_value(3).run()
    at.selectbox(key="tr_arch").select("seed_cnn").run()
    at.run()
    at.selectbox(key="tr_arch").select("custom").run()
    no_exception(at)
    assert at.slider(key="tr_blocks").value == 3
    # leaving the page and coming back keeps the form
    at.switch_page("pages/home.py").run()
    at.switch_page(PAGE).run()
    no_exception(at)
    assert at.selectbox(key="tr_arch").value == "custom" and at.slider(key="tr_blocks").value == 3


def wait_for(job, at, timeout=300):
    """Let the job finish while the page keeps polling it."""
    deadline = time.time() + timeout
    while not job.wait(2):
        at.run()
        no_exception(at)
        assert time.time() < deadline, "the run did not finish"
    at.run()


def test_a_tiny_run_is_watched_saved_made_active_found_again_and_compared(manager):
    at = train_page()
    at.number_input(key="tr_subset").set_value(600)
    at.number_input(key="tr_epochs").set_value(1)
    at.selectbox(key="tr_batch").select(64)
    at.slider(key="tr_val").set_value(0.2)
    at.text_input(key="tr_name").input("page tiny run").run()
    no_exception(at)
    at.button(key="tr_start").click().run()
    no_exception(at)

    [job] = manager.jobs()
    assert job.config.train_subset == 600 and job.config.epochs == 1 and job.config.batch_size == 64
    assert job.name == "page tiny run"
    assert at.query_params["job"] == [job.id] or at.query_params["job"] == job.id
    assert t("train.run_title", "en", name="page tiny run") in [s.value for s in at.subheader]

    wait_for(job, at)
    no_exception(at)
    snap = job.snapshot()
    assert snap["state"] == DONE, snap["error"]
    text = all_text(at)
    assert "Test accuracy" in text and t("train.saved_as", "en", name="page-tiny-run") in text
    assert len(at.get("plotly_chart")) >= 2, "live curves"

    # make it the active model: the whole app (sidebar included) switches to it
    at.button(key=f"tr_activate_{job.id}").click().run()
    no_exception(at)
    path = snap["result"]["model_path"]
    assert at.session_state["model_path"] == path
    assert at.sidebar.selectbox[-1].value == path
    assert t("train.is_active", "en") in all_text(at)

    # Compare runs lists it with its settings and test accuracy
    table = dataframes_text(at)
    assert "page tiny run" in table and "480" in table, table
    labels = [o for w in at.multiselect if w.key.startswith("tr_compare_") for o in w.options]
    assert any(o.startswith("#2 · page tiny run · ") for o in labels), labels   # numbered and dated: runs stay apart

    # a reloaded tab (a new session) finds the run from the URL alone
    from streamlit.testing.v1 import AppTest

    again = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=120)
    again.session_state["lang"] = "en"
    again.query_params["job"] = job.id
    again.run()
    again.switch_page(PAGE)
    again.query_params["job"] = job.id
    again.run()
    no_exception(again)
    assert t("train.run_title", "en", name="page tiny run") in [s.value for s in again.subheader]


def test_an_unknown_job_in_the_url_is_explained(manager):
    at = train_page()
    at.query_params["job"] = "no-such-job"
    at.run()
    no_exception(at)
    assert t("train.job_gone", "en") in [i.value for i in at.info]
    assert not at.subheader or t("train.run_title", "en", name="") not in at.subheader[0].value


def test_a_failed_run_shows_a_clear_message_in_spanish(manager, studio_home, monkeypatch):
    """A run that failed (as a previous server recorded it) shows its message from the
    i18n key the core gave, in Spanish, without a trace of English or a traceback."""
    record = {"id": "failedrun-0123456789ab", "name": "nan", "preset": None, "save": True, "owner": "someone",
              "config": dataclasses.replace(PRESETS["quick"], train_subset=600, epochs=1).to_dict(),
              "created": time.time(), "started": time.time(), "finished": time.time(), "state": FAILED,
              "error": "Training failed: the loss became NaN", "error_key": "train.err.nan", "error_params": {},
              "history": {}, "loss_points": [], "result": None}
    folder = studio_home / "jobs" / record["id"]
    folder.mkdir(parents=True)
    (folder / "job.json").write_text(json.dumps(record))
    monkeypatch.setattr(manager_module, "_MANAGER", manager_module.JobManager(max_running=1))   # a restarted server
    at = train_page("es", session={"train_job_id": record["id"]})
    no_exception(at)
    assert t("train.err.nan", "es") in [e.value for e in at.error]
    assert "Traceback" not in all_text(at)


def test_a_queued_run_shows_its_place_and_only_its_browser_may_stop(manager):
    """Another browser's run trains; this browser's run waits behind it. This browser
    sees its place and leaves the queue; it cannot stop the other browser's run."""
    config = dataclasses.replace(PRESETS["quick"], train_subset=600, epochs=20)
    first = manager.submit(config, name="first", save=False, owner="another-browser-000000")
    second = manager.submit(dataclasses.replace(config, epochs=1), name="second", save=False,
                            owner="this-browser-0000000000")
    try:
        at = train_page(session={"browser_id": "this-browser-0000000000"})
        no_exception(at)
        assert t("train.queued", "en", position=1, limit=1) in [i.value for i in at.info], \
            "the browser's own run is found without any job id in the URL"
        assert t("train.err.one_per_browser", "en") not in [e.value for e in at.error]
        at.button(key="tr_start").click().run()                  # a second run from the same browser
        assert t("train.err.one_per_browser", "en") in [e.value for e in at.error]
        assert len(manager.jobs()) == 2
        at.button(key="tr_stop").click().run()
        assert second.state == CANCELLED
        assert t("train.cancelled", "en") in [i.value for i in at.info]

        other = train_page(session={"browser_id": "this-browser-0000000000", "train_job_id": first.id})
        no_exception(other)
        assert t("train.not_yours", "en") in all_text(other)
        assert not [b for b in other.button if b.key == "tr_stop"], "no Stop for another browser's run"
        assert not first.stop_requested
    finally:
        first.stop()
        first.wait(300)


BROWSER = "this-browser-0000000000"


def saved_model(name: str, owner: str | None = None, accuracy: float = 0.8):
    """A small real model in the user's registry, its card naming its owner's browser."""
    import keras

    from fashion.model import registry
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    card = {"test_metrics": {"accuracy": accuracy}}
    if owner:
        card["owner"] = registry.owner_tag(owner)
    return registry.save_model(model, card, name)


def warnings_of(at) -> list[str]:
    return [w.value for w in at.warning]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_taken_name_is_asked_about_and_another_browsers_model_is_not_replaced(manager, lang):
    """The question as the page draws it after Start (AppTest cannot click through the
    Spanish form's translated select boxes, so the session holds the name and the asking)."""
    from fashion.i18n.numbers import fmt_pct
    saved_model("Mi modelo", owner="another-browser-000000")
    at = train_page(lang, session={"browser_id": BROWSER, "_train_form": {"tr_name": "Mi modelo"},
                                       "_tr_clash_asked": "Mi modelo"})
    no_exception(at)
    assert manager.jobs() == [], "nothing starts before the user has answered"
    assert t("train.clash.model", lang, name="Mi modelo", accuracy=fmt_pct(0.8, lang)) in warnings_of(at)
    assert at.button(key="tr_clash_overwrite").disabled, "not this browser's model, not the teacher"
    assert t("train.err.replace_not_yours", lang, name="Mi modelo") in [c.value for c in at.caption]
    assert at.button(key="tr_clash_keep_both").label == t("train.clash_keep_both", lang, name="Mi modelo-2")
    assert at.button(key="tr_clash_edit").label == t("train.clash_edit", lang)


def test_start_asks_about_a_taken_name_until_the_name_is_edited(manager):
    from fashion.i18n.numbers import fmt_pct
    from fashion.model import registry
    saved_model("Mi modelo", owner="another-browser-000000")
    at = train_page(session={"browser_id": BROWSER})
    at.text_input(key="tr_name").input("Mi modelo").run()
    assert not warnings_of(at), "asked at Start, not while typing"
    at.button(key="tr_start").click().run()
    no_exception(at)
    asked = t("train.clash.model", "en", name="Mi modelo", accuracy=fmt_pct(0.8, "en"))
    assert asked in warnings_of(at) and manager.jobs() == []
    at.run()
    assert asked in warnings_of(at), "the question stays until it is answered"
    at.button(key="tr_clash_edit").click().run()
    no_exception(at)
    assert asked not in warnings_of(at) and manager.jobs() == []
    assert t("train.clash_edit_hint", "en", label=t("train.run_name", "en")) in [x.value for x in at.toast]

    shipped = registry.find_model(registry.DEFAULT_MODEL.stem)     # the model that comes with the app
    at.text_input(key="tr_name").input(registry.DEFAULT_MODEL.stem).run()
    at.button(key="tr_start").click().run()
    no_exception(at)
    assert t("train.clash.shipped", "en", name=as_text(shipped.display_name)) in warnings_of(at)
    assert not [b for b in at.button if b.key == "tr_clash_overwrite"], "never offered for the shipped model"
    assert manager.jobs() == []


def test_its_own_model_is_replaced_or_kept_beside_the_new_run(manager):
    saved_model("mine", owner=BROWSER)
    at = train_page(session={"browser_id": BROWSER})
    at.number_input(key="tr_subset").set_value(600)
    at.number_input(key="tr_epochs").set_value(1)
    at.text_input(key="tr_name").input("mine").run()
    at.button(key="tr_start").click().run()
    replace = at.button(key="tr_clash_overwrite")
    assert not replace.disabled and replace.label == t("train.clash_overwrite", "en", name="mine")
    replace.click().run()
    no_exception(at)
    [job] = manager.jobs()
    assert (job.name, job.overwrite, job.owner) == ("mine", True, BROWSER)
    job.stop()                      # what was asked is what counts here, not the training
    assert job.wait(300)

    at.run()
    at.button(key="tr_start").click().run()           # the same name again: asked again
    at.button(key="tr_clash_keep_both").click().run()
    no_exception(at)
    second = manager.jobs()[0]
    try:
        assert second is not job and (second.name, second.overwrite) == ("mine-2", False)
        assert at.text_input(key="tr_name").value == "mine-2", "the box shows the name the run got"
    finally:
        second.stop()
        assert second.wait(300)


def test_every_choice_on_the_page_has_both_labels():
    """The page builds some keys from settings (train.arch.<name>, train.opt.<name>...):
    each one exists in English and Spanish."""
    from fashion.i18n import TABLE
    from fashion.model.architectures import ARCHITECTURES
    from fashion.training.train import AUGMENTATIONS, OPTIMIZERS, SCHEDULES
    keys = [f"train.arch.{a}" for a in ARCHITECTURES] + [f"train.arch.{a}.help" for a in ARCHITECTURES]
    keys += [f"train.preset.{p}" for p in PRESETS] + [f"train.preset.{p}.help" for p in PRESETS]
    keys += [f"train.opt.{o}" for o in OPTIMIZERS] + [f"train.sched.{s}" for s in SCHEDULES]
    keys += [f"train.aug.{a}" for a in AUGMENTATIONS] + [f"train.pool.{p}" for p in ("max", "average", "none")]
    keys += ["train.phase.testing", "train.phase.saving", "train.chart.accuracy", "train.chart.loss"]
    missing = [k for k in keys if k not in TABLE]
    assert not missing
    for k in keys:
        en, es = TABLE[k]
        assert en.strip() and es.strip()
