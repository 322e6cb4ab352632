"""Writes in the workspace. Views and the command line come through here.

Every write is one transaction that first locks what it changes (``SELECT … FOR
UPDATE`` on PostgreSQL; on SQLite every transaction takes the write lock), records
old and new value in the audit trail, and refuses:

- with ``ValidationError`` anything invalid or not allowed in the current status,
  naming what and where;
- with ``Conflict`` a save based on a value someone else has changed since the form
  was shown (optimistic locking: the form carries a fingerprint of the value it
  showed), so the later save never silently overwrites the earlier one.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from kompass import scoring, uploads
from kompass.catalogue.models import Area, Framework, Question
from kompass.evaluations import services as evaluation_services
from kompass.evaluations.documents import evaluation_full_document
from kompass.evaluations.models import AreaAssessment, Evaluation, Evaluator, Finding, FindingKind, QuestionAssessment, Status
from kompass.evaluations.selectors import evaluation_label
from kompass.i18n import _
from kompass.municipalities.models import Municipality
from kompass.search.services import search_index_evaluation
from kompass.workspace import units
from kompass.workspace.access import may_manage
from kompass.workspace.models import (
    Assignment,
    AuditEntry,
    Evidence,
    EvidenceKind,
    FollowUpItem,
    IndependentScore,
    PrevisitAnswer,
    PrevisitAttachment,
    Profile,
    Revision,
    Role,
)

LIFECYCLE = [Status.PLANNED, Status.COLLECTING, Status.SCORING, Status.CONSENSUS, Status.PUBLISHED]
MAX_TEXT = 20_000  # characters in one free-text field; a report chapter is far shorter


class Conflict(Exception):
    """Someone else saved this field after the form was shown. Nothing was changed."""

    def __init__(self, field: str, current, mine):
        super().__init__(_("%(field)s har ändrats av någon annan sedan du öppnade sidan; din ändring sparades inte") % {"field": field})
        self.field = field
        self.current = current
        self.mine = mine


def fingerprint(value) -> str:
    """A short digest of a field's value, carried by the form that shows it."""
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:20]


def _check_base(field: str, current, base: str | None, mine) -> None:
    if base is not None and fingerprint(current) != base:
        raise Conflict(field, current, mine)


def _audit(evaluation: Evaluation, user, field: str, old, new, *, private_to=None) -> None:
    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return "\n".join(f"{n}. {item}" for n, item in enumerate(value, start=1))
        return str(value)

    if text(old) == text(new):
        return
    AuditEntry.objects.create(
        evaluation=evaluation,
        user=user if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "kompass",
        field=field,
        old=text(old),
        new=text(new),
        private_to=private_to,
    )


