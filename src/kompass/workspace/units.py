"""What the evaluators score, one by one: every sub-question of a version, and, in an
area without sub-questions (the whole of an area-level version such as 2016 and 2020),
the area itself. Independent scores, agreed scores, pre-visit answers, self-assessments,
agreement and gaps all go unit by unit, whichever the kind.

Plain Python over ``kompass.catalogue.definitions``; a unit's ``key`` is the
sub-question's id ("1.1") or the area's number as text ("3")."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from kompass.catalogue import definitions
from kompass.i18n import _, gettext_noop

SOURCE_LABELS = {"interview": gettext_noop("intervju"), "document": gettext_noop("dokument"), "website": gettext_noop("webbplats")}


@dataclass(frozen=True)
class Unit:
    key: str
    area_number: int
    title: str
    max_points: Decimal
    is_area: bool
    guidance: object | None = None  # definitions.Guidance, only when it says something
    subarea: str = ""
    # The texts' translations as the ``local`` filter reads them ({"en": {"title": …,
    # "subarea": …, "guidance": {…}}}: an area's title or a question's text as "title").
    translations: dict = field(default_factory=dict, compare=False, hash=False)
    source_language: str = field(default="sv", compare=False)

    @property
    def code(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        """How messages and the audit trail name it: "delfråga 1.1", "område 3"."""
        if self.is_area:
            return _("område %(number)s") % {"number": self.area_number}
        return _("delfråga %(code)s") % {"code": self.key}

    @property
    def heading(self) -> str:
        if self.is_area:
            return _("Område %(number)s som helhet") % {"number": self.area_number}
        return f"{self.key} {self.title}"

    @property
    def sources(self) -> list[str]:
        """The guidance's usual sources, in Swedish."""
        return [_(SOURCE_LABELS.get(s, s)) for s in getattr(self.guidance, "sources", ())]


def _guidance(item):
    guidance = getattr(item, "guidance", None)
    if guidance is None:
        return None
    empty = getattr(guidance, "is_empty", False)
    return None if (empty() if callable(empty) else empty) else guidance


def _translations(item, title_field: str) -> dict:
    found = {}
    for language, texts in (getattr(item, "translations", None) or {}).items():
        kept = {("title" if key == title_field else key): value for key, value in texts.items()
                if key in (title_field, "subarea", "guidance")}
        if kept:
            found[language] = kept
    return found


def units(framework: definitions.Framework) -> list[Unit]:
    """Every unit of a version in catalogue order."""
    found = []
    language = framework.language
    for area in framework.areas:
        if not area.questions:
            found.append(Unit(str(area.number), area.number, area.title, area.max_points, True, _guidance(area),
                              translations=_translations(area, "title"), source_language=language))
        for question in area.questions:
            found.append(
                Unit(question.id, area.number, question.text, question.max_points, False, _guidance(question),
                     getattr(question, "subarea", "") or "", translations=_translations(question, "text"),
                     source_language=language)
            )
    return found


def unit_heading(unit: Unit) -> str:
    """``Unit.heading`` in the active language: a ``LocalText`` that knows the language of
    the question's text (the ``local`` filter marks it where it is not the page's)."""
    from kompass.catalogue.translations import LocalText, text_of

    if unit.is_area:
        return LocalText(unit.heading, _language())
    title = text_of(unit, "title")
    return LocalText(f"{unit.key} {title}", title.language)


def _language() -> str:
    from kompass.catalogue.translations import active_language

    return active_language()


def unit_get(framework: definitions.Framework, key: str) -> Unit | None:
    return next((u for u in units(framework) if u.key == str(key)), None)


def key_of(question_code: str | None, area_number: int | None) -> str:
    """The unit key of a stored row that holds either a sub-question or an area."""
    return question_code if question_code else str(area_number)


def kwargs_of(key: str) -> dict:
    """A key as the services' keywords: ``question_code`` for "1.1", ``area_number`` for "3"."""
    key = str(key).strip()
    return {"area_number": int(key)} if key.isdigit() else {"question_code": key}


def is_area_level(framework: definitions.Framework) -> bool:
    return not framework.has_questions
