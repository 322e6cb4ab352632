"""The search index: one row per searchable text of a published evaluation.

A row is a copy made by ``kompass.search.indexer`` from the evaluation's own rows, with
everything a filter or a hit needs beside it (municipality, county, year, version, area,
the area's score), so a search reads this table alone. Only published evaluations have
rows; ``search_index_evaluation`` rebuilds an evaluation's rows after every change.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.evaluations.models import Evaluation
from kompass.municipalities.models import Municipality


class EntryKind(models.TextChoices):
    GOOD_EXAMPLE = "good_example", _("gott exempel")
    STRENGTH = "strength", _("styrka")
    QUESTION = "question", _("delfråga")
    GENERAL = "general", _("Allmänt")
    CHANGES = "changes", _("Vad har hänt?")
    IMPROVEMENT = "improvement", _("förbättringsområde")


# The first key of the ranking: what the search is for comes first.
KIND_RANK = {kind: rank for rank, kind in enumerate(EntryKind.values)}


class SearchEntry(models.Model):
    # The id is the ranking: ``indexer.entry_id`` packs the kind, the year (newest first),
    # the evaluation and the entry's place in it, so "ORDER BY id" is the hit order and a
    # search can stop after the first page instead of ranking every match. Always given,
    # never generated: an auto field only because on SQLite that makes it the rowid.
    id = models.BigAutoField(primary_key=True)
    # The short columns first: on SQLite a search reads them without reaching the texts.
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+", db_index=False)
    municipality_code = models.CharField(max_length=4)
    country = models.CharField(max_length=2)
    county_code = models.CharField(max_length=2, null=True)
    year = models.PositiveSmallIntegerField()
    framework_code = models.CharField(max_length=4)
    area_number = models.PositiveSmallIntegerField()
    question_code = models.CharField(max_length=8, null=True)
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    area_score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    total_score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    area_title = models.CharField(max_length=200)
    tags = models.TextField()  # the filter values as tokens for the full-text index (indexer.tag)
    text = models.TextField()
    normalized = models.TextField()  # ``query.normalize(text)``: what the search matches

    class Meta:
        # Django's default name for the table; the migration's raw SQL depends on it.
        db_table = "search_searchentry"
        ordering = ["id"]
        verbose_name = _("sökpost")
        verbose_name_plural = _("sökposter")

    def __str__(self):
        return self.text[:80]