def _locked(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("framework", "municipality").get(pk=evaluation.pk)


def _refuse_unless(evaluation: Evaluation, statuses: Iterable[str], action: str) -> None:
    statuses = list(statuses)
    if evaluation.status not in statuses:
        if evaluation.status == Status.PUBLISHED:
            raise ValidationError(
                _("%(evaluation)s är publicerad och kan inte ändras; en ändring görs som rättelse med skäl")
                % {"evaluation": evaluation_label(evaluation)}
            )
        raise ValidationError(
            _("%(action)s går inte när utvärderingen har status ”%(status)s” (bara: %(allowed)s)")
            % {
                "action": action,
                "status": evaluation.get_status_display(),
                "allowed": ", ".join(str(Status(s).label) for s in statuses),
            }
        )


UNPUBLISHED = [s for s in LIFECYCLE if s != Status.PUBLISHED]


def _text(value: str | None, field: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > MAX_TEXT:
        raise ValidationError(_("%(field)s: texten är längre än %(max)s tecken") % {"field": field, "max": MAX_TEXT})
    if "\x00" in value:
        raise ValidationError(_("%(field)s: texten innehåller ett nolltecken") % {"field": field})
    return value


# The same helpers under public names, for the workspace's other service modules
# (workspace.facts): one audit trail, one lock, one status rule, one text rule.
audit = _audit
locked = _locked
refuse_unless = _refuse_unless
clean_text = _text
check_base = _check_base


def _question(evaluation: Evaluation, code: str) -> Question:
    question = Question.objects.filter(area__framework=evaluation.framework, code=code).select_related("area").first()
    if question is None:
        raise ValidationError(
            _("delfråga %(code)s finns inte i version %(version)s") % {"code": code, "version": evaluation.framework.code}
        )
    return question


def _area(evaluation: Evaluation, number) -> Area:
    area = Area.objects.filter(framework=evaluation.framework, number=number).first() if str(number).isdigit() else None
    if area is None:
        raise ValidationError(_("område %(number)s finns inte i version %(version)s") % {"number": number, "version": evaluation.framework.code})
    return area


def _unit(evaluation: Evaluation, *, question_code: str | None = None, area_number=None) -> tuple[units.Unit, dict]:
    """What is scored or answered: a sub-question by its code, or, where the version has
    no sub-questions in it, an area by its number; with the lookup of its stored rows."""
    if (question_code is None) == (area_number is None):
        raise ValueError("give either question_code or area_number")
    definition = evaluation.framework.definition
    # The maximum as stored (15.00), as messages have always named it.
    if question_code is not None:
        question = _question(evaluation, question_code)
        return dataclasses.replace(units.unit_get(definition, question.code), max_points=question.max_points), {"question": question}
    area = _area(evaluation, area_number)
    if definition.area(area.number).questions:
        raise ValidationError(
            _("område %(number)s poängsätts per delfråga i version %(version)s, inte som helhet")
            % {"number": area.number, "version": evaluation.framework.code}
        )
    return dataclasses.replace(units.unit_get(definition, str(area.number)), max_points=area.max_points), {"area": area}


def parse_score(text, unit: units.Unit | Question) -> Decimal | None:
    """A score typed in a form ("7,5" or "7.5"); empty means no score."""
    where = unit.label if isinstance(unit, units.Unit) else _("delfråga %(code)s") % {"code": unit.code}
    if text is None or str(text).strip() == "":
        return None
    try:
        value = scoring.parse_points(text)
    except ValueError as exc:
        raise ValidationError(f"{where}: {exc}") from None
    problems = scoring.value_problems(value, unit.max_points, where)
    if problems:
        raise ValidationError(str(problems[0]))
    return value.quantize(scoring.HUNDREDTH)


def _points(value: Decimal | None) -> str | None:
    return scoring.format_points(value)


# --- accounts and evaluations ---------------------------------------------------------


@transaction.atomic
def user_add(
    *, username: str, role: str, password: str, municipality: Municipality | None = None,
    full_name: str = "", organisation: str = "", email: str = "",
):
    """A new account. Passwords are checked by Django's validators and stored hashed."""
    from django.contrib.auth.password_validation import validate_password

    User = get_user_model()
    username = (username or "").strip()
    problems = []
    if role not in Role.values:
        problems.append(_("roll: okänd roll %(role)r (kända: %(known)s)") % {"role": role, "known": ", ".join(Role.values)})
    if not username:
        problems.append(_("användarnamn: saknas"))
    else:
        try:
            User._meta.get_field("username").run_validators(username)
        except ValidationError as exc:
            problems.append(_("användarnamn: %(error)s") % {"error": " ".join(exc.messages)})
        if User.objects.filter(username__iexact=username).exists():
            problems.append(_("användarnamn: %(name)s finns redan") % {"name": username})
    if role == Role.MUNICIPALITY and municipality is None:
        problems.append(_("kommun: en kontaktperson måste höra till en kommun (--municipality KOD)"))
    if role != Role.MUNICIPALITY and municipality is not None:
        problems.append(_("kommun: bara kommunens kontaktpersoner hör till en kommun"))
    first, _sep, last = full_name.strip().partition(" ")
    candidate = User(username=username, first_name=first, last_name=last, email=email)
    try:
        validate_password(password or "", candidate)
    except ValidationError as exc:
        problems.append(_("lösenord: %(error)s") % {"error": " ".join(exc.messages)})
    if problems:
        raise ValidationError(problems)
    user = User.objects.create_user(
        username, email=email, password=password, first_name=first, last_name=last,
        is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
    )
    Profile.objects.create(user=user, role=role, municipality=municipality, organisation=organisation.strip())
    return user


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def evaluation_new(
    *, municipality: Municipality, framework: Framework, year: int, evaluators: Sequence = (), lead=None, by=None,
) -> Evaluation:
    """A planned evaluation with its evaluators, the lead among them (``lead``, else the
    first), and the previous evaluation's improvement areas as a checklist for "Vad har
    hänt efter …?"."""
    problems = []
    if lead is not None and lead not in evaluators:
        problems.append(_("ansvarig utvärderare: %(name)s är inte en av utvärderarna") % {"name": lead.get_username()})
    inactive = framework_inactive_problem(framework)
    if inactive:
        problems.append(inactive)
    for user in evaluators:
        profile = getattr(user, "profile", None)
        if profile is None or profile.role != Role.EVALUATOR:
            problems.append(_("utvärderare: %(name)s har inte rollen utvärderare") % {"name": user.get_username()})
    if problems:
        raise ValidationError(problems)
    evaluation = evaluation_services.evaluation_create(
        municipality=municipality, framework=framework, facts=evaluation_services.Facts(year=year, status=Status.PLANNED)
    )
    for user in sorted(evaluators, key=lambda u: u != (lead or evaluators[0])):  # the lead first: _assign makes them lead
        _assign(evaluation, user, by)
    previous = (
        Evaluation.objects.filter(municipality=municipality, framework=framework, year__lt=year)
        .exclude(pk=evaluation.pk).order_by("-year").first()
    )
    if previous is not None:
        improvements = Finding.objects.filter(evaluation=previous, kind=FindingKind.IMPROVEMENT).order_by("area__number", "position")
        FollowUpItem.objects.bulk_create(
            FollowUpItem(evaluation=evaluation, area=f.area, previous=f, position=f.position, text=f.text) for f in improvements
        )
    _audit(evaluation, by, _("utvärdering"), "", _("skapad, status %(status)s") % {"status": evaluation.get_status_display()})
    return evaluation


def framework_inactive_problem(framework: Framework) -> str | None:
    """Why a version cannot be chosen for a new evaluation, if it cannot: only active
    versions can (a draft is not ready, a retired one is no longer used)."""
    if framework.is_active:
        return None
    if framework.status == Framework.Status.RETIRED:
        return _("version %(version)s är avvecklad och kan inte väljas för nya utvärderingar") % {"version": framework.code}
    return _("version %(version)s är ett utkast och kan inte väljas för nya utvärderingar innan den är aktiv") % {"version": framework.code}


def _assign(evaluation: Evaluation, user, by) -> None:
    """Assign an evaluator; the first one assigned to an evaluation is its lead."""
    first = not evaluation.assignments.filter(lead=True).exists()
    _assignment, created = Assignment.objects.get_or_create(evaluation=evaluation, user=user, defaults={"lead": first})
    if created and first:
        _audit(evaluation, by, _("ansvarig utvärderare"), "", _display_name(user))
    if created:
        Evaluator.objects.create(
            evaluation=evaluation, position=evaluation.evaluators.count() + 1,
            name=_display_name(user), organisation=getattr(getattr(user, "profile", None), "organisation", ""),
        )
        _audit(evaluation, by, _("utvärderare"), "", _display_name(user))


@transaction.atomic
def evaluator_assign(*, evaluation: Evaluation, user, by) -> None:
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, [Status.PLANNED, Status.COLLECTING, Status.SCORING], _("att lägga till en utvärderare"))
    profile = getattr(user, "profile", None)
    if profile is None or profile.role != Role.EVALUATOR:
        raise ValidationError(_("utvärderare: %(name)s har inte rollen utvärderare") % {"name": user.get_username()})
    _assign(evaluation, user, by)


def _refuse_unless_manager(evaluation: Evaluation, by, action: str) -> None:
    if not may_manage(by, evaluation):
        raise ValidationError(
            _("%(who)s får inte %(action)s: det gör administratörer och den ansvariga utvärderaren")
            % {"who": _display_name(by), "action": action}
        )


@transaction.atomic
def share_set(*, evaluation: Evaluation, shared: bool, by) -> None:
    evaluation = _locked(evaluation)
    _refuse_unless_manager(evaluation, by, _("dela utvärderingen"))
    if evaluation.shared_with_municipality != shared:
        _audit(evaluation, by, _("delad med kommunen"), _("ja") if evaluation.shared_with_municipality else _("nej"), _("ja") if shared else _("nej"))
        evaluation.shared_with_municipality = shared
        evaluation.save(update_fields=["shared_with_municipality", "updated_at"])


# --- lifecycle ------------------------------------------------------------------------


def consensus_problems(evaluation: Evaluation) -> list[str]:
    """What stands between scoring and consensus: every evaluator's submitted scores."""
    assignments = list(evaluation.assignments.select_related("user"))
    if len(assignments) < 2:
        return [_("minst två utvärderare behövs för konsensus (nu %(count)s)") % {"count": len(assignments)}]
    return [
        _("%(name)s har inte lämnat in sina poäng") % {"name": _display_name(a.user)} for a in assignments if a.submitted_at is None
    ]


def publish_problems(evaluation: Evaluation) -> list[str]:
    """Everything missing before publishing: a consensus score for every sub-question of
    the version (for every area, where it has none), and every area's texts."""
    problems = []
    scored = set(
        QuestionAssessment.objects.filter(evaluation=evaluation, score__isnull=False).values_list("question__code", flat=True)
    )
    definition = evaluation.framework.definition
    texts = {a.area.number: a for a in AreaAssessment.objects.filter(evaluation=evaluation).select_related("area")}
    has_previous = previous_evaluation(evaluation) is not None
    for area in definition.areas:
        assessment = texts.get(area.number)
        missing = [q.id for q in area.questions if q.id not in scored]
        if missing:
            problems.append(_("område %(number)s: konsensuspoäng saknas för delfråga %(codes)s") % {"number": area.number, "codes": ", ".join(missing)})
        if not area.questions and (assessment is None or assessment.score is None):
            problems.append(_("område %(number)s: konsensuspoäng saknas för området") % {"number": area.number})
        if assessment is None or not assessment.general_text.strip():
            problems.append(_("område %(number)s: texten ”Allmänt” saknas") % {"number": area.number})
        if has_previous and (assessment is None or not assessment.changes_text.strip()):
            problems.append(_("område %(number)s: texten ”Vad har hänt?” saknas") % {"number": area.number})
    from kompass.workspace.facts import report_facts_problems  # the report's facts and summary (chapter 2)

    problems.extend(report_facts_problems(evaluation))
    return problems


def previous_evaluation(evaluation: Evaluation) -> Evaluation | None:
    return (
        Evaluation.objects.filter(municipality=evaluation.municipality, framework=evaluation.framework, year__lt=evaluation.year)
        .order_by("-year").first()
    )


@transaction.atomic
def status_set(*, evaluation: Evaluation, status: str, by) -> Evaluation:
    """Move one step along the lifecycle, forward or back. Publishing is ``publish``."""
    evaluation = _locked(evaluation)
    _refuse_unless_manager(evaluation, by, _("byta status"))
    if status not in Status.values:
        raise ValidationError(_("status: okänd status %(value)r") % {"value": status})
    if status == Status.PUBLISHED:
        return publish(evaluation=evaluation, by=by)
    _refuse_unless(evaluation, UNPUBLISHED, _("att byta status"))
    here, there = LIFECYCLE.index(evaluation.status), LIFECYCLE.index(status)
    if abs(here - there) != 1:
        raise ValidationError(
            _("status: från ”%(from)s” går det bara ett steg fram eller tillbaka, inte till ”%(to)s”")
            % {"from": evaluation.get_status_display(), "to": Status(status).label}
        )
    if status == Status.CONSENSUS:
        problems = consensus_problems(evaluation)
        if problems:
            raise ValidationError(problems)
    old = evaluation.get_status_display()
    evaluation.status = status
    evaluation.save(update_fields=["status", "updated_at"])
    _audit(evaluation, by, _("status"), old, evaluation.get_status_display())
    return evaluation


@transaction.atomic
def publish(*, evaluation: Evaluation, by) -> Evaluation:
    evaluation = _locked(evaluation)
    _refuse_unless_manager(evaluation, by, _("publicera"))
    _refuse_unless(evaluation, [Status.CONSENSUS], _("att publicera"))
    problems = publish_problems(evaluation)
    if problems:
        raise ValidationError(problems)
    evaluation.status = Status.PUBLISHED
    evaluation.save(update_fields=["status", "updated_at"])
    _audit(evaluation, by, _("status"), Status.CONSENSUS.label, Status.PUBLISHED.label)
    _revision(evaluation, by, _("Publicering"))
    search_index_evaluation(evaluation)
    return evaluation


def _revision(evaluation: Evaluation, by, reason: str) -> Revision:
    number = (evaluation.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return Revision.objects.create(
        evaluation=evaluation, number=number, reason=reason,
        created_by=by if by is not None and by.is_authenticated else None,
        document=evaluation_full_document(evaluation),
    )


@transaction.atomic
def correction_apply(*, evaluation: Evaluation, by, reason: str, scores: dict[str, str], texts: dict[tuple, str]) -> Revision:
    """A correction of a published evaluation: changed consensus scores and texts, with a
    reason, saved as a new revision; the earlier revisions stay readable.

    ``scores``: sub-question code (area number, where the area is scored as a whole) → score as typed; ``texts``: ("area", number,
    "general"|"changes") or ("question", code) → text."""
    evaluation = _locked(evaluation)
    _refuse_unless_manager(evaluation, by, _("rätta utvärderingen"))
    _refuse_unless(evaluation, [Status.PUBLISHED], _("en rättelse"))
    reason = _text(reason, _("skäl"))
    if not reason:
        raise ValidationError(_("skäl: en rättelse behöver ett skäl"))
    changed = 0
    for code, typed in scores.items():
        unit, lookup = _unit_by_key(evaluation, code)
        value = parse_score(typed, unit)
        if value is None:
            raise ValidationError(_("%(unit)s: en publicerad utvärdering behöver en poäng") % {"unit": unit.label})
        assessment = _agreed(evaluation, lookup)
        if assessment.score != value:
            _audit(evaluation, by, _("%(unit)s · poäng") % {"unit": unit.label}, _points(assessment.score), _points(value))
            assessment.score, assessment.score_low, assessment.score_high = value, None, None
            assessment.save(update_fields=["score", "score_low", "score_high"])
            changed += 1
    for key, typed in texts.items():
        if key[0] == "area":
            area = _area(evaluation, key[1])
            assessment, _c = AreaAssessment.objects.get_or_create(evaluation=evaluation, area=area)
            attribute = {"general": "general_text", "changes": "changes_text"}[key[2]]
            label = _area_field_label(area.number, key[2])
        else:
            question = _question(evaluation, key[1])
            assessment, _c = QuestionAssessment.objects.get_or_create(evaluation=evaluation, question=question)
            attribute, label = "text", _("delfråga %(code)s · text") % {"code": question.code}
        value = _text(typed, label)
        if getattr(assessment, attribute) != value:
            _audit(evaluation, by, label, getattr(assessment, attribute), value)
            setattr(assessment, attribute, value)
            assessment.save(update_fields=[attribute])
            changed += 1
    if not changed:
        raise ValidationError(_("rättelsen ändrar ingenting"))
    evaluation.save(update_fields=["updated_at"])  # the derived scores and caches follow
    search_index_evaluation(evaluation)
    return _revision(evaluation, by, reason)


# --- evidence -------------------------------------------------------------------------


@transaction.atomic
def evidence_add(
    *, evaluation: Evaluation, by, kind: str, date: datetime.date | None, title: str = "", interviewee: str = "",
    url: str = "", notes: str = "", question_codes: Iterable[str] = (), upload=None,
) -> Evidence:
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, UNPUBLISHED, _("att lägga till underlag"))
    problems = []
    if kind not in EvidenceKind.values:
        problems.append(_("slag: okänt slag av underlag %(kind)r") % {"kind": kind})
    if date is None:
        problems.append(_("datum: saknas"))
    elif date > timezone.localdate():
        problems.append(_("datum: %(date)s ligger i framtiden") % {"date": date})
    title, interviewee, notes = _text(title, _("titel"))[:300], _text(interviewee, _("roll eller grupp")), _text(notes, _("anteckningar"))
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
            _unit_found, lookup = _unit_by_key(evaluation, code)
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
        stored = _store(upload)
        evidence.file_name, evidence.original_name = stored.name, stored.original_name
        evidence.content_type, evidence.size = stored.content_type, stored.size
        evidence.title = evidence.title or stored.original_name
    with _KeptOnlyWithItsRow(evidence.file_name), transaction.atomic():
        evidence.save()
        evidence.questions.set(questions)
        evidence.areas.set(areas)
        _audit(evaluation, by, _("underlag"), "", f"{evidence.get_kind_display()}: {evidence}")
    return evidence


def _store(upload) -> uploads.StoredFile:
    try:
        return uploads.store_upload(upload)
    except uploads.UploadError as exc:
        raise ValidationError(str(exc)) from None


class _KeptOnlyWithItsRow:
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
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, UNPUBLISHED, _("att ta bort underlag"))
    evidence = Evidence.objects.filter(evaluation=evaluation, pk=evidence_id).first()
    if evidence is None:
        raise ValidationError(_("underlag %(id)s finns inte i utvärderingen") % {"id": evidence_id})
    _audit(evaluation, by, _("underlag"), f"{evidence.get_kind_display()}: {evidence}", "")
    name = evidence.file_name
    evidence.delete()
    if name:
        transaction.on_commit(lambda: uploads.remove_stored(name))


