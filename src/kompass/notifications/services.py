"""Every write of notifications, and who is told what.

The workspace's services call the ``*_happened`` functions at the end of the action, in
its transaction, so the web and the command line notify alike. A notification in the
workspace is a row written with the action (undone with it); an e-mail goes only after
the transaction commits, and a mail server that fails is logged, never undoing or
breaking the action. Nobody is told about their own action.

Who gets what:
- assigned to an evaluation → that evaluator;
- shared with the municipality → the municipality's contacts;
- the municipality's answers done → the evaluators;
- an evaluator hands in → the lead evaluator;
- everyone has handed in (consensus ready) → the evaluators;
- published → the evaluators and the municipality's contacts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from kompass.evaluations.models import Evaluation
from kompass.i18n import _
from kompass.notifications.models import AnswersDone, Kind, Notification, NotificationChoice
from kompass.notifications.selectors import choices_of
from kompass.workspace.models import Role

log = logging.getLogger(__name__)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _title(evaluation: Evaluation) -> str:
    return f"{evaluation.municipality.name} {evaluation.year}"


def notify(*, kind: str, evaluation: Evaluation, recipients: Iterable, message: str, params: dict, path: str, by=None) -> list[Notification]:
    """Tell ``recipients`` (users) that ``message % params`` happened, each as they chose:
    a row in their list, an e-mail after the commit, both or neither, each in the
    recipient's language (``message`` is the untranslated Swedish source). ``by``, who did
    it, is left out, as are inactive accounts. Returns the rows written."""
    text = message % params
    by_pk = getattr(by, "pk", None)
    seen, rows, mails = set(), [], []
    for user in recipients:
        if user.pk in seen or user.pk == by_pk or not user.is_active:
            continue
        seen.add(user.pk)
        in_app, email = choices_of(user)[kind]
        if in_app:
            rows.append(Notification.objects.create(
                user=user, evaluation=evaluation, kind=kind, text=text, message=message, params=params, path=path,
            ))
        if email and user.email:
            with translation.override(_language_of(user)):
                mails.append(_mail(user, _(message) % params, path))
    if mails:
        transaction.on_commit(lambda: send_mails(mails))
    return rows


def _base_url() -> str:
    return settings.KOMPASS_BASE_URL.rstrip("/")


def _language_of(user) -> str:
    """The language a user chose in the workspace, else the site's."""
    return getattr(getattr(user, "profile", None), "language", "") or settings.LANGUAGE_CODE


def _mail(user, text: str, path: str) -> EmailMessage:
    """A plain-text e-mail in the active language with the address of the page."""
    body = "\n\n".join([
        _("Hej %(name)s,") % {"name": user.first_name or user.get_username()},
        text,
        _("Öppna sidan: %(url)s") % {"url": _base_url() + path},
        _("Du får det här meddelandet från Kommunkompassen. Välj vilka aviseringar du får och hur: %(url)s")
        % {"url": _base_url() + reverse("notifications:choices")},
    ])
    return EmailMessage(subject=_("Kommunkompassen: %(text)s") % {"text": text.split(". ")[0].rstrip(".")}, body=body + "\n",
                        from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email])


def send_mails(messages: list[EmailMessage]) -> int:
    """Send ``messages`` (after the commit); a failure is logged, one message's failure
    does not stop the others. Returns how many were sent."""
    sent = 0
    try:
        connection = get_connection()
        connection.open()
    except Exception:  # noqa: BLE001 - the action is done; the mail server must not break it
        log.exception("notifications: could not connect to the mail server; %s e-mail(s) not sent", len(messages))
        return 0
    try:
        for message in messages:
            try:
                sent += connection.send_messages([message]) or 0
            except Exception:  # noqa: BLE001
                log.exception("notifications: e-mail to %s not sent", ", ".join(message.to))
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001
            log.warning("notifications: closing the mail connection failed", exc_info=True)
    return sent


# --- who is told what -----------------------------------------------------------------------


def _contacts(evaluation: Evaluation):
    return get_user_model().objects.filter(
        is_active=True, profile__role=Role.MUNICIPALITY, profile__municipality_id=evaluation.municipality_id
    ).order_by("pk")


