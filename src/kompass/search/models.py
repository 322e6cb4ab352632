"""What the search index must hold, in the database; the index itself lives beside it
(``kompass.search.engine``: a Tantivy index in the var directory).

``IndexStamp`` has one row per published evaluation whose texts are to be searchable,
with a random stamp drawn each time its passages are (re)indexed. Every process's index
compares the stamps it holds with these rows and catches up (``kompass.search.sync``),
so several web servers sharing one PostgreSQL each keep their own index in step.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kompass.evaluations.models import Evaluation


class EntryKind(models.TextChoices):
    GOOD_EXAMPLE = "good_example", _("gott exempel")
    STRENGTH = "strength", _("styrka")
    QUESTION = "question", _("delfråga")
    GENERAL = "general", _("Allmänt")
    CHANGES = "changes", _("Vad har hänt?")
    IMPROVEMENT = "improvement", _("förbättringsområde")


# The first key of the ranking: what the search is for comes first.
KIND_RANK = {kind: rank for rank, kind in enumerate(EntryKind.values)}
# Plain strings (the members' values): hashed millions of times in a rebuild.
FINDING_KINDS = frozenset({EntryKind.GOOD_EXAMPLE.value, EntryKind.STRENGTH.value, EntryKind.IMPROVEMENT.value})


class IndexStamp(models.Model):
    # Database triggers (migration 0002) raise the data version on every change of a row,
    # so every process learns that its index may be behind.
    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, primary_key=True, related_name="+")
    stamp = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("sökindexstämpel")
        verbose_name_plural = _("sökindexstämplar")

    def __str__(self):
        return f"{self.evaluation_id}: {self.stamp}"
