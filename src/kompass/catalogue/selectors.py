"""Reading the catalogue: the list of versions, one version whole with its record."""

from __future__ import annotations

from kompass.catalogue import definitions, files
from kompass.catalogue.models import CatalogueChange, Framework
from kompass.i18n import _, gettext_noop


def catalogue_list() -> list[dict]:
    """One row per version: id, name, owner, status and how many areas and sub-questions."""
    return [
        {"id": f.id, "name": f.name, "owner": f.owner, "status": f.status, "areas": len(f.areas), "questions": len(f.questions)}
        for f in sorted(definitions.frameworks().values(), key=lambda f: f.id)
    ]


def catalogue_get(code: str) -> definitions.Framework:
    return definitions.get(code)


def catalogue_show(code: str) -> dict:
    """The whole version (the package's format) and its record: revision, when it was last
    loaded, how many evaluations use it (frozen if any) and every recorded change."""
    from kompass.catalogue.services import frozen_by

    framework = definitions.get(code)
    row = Framework.objects.get(code=framework.id)
    changes = CatalogueChange.objects.filter(framework=row).order_by("at", "id")
    evaluations = frozen_by(framework.id)
    return {
        **files.document(framework),
        "record": {
            "revision": row.revision,
            "loaded_at": row.loaded_at.isoformat() if row.loaded_at else None,
            "evaluations": evaluations,
            "frozen": bool(evaluations),
            "changes": [
                {"at": c.at.isoformat(), "by": c.by, "field": c.field, "old": c.old, "new": c.new} for c in changes
            ],
        },
    }


STATUS_WORDS = {"draft": gettext_noop("utkast"), "active": gettext_noop("aktiv"), "retired": gettext_noop("utgången")}
SOURCE_WORDS = {"interview": gettext_noop("intervju"), "document": gettext_noop("dokument"), "website": gettext_noop("webbplats")}


def _guidance_lines(guidance: definitions.Guidance | None, indent: str) -> list[str]:
    if guidance is None:
        return []
    lines = []
    for label, text in ((_("Efterfrågas"), guidance.looked_for), (_("Full poäng"), guidance.full),
                        (_("Delvis"), guidance.partial), (_("Inga poäng"), guidance.none)):
        if text:
            lines.append(f"{indent}{label}: {text}")
    if guidance.sources:
        lines.append(f"{indent}{_('Källor')}: " + ", ".join(_(SOURCE_WORDS[s]) for s in guidance.sources))
    return lines


def catalogue_text(code: str) -> str:
    shown = catalogue_show(code)
    framework = definitions.get(code)
    record = shown["record"]
    lines = [
        f"{framework.id}  {framework.name}",
        _("Ägare: %(owner)s · språk: %(language)s · status: %(status)s · frågorna %(public)s")
        % {"owner": framework.owner or "–", "language": framework.language, "status": _(STATUS_WORDS[framework.status]),
           "public": _("är öppna") if framework.public_questions else _("är inte öppna")},
        _("Revision %(revision)s · används av %(count)s utvärderingar%(frozen)s")
        % {"revision": record["revision"], "count": record["evaluations"], "frozen": _(" (låst)") if record["frozen"] else ""},
    ]
    if framework.in_use:
        lines.append(_("Använd: %(years)s") % {"years": framework.in_use})
    if framework.description:
        lines.append(framework.description)
    for area in framework.areas:
        lines += ["", f"{area.number}. {area.title} ({_('max')} {area.max_points:f})"]
        lines += _guidance_lines(area.guidance, "   ")
        subarea = ""
        for q in area.questions:
            if q.subarea and q.subarea != subarea:
                subarea = q.subarea
                lines.append(f"   {_('Delområde')}: {subarea}")
            lines.append(f"   {q.id}  {q.text} ({_('max')} {q.max_points:f})")
            lines += _guidance_lines(q.guidance, "        ")
    for crosswalk in framework.crosswalks:
        lines += ["", _("Korsreferens till version %(to)s (inte fullt jämförbara)") % {"to": crosswalk.to}]
        if crosswalk.note:
            lines.append(f"   {crosswalk.note}")
        lines += [f"   {_('område')} {a} ↔ {b}" for a, b in crosswalk.areas]
        lines += [f"   {_('delfråga')} {a} ↔ {b}" for a, b in crosswalk.questions]
    if record["changes"]:
        lines += ["", _("Ändringar")]
        for change in record["changes"]:
            text = f"   {change['at'][:19].replace('T', ' ')}  {change['by'] or '–'}  {change['field']}"
            if change["old"] or change["field"] != "version":
                text += f": {_short(change['old'])} → {_short(change['new'])}"
            else:
                text += f": {change['new']}"
            lines.append(text)
    return "\n".join(lines)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split()) or "–"
    return text if len(text) <= width else text[: width - 1] + "…"