def _evaluators(evaluation: Evaluation, *, lead_only: bool = False):
    assignments = evaluation.assignments.select_related("user").order_by("pk")
    if lead_only:
        assignments = assignments.filter(lead=True)
    return [a.user for a in assignments]


def assigned_happened(evaluation: Evaluation, user, by, *, lead: bool) -> None:
    """``user`` was just assigned to the evaluation (as its lead, with ``lead``)."""
    message = gettext_noop("Du är ansvarig utvärderare för %(title)s.") if lead else gettext_noop("Du är utvärderare för %(title)s.")
    notify(
        kind=Kind.ASSIGNED, evaluation=evaluation, recipients=[user], by=by,
        message=message, params={"title": _title(evaluation)}, path=reverse("workspace:overview", args=[evaluation.pk]),
    )


def shared_happened(evaluation: Evaluation, by) -> None:
    """The evaluation was just shared with the municipality: its contacts are told."""
    notify(
        kind=Kind.SHARED, evaluation=evaluation, recipients=_contacts(evaluation), by=by,
        message=gettext_noop("Utvärderingen %(title)s är delad med er. Besvara förfrågan inför besöket."),
        params={"title": _title(evaluation)},
        path=reverse("workspace:previsit", args=[evaluation.pk]),
    )


def answered_happened(evaluation: Evaluation, by) -> None:
    """The municipality's contact said its answers are done: the evaluators are told."""
    notify(
        kind=Kind.ANSWERED, evaluation=evaluation, recipients=_evaluators(evaluation), by=by,
        message=gettext_noop("Förfrågan inför besöket i %(title)s är besvarad."), params={"title": _title(evaluation)},
        path=reverse("workspace:previsit", args=[evaluation.pk]),
    )


def handed_in_happened(evaluation: Evaluation, by) -> None:
    """``by`` handed in their scores: the lead is told; when everyone (at least two) has
    handed in, the evaluators are told that consensus can begin."""
    overview = reverse("workspace:overview", args=[evaluation.pk])
    notify(
        kind=Kind.HANDED_IN, evaluation=evaluation, recipients=_evaluators(evaluation, lead_only=True), by=by,
        message=gettext_noop("%(name)s har lämnat in sina poäng för %(title)s."),
        params={"name": _name(by), "title": _title(evaluation)},
        path=overview,
    )
    submitted = list(evaluation.assignments.values_list("submitted_at", flat=True))
    if len(submitted) >= 2 and None not in submitted:
        notify(
            kind=Kind.CONSENSUS_READY, evaluation=evaluation, recipients=_evaluators(evaluation), by=by,
            message=gettext_noop("Alla utvärderare har lämnat in sina poäng för %(title)s. Konsensus kan börja."),
            params={"title": _title(evaluation)},
            path=overview,
        )


def published_happened(evaluation: Evaluation, by) -> None:
    """Published: the evaluators and the municipality's contacts are told."""
    notify(
        kind=Kind.PUBLISHED, evaluation=evaluation, recipients=[*_evaluators(evaluation), *_contacts(evaluation)], by=by,
        message=gettext_noop("Utvärderingen %(title)s är publicerad."), params={"title": _title(evaluation)},
        path=reverse("web:evaluation", args=[evaluation.pk]),
    )


# --- the user's own writes --------------------------------------------------------------------


def mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or, without an id, all of them) as read."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def choices_set(*, user, choices: dict[str, tuple[bool, bool]]) -> None:
    """Save the user's choices: kind → (in the workspace, by e-mail); unknown kinds are ignored."""
    for kind, (in_app, email) in choices.items():
        if kind in Kind.values:
            NotificationChoice.objects.update_or_create(user=user, kind=kind, defaults={"in_app": bool(in_app), "email": bool(email)})


def answers_done_set(*, evaluation: Evaluation, by, done: bool) -> bool:
    """Record (or take back) that the municipality's answers are done; whether anything
    changed. Called by ``workspace.services.previsit_done_set``, which checks and audits."""
    if done:
        _row, created = AnswersDone.objects.get_or_create(
            evaluation=evaluation, defaults={"by": by if by is not None and by.is_authenticated else None, "at": timezone.now()}
        )
        return created
    deleted, _detail = AnswersDone.objects.filter(evaluation=evaluation).delete()
    return bool(deleted)