# --- independent scoring and consensus --------------------------------------------------


def _assignment(evaluation: Evaluation, user) -> Assignment:
    assignment = Assignment.objects.select_for_update().filter(evaluation=evaluation, user=user).first()
    if assignment is None:
        raise ValidationError(_("du är inte utvärderare i %(evaluation)s") % {"evaluation": evaluation_label(evaluation)})
    return assignment


def _unit_by_key(evaluation: Evaluation, key: str) -> tuple[units.Unit, dict]:
    """A unit by its key as forms and the command line carry it: "1.1" or "3"."""
    return _unit(evaluation, **units.kwargs_of(key))


def _agreed(evaluation: Evaluation, lookup: dict):
    """The row that holds a unit's agreed score and its rationale, locked: the
    sub-question's assessment, or the area's where the area is what is scored."""
    model = QuestionAssessment if "question" in lookup else AreaAssessment
    row, _c = model.objects.get_or_create(evaluation=evaluation, **lookup)
    return model.objects.select_for_update().get(pk=row.pk)


@transaction.atomic
def independent_score_set(
    *, evaluation: Evaluation, user, question_code: str | None = None, area_number=None, score: str | None, justification: str,
    base: str | None = None,
) -> IndependentScore:
    """One evaluator's own score and justification of one sub-question, or of one area
    where the version has no sub-questions there."""
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, [Status.COLLECTING, Status.SCORING], _("oberoende poängsättning"))
    assignment = _assignment(evaluation, user)
    if assignment.submitted_at is not None:
        raise ValidationError(_("du har redan lämnat in dina poäng"))
    unit, lookup = _unit(evaluation, question_code=question_code, area_number=area_number)
    value = parse_score(score, unit)
    justification = _text(justification, _("%(unit)s · motivering") % {"unit": unit.label})
    row, _c = IndependentScore.objects.get_or_create(assignment=assignment, **lookup)
    current = {"score": _points(row.score), "justification": row.justification}
    mine = {"score": _points(value), "justification": justification}
    _check_base(unit.label, current, base, mine)
    label = _("%(unit)s · oberoende poäng (%(name)s)") % {"unit": unit.label, "name": _display_name(user)}
    _audit(evaluation, user, label, _points(row.score), _points(value), private_to=user)
    _audit(evaluation, user, label.replace(_("poäng"), _("motivering")), row.justification, justification, private_to=user)
    row.score, row.justification = value, justification
    row.save()
    return row


