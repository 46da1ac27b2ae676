"""The classroom nobody can game, in the core: the per-install secret (0600, created once,
even by two processes at once), browser ids the server signs (a made-up, forged, truncated
or another install's id is refused), the teacher token keyed with the secret, and the
limit on passphrase guesses (per browser, per address, per server; a clock the test moves)."""
from __future__ import annotations

import hashlib
import os
import secrets
import stat
import threading

import pytest

from fashion import identity
from fashion.attempts import TEACHER_POLICIES, AttemptLimiter, Policy


@pytest.fixture(autouse=True)
def fresh_secrets(studio_home):
    identity.forget_cached_secrets()
    yield
    identity.forget_cached_secrets()


def test_the_install_secret_is_private_random_and_kept(studio_home):
    first = identity.install_secret()
    path = studio_home / identity.SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) == identity.SECRET_BYTES
    identity.forget_cached_secrets()
    assert identity.install_secret() == first, "read back, not made again"
    assert identity.install_secret(studio_home.parent / "other-install") != first
    assert [p.name for p in studio_home.iterdir()] == [identity.SECRET_FILE], "no temp file left behind"


def test_a_loose_or_damaged_secret_file_is_mended(studio_home):
    first = identity.install_secret()
    path = studio_home / identity.SECRET_FILE
    os.chmod(path, 0o644)
    identity.forget_cached_secrets()
    assert identity.install_secret() == first and stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("half a secr")
    identity.forget_cached_secrets()
    mended = identity.install_secret()
    assert mended != first and len(mended) == identity.SECRET_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_servers_starting_together_agree_on_one_secret(studio_home):
    found, barrier = [], threading.Barrier(8)

    def start():
        barrier.wait()
        found.append(identity.install_secret(studio_home))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    identity.forget_cached_secrets()
    assert set(found) == {identity.install_secret(studio_home)}


