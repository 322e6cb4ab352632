"""Which code is running: a stamp for cache keys, so that a deployment of other code
computes anew instead of serving what the old code computed under the same data."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.cache
def code_stamp() -> str:
    """The installed code and templates; computed once per process (about 10 ms)."""
    return folder_stamp(Path(__file__).parent)


def folder_stamp(package: Path) -> str:
    """A short hash of the name, size and time of every file below ``package``."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix not in (".pyc", ".mo"):
            info = path.stat()
            digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:12]
