"""Evaluations as stored. Only recorded values live here; every derived number
(area totals, totals, percentages) is computed by ``kompass.scoring``.

A score reconstructed from a published report's rounded print keeps the interval of
values consistent with that print (``*_low`` … ``*_high``) beside its best estimate;
a score with no interval is exact."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.catalogue.models import Area, Framework, Question
from kompass.municipalities.models import Municipality
from kompass.municipalities.words import country_language

SCORE = {"max_digits": 6, "decimal_places": 2, "null": True, "blank": True}


class Status(models.TextChoices):
    """The lifecycle, in order. Only a published evaluation is public."""

    PLANNED = "planned", _("planerad")
    COLLECTING = "collecting", _("insamling av underlag")
    SCORING = "scoring", _("poängsättning")
    CONSENSUS = "consensus", _("konsensus")
    PUBLISHED = "published", _("publicerad")


# Dumps and imports written before the lifecycle said "draft" for anything unpublished.
STATUS_ALIASES = {"draft": Status.PLANNED}


class Source(models.TextChoices):
    INTERVIEWS = "interviews", _("intervjuer")
    DOCUMENTS = "documents", _("officiella dokument")
    WEBSITE = "website", _("kommunens hemsida")
    INTRANET = "intranet", _("intranät")
    SOCIAL_MEDIA = "social_media", _("sociala medier")


class Evaluation(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("kommun")
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("version"))
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"), null=True, blank=True)
    visit_start = models.DateField(_("besök från"), null=True, blank=True)
    visit_end = models.DateField(_("besök till"), null=True, blank=True)
    ordinal = models.PositiveSmallIntegerField(_("ordningsnummer"), null=True, blank=True, help_text=_("Den femte utvärderingen är 5."))
    interviewees = models.PositiveSmallIntegerField(_("antal intervjuade"), null=True, blank=True)
    interviewees_approximate = models.BooleanField(_("ungefärligt antal"), default=False, help_text=_("Visas som ”ett 30-tal”."))
    sources = models.JSONField(_("källor"), default=list, blank=True)
    publisher = models.CharField(_("utgivare"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    shared_with_municipality = models.BooleanField(
        _("delad med kommunen"), default=False, help_text=_("Kommunens kontaktpersoner ser utvärderingen och besvarar förfrågan.")
    )
    total_score = models.DecimalField(_("registrerad totalpoäng"), **SCORE, help_text=_("Bara när områdespoängen inte ger totalen."))
    total_low = models.DecimalField(_("totalpoäng, lägst"), **SCORE)
    total_high = models.DecimalField(_("totalpoäng, högst"), **SCORE)
    data_source = models.CharField(
        _("källa för uppgifterna"), max_length=500, blank=True,
        help_text=_("Var resultaten är publicerade, till exempel en rapport eller en resultattabell."),
    )
    evaluation_text = models.TextField(_("Utvärderingen"), blank=True)
    summary_text = models.TextField(_("Sammanfattande kommentar"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality__country", "municipality__code", "year", "framework__code"]
        indexes = [models.Index(fields=["status", "framework", "year"], name="evaluation_status")]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "framework"], name="evaluation_unique_per_version_year"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12) | models.Q(month__isnull=True), name="evaluation_month_range"),
            models.CheckConstraint(condition=models.Q(total_score__gte=0) | models.Q(total_score__isnull=True), name="evaluation_total_not_negative"),
        ]
        verbose_name = _("utvärdering")
        verbose_name_plural = _("utvärderingar")

    def __str__(self):
        return f"{self.municipality} {self.year} ({self.framework.code})"

    @property
    def text_language(self) -> str:
        """The language the evaluators write in: their municipality's country's (the shipped
        versions are Swedish files shared with KS and KL, yet KS's evaluators write a
        Norwegian municipality's report in Norwegian), else their version's. Pages and
        reports mark the texts with it (``lang``)."""
        return country_language(self.municipality.country) or (self.framework.language or "sv").split("-")[0].lower()

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Evaluator(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="evaluators")
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    name = models.CharField(_("namn"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        ordering = ["evaluation", "position", "id"]
        verbose_name = _("utvärderare")
        verbose_name_plural = _("utvärderare")

    def __str__(self):
        return f"{self.name}, {self.organisation}" if self.organisation else self.name


class AreaAssessment(models.Model):
    """One area of one evaluation: its texts, and its score where no sub-questions give it."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="area_assessments")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("område"))
    score = models.DecimalField(_("registrerad områdespoäng"), **SCORE)
    score_low = models.DecimalField(_("lägst"), **SCORE)
    score_high = models.DecimalField(_("högst"), **SCORE)
    general_text = models.TextField(_("Allmänt"), blank=True)
    changes_text = models.TextField(_("Vad har hänt?"), blank=True)
    # Where the evaluators agree on the area's score in the workspace (a version without
    # sub-questions): why they settled on ``score``.
    rationale = models.TextField(_("motivering av konsensuspoängen"), blank=True, default="")

    class Meta:
        ordering = ["evaluation", "area__number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "area"], name="area_assessment_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=0) | models.Q(score__isnull=True), name="area_score_not_negative"),
        ]
        verbose_name = _("områdesbedömning")
        verbose_name_plural = _("områdesbedömningar")

    def __str__(self):
        return f"{self.evaluation} – {self.area}"


