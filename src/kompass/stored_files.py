"""The uploaded files as the database knows them: which are referenced, and the clean-up
of those that are not (a crash between storing a file and committing its row leaves
one behind)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from kompass.uploads import STORED_NAME


def referenced_files() -> set[str]:
    """The stored names that a row of evidence or a pre-visit attachment points at."""
    from kompass.workspace.models import Evidence, PrevisitAttachment

    names = set(Evidence.objects.exclude(file_name="").values_list("file_name", flat=True))
    return names | set(PrevisitAttachment.objects.values_list("file_name", flat=True))


@dataclass
class Cleanup:
    removed: list[str]
    bytes: int


def orphans_remove(*, min_age_seconds: int = 3600, dry_run: bool = False) -> Cleanup:
    """Remove stored files no row points at and older than ``min_age_seconds`` (younger
    ones may belong to an upload whose transaction has not committed yet). Only files
    with generated names are considered: nothing else in the folder is touched."""
    directory = Path(settings.KOMPASS_UPLOAD_DIR)
    if not directory.is_dir():
        return Cleanup([], 0)
    keep = referenced_files()
    cutoff = time.time() - min_age_seconds
    removed, size = [], 0
    for path in sorted(directory.iterdir()):
        if not path.is_file() or not STORED_NAME.fullmatch(path.name) or path.name in keep:
            continue
        info = path.stat()
        if info.st_mtime > cutoff:
            continue
        if not dry_run:
            path.unlink(missing_ok=True)
        removed.append(path.name)
        size += info.st_size
    return Cleanup(removed, size)
