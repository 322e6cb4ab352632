"""Accounts, new evaluations and who works on them: the workspace's people."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from kompass.catalogue.models import Framework
from kompass.evaluations import services as evaluation_services
from kompass.evaluations.models import Evaluation, Finding, FindingKind, Status
from kompass.i18n import _
from kompass.municipalities.models import Municipality
from kompass.notifications import services as notifications
from kompass.workspace.access import role_of
from kompass.workspace.guards import audit, display_name, locked, refuse_unless, refuse_unless_manager
from kompass.workspace.models import Assignment, FollowUpItem, Profile, Role


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


def language_set(user, language: str) -> None:
    """Save a user's interface language (one of settings.LANGUAGES)."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("språk: okänt språk %(language)r") % {"language": language})
    Profile.objects.filter(user=user).update(language=language)


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
    audit(evaluation, by, _("utvärdering"), "", _("skapad, status %(status)s") % {"status": evaluation.get_status_display()})
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
        audit(evaluation, by, _("ansvarig utvärderare"), "", display_name(user))
    if created:
        evaluation_services.evaluator_add(
            evaluation=evaluation, name=display_name(user), organisation=getattr(getattr(user, "profile", None), "organisation", ""),
        )
        audit(evaluation, by, _("utvärderare"), "", display_name(user))
        notifications.assigned_happened(evaluation, user, by, lead=first)


@transaction.atomic
def evaluator_assign(*, evaluation: Evaluation, user, by) -> None:
    evaluation = locked(evaluation)
    refuse_unless(evaluation, [Status.PLANNED, Status.COLLECTING, Status.SCORING], _("att lägga till en utvärderare"))
    profile = getattr(user, "profile", None)
    if profile is None or profile.role != Role.EVALUATOR:
        raise ValidationError(_("utvärderare: %(name)s har inte rollen utvärderare") % {"name": user.get_username()})
    _assign(evaluation, user, by)


@transaction.atomic
def lead_set(*, evaluation: Evaluation, user, by) -> None:
    """Make another assigned evaluator the lead (an administrator's decision: the lead
    moves, publishes, shares and corrects the evaluation). Audited; the old lead stays an
    evaluator."""
    evaluation = locked(evaluation)
    if role_of(by) != Role.ADMIN:
        raise ValidationError(_("bara en administratör byter ansvarig utvärderare"))
    if user is None:
        raise ValidationError(_("ansvarig utvärderare: välj en av utvärderarna"))
    assignments = {a.user_id: a for a in evaluation.assignments.select_related("user")}
    chosen = assignments.get(user.pk)
    if chosen is None:
        raise ValidationError(_("ansvarig utvärderare: %(name)s är inte en av utvärderarna") % {"name": user.get_username()})
    current = next((a for a in assignments.values() if a.lead), None)
    if current is chosen:
        return
    Assignment.objects.filter(evaluation=evaluation, lead=True).update(lead=False)
    Assignment.objects.filter(pk=chosen.pk).update(lead=True)
    audit(evaluation, by, _("ansvarig utvärderare"), display_name(current.user) if current else "", display_name(chosen.user))


@transaction.atomic
def share_set(*, evaluation: Evaluation, shared: bool, by) -> None:
    evaluation = locked(evaluation)
    refuse_unless_manager(evaluation, by, _("dela utvärderingen"))
    if evaluation.shared_with_municipality != shared:
        audit(evaluation, by, _("delad med kommunen"), _("ja") if evaluation.shared_with_municipality else _("nej"), _("ja") if shared else _("nej"))
        evaluation_services.evaluation_update(evaluation=evaluation, shared_with_municipality=shared)
        if shared:
            notifications.shared_happened(evaluation, by)
