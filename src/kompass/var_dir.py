"""The var directory: the default SQLite database, the secret key, uploads, the file cache
and collected static files (``KOMPASS_VAR_DIR``, default ``./var``).

Settings only read it, so importing them writes nothing; ``prepare()`` creates what is
missing, and every ``kompass`` command that sets up Django runs it first. No Django
imports here: it runs before the settings are loaded.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def location() -> Path:
    return Path(os.environ.get("KOMPASS_VAR_DIR", Path.cwd() / "var")).resolve()


def static_root(var: Path) -> Path:
    return var / "static"


def secret_key(var: Path) -> str:
    """``KOMPASS_SECRET_KEY``, else the stored key, else "" before ``prepare()`` has run
    (Django then refuses to start, saying SECRET_KEY must not be empty)."""
    if os.environ.get("KOMPASS_SECRET_KEY"):
        return os.environ["KOMPASS_SECRET_KEY"]
    path = var / "secret_key"
    return path.read_text().strip() if path.exists() else ""


def prepare() -> None:
    var = location()
    # The database, the secret key, uploads and the cache are the service user's alone.
    var.mkdir(mode=0o700, parents=True, exist_ok=True)
    static_root(var).mkdir(exist_ok=True)  # WhiteNoise expects it even before collectstatic
    if not os.environ.get("KOMPASS_SECRET_KEY"):
        _secret_key_create(var / "secret_key")


def _secret_key_create(path: Path) -> None:
    """Once: readable by this user only from the first byte, and never overwritten when
    two commands start at the same moment."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_urlsafe(50))
