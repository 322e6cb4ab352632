"""A notification per user, each user's choices per kind, and the municipality's word
that its pre-visit answers are done (the event that tells the evaluators)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.evaluations.models import Evaluation


class Kind(models.TextChoices):
    ASSIGNED = "assigned", _("Du får ett uppdrag som utvärderare")
    SHARED = "shared", _("Utvärderingen delas med kommunen")
    ANSWERED = "answered", _("Kommunen har besvarat förfrågan")
    HANDED_IN = "handed_in", _("En utvärderare lämnar in sina poäng")
    CONSENSUS_READY = "consensus_ready", _("Alla har lämnat in: dags för konsensus")
    PUBLISHED = "published", _("Utvärderingen publiceras")


class Notification(models.Model):
    """Something that happened to an evaluation, told to one user in the workspace. The
    sentence is kept as it was said then, so a later rename does not rewrite history: its
    message (the Swedish source) and the names put into it, shown in the reader's
    language when read; ``text`` is the sentence in Swedish."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("slag"), max_length=30, choices=Kind.choices)
    text = models.TextField(_("meddelande"))
    message = models.TextField(blank=True)  # the gettext source of ``text``; blank: say ``text`` as it is
    params = models.JSONField(default=dict, blank=True)
    path = models.CharField(_("sida"), max_length=500)
    created_at = models.DateTimeField(_("tid"), auto_now_add=True)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        verbose_name = _("avisering")
        verbose_name_plural = _("aviseringar")

    def __str__(self):
        return self.shown

    @property
    def shown(self) -> str:
        """The sentence in the active language."""
        from django.utils.translation import gettext

        if not self.message:
            return self.text
        try:
            return gettext(self.message) % self.params
        except (KeyError, TypeError, ValueError):  # a translation that does not fit: the Swedish one
            return self.text


class NotificationChoice(models.Model):
    """How one user wants one kind of notification; without a row: both ways."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_choices")
    kind = models.CharField(_("slag"), max_length=30, choices=Kind.choices)
    in_app = models.BooleanField(_("i arbetsytan"), default=True)
    email = models.BooleanField(_("med e-post"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_choice_unique")]
        verbose_name = _("val av avisering")
        verbose_name_plural = _("val av aviseringar")


class AnswersDone(models.Model):
    """The municipality's contact has said its pre-visit answers are done. Kept here, not
    on the workspace's models: it exists to tell the evaluators (and the deadlines read it)."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="answers_done")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("klarmarkerad"))

    class Meta:
        verbose_name = _("besvarad förfrågan")
        verbose_name_plural = _("besvarade förfrågningar")
