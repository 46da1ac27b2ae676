"""A limit on guessing: after a few wrong tries, a wait that doubles with every further
one, kept per browser, per client address and for the whole server at once.

A student who changes browser (or clears the cookie, getting a new id) is caught by the
address and, past that, by the server-wide count; a wait is refused outright, even for
the right answer, so waiting is the only way on. Wrong tries are forgotten after a quiet
spell (`forget_s`). The clock is injectable so tests can move time.

    limiter = AttemptLimiter(TEACHER_POLICIES)
    outcome = limiter.attempt({"browser": bid, "address": ip, "server": "all"}, lambda: guess == secret)
    outcome.ok, outcome.refused, outcome.wait_s     # wait_s: seconds until the next try is taken
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable, Mapping

MAX_RECORDS = 20_000     # remembered (kind, key) pairs; the stalest are dropped beyond it


@dataclass(frozen=True)
class Policy:
    """How one kind of key is limited: `free` wrong tries cost nothing; the next one
    waits `first_wait_s`, each further one twice as long, never more than `max_wait_s`.
    `cleared_by_success`: the right answer wipes the record (per browser: yes; the whole
    server: no, so a teacher's unlock does not hand a guesser a fresh allowance)."""
    free: int
    first_wait_s: float
    max_wait_s: float
    forget_s: float
    cleared_by_success: bool = True

    def wait_after(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        steps = failures - self.free
        return self.max_wait_s if steps > 32 else min(self.first_wait_s * 2 ** steps, self.max_wait_s)


# The teacher passphrase: 3 tries per browser, 5 per address, 20 for the whole server;
# then 10 s, 20 s, 40 s … up to 15 min between tries; forgotten after an hour of quiet.
TEACHER_POLICIES = {
    "browser": Policy(free=3, first_wait_s=10, max_wait_s=900, forget_s=3600),
    "address": Policy(free=5, first_wait_s=10, max_wait_s=900, forget_s=3600),
    "server": Policy(free=20, first_wait_s=10, max_wait_s=900, forget_s=3600, cleared_by_success=False),
}


@dataclass(frozen=True)
class Outcome:
    ok: bool            # the answer was checked and right
    refused: bool       # not checked at all: a wait was in force
    wait_s: float       # seconds until the next try is taken (0: at once)

    @property
    def wait_whole_s(self) -> int:
        return int(math.ceil(self.wait_s))


@dataclass
class _Record:
    failures: int = 0
    last: float = 0.0
    until: float = 0.0


class AttemptLimiter:
    """Counts wrong tries per (kind, key) for the kinds in `policies`; thread-safe, and a
    try is checked and counted under one lock, so parallel tabs cannot slip through."""

    def __init__(self, policies: Mapping[str, Policy], clock: Callable[[], float] = time.monotonic):
        self.policies = dict(policies)
        self.clock = clock
        self._records: dict[tuple[str, str], _Record] = {}
        self._lock = threading.Lock()

    def _keys(self, keys: Mapping[str, str | None]) -> list[tuple[str, str]]:
        return [(kind, str(value)) for kind, value in keys.items() if kind in self.policies and value is not None]

    def _record(self, pair: tuple[str, str], now: float, create: bool) -> _Record | None:
        record = self._records.get(pair)
        if record is not None and now >= record.until and now - record.last >= self.policies[pair[0]].forget_s:
            del self._records[pair]           # a quiet spell: forgotten
            record = None
        if record is None and create:
            record = self._records[pair] = _Record()
        return record

    def wait(self, keys: Mapping[str, str | None]) -> float:
        """Seconds until a try with these keys is taken (0: now)."""
        with self._lock:
            now = self.clock()
            records = [self._record(pair, now, create=False) for pair in self._keys(keys)]
            return max([r.until - now for r in records if r is not None] + [0.0])

    def attempt(self, keys: Mapping[str, str | None], check: Callable[[], bool]) -> Outcome:
        """Refuse while a wait is in force; else run check() and count a wrong answer."""
        with self._lock:
            now = self.clock()
            pairs = self._keys(keys)
            current = [r for pair in pairs if (r := self._record(pair, now, create=False)) is not None]
            waiting = max([r.until - now for r in current] + [0.0])
            if waiting > 0:
                return Outcome(ok=False, refused=True, wait_s=waiting)
            if check():
                for pair in pairs:
                    if self.policies[pair[0]].cleared_by_success:
                        self._records.pop(pair, None)
                return Outcome(ok=True, refused=False, wait_s=0.0)
            wait = 0.0
            for pair in pairs:
                record = self._record(pair, now, create=True)
                record.failures += 1
                record.last = now
                record.until = now + self.policies[pair[0]].wait_after(record.failures)
                wait = max(wait, record.until - now)
            self._prune(now)
            return Outcome(ok=False, refused=False, wait_s=wait)

    def _prune(self, now: float) -> None:
        if len(self._records) <= MAX_RECORDS:
            return
        for pair in list(self._records):
            self._record(pair, now, create=False)     # drops the forgotten ones
        if len(self._records) > MAX_RECORDS:
            stalest = sorted(self._records, key=lambda p: self._records[p].last)
            for pair in stalest[:len(self._records) - MAX_RECORDS]:
                if pair[0] != "server":
                    del self._records[pair]


_TEACHER: AttemptLimiter | None = None
_TEACHER_LOCK = threading.Lock()


def teacher_limiter() -> AttemptLimiter:
    """The server-wide limiter of teacher passphrase tries (one per process)."""
    global _TEACHER
    with _TEACHER_LOCK:
        if _TEACHER is None:
            _TEACHER = AttemptLimiter(TEACHER_POLICIES)
        return _TEACHER


def set_teacher_limiter(limiter: AttemptLimiter | None) -> None:
    """Replace the server's limiter (tests: a fresh one with a clock they move)."""
    global _TEACHER
    with _TEACHER_LOCK:
        _TEACHER = limiter
