from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class EvaluationsConfig(AppConfig):
    name = "kompass.evaluations"
    verbose_name = "Utvärderingar"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from kompass.evaluations.models import AreaAssessment, Evaluation, QuestionAssessment

        from kompass.catalogue.signals import catalogue_changed

        post_migrate.connect(_fill_summaries, sender=self)
        catalogue_changed.connect(_catalogue_changed, dispatch_uid="data-version-catalogue")
        post_save.connect(_evaluation_changed, sender=Evaluation, dispatch_uid="summary-evaluation")
        for model in (QuestionAssessment, AreaAssessment):
            post_save.connect(_part_changed, sender=model, dispatch_uid=f"summary-{model.__name__}-save")
            post_delete.connect(_part_changed, sender=model, dispatch_uid=f"summary-{model.__name__}-delete")


def _catalogue_changed(sender, using="default", **kwargs):
    """A new version or wording changes public pages: cached answers are drawn anew."""
    if using == "default":
        from kompass.evaluations.summaries import data_version_raise

        data_version_raise()


def _evaluation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        from kompass.evaluations.summaries import refresh_on_commit

        refresh_on_commit(instance.pk)


def _part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        from kompass.evaluations.models import Evaluation
        from kompass.evaluations.summaries import refresh_on_commit

        if Evaluation.objects.filter(pk=instance.evaluation_id).exists():  # not when its evaluation is being deleted
            refresh_on_commit(instance.evaluation_id)


def _fill_summaries(**kwargs):
    from kompass.evaluations.summaries import summaries_missing

    summaries_missing()
