"""The evaluators' and municipalities' workspace: who may do what, the evidence, the
independent scores, the municipality's pre-visit answers, the follow-up checklist, the
audit trail and the published revisions.

The agreed (consensus) scores and the texts live in ``kompass.evaluations``; this app
holds the work that leads to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.append_only import AppendOnly

from kompass.catalogue.models import Area, Question
from kompass.evaluations.models import SCORE, Evaluation, Finding
from kompass.municipalities.models import Municipality


class Role(models.TextChoices):
    ADMIN = "admin", _("administratör")
    EVALUATOR = "evaluator", _("utvärderare")
    MUNICIPALITY = "municipality", _("kommunens kontaktperson")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kommun"),
        help_text=_("Kommunen som en kontaktperson företräder."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # The interface language the user chose (kompass.web.languages); blank: not chosen.
    language = models.CharField(_("språk"), max_length=8, blank=True, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profiler")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="municipality") | models.Q(municipality__isnull=False), name="profile_contact_has_municipality"
            ),
        ]

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()})"


class Assignment(models.Model):
    """An evaluator assigned to an evaluation: the only evaluations they see in draft."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    submitted_at = models.DateTimeField(_("poäng inlämnade"), null=True, blank=True)
    # The lead evaluator (typically SKR's or KS's own) moves the evaluation through the
    # lifecycle, publishes, shares and corrects it; the others score, write and agree.
    lead = models.BooleanField(_("ansvarig utvärderare"), default=False)

    class Meta:
        ordering = ["evaluation", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "user"], name="assignment_unique"),
            models.UniqueConstraint(fields=["evaluation"], condition=models.Q(lead=True), name="assignment_one_lead"),
        ]
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")

    def __str__(self):
        return f"{self.user.get_username()} – {self.evaluation}"


class EvidenceKind(models.TextChoices):
    INTERVIEW = "interview", _("intervju")
    DOCUMENT = "document", _("dokument")
    WEBSITE = "website", _("webbplats")


class Evidence(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("slag"), max_length=20, choices=EvidenceKind.choices)
    date = models.DateField(_("datum"))
    title = models.CharField(_("titel"), max_length=300, blank=True)
    interviewee = models.CharField(_("intervjuad roll eller grupp"), max_length=300, blank=True)
    url = models.URLField(_("adress"), max_length=1000, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)
    file_name = models.CharField(_("lagrad fil"), max_length=100, blank=True)
    original_name = models.CharField(_("filnamn"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    questions = models.ManyToManyField(Question, blank=True, related_name="evidence", verbose_name=_("delfrågor"))
    # Areas scored as a whole (versions without sub-questions) that the evidence bears on.
    areas = models.ManyToManyField(Area, blank=True, related_name="+", verbose_name=_("områden"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "date", "id"]
        verbose_name = _("underlag")
        verbose_name_plural = _("underlag")

    def __str__(self):
        return self.title or self.interviewee or self.url


# What is scored: a sub-question, or an area where the version has no sub-questions.
ONE_UNIT = models.Q(question__isnull=False, area__isnull=True) | models.Q(question__isnull=True, area__isnull=False)


class IndependentScore(models.Model):
    """One evaluator's own score of one sub-question, or of one area in a version (or an
    area) without sub-questions, before consensus. Exactly one of the two is set."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, null=True, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    score = models.DecimalField(_("poäng"), **SCORE)
    justification = models.TextField(_("motivering"), blank=True)

    class Meta:
        ordering = ["assignment", "question__area__number", "question__position", "area__number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "question"], name="independent_score_unique"),
            models.UniqueConstraint(fields=["assignment", "area"], name="independent_score_area_unique"),
            models.CheckConstraint(condition=ONE_UNIT, name="independent_score_one_unit"),
            models.CheckConstraint(condition=models.Q(score__gte=0) | models.Q(score__isnull=True), name="independent_score_not_negative"),
        ]


class PrevisitAnswer(models.Model):
    """The municipality's answer to one sub-question (or one area, where the version has
    no sub-questions there) before the visit. Exactly one of the two is set."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="previsit_answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, null=True, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField(_("svar"), blank=True)
    # The municipality's own score of the sub-question or area (0 … its max); null: not given.
    self_score = models.DecimalField(_("självskattning"), **SCORE)
    self_comment = models.TextField(_("kommentar till självskattningen"), blank=True)

    class Meta:
        ordering = ["evaluation", "question__area__number", "question__position", "area__number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "question"], name="previsit_answer_unique"),
            models.UniqueConstraint(fields=["evaluation", "area"], name="previsit_answer_area_unique"),
            models.CheckConstraint(condition=ONE_UNIT, name="previsit_answer_one_unit"),
            models.CheckConstraint(condition=models.Q(self_score__gte=0) | models.Q(self_score__isnull=True), name="self_score_not_negative"),
        ]


class PrevisitAttachment(models.Model):
    answer = models.ForeignKey(PrevisitAnswer, on_delete=models.CASCADE, related_name="attachments")
    file_name = models.CharField(max_length=100)
    original_name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "id"]


class FollowUpItem(models.Model):
    """An improvement area of the previous evaluation, to follow up under "Vad har hänt"."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="follow_up_items")
    area = models.ForeignKey(Area, on_delete=models.PROTECT)
    previous = models.ForeignKey(Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("förbättringsområde"))
    done = models.BooleanField(_("behandlad"), default=False)

    class Meta:
        ordering = ["evaluation", "area__number", "position", "id"]


class AuditEntry(AppendOnly, models.Model):
    """One change, as it happened. Written once; never changed or deleted."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="audit_entries")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    username = models.CharField(max_length=150, blank=True)
    field = models.CharField(_("vad"), max_length=300)
    old = models.TextField(_("före"), blank=True)
    new = models.TextField(_("efter"), blank=True)
    # The language the entry was written in (the writer's): shown as recorded, marked with it.
    language = models.CharField(max_length=8, default="sv")
    # An evaluator's independent score is theirs alone until consensus begins.
    private_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["evaluation", "at", "id"]
        verbose_name = _("ändring")
        verbose_name_plural = _("ändringshistorik")


class Revision(models.Model):
    """A published state of an evaluation: the first publication, then each correction."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    reason = models.TextField(_("skäl"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    document = models.JSONField()

    class Meta:
        ordering = ["evaluation", "number"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "number"], name="revision_unique")]
        verbose_name = _("revision")
        verbose_name_plural = _("revisioner")


class Schedule(models.Model):
    """An evaluation's plan: the visit as planned and the deadlines the team works to.
    Every date may be empty; the visit as it happened is the evaluation's own record
    (``Evaluation.visit_start``/``visit_end``), which the report reads."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="schedule")
    visit_start = models.DateField(_("besöket, första dagen"), null=True, blank=True)
    visit_end = models.DateField(_("besöket, sista dagen"), null=True, blank=True)
    answers_due = models.DateField(_("kommunens svar senast"), null=True, blank=True)
    scores_due = models.DateField(_("utvärderarnas poäng senast"), null=True, blank=True)
    publish_due = models.DateField(_("publicering senast"), null=True, blank=True)

    class Meta:
        verbose_name = _("tidsplan")
        verbose_name_plural = _("tidsplaner")
        constraints = [
            # The order the work goes in: the municipality answers before the scores are due.
            models.CheckConstraint(
                condition=models.Q(answers_due__isnull=True) | models.Q(scores_due__isnull=True) | models.Q(answers_due__lte=models.F("scores_due")),
                name="schedule_answers_before_scores",
            ),
        ]

    def __str__(self):
        return f"{self.evaluation}"