def _codes(keys: Iterable[str], *, of_areas: bool) -> str:
    return (_("område %(keys)s") if of_areas else _("delfråga %(keys)s")) % {"keys": ", ".join(keys)}


@transaction.atomic
def scoring_submit(*, evaluation: Evaluation, user) -> None:
    """Hand in one's scores: every unit (sub-question, or area without sub-questions)
    scored and justified. Final."""
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, [Status.COLLECTING, Status.SCORING], _("att lämna in poäng"))
    assignment = _assignment(evaluation, user)
    if assignment.submitted_at is not None:
        raise ValidationError(_("du har redan lämnat in dina poäng"))
    given = {units.key_of(s.question.code if s.question_id else None, s.area.number if s.area_id else None): s
             for s in assignment.scores.select_related("question", "area")}
    everything = units.units(evaluation.framework.definition)
    problems = []
    for of_areas in (False, True):
        kind = [u for u in everything if u.is_area == of_areas]
        missing = [u.key for u in kind if given.get(u.key) is None or given[u.key].score is None]
        unjustified = [u.key for u in kind if given.get(u.key) is not None and given[u.key].score is not None and not given[u.key].justification]
        if missing:
            problems.append(_("poäng saknas för %(units)s") % {"units": _codes(missing, of_areas=of_areas)})
        if unjustified:
            problems.append(_("motivering saknas för %(units)s") % {"units": _codes(unjustified, of_areas=of_areas)})
    if problems:
        raise ValidationError(problems)
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["submitted_at"])
    _audit(evaluation, user, _("oberoende poäng (%(name)s)") % {"name": _display_name(user)}, "", _("inlämnade"))


