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
from kompass.workspace.guards import UNPUBLISHED, audit, clean_text, locked, refuse_unless
from kompass.workspace.models import Evidence, EvidenceKind
from kompass.workspace.services.lookups import unit_by_key


@transaction.atomic
def evidence_add(
    *, evaluation: Evaluation, by, kind: str, date: datetime.date | None, title: str = "", interviewee: str = "",
    url: str = "", notes: str = "", question_codes: Iterable[str] = (), upload=None,
) -> Evidence:
    evaluation = locked(evaluation)
    refuse_unless(evaluation, UNPUBLISHED, _("att lägga till underlag"))
    problems = []
    if kind not in EvidenceKind.values:
        problems.append(_("slag: okänt slag av underlag %(kind)r") % {"kind": kind})
    if date is None:
        problems.append(_("datum: saknas"))
    elif date > timezone.localdate():
        problems.append(_("datum: %(date)s ligger i framtiden") % {"date": date})
    title, interviewee, notes = clean_text(title, _("titel"))[:300], clean_text(interviewee, _("roll eller grupp")), clean_text(notes, _("anteckningar"))
    url = (url or "").strip()
    if kind == EvidenceKind.INTERVIEW and not interviewee:
        problems.append(_("roll eller grupp: en intervju behöver den intervjuades roll eller grupp"))
    if kind == EvidenceKind.DOCUMENT and upload is None:
        problems.append(_("fil: ett dokument behöver en fil"))
    if kind == EvidenceKind.WEBSITE:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            problems.append(_("adress: %(url)r är ingen webbadress (http eller https)") % {"url": url})
    # What the evidence bears on: sub-questions by code, areas scored as a whole by number.
    questions, areas = [], []
    for code in question_codes:
        try:
            _unit_found, lookup = unit_by_key(evaluation, code)
        except ValidationError as exc:
            problems.extend(exc.messages)
            continue
        (questions if "question" in lookup else areas).append(lookup.get("question") or lookup.get("area"))
    if problems:
        raise ValidationError(problems)
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
