"""Who a browser is, in the server's own words: a random per-install secret kept in the
studio home, browser ids the server signs with it, and the teacher's stored token keyed
with it.

A browser's identity is a cookie, and a cookie is whatever the browser sends. So the
server issues ids itself (`<random>.<HMAC of it>`) and accepts only those it signed:
a made-up, copied-from-another-install, truncated or unsigned value is never an
identity (the page replaces it with a fresh signed id). The teacher's token stored in
the preferences is an HMAC of the passphrase under the same secret, so it differs on
every install and cannot be computed from the passphrase alone.

    new_browser_id()            -> "kX3….Qm9…"  (signed)
    verify_browser_id(value)    -> True only for ids this install signed
    teacher_token(passphrase)   -> the token to store / compare
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
from pathlib import Path

from fashion.files import remove_quietly, temp_beside
from fashion.paths import studio_home

log = logging.getLogger(__name__)

SECRET_FILE = "install.secret"      # in the studio home, mode 0600
SECRET_BYTES = 32
_SECRET_TEXT = re.compile(r"[0-9a-f]{64}")
_ID_RANDOM_BYTES = 18               # 24 URL-safe characters
_SIGNATURE_BYTES = 18               # 24 URL-safe characters (144 bits of HMAC-SHA256)
BROWSER_ID = re.compile(r"([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{24})")

_SECRETS: dict[str, bytes] = {}     # studio home -> its secret, read once per process
_LOCK = threading.Lock()


def _read(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    if not _SECRET_TEXT.fullmatch(text):
        return None
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)           # a copied or restored file: readable by its owner only
    return bytes.fromhex(text)


def _create(path: Path, replace: bool) -> None:
    """Write a new secret beside path, readable by its owner only before it holds the secret,
    then put it in place in one step: os.link when the file must not exist yet (of two
    processes starting at once, the first one wins and the other reads its secret),
    os.replace over a damaged one."""
    tmp = temp_beside(path, lambda _: None)       # an empty temp file; fashion.files makes it 0644
    try:
        os.chmod(tmp, 0o600)
        with open(tmp, "w", encoding="ascii") as f:
            f.write(secrets.token_bytes(SECRET_BYTES).hex() + "\n")
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass                                # another process made it first: use theirs
    finally:
        remove_quietly(tmp)


def install_secret(home: Path | str | None = None) -> bytes:
    """This install's secret (created on first use). When the studio home cannot hold it
    (read-only, disk full), a secret for this process only: ids and the teacher's unlock
    then last until the server restarts, and the app goes on."""
    folder = Path(home) if home else studio_home()
    key = str(folder)
    with _LOCK:
        if key in _SECRETS:
            return _SECRETS[key]
        path = folder / SECRET_FILE
        try:
            value = _read(path)
            if value is None:
                _create(path, replace=path.exists())
                value = _read(path)
            if value is None:
                raise OSError(f"{path} holds no usable secret")
        except OSError as e:
            log.warning("cannot keep the install secret in %s (%s); using one for this process only", folder, e)
            value = secrets.token_bytes(SECRET_BYTES)
        _SECRETS[key] = value
        return value


def _subkey(purpose: str, home: Path | str | None = None) -> bytes:
    """One key per use of the secret, so a value signed for one purpose is worthless for another."""
    return hmac.new(install_secret(home), purpose.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _signature(random_part: str, home: Path | str | None = None) -> str:
    mac = hmac.new(_subkey("browser-id", home), random_part.encode(), hashlib.sha256).digest()
    return _b64(mac[:_SIGNATURE_BYTES])


def new_browser_id(home: Path | str | None = None) -> str:
    """A fresh, unguessable browser id signed by this install."""
    random_part = _b64(secrets.token_bytes(_ID_RANDOM_BYTES))
    return f"{random_part}.{_signature(random_part, home)}"


def verify_browser_id(value, home: Path | str | None = None) -> bool:
    """True only for a well-formed id this install signed (compared in constant time)."""
    if not isinstance(value, str):
        return False
    match = BROWSER_ID.fullmatch(value)
    if match is None:
        return False
    return hmac.compare_digest(match.group(2), _signature(match.group(1), home))


def teacher_token(passphrase: str, home: Path | str | None = None) -> str:
    """What a browser keeps once unlocked: the passphrase keyed with this install's secret."""
    return hmac.new(_subkey("teacher-token", home), str(passphrase).encode(), hashlib.sha256).hexdigest()[:32]


def forget_cached_secrets() -> None:
    """Read the secrets from disk again on next use (for tests that replace the file)."""
    with _LOCK:
        _SECRETS.clear()
