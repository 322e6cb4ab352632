"""Action plans: what a municipality does about the improvement areas of a published
evaluation, and how far it has come.

An action hangs on one improvement area (a ``Finding`` of kind improvement). An
improvement area that has actions cannot be deleted (``PROTECT``): replacing or
correcting an evaluation never silently drops a municipality's plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.evaluations.models import Finding
from kompass.municipalities.models import Municipality


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("ej påbörjad")
    IN_PROGRESS = "in_progress", _("pågår")
    DONE = "done", _("klar")
    CANCELLED = "cancelled", _("avbruten")


# Kolada's key figures are named by a letter and five digits (N00945, U00401).
KOLADA_KPI = r"^[A-Z]\d{5}$"


class Action(models.Model):
    improvement = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="actions", verbose_name=_("förbättringsområde"))
    position = models.PositiveIntegerField(_("ordning"), default=0)
    title = models.CharField(_("åtgärd"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    owner = models.CharField(_("ansvarig roll eller enhet"), max_length=200, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    due = models.DateField(_("klar senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    indicator = models.CharField(
        _("indikator"), max_length=200, blank=True,
        help_text=_("Ett nyckeltal i Kolada (till exempel N00945) eller en egen beskrivning."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["improvement__area__number", "improvement__position", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True) | models.Q(due__isnull=True) | models.Q(due__gte=models.F("start")),
                name="action_due_not_before_start",
            ),
            models.CheckConstraint(condition=models.Q(status__in=ActionStatus.values), name="action_status_known"),
        ]
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")

    def __str__(self):
        return self.title


class ActionNote(models.Model):
    """A dated line of progress: what was done, decided or measured."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField(_("datum"))
    text = models.TextField(_("anteckning"))
    status = models.CharField(_("status efter"), max_length=20, choices=ActionStatus.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "date", "id"]
        verbose_name = _("lägesanteckning")
        verbose_name_plural = _("lägesanteckningar")


class ActionPlan(models.Model):
    """A municipality's choice to show its plan to the public."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, primary_key=True, related_name="action_plan")
    public = models.BooleanField(_("publicerad"), default=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")
