"""The rules every workspace write keeps (``workspace.services``, ``workspace.facts``,
``actions.services``): one lock, one status rule, one text rule, one audit trail, and
optimistic locking against overwriting someone else's newer save.

- A write locks the evaluation it changes (``SELECT … FOR UPDATE`` on PostgreSQL; on
  SQLite every transaction takes the write lock), so writes to one evaluation run one
  after the other.
- A form carries the ``fingerprint`` of the value it showed; ``check_base`` refuses with
  ``Conflict`` a save based on a value someone else has changed since.
- ``audit`` records old and new value of every change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from kompass.evaluations.models import Evaluation, Status
from kompass.evaluations.selectors import evaluation_label
from kompass.i18n import _
from kompass.workspace.access import may_manage
from kompass.workspace.models import AuditEntry

LIFECYCLE = [Status.PLANNED, Status.COLLECTING, Status.SCORING, Status.CONSENSUS, Status.PUBLISHED]
UNPUBLISHED = [s for s in LIFECYCLE if s != Status.PUBLISHED]
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


def check_base(field: str, current, base: str | None, mine) -> None:
    """Refuse a save whose form showed another value than the one stored now."""
    if base is not None and fingerprint(current) != base:
        raise Conflict(field, current, mine)


def audit(evaluation: Evaluation, user, field: str, old, new, *, private_to=None) -> None:
    """One entry in the evaluation's audit trail, unless nothing changed."""

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
        language=translation.get_language() or settings.LANGUAGE_CODE,
        private_to=private_to,
    )


def locked(evaluation: Evaluation) -> Evaluation:
    """The evaluation read anew and locked until the transaction ends."""
    return Evaluation.objects.select_for_update().select_related("framework", "municipality").get(pk=evaluation.pk)


def refuse_unless(evaluation: Evaluation, statuses: Iterable[str], action: str) -> None:
    """Refuse ``action`` unless the evaluation has one of ``statuses``."""
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


def display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def refuse_unless_manager(evaluation: Evaluation, by, action: str) -> None:
    """Refuse ``action`` unless ``by`` is an administrator or the evaluation's lead."""
    if not may_manage(by, evaluation):
        raise ValidationError(
            _("%(who)s får inte %(action)s: det gör administratörer och den ansvariga utvärderaren")
            % {"who": display_name(by), "action": action}
        )


def clean_text(value: str | None, field: str) -> str:
    """Free text as stored: line ends made one kind, trimmed, bounded, no null character."""
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > MAX_TEXT:
        raise ValidationError(_("%(field)s: texten är längre än %(max)s tecken") % {"field": field, "max": MAX_TEXT})
    if "\x00" in value:
        raise ValidationError(_("%(field)s: texten innehåller ett nolltecken") % {"field": field})
    return value