@transaction.atomic
def consensus_set(
    *, evaluation: Evaluation, by, question_code: str | None = None, area_number=None, score: str | None, rationale: str,
    base: str | None = None,
):
    """The agreed score of a sub-question (``QuestionAssessment``), or of an area without
    sub-questions (``AreaAssessment.score``), with the rationale."""
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, [Status.CONSENSUS], _("att sätta konsensuspoäng"))
    unit, lookup = _unit(evaluation, question_code=question_code, area_number=area_number)
    value = parse_score(score, unit)
    rationale = _text(rationale, _("%(unit)s · motivering") % {"unit": unit.label})
    assessment = _agreed(evaluation, lookup)
    current = {"score": _points(assessment.score), "rationale": assessment.rationale}
    _check_base(unit.label, current, base, {"score": _points(value), "rationale": rationale})
    _audit(evaluation, by, _("%(unit)s · konsensuspoäng") % {"unit": unit.label}, _points(assessment.score), _points(value))
    _audit(evaluation, by, _("%(unit)s · motivering") % {"unit": unit.label}, assessment.rationale, rationale)
    assessment.score, assessment.score_low, assessment.score_high, assessment.rationale = value, None, None, rationale
    assessment.save(update_fields=["score", "score_low", "score_high", "rationale"])
    return assessment