def test_an_unwritable_home_still_gives_ids_for_this_process(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("FASHION_STUDIO_HOME", str(blocked / "home"))
    bid = identity.new_browser_id()
    assert identity.verify_browser_id(bid)


def test_only_ids_this_install_signed_are_identities(studio_home):
    bid = identity.new_browser_id()
    assert identity.verify_browser_id(bid) and len(bid) <= 64
    assert identity.new_browser_id() != bid
    random_part, signature = bid.split(".")
    flipped = signature[:-1] + ("B" if signature[-1] != "B" else "C")
    forged = [
        "alice-browser-000000000",                     # any 16-64 URL-safe characters: accepted before
        secrets.token_urlsafe(18),                     # an unsigned id of the old kind
        f"{secrets.token_urlsafe(18)}.{signature}",    # a signature copied onto another id
        f"{random_part}.{flipped}",                    # a tampered signature
        bid[:-1], bid + "x", bid.replace(".", "-"), f" {bid}", "", None, 12345, "a" * 5000,
    ]
    assert [f for f in forged if identity.verify_browser_id(f)] == []
    identity.forget_cached_secrets()
    other_home = studio_home.parent / "another-install"
    assert not identity.verify_browser_id(bid, other_home), "another install's id is not ours"
    assert identity.verify_browser_id(bid), "the same install after a restart"


def test_the_teacher_token_is_keyed_per_install(studio_home):
    token = identity.teacher_token("correct horse battery")
    unsalted = hashlib.sha256(b"fashion-studio-teacher:correct horse battery").hexdigest()[:32]
    assert token != unsalted, "the old token was the same on every install"
    assert token == identity.teacher_token("correct horse battery")
    assert token != identity.teacher_token("correct horse battery", studio_home.parent / "another-install")
    assert token != identity.teacher_token("correct horse batteryx")


# --- the limit on guessing ------------------------------------------------------------------

class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def keys(browser="b1", address=None):
    return {"browser": browser, "address": address, "server": "all"}


def test_wrong_tries_wait_longer_and_longer_and_a_wait_refuses_even_the_right_answer():
    clock = Clock()
    limiter = AttemptLimiter(TEACHER_POLICIES, clock)
    waits = [limiter.attempt(keys(), lambda: False).wait_s for _ in range(3)]
    assert waits == [0, 0, 10]
    checked = []
    refused = limiter.attempt(keys(), lambda: checked.append(1) or True)
    assert refused.refused and not refused.ok and refused.wait_s == 10 and checked == [], "not even checked"
    clock.now += 4
    assert limiter.wait(keys()) == 6 and limiter.attempt(keys(), lambda: True).wait_whole_s == 6
    clock.now += 6
    assert limiter.attempt(keys(), lambda: False).wait_s == 20
    clock.now += 20
    assert limiter.attempt(keys(), lambda: False).wait_s == 40
    assert limiter.wait(keys("b2")) == 0, "another browser is not held up (the server still has tries)"
    clock.now += 40
    assert limiter.attempt(keys(), lambda: True).ok
    assert limiter.wait(keys()) == 0 and limiter.attempt(keys(), lambda: False).wait_s == 0, "a success clears it"


def test_new_browsers_do_not_buy_new_guesses_the_address_and_the_server_count_them():
    clock = Clock()
    limiter = AttemptLimiter(TEACHER_POLICIES, clock)
    for i in range(5):                                   # five fresh cookies, one address
        limiter.attempt(keys(f"fresh-{i}", "10.0.0.7"), lambda: False)
    assert limiter.wait(keys("fresh-5", "10.0.0.7")) == 10
    assert limiter.wait(keys("fresh-5", "10.0.0.8")) == 0
    for i in range(15):                                  # no address known (localhost): the server counts
        limiter.attempt(keys(f"anon-{i}"), lambda: False)
    assert limiter.wait(keys("anyone-new")) == 10, "20 wrong tries on the server: everyone waits"
    clock.now += 10
    assert limiter.attempt(keys("teacher"), lambda: True).ok
    assert limiter.attempt(keys("anon-x"), lambda: False).wait_s == 20, "the teacher's success does not reset it"


def test_wrong_tries_are_forgotten_after_a_quiet_spell_and_the_waits_are_capped():
    clock = Clock()
    limiter = AttemptLimiter({"browser": Policy(free=1, first_wait_s=10, max_wait_s=60, forget_s=600)}, clock)
    found = []
    for _ in range(6):
        found.append(limiter.attempt(keys(), lambda: False).wait_s)
        clock.now += found[-1]
    assert found == [10, 20, 40, 60, 60, 60]
    clock.now += 600
    assert limiter.wait(keys()) == 0 and limiter.attempt(keys(), lambda: False).wait_s == 10


def test_parallel_tabs_cannot_slip_guesses_through():
    limiter = AttemptLimiter(TEACHER_POLICIES, Clock())
    barrier, outcomes = threading.Barrier(16), []

    def guess():
        barrier.wait()
        outcomes.append(limiter.attempt(keys(), lambda: False))

    threads = [threading.Thread(target=guess) for _ in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(1 for o in outcomes if not o.refused) == TEACHER_POLICIES["browser"].free


def guesses_in(seconds: float, fresh_browser_each_time: bool) -> int:
    """Wrong guesses a patient attacker gets through in `seconds`, trying the moment a wait ends."""
    clock = Clock()
    limiter = AttemptLimiter(TEACHER_POLICIES, clock)
    end, taken = clock.now + seconds, 0
    while clock.now < end:
        outcome = limiter.attempt(keys(f"b{taken}" if fresh_browser_each_time else "b"), lambda: False)
        taken += 0 if outcome.refused else 1
        clock.now += max(outcome.wait_s, 0.13)         # 200 guesses in 26 s before: 0.13 s each
    return taken


def test_the_guessing_rate_before_and_after():
    """Before: 200 guesses in 26 s (about 460 a minute) from one tab. After: a handful."""
    assert guesses_in(60, False) == 5                   # 3 free, then after 10 s, 20 s (at 10 s, 30 s)
    assert guesses_in(3600, False) == 12                # then one every 15 min at most
    assert guesses_in(60, True) == 22                   # a new cookie every guess: the server's count
    assert guesses_in(3600, True) <= 30
