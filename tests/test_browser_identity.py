"""One identity per browser: the model choice is kept server-side for the browser (a new
session of the same browser finds it; another browser does not), the teacher's class
default is the fallback, teacher mode unlocks only with the passphrase in st.secrets,
and in a real Chromium the choice survives a reload and a new tab (the app's cookie)."""
from __future__ import annotations

import json
import re
import shutil

from conftest import REPO, assert_no_exception, wait_for_app
from playwright.sync_api import expect

from fashion import preferences
from fashion.i18n import t
from fashion.model import registry

HOME = "pages/home.py"
ALICE, BOB = "alice-browser-000000000", "bob-browser-0000000000"


def user_model(home, name: str):
    """A copy of the shipped model saved as a class member's model."""
    folder = home / "models"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(registry.DEFAULT_MODEL, folder / f"{name}.keras")
    card = json.loads(registry.DEFAULT_MODEL.with_suffix(".json").read_text())
    card.update({"date": "2099-01-01T00:00:00+00:00", "name": name, "file": f"{name}.keras"})
    card.pop("display_name", None)
    (folder / f"{name}.json").write_text(json.dumps(card))
    return str(folder / f"{name}.keras")


def session(browser: str, secrets: dict | None = None):
    """A new session (a new tab) of the browser with this identity, on the home page."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["browser_id"] = browser
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_model_choice_belongs_to_the_browser_and_the_class_default_is_the_fallback(studio_home):
    mine = user_model(studio_home, "alices_cnn")
    first = session(ALICE)
    assert first.sidebar.selectbox(key="model_choice").value == str(registry.DEFAULT_MODEL)
    first.sidebar.selectbox(key="model_choice").set_value(mine).run()
    assert preferences.store().get(ALICE)["model"] == mine

    assert session(ALICE).sidebar.selectbox(key="model_choice").value == mine, "a new tab keeps the choice"
    assert session(BOB).sidebar.selectbox(key="model_choice").value == str(registry.DEFAULT_MODEL), \
        "another browser is not affected"

    preferences.store().set_class_default(user_model(studio_home, "class_cnn"))
    assert session(BOB).sidebar.selectbox(key="model_choice").value.endswith("class_cnn.keras")
    assert session(ALICE).sidebar.selectbox(key="model_choice").value == mine, "an own choice wins"
    (studio_home / "models" / "alices_cnn.keras").unlink()                      # the model is deleted
    assert session(ALICE).sidebar.selectbox(key="model_choice").value.endswith("class_cnn.keras")


def teacher_box(at):
    return [e for e in at.sidebar.expander if e.label == t("teacher.title", "en")][0]


def unlock(at, passphrase: str):
    at.sidebar.text_input(key="teacher_pass").input(passphrase)
    [button] = [b for b in at.sidebar.button if b.label == t("teacher.unlock", "en")]
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_teacher_mode_needs_the_passphrase(studio_home):
    off = session(ALICE)
    assert t("teacher.unavailable", "en") in [c.value for c in teacher_box(off).caption]

    secrets = {"teacher_passphrase": "correct horse battery"}
    at = session(ALICE, secrets)
    unlock(at, "wrong guess")
    assert t("teacher.wrong", "en") in [e.value for e in at.sidebar.error]
    assert t("teacher.on", "en") not in [s.value for s in at.sidebar.success]

    unlock(at, "correct horse battery")
    assert t("teacher.on", "en") in [s.value for s in at.sidebar.success]
    # the teacher sets the class default and the other browsers follow it
    mine = user_model(studio_home, "demo_cnn")
    at.run()                                       # the sidebar lists the new model
    at.sidebar.selectbox(key="model_choice").set_value(mine).run()
    at.button(key="teacher_default").click().run()
    assert preferences.store().class_default() == mine
    assert session(BOB, secrets).sidebar.selectbox(key="model_choice").value == mine
    assert t("teacher.on", "en") not in [s.value for s in session(BOB, secrets).sidebar.success]
    # a new tab of the teacher's browser is still the teacher's; leaving ends it everywhere
    again = session(ALICE, secrets)
    assert t("teacher.on", "en") in [s.value for s in again.sidebar.success]
    again.button(key="teacher_lock").click().run()
    assert t("teacher.on", "en") not in [s.value for s in session(ALICE, secrets).sidebar.success]


# --- a real browser: the cookie ------------------------------------------------------------

def active_model(pg) -> str:
    return pg.get_by_role("combobox", name="Active model").input_value()


def test_the_model_choice_survives_a_reload_and_a_new_tab(app_server, browser):
    user_model(app_server.home, "browser_choice_cnn")
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    other = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    try:
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        pg.goto(app_server.url)
        wait_for_app(pg)
        pg.get_by_role("combobox", name="Active model").click()
        pg.get_by_role("option", name=re.compile("browser_choice_cnn")).click()
        wait_for_app(pg)
        expect(pg.get_by_role("combobox", name="Active model")).to_have_value(re.compile("browser_choice_cnn"))
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert len(cookies.get("fashion_studio_browser", "")) >= 16, cookies

        pg.reload()
        wait_for_app(pg)
        expect(pg.get_by_role("combobox", name="Active model")).to_have_value(re.compile("browser_choice_cnn"))

        tab = context.new_page()
        tab.goto(app_server.url + "/evaluate")
        wait_for_app(tab)
        expect(tab.get_by_role("combobox", name="Active model")).to_have_value(re.compile("browser_choice_cnn"))
        assert_no_exception(tab)

        stranger = other.new_page()
        stranger.goto(app_server.url)
        wait_for_app(stranger)
        expect(stranger.get_by_role("combobox", name="Active model")).not_to_have_value(
            re.compile("browser_choice_cnn"))
    finally:
        context.close()
        other.close()


def test_the_teacher_sees_and_stops_another_browsers_run(studio_home, monkeypatch):
    """A student's run trains; the teacher's browser, unlocked, lists it on Train and stops it."""
    import dataclasses

    from fashion.runs import manager as manager_module
    from fashion.training.train import PRESETS
    manager = manager_module.JobManager(max_running=1)
    monkeypatch.setattr(manager_module, "_MANAGER", manager)
    run = manager.submit(dataclasses.replace(PRESETS["quick"], train_subset=600, epochs=20), name="student run",
                         save=False, owner=BOB)
    try:
        secrets = {"teacher_passphrase": "correct horse battery"}
        at = session(ALICE, secrets)
        unlock(at, "correct horse battery")
        at.switch_page("pages/train.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert t("train.all_runs", "en") in [e.label for e in at.expander]
        at.button(key=f"tr_teacher_stop_{run.id}").click().run()
        assert run.stop_requested, "the teacher may stop any run"
    finally:
        run.stop()
        assert run.wait(300)


def test_a_forged_cookie_is_replaced_by_one_the_server_signed(app_server, browser):
    """A made-up identity cookie is not an identity: the server issues a signed id and the
    page overwrites the browser's cookie with it, which then holds across a reload."""
    from fashion import identity
    forged = "forged-browser-id-0000000"
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    try:
        context.add_cookies([{"name": "fashion_studio_browser", "value": forged, "url": app_server.url}])
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        pg.goto(app_server.url)
        wait_for_app(pg)
        pg.wait_for_function(f"() => document.cookie.includes('fashion_studio_browser=') && "
                             f"!document.cookie.includes('{forged}')")
        issued = {c["name"]: c["value"] for c in context.cookies()}["fashion_studio_browser"]
        assert identity.verify_browser_id(issued, app_server.home), issued
        pg.reload()
        wait_for_app(pg)
        assert {c["name"]: c["value"] for c in context.cookies()}["fashion_studio_browser"] == issued
        assert_no_exception(pg)
    finally:
        context.close()