@transaction.atomic
def consensus_accept_unanimous(*, evaluation: Evaluation, by) -> int:
    """Take the evaluators' score as agreed wherever they all gave the same one and no
    agreed score is set yet. Returns how many were set."""
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, [Status.CONSENSUS], _("att sätta konsensuspoäng"))
    by_unit: dict[str, list] = {}
    for question_code, area_number, score in IndependentScore.objects.filter(assignment__evaluation=evaluation).values_list(
        "question__code", "area__number", "score"
    ):
        by_unit.setdefault(units.key_of(question_code, area_number), []).append(score)
    assigned = evaluation.assignments.count()
    set_already = set(
        QuestionAssessment.objects.filter(evaluation=evaluation, score__isnull=False).values_list("question__code", flat=True)
    ) | {str(n) for n in AreaAssessment.objects.filter(evaluation=evaluation, score__isnull=False).values_list("area__number", flat=True)}
    count = 0
    for unit in units.units(evaluation.framework.definition):
        scores = by_unit.get(unit.key, [])
        if unit.key in set_already or len(scores) != assigned or None in scores or len(set(scores)) != 1:
            continue
        consensus_set(
            evaluation=evaluation, by=by, **units.kwargs_of(unit.key), score=str(scores[0]),
            rationale=_("Samstämmiga oberoende poäng."),
        )
        count += 1
    return count


