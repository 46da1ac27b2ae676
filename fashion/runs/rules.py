"""The classroom rules of training runs, apart from the machinery that runs them: the
server-wide caps (`Limits`, from `.streamlit/secrets.toml` or environment variables),
one training slot per person (`refuse_second_slot`: per browser, and per client address
where the page knows it), what a taken run name means for the page to ask about (`NameClash`), and the keyed
refusal a request gets when the rules say no (`JobRefused`).
"""
from __future__ import annotations

import hmac
import logging
import os
from dataclasses import dataclass
from typing import Iterable, Mapping

from fashion.errors import StudioError

log = logging.getLogger(__name__)

ENV_MAX_TRAININGS = "FASHION_MAX_TRAININGS"
ENV_MAX_EPOCHS = "FASHION_MAX_EPOCHS"
ENV_MAX_QUEUE = "FASHION_MAX_QUEUE"
ENV_WORKER_THREADS = "FASHION_WORKER_THREADS"
ENV_MAX_PER_ADDRESS = "FASHION_MAX_RUNS_PER_ADDRESS"
ENV_RESUME = "FASHION_RESUME_JOBS"


def _positive_int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def default_max_trainings() -> int:
    """FASHION_MAX_TRAININGS if set to a positive integer, else one per 4 CPU cores (min 1)."""
    raw = os.environ.get(ENV_MAX_TRAININGS, "").strip()
    if raw:
        value = _positive_int(raw)
        if value:
            return value
        log.warning("%s=%r is not a positive integer; using the default", ENV_MAX_TRAININGS, raw)
    return max(1, (os.cpu_count() or 1) // 4)


def default_worker_threads() -> int:
    """All cores but one for a training, so the server always keeps one for its users."""
    return max(1, (os.cpu_count() or 1) - 1)


def resume_by_default() -> bool:
    """Whether a new server resumes the runs a previous one left running (FASHION_RESUME_JOBS=0: no)."""
    return os.environ.get(ENV_RESUME, "1").strip() not in ("0", "false", "no")


@dataclass
class Limits:
    """Server-wide caps. Each is read from the settings mapping (st.secrets: max_trainings,
    max_epochs, max_queue, worker_threads, max_runs_per_address), else from its environment
    variable, else the default. max_per_address: runs waiting or training per client
    address (raise it when a whole class reaches the server through one address)."""
    max_running: int = 1            # trainings at the same time
    max_epochs: int = 50            # epochs one run may ask for
    max_queue: int = 8              # runs waiting for a slot
    worker_threads: int = 1         # TensorFlow threads of one worker
    max_per_address: int = 1        # runs waiting or training per client address

    @classmethod
    def from_settings(cls, settings: Mapping | None = None) -> "Limits":
        settings = settings or {}

        def pick(key: str, env: str, default: int) -> int:
            for raw in (settings.get(key), os.environ.get(env)):
                if raw is not None and str(raw).strip():
                    value = _positive_int(raw)
                    if value:
                        return value
                    log.warning("%s=%r is not a positive integer; using the default", key, raw)
            return default

        return cls(max_running=pick("max_trainings", ENV_MAX_TRAININGS, default_max_trainings()),
                   max_epochs=pick("max_epochs", ENV_MAX_EPOCHS, cls.max_epochs),
                   max_queue=pick("max_queue", ENV_MAX_QUEUE, cls.max_queue),
                   worker_threads=pick("worker_threads", ENV_WORKER_THREADS, default_worker_threads()),
                   max_per_address=pick("max_runs_per_address", ENV_MAX_PER_ADDRESS, cls.max_per_address))


@dataclass
class NameClash:
    """A run name that is already taken, for the page to ask about (never renamed behind
    the user's back). kind: "model" (a saved model of the user's registry), "shipped" (a
    model that comes with the app) or "run" (a queued or running run that will save under
    it). `suggestion` is a free name that keeps both; `may_replace` says whether the
    requester may replace the saved model, and `refusal` (an i18n key) why not."""
    name: str
    kind: str
    taken_by: str
    model: object | None
    may_replace: bool
    suggestion: str

    @property
    def refusal(self) -> str | None:
        if self.may_replace:
            return None
        return {"shipped": "train.err.replace_shipped", "run": "train.err.replace_run"}.get(
            self.kind, "train.err.replace_not_yours")


class JobRefused(StudioError):
    """The classroom rules refuse a request; `key` and `params` say why (for fashion.i18n.t)."""


def refuse_second_slot(active: Iterable[tuple[str | None, str | None]], owner: str | None,
                       address: str | None, limits: Limits, teacher: bool = False) -> None:
    """JobRefused when this request would give one person a second training slot: `active`
    holds (owner, address) of every queued or running run. One per browser (owner), and
    `limits.max_per_address` per client address, so a new cookie does not buy a new slot;
    the teacher's runs are not counted against an address. An unknown address (None:
    localhost, some proxies) leaves the browser rule alone."""
    active = list(active)
    if owner is not None and any(o == owner for o, _ in active):
        raise JobRefused("train.err.one_per_browser")
    if address and not teacher and sum(1 for _, a in active if a == address) >= limits.max_per_address:
        raise JobRefused("train.err.one_per_address", limit=limits.max_per_address)


def may_control(owner: str | None, requester: str | None, teacher: bool = False) -> bool:
    """Only the browser that started a run, or the teacher, may stop it (ids compared in constant time)."""
    if teacher:
        return True
    return bool(owner and requester) and hmac.compare_digest(owner, requester)
