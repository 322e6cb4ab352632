"""The one progress bar of the long commands (``kompass generate``, ``kompass
search-rebuild``, ``kompass import DIR``): terminal plumbing, not part of what they do."""

from __future__ import annotations

import sys


class ProgressBar:
    """Updated in place on a terminal; silent where the stream is not one (a log, a pipe),
    so only the summary line remains. ``always``: drawn off a terminal too, from the
    start, so even an empty run ends its line (``import DIR``'s, which logs read)."""

    WIDTH = 30

    def __init__(self, stream=None, label: str = "utvärderingar", *, always: bool = False):
        self.stream = stream or sys.stderr
        self.label = label
        self.active = always or (hasattr(self.stream, "isatty") and self.stream.isatty())
        self.shown = always

    def update(self, done: int, total: int, label: str | None = None) -> None:
        """``label``: this step's own words (the file being read) instead of the bar's."""
        if not self.active:
            return
        filled = self.WIDTH * done // max(total, 1)
        text = self.label if label is None else label
        print(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} {text}", end="", file=self.stream, flush=True)
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            print(file=self.stream, flush=True)
            self.shown = False
