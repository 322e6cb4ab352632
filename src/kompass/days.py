"""Days as people type them in forms and on the command line: year-month-day
(2027-03-12), what ``<input type="date">`` sends. One reading for every form, so that a
day one form takes another does not refuse; each caller words its own message."""

from __future__ import annotations

import datetime
import re

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(text: str) -> datetime.date:
    """The day ``text`` names, exactly as year-month-day; ValueError for any other form
    (``date.fromisoformat`` alone would also take "20270312") or a day that does not exist."""
    if not ISO_DAY.fullmatch(text):
        raise ValueError(f"not year-month-day: {text!r}")
    return datetime.date.fromisoformat(text)
