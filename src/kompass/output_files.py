"""Files the commands write: whole or not at all."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path


@contextmanager
def written_whole(path: Path):
    """The path to write ``path``'s content to: a file beside it that replaces it once
    written whole, so that a failure never leaves half a file under the name. A path that
    exists but is no regular file (``/dev/null``, ``/dev/stdout``, a pipe) is written
    directly: renaming onto it would replace the device rather than write to it."""
    path = Path(path)
    if path.exists() and not path.is_file():
        yield path
        return
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield partial
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
