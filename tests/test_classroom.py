"""The classroom nobody can game, through the app: one training slot per person (a new
cookie from the same address buys none), the teacher's one click that empties the queue,
a forged or malformed identity cookie replaced by a signed one (and the browser told to
overwrite it), and the sidebar's wait after wrong passphrases, in both languages.

The job manager runs no worker here: its training step is a stand-in that waits to be
stopped, so these tests need no TensorFlow and take seconds."""
from __future__ import annotations

import time

import pytest
from conftest import REPO

from fashion import attempts, identity
from fashion.i18n import t
from fashion.runs import manager as manager_module
from fashion.runs.job import CANCELLED, QUEUED, RUNNING, STOPPED
from fashion.runs.manager import JobManager
from fashion.runs.rules import ENV_MAX_PER_ADDRESS, JobRefused, Limits
from fashion.training.train import TrainConfig
from pages.ui import session as session_module

TINY = TrainConfig(architecture="seed_cnn", epochs=1, batch_size=64, train_subset=600, validation_split=0.2, seed=3)
PASSPHRASE = "correct horse battery"


def waits_to_be_stopped(self, job) -> None:
    """JobManager._train without a worker: the run trains until someone stops it."""
    job.emit("started")
    while not job.stop_requested:
        time.sleep(0.01)
    job.finish(STOPPED, epochs_completed=0)


@pytest.fixture
def jobs(studio_home, monkeypatch):
    monkeypatch.setattr(JobManager, "_train", waits_to_be_stopped)
    m = JobManager(limits=Limits(max_running=1, max_epochs=10, max_queue=8))
    yield m
    for job in m.jobs():
        job.stop()
    for job in m.jobs():
        assert job.wait(30)


def running(job, timeout: float = 10) -> bool:
    deadline = time.time() + timeout
    while job.state != RUNNING and time.time() < deadline:
        time.sleep(0.01)
    return job.state == RUNNING


def test_a_new_cookie_from_the_same_address_buys_no_second_slot(jobs):
    first = jobs.submit(TINY, save=False, owner="cookie-1", address="10.0.0.7")
    assert running(first)
    with pytest.raises(JobRefused) as refused:
        jobs.submit(TINY, save=False, owner="cookie-2", address="10.0.0.7")
    assert refused.value.key == "train.err.one_per_address" and refused.value.params == {"limit": 1}
    assert "1" in refused.value.message("es") and refused.value.message("es").startswith("Otro navegador")
    with pytest.raises(JobRefused) as refused:
        jobs.submit(TINY, save=False, owner="cookie-1", address="10.0.0.9")
    assert refused.value.key == "train.err.one_per_browser", "the browser rule still holds"
    neighbour = jobs.submit(TINY, save=False, owner="cookie-3", address="10.0.0.8")
    unknown = jobs.submit(TINY, save=False, owner="cookie-4", address=None)     # localhost: per browser only
    teacher = jobs.submit(TINY, save=False, owner="teacher", address="10.0.0.7", teacher=True)
    assert [j.state for j in (neighbour, unknown, teacher)] == [QUEUED] * 3
    first.stop()
    assert first.wait(30)
    again = jobs.submit(TINY, save=False, owner="cookie-2", address="10.0.0.7")
    assert again.state in (QUEUED, RUNNING), "a finished run frees the address's slot"


def test_a_class_behind_one_address_gets_a_setting(jobs, monkeypatch):
    monkeypatch.setenv(ENV_MAX_PER_ADDRESS, "3")
    assert Limits.from_settings({}).max_per_address == 3
    assert Limits.from_settings({"max_runs_per_address": 2}).max_per_address == 2
    jobs.limits = Limits.from_settings({"max_runs_per_address": 2, "max_queue": 8})
    jobs.submit(TINY, save=False, owner="a", address="203.0.113.5")
    jobs.submit(TINY, save=False, owner="b", address="203.0.113.5")
    with pytest.raises(JobRefused) as refused:
        jobs.submit(TINY, save=False, owner="c", address="203.0.113.5")
    assert refused.value.params == {"limit": 2}


def test_the_teacher_empties_the_queue_in_one_call(jobs):
    first = jobs.submit(TINY, save=False, owner="student-0")
    assert running(first)
    flood = [jobs.submit(TINY, save=False, owner=f"student-{i}") for i in range(1, 8)]
    assert jobs.counts()["queued"] == 7
    with pytest.raises(JobRefused) as refused:
        jobs.cancel_queued()
    assert refused.value.key == "train.err.not_yours" and jobs.counts()["queued"] == 7
    assert jobs.cancel_queued(teacher=True) == 7
    assert [j.state for j in flood] == [CANCELLED] * 7 and jobs.counts()["queued"] == 0
    assert first.state == RUNNING, "the run that trains goes on"
    assert jobs.cancel_queued(teacher=True) == 0


# --- through the app (AppTest) --------------------------------------------------------------