class QuestionAssessment(models.Model):
    """One sub-question of one evaluation: its score and the evaluators' text."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="question_assessments")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, verbose_name=_("delfråga"))
    score = models.DecimalField(_("poäng"), **SCORE)
    score_low = models.DecimalField(_("lägst"), **SCORE)
    score_high = models.DecimalField(_("högst"), **SCORE)
    text = models.TextField(_("bedömning"), blank=True)
    rationale = models.TextField(_("motivering av konsensuspoängen"), blank=True)

    class Meta:
        ordering = ["evaluation", "question__area__number", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "question"], name="question_assessment_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=0) | models.Q(score__isnull=True), name="question_score_not_negative"),
        ]
        verbose_name = _("delfrågebedömning")
        verbose_name_plural = _("delfrågebedömningar")

    def __str__(self):
        return f"{self.evaluation} – {self.question.code}"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("styrka")
    IMPROVEMENT = "improvement", _("förbättringsområde")
    GOOD_EXAMPLE = "good_example", _("gott exempel")


class Finding(models.Model):
    """A strength, an improvement area or a passage marked as a good example, in order."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="findings")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("område"))
    kind = models.CharField(_("slag"), max_length=20, choices=FindingKind.choices)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    text = models.TextField(_("text"))
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("delfråga"),
        help_text=_("Den delfråga som fyndet gäller, om någon."),
    )

    class Meta:
        ordering = ["evaluation", "area__number", "kind", "position", "id"]
        verbose_name = _("iakttagelse")
        verbose_name_plural = _("iakttagelser")

    def __str__(self):
        return self.text[:80]


class EvaluationSummary(models.Model):
    """A cache of what ``scoring.summarise`` derives from an evaluation's recorded scores,
    so that lists, benchmarks and role models at national scale need not derive them per
    request. Written only by ``summaries.summaries_refresh``, after every change of scores
    or status; never edited, never a source."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, primary_key=True, related_name="summary")
    total = models.DecimalField(max_digits=8, decimal_places=4, null=True)
    areas = models.JSONField(default=dict)  # area number (str) -> score as a decimal string, known areas only
    refreshed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["total"], name="summary_total")]


class DataVersion(models.Model):
    """One row: the version of the published figures, the key of every cache of derived
    figures and whole public answers (``summaries.data_version``).

    ``counter`` is raised by database triggers (migration 0006), not by Django signals, so
    that bulk writes and raw SQL raise it too: on every insert, update and delete of an
    ``EvaluationSummary`` (every change of scores drops and rebuilds the summary), on every
    insert and delete of an ``Evaluation`` and on every change of its ``status``. On
    PostgreSQL the triggers are FOR EACH STATEMENT (a bulk write raises it once). ``epoch``
    is drawn when the row is created, so a new database never repeats an old one's keys.

    SQLite drops a table's triggers when Django rebuilds the table in a migration (an
    altered column): such a migration must create them again (tests/test_data_version.py
    fails otherwise)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    epoch = models.CharField(max_length=32)
    counter = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="data_version_single_row")]


class ScopeVersion(models.Model):
    """Counters beside the data version, one per scope of public pages
    (``evaluations.scopes``): ``m:<municipality id>`` (its evaluations, their summaries,
    its action plan), ``p:<version code>:<country>`` (the published evaluations of one
    version in one country: what comparisons and statistics read) and ``*`` (everything:
    the catalogue, municipalities, reference values, peer groups).

    Raised by database triggers (migration 0008) on writes of evaluations and summaries
    (``p:`` only where a published evaluation is involved) and of municipalities and
    reference values (``*``); a missing row counts as 0, and keys also hold
    ``DataVersion.epoch``, so a flushed table never repeats an old key."""

    scope = models.CharField(max_length=64, primary_key=True)
    counter = models.BigIntegerField(default=0)
