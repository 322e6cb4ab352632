"""The evaluators' register of evidence: interviews, documents (uploaded files) and web
pages, each linked to the sub-questions (or areas) it bears on. Open until publishing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from kompass import uploads
from kompass.evaluations.models import Evaluation
from kompass.i18n import _
from kompass.workspace.guards import UNPUBLISHED, audit, check_base, clean_text, locked, refuse_unless
from kompass.workspace.models import Evidence, EvidenceKind
from kompass.workspace.services.lookups import unit_by_key


@transaction.atomic
def evidence_add(
    *, evaluation: Evaluation, by, kind: str, date: datetime.date | None, title: str = "", interviewee: str = "",
    url: str = "", notes: str = "", question_codes: Iterable[str] = (), upload=None,
) -> Evidence:
    evaluation = locked(evaluation)
    refuse_unless(evaluation, UNPUBLISHED, _("att lägga till underlag"))
    title, interviewee, url, notes, questions, areas = _checked(
        evaluation, kind=kind, date=date, title=title, interviewee=interviewee, url=url, notes=notes,
        question_codes=question_codes, file_missing=kind == EvidenceKind.DOCUMENT and upload is None,
    )
    evidence = Evidence(
        evaluation=evaluation, kind=kind, date=date, title=title, interviewee=interviewee, notes=notes,
        url=url if kind == EvidenceKind.WEBSITE else "", created_by=by,
    )
    if kind == EvidenceKind.DOCUMENT:
        stored = store(upload)
        evidence.file_name, evidence.original_name = stored.name, stored.original_name
        evidence.content_type, evidence.size = stored.content_type, stored.size
        evidence.title = evidence.title or stored.original_name
    with KeptOnlyWithItsRow(evidence.file_name), transaction.atomic():
        evidence.save()
        evidence.questions.set(questions)
        evidence.areas.set(areas)
        audit(evaluation, by, _("underlag"), "", f"{evidence.get_kind_display()}: {evidence}")
    return evidence


def _checked(
    evaluation: Evaluation, *, kind: str, date: datetime.date | None, title: str, interviewee: str, url: str, notes: str,
    question_codes: Iterable[str], file_missing: bool,
) -> tuple:
    """The cleaned fields and the linked questions and areas, or every problem at once
    (shared by adding and editing, so both refuse alike)."""
    # Each problem under its field's name, so a form can show it beside that field.
    problems: dict[str, list[str]] = {}

    def problem(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if kind not in EvidenceKind.values:
        problem("kind", _("välj vad för slags underlag det är: intervju, dokument eller webbplats"))
    if date is None:
        problem("date", _("skriv datumet, till exempel %(today)s") % {"today": timezone.localdate().isoformat()})
    elif date > timezone.localdate():
        problem("date", _("datumet kan inte ligga i framtiden"))
    title, interviewee, notes = clean_text(title, _("titel"))[:300], clean_text(interviewee, _("roll eller grupp")), clean_text(notes, _("anteckningar"))
    url = (url or "").strip()
    if kind == EvidenceKind.INTERVIEW and not interviewee:
        problem("interviewee", _("skriv den intervjuades roll eller grupp, till exempel kommunstyrelsens ordförande"))
    if file_missing:
        problem("file", _("välj filen: ett dokument behöver en fil (PDF, DOCX, ODT eller HTML)"))
    if kind == EvidenceKind.WEBSITE:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            problem("url", _("skriv en webbadress som börjar med https://, till exempel https://www.kommun.se/plan"))
    # What the evidence bears on: sub-questions by code, areas scored as a whole by number.
    questions, areas = [], []
    for code in question_codes:
        try:
            _unit_found, lookup = unit_by_key(evaluation, code)
        except ValidationError as exc:
            problems.setdefault("questions", []).extend(exc.messages)
            continue
        (questions if "question" in lookup else areas).append(lookup.get("question") or lookup.get("area"))
    if problems:
        raise ValidationError(problems)
    return title, interviewee, url, notes, questions, areas


def store(upload) -> uploads.StoredFile:
    """An uploaded file stored, or refused with the reason."""
    try:
        return uploads.store_upload(upload)
    except uploads.UploadError as exc:
        raise ValidationError(str(exc)) from None


class KeptOnlyWithItsRow:
    """Removes a stored file again if writing its row fails, so no file outlives it."""

    def __init__(self, name: str | None):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is not None and self.name:
            uploads.remove_stored(self.name)
        return False


@transaction.atomic
def evidence_remove(*, evaluation: Evaluation, evidence_id: int, by) -> None:
    evaluation = locked(evaluation)
    refuse_unless(evaluation, UNPUBLISHED, _("att ta bort underlag"))
    evidence = Evidence.objects.filter(evaluation=evaluation, pk=evidence_id).first()
    if evidence is None:
        raise ValidationError(_("underlag %(id)s finns inte i utvärderingen") % {"id": evidence_id})
    audit(evaluation, by, _("underlag"), f"{evidence.get_kind_display()}: {evidence}", "")
    name = evidence.file_name
    evidence.delete()
    if name:
        transaction.on_commit(lambda: uploads.remove_stored(name))


def evidence_state(evidence: Evidence) -> dict:
    """What an edit form shows of an item: its fingerprint guards against lost updates."""
    return {
        "date": evidence.date.isoformat(), "title": evidence.title, "interviewee": evidence.interviewee, "url": evidence.url,
        "notes": evidence.notes, "file": evidence.file_name,
        "links": sorted([q.code for q in evidence.questions.all()] + [str(a.number) for a in evidence.areas.all()]),
    }


def _described(evidence: Evidence, state: dict) -> str:
    """One line for the audit trail: what the item is and what it is linked to."""
    links = ", ".join(state["links"]) or "–"
    return f"{evidence.get_kind_display()}: {evidence} ({state['date']}; {links})"


@transaction.atomic
def evidence_update(
    *, evaluation: Evaluation, evidence_id: int, by, date: datetime.date | None, title: str = "", interviewee: str = "",
    url: str = "", notes: str = "", question_codes: Iterable[str] = (), upload=None, base: str | None = None,
) -> Evidence:
    """Edit one item; its kind stays. A document's file is replaced only when a new one is
    given (the old file is removed once the change is committed)."""
    evaluation = locked(evaluation)
    refuse_unless(evaluation, UNPUBLISHED, _("att ändra underlag"))
    evidence = Evidence.objects.select_for_update().filter(evaluation=evaluation, pk=evidence_id).first()
    if evidence is None:
        raise ValidationError(_("underlag %(id)s finns inte i utvärderingen") % {"id": evidence_id})
    before = evidence_state(evidence)
    check_base(_("underlaget"), before, base, None)
    title, interviewee, url, notes, questions, areas = _checked(
        evaluation, kind=evidence.kind, date=date, title=title, interviewee=interviewee, url=url, notes=notes,
        question_codes=question_codes, file_missing=False,
    )
    old_text = _described(evidence, before)
    evidence.date, evidence.title, evidence.interviewee, evidence.notes = date, title, interviewee, notes
    evidence.url = url if evidence.kind == EvidenceKind.WEBSITE else ""
    replaced = ""
    if evidence.kind == EvidenceKind.DOCUMENT and upload is not None:
        stored = store(upload)
        replaced = evidence.file_name
        evidence.file_name, evidence.original_name = stored.name, stored.original_name
        evidence.content_type, evidence.size = stored.content_type, stored.size
    evidence.title = evidence.title or evidence.original_name
    with KeptOnlyWithItsRow(evidence.file_name if replaced else None), transaction.atomic():
        evidence.save()
        evidence.questions.set(questions)
        evidence.areas.set(areas)
        audit(evaluation, by, _("underlag"), old_text, _described(evidence, evidence_state(evidence)))
    if replaced:
        transaction.on_commit(lambda: uploads.remove_stored(replaced))
    return evidence