@pytest.fixture
def clock(studio_home):
    """A server-wide passphrase limiter whose clock the test moves."""
    class Clock:
        now = 1000.0

        def __call__(self):
            return self.now
    c = Clock()
    attempts.set_teacher_limiter(attempts.AttemptLimiter(attempts.TEACHER_POLICIES, c))
    identity.forget_cached_secrets()
    yield c
    attempts.set_teacher_limiter(None)
    identity.forget_cached_secrets()


def app(lang: str = "en", browser: str | None = "lockout-browser-0000000", secrets: dict | None = None):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    if browser:
        at.session_state["browser_id"] = browser
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def unlock(at, passphrase: str, lang: str):
    at.sidebar.text_input(key="teacher_pass").input(passphrase)
    [button] = [b for b in at.sidebar.button if b.label == t("teacher.unlock", lang)]
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return [e.value for e in at.sidebar.error]


def teacher_on(at, lang: str) -> bool:
    return t("teacher.on", lang) in [s.value for s in at.sidebar.success]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_wrong_passphrases_lock_the_sidebar_and_say_when_to_try_again(clock, lang):
    at = app(lang, secrets={"teacher_passphrase": PASSPHRASE})
    assert unlock(at, "guess 1", lang) == [t("teacher.wrong", lang)]
    assert unlock(at, "guess 2", lang) == [t("teacher.wrong", lang)]
    assert unlock(at, "guess 3", lang) == [t("teacher.wrong", lang), t("teacher.locked", lang, wait="10 s")]
    # the right passphrase during the wait is not even checked
    assert unlock(at, PASSPHRASE, lang) == [t("teacher.locked", lang, wait="10 s")]
    assert not teacher_on(at, lang)
    clock.now += 4
    at.run()
    assert [e.value for e in at.sidebar.error] == [t("teacher.locked", lang, wait="6 s")]
    other_tab = app(lang, browser="another-browser-00000000", secrets={"teacher_passphrase": PASSPHRASE})
    assert [e.value for e in other_tab.sidebar.error] == [], "another browser is not locked by one tab's guesses"
    clock.now += 6
    assert unlock(at, "guess 4", lang) == [t("teacher.wrong", lang), t("teacher.locked", lang, wait="20 s")]
    clock.now += 20 * 60                      # long waits read in minutes
    for i in range(6):                        # wrong tries 5 … 10: 40 s, 80 s … capped at 15 min
        unlock(at, f"guess {5 + i}", lang)
        clock.now += 60 * 16 if i < 5 else 0
    assert [e.value for e in at.sidebar.error][-1] == t("teacher.locked", lang, wait="15 min")
    clock.now += 15 * 60
    assert unlock(at, PASSPHRASE, lang) == [] and teacher_on(at, lang)


def test_the_teacher_clears_a_flood_from_the_sidebar(clock, jobs, monkeypatch):
    monkeypatch.setattr(manager_module, "_MANAGER", jobs)
    first = jobs.submit(TINY, save=False, owner="student-0")
    flood = [jobs.submit(TINY, save=False, owner=f"student-{i}") for i in range(1, 5)]
    at = app(secrets={"teacher_passphrase": PASSPHRASE})
    assert not [b for b in at.sidebar.button if b.key == "teacher_clear_queue"], "students see no such button"
    unlock(at, PASSPHRASE, "en")
    assert teacher_on(at, "en")
    at.sidebar.button(key="teacher_clear_queue").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [j.state for j in flood] == [CANCELLED] * 4 and first.state != CANCELLED
    assert not [b for b in at.sidebar.button if b.key == "teacher_clear_queue"], "nothing left to clear"


@pytest.mark.parametrize("sent", ["forged-browser-id-0000000", "alice-browser-000000000", "bad cookie!", "x" * 80])
def test_a_cookie_the_server_did_not_sign_is_replaced_and_rewritten(clock, monkeypatch, sent):
    told = []
    monkeypatch.setattr(session_module, "sent_cookie", lambda: sent)
    monkeypatch.setattr(session_module, "_cookie_setter", lambda data, key: told.append(data))
    at = app(browser=None)
    issued = at.session_state["browser_id"]
    assert issued != sent and identity.verify_browser_id(issued)
    assert told and told[-1]["value"] == issued and told[-1]["replace"] is True, told


def test_a_signed_cookie_is_kept_and_a_missing_one_written_without_overwriting(clock, monkeypatch):
    told, mine = [], identity.new_browser_id()
    monkeypatch.setattr(session_module, "_cookie_setter", lambda data, key: told.append(data))
    monkeypatch.setattr(session_module, "sent_cookie", lambda: mine)
    assert app(browser=None).session_state["browser_id"] == mine and told == []
    monkeypatch.setattr(session_module, "sent_cookie", lambda: None)
    fresh = app(browser=None).session_state["browser_id"]
    assert identity.verify_browser_id(fresh) and told[-1]["value"] == fresh and told[-1]["replace"] is False
    assert "data.replace" in session_module._SET_COOKIE_JS, "the browser overwrites when told to"
