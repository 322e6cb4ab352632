from django.conf import settings
from django.db import migrations, models


def first_evaluator_leads(apps, schema_editor):
    """Evaluations made before there was a lead: their first assigned evaluator leads,
    as a new evaluation's first evaluator does."""
    Assignment = apps.get_model("workspace", "Assignment")
    first = {}
    for pk, evaluation_id in Assignment.objects.order_by("id").values_list("pk", "evaluation_id"):
        first.setdefault(evaluation_id, pk)
    Assignment.objects.filter(pk__in=first.values()).update(lead=True)


class Migration(migrations.Migration):

    dependencies = [
        ("evaluations", "0007_area_assessment_rationale"),
        ("workspace", "0003_scores_and_answers_per_area"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="lead",
            field=models.BooleanField(default=False, verbose_name="ansvarig utvärderare"),
        ),
        migrations.RunPython(first_evaluator_leads, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.UniqueConstraint(condition=models.Q(("lead", True)), fields=("evaluation",), name="assignment_one_lead"),
        ),
    ]
