"""A safety net: an evaluation saved with any status but "published" leaves the index at
once, even where a code path forgets ``search_index_evaluation``. (Adding passages stays
explicit: texts are written after the evaluation, so only the caller knows when they are
complete.) Its stamp goes; every index drops its passages before its next search."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from kompass.evaluations.models import Evaluation, Status


@receiver(post_save, sender=Evaluation, dispatch_uid="kompass.search.unpublished_leaves_index")
def unpublished_leaves_index(sender, instance, raw=False, **kwargs):
    if instance.pk and instance.status != Status.PUBLISHED:
        from kompass.search.models import IndexStamp

        IndexStamp.objects.filter(evaluation_id=instance.pk).delete()
