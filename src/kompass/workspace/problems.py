"""What stands in the way of a step (hand-in, consensus, publishing): each problem a
sentence, as a refusal says it, and where on the workspace it is put right.

Plain data: the page is a workspace address's name ("scoring", "texts", "report_facts")
and the anchor a field's id on it ("q-2.3", "a3-general"); the views turn them into links."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing missing. ``items`` splits a sentence that names several fields
    ("… saknas för delfråga 1.1, 1.2") into ``lead`` and one (text, anchor) per field,
    each linked on its own; the message stays the whole sentence (``str`` gives it, so a
    ``ValidationError`` of problems reads as before)."""

    message: str
    page: str = ""  # the workspace address that puts it right; "" for nothing to link
    anchor: str = ""
    lead: str = ""
    items: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.message


def listing(lead: str, page: str, items: list[tuple[str, str]], *, separator: str = ", ") -> Problem:
    """A problem naming several fields: "lead 1.1, 1.2", each field linked."""
    return Problem(lead + separator.join(text for text, _a in items), page, items[0][1] if items else "", lead, tuple(items))