# --- texts ------------------------------------------------------------------------------


def _area_field_label(number: int, field: str) -> str:
    names = {"general": _("Allmänt"), "changes": _("Vad har hänt?")}
    return _("område %(number)s · %(field)s") % {"number": number, "field": names[field]}


@transaction.atomic
def area_text_set(*, evaluation: Evaluation, by, area_number, field: str, text: str, base: str | None = None) -> AreaAssessment:
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, UNPUBLISHED, _("att skriva texter"))
    if field not in ("general", "changes"):
        raise ValidationError(_("okänt textfält %(field)r") % {"field": field})
    area = _area(evaluation, area_number)
    label = _area_field_label(area.number, field)
    text = _text(text, label)
    assessment, _c = AreaAssessment.objects.get_or_create(evaluation=evaluation, area=area)
    assessment = AreaAssessment.objects.select_for_update().get(pk=assessment.pk)
    attribute = f"{field}_text"
    _check_base(label, getattr(assessment, attribute), base, text)
    _audit(evaluation, by, label, getattr(assessment, attribute), text)
    setattr(assessment, attribute, text)
    assessment.save(update_fields=[attribute])
    return assessment


@transaction.atomic
def question_text_set(*, evaluation: Evaluation, by, question_code: str, text: str, base: str | None = None) -> QuestionAssessment:
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, UNPUBLISHED, _("att skriva texter"))
    question = _question(evaluation, question_code)
    label = _("delfråga %(code)s · text") % {"code": question.code}
    text = _text(text, label)
    assessment, _c = QuestionAssessment.objects.get_or_create(evaluation=evaluation, question=question)
    assessment = QuestionAssessment.objects.select_for_update().get(pk=assessment.pk)
    _check_base(label, assessment.text, base, text)
    _audit(evaluation, by, label, assessment.text, text)
    assessment.text = text
    assessment.save(update_fields=["text"])
    return assessment


def findings_list(evaluation: Evaluation, area: Area, kind: str) -> list[str]:
    return list(Finding.objects.filter(evaluation=evaluation, area=area, kind=kind).order_by("position", "id").values_list("text", flat=True))


@transaction.atomic
def findings_list_set(
    *, evaluation: Evaluation, by, area_number, kind: str, items: Sequence[str], base: str | None = None
) -> list[str]:
    """Replace an area's ordered list of strengths, improvement areas or good examples."""
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, UNPUBLISHED, _("att skriva texter"))
    if kind not in FindingKind.values:
        raise ValidationError(_("okänt slag av lista %(kind)r") % {"kind": kind})
    area = _area(evaluation, area_number)
    label = _("område %(number)s · %(kind)s") % {"number": area.number, "kind": FindingKind(kind).label}
    items = [_text(item, label) for item in items]
    items = [item for item in items if item]
    # The area's row is the lock for its lists.
    assessment, _c = AreaAssessment.objects.get_or_create(evaluation=evaluation, area=area)
    AreaAssessment.objects.select_for_update().get(pk=assessment.pk)
    current = findings_list(evaluation, area, kind)
    _check_base(label, current, base, items)
    _audit(evaluation, by, label, current, items)
    evaluation_services.findings_set(evaluation=evaluation, area_number=area.number, kind=kind, items=[(t, None) for t in items])
    return items


