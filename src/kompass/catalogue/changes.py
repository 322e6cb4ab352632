"""What a new load would change in a version: structure (refused once frozen) and
wording (accepted, recorded). Pure: compares two ``definitions.Framework``.

Translations are wording: a frozen version's scores mean what its structure and maxima
say, in whatever language its titles are read, so adding or correcting a translation
is allowed on a frozen (and a shipped) version like correcting its Swedish wording, and
is recorded the same way ("område 3: translations").
"""

from __future__ import annotations

import json

from kompass.catalogue.definitions import Framework, Guidance
from kompass.i18n import _

STATUS_ORDER = {"draft": 0, "active": 1, "retired": 2}


def _points(value) -> str:
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


def structure_changes(old: Framework, new: Framework) -> list[str]:
    """Areas, their maxima, sub-question ids, maxima and areas: one line per change."""
    changes = []
    if old.max_points != new.max_points:
        changes.append(_("versionens max %(old)s → %(new)s") % {"old": _points(old.max_points), "new": _points(new.max_points)})
    for area in old.areas:
        if new.area(area.number) is None:
            changes.append(_("område %(n)s tas bort") % {"n": area.number})
    for area in new.areas:
        before = old.area(area.number)
        if before is None:
            changes.append(_("område %(n)s: nytt område") % {"n": area.number})
            continue
        if before.max_points != area.max_points:
            changes.append(_("område %(n)s: max %(old)s → %(new)s") % {"n": area.number, "old": _points(before.max_points), "new": _points(area.max_points)})
        old_ids = [q.id for q in before.questions]
        new_ids = [q.id for q in area.questions]
        for qid in old_ids:
            if qid not in new_ids:
                changes.append(_("område %(n)s: delfråga %(id)s tas bort") % {"n": area.number, "id": qid})
        for question in area.questions:
            was = old.question(question.id)
            if was is None:
                changes.append(_("område %(n)s: ny delfråga %(id)s") % {"n": area.number, "id": question.id})
            elif was.max_points != question.max_points:
                changes.append(_("delfråga %(id)s: max %(old)s → %(new)s") % {"id": question.id, "old": _points(was.max_points), "new": _points(question.max_points)})
        if [q for q in old_ids if q in new_ids] != [q for q in new_ids if q in old_ids]:
            changes.append(_("område %(n)s: delfrågornas ordning") % {"n": area.number})
    return changes


def _guidance_text(guidance: Guidance | None) -> str:
    if guidance is None:
        return ""
    data = {"looked_for": guidance.looked_for, "full": guidance.full, "partial": guidance.partial,
            "none": guidance.none, "sources": list(guidance.sources)}
    return json.dumps(data, ensure_ascii=False)


def _crosswalk_text(crosswalk) -> str:
    if crosswalk is None:
        return ""
    return json.dumps({"note": crosswalk.note, "areas": [list(p) for p in crosswalk.areas],
                       "questions": [list(p) for p in crosswalk.questions]}, ensure_ascii=False)


def _translations_text(translations) -> str:
    return json.dumps(translations, ensure_ascii=False, sort_keys=True) if translations else ""


def wording_changes(old: Framework, new: Framework) -> list[tuple[str, str, str]]:
    """(what, before, after) for every change that leaves the structure as it is."""
    changes: list[tuple[str, str, str]] = []

    def compare(what: str, before, after) -> None:
        if before != after:
            changes.append((what, before, after))

    for key in ("name", "owner", "language", "status", "in_use", "description", "about"):
        compare(key, getattr(old, key), getattr(new, key))
    compare("public_questions", str(old.public_questions).lower(), str(new.public_questions).lower())
    compare("translations", _translations_text(old.translations), _translations_text(new.translations))
    for area in new.areas:
        before = old.area(area.number)
        if before is None:
            continue
        where = _("område %(n)s") % {"n": area.number}
        compare(f"{where}: title", before.title, area.title)
        compare(f"{where}: headings", "\n".join(before.headings), "\n".join(area.headings))
        compare(f"{where}: guidance", _guidance_text(before.guidance), _guidance_text(area.guidance))
        compare(f"{where}: translations", _translations_text(before.translations), _translations_text(area.translations))
        for question in area.questions:
            was = old.question(question.id)
            if was is None:
                continue
            where = _("delfråga %(id)s") % {"id": question.id}
            for key in ("text", "short", "subarea"):
                compare(f"{where}: {key}", getattr(was, key), getattr(question, key))
            compare(f"{where}: guidance", _guidance_text(was.guidance), _guidance_text(question.guidance))
            compare(f"{where}: translations", _translations_text(was.translations), _translations_text(question.translations))
    for target in dict.fromkeys([c.to for c in old.crosswalks] + [c.to for c in new.crosswalks]):
        compare(_("korsreferens till %(to)s") % {"to": target}, _crosswalk_text(old.crosswalk(target)), _crosswalk_text(new.crosswalk(target)))
    return changes


def status_problem(old: str, new: str) -> str | None:
    """draft → active → retired, never back."""
    if STATUS_ORDER[new] < STATUS_ORDER[old]:
        return _("status kan inte gå tillbaka från %(old)s till %(new)s (utkast → aktiv → utgången)") % {"old": old, "new": new}
    return None