@transaction.atomic
def follow_up_set(*, evaluation: Evaluation, by, item_id: int, done: bool) -> FollowUpItem:
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, UNPUBLISHED, _("att bocka av uppföljningen"))
    item = FollowUpItem.objects.filter(evaluation=evaluation, pk=item_id).first()
    if item is None:
        raise ValidationError(_("uppföljningspunkt %(id)s finns inte i utvärderingen") % {"id": item_id})
    if item.done != done:
        _audit(evaluation, by, _("område %(number)s · uppföljning: %(text)s") % {"number": item.area.number, "text": item.text[:80]},
               _("behandlad") if item.done else _("ej behandlad"), _("behandlad") if done else _("ej behandlad"))
        item.done = done
        item.save(update_fields=["done"])
    return item


# --- the municipality's pre-visit answers ----------------------------------------------------


PREVISIT_OPEN = [Status.PLANNED, Status.COLLECTING]


def _answer(evaluation: Evaluation, lookup: dict) -> PrevisitAnswer:
    answer, _c = PrevisitAnswer.objects.get_or_create(evaluation=evaluation, **lookup)
    return PrevisitAnswer.objects.select_for_update().get(pk=answer.pk)


@transaction.atomic
def previsit_answer_set(
    *, evaluation: Evaluation, by, question_code: str | None = None, area_number=None, text: str, base: str | None = None
) -> PrevisitAnswer:
    """The municipality's answer to one sub-question (or area, where there are none)."""
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, PREVISIT_OPEN, _("att besvara förfrågan"))
    unit, lookup = _unit(evaluation, question_code=question_code, area_number=area_number)
    label = _("förfrågan, %(unit)s") % {"unit": unit.label}
    text = _text(text, label)
    answer = _answer(evaluation, lookup)
    _check_base(label, answer.text, base, text)
    _audit(evaluation, by, label, answer.text, text)
    answer.text = text
    answer.save(update_fields=["text"])
    return answer


@transaction.atomic
def self_assessment_set(
    *, evaluation: Evaluation, by, question_code: str | None = None, area_number=None, score: str | None, comment: str,
    base: str | None = None,
) -> PrevisitAnswer:
    """The municipality's own score of one sub-question, or of one area where the version
    has none (0 … its max; empty: none) with a comment, beside its pre-visit answer; open
    as long as the pre-visit answers are."""
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, PREVISIT_OPEN, _("att göra självskattningen"))
    unit, lookup = _unit(evaluation, question_code=question_code, area_number=area_number)
    try:
        value = parse_score(score, unit)
    except ValidationError as exc:
        raise ValidationError(_("självskattning, %(error)s") % {"error": " ".join(exc.messages)}) from None
    label = _("självskattning, %(unit)s") % {"unit": unit.label}
    comment = _text(comment, _("%(label)s · kommentar") % {"label": label})
    answer = _answer(evaluation, lookup)
    current = {"score": _points(answer.self_score), "comment": answer.self_comment}
    _check_base(label, current, base, {"score": _points(value), "comment": comment})
    _audit(evaluation, by, label, _points(answer.self_score), _points(value))
    _audit(evaluation, by, _("%(label)s · kommentar") % {"label": label}, answer.self_comment, comment)
    answer.self_score, answer.self_comment = value, comment
    answer.save(update_fields=["self_score", "self_comment"])
    return answer


@transaction.atomic
def previsit_attachment_add(
    *, evaluation: Evaluation, by, question_code: str | None = None, area_number=None, upload
) -> PrevisitAttachment:
    evaluation = _locked(evaluation)
    _refuse_unless(evaluation, PREVISIT_OPEN, _("att bifoga filer till förfrågan"))
    unit, lookup = _unit(evaluation, question_code=question_code, area_number=area_number)
    stored = _store(upload)
    with _KeptOnlyWithItsRow(stored.name), transaction.atomic():
        answer, _c = PrevisitAnswer.objects.get_or_create(evaluation=evaluation, **lookup)
        attachment = PrevisitAttachment.objects.create(
            answer=answer, file_name=stored.name, original_name=stored.original_name,
            content_type=stored.content_type, size=stored.size, created_by=by,
        )
        _audit(evaluation, by, _("förfrågan, %(unit)s · bilaga") % {"unit": unit.label}, "", stored.original_name)
    return attachment
