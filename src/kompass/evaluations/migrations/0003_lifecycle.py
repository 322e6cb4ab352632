# The evaluation lifecycle replaces draft/published.

from django.db import migrations, models


def drafts_are_planned(apps, schema_editor):
    apps.get_model("evaluations", "Evaluation").objects.filter(status="draft").update(status="planned")


def planned_are_drafts(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Evaluation.objects.exclude(status="published").update(status="draft")


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0002_score_intervals_and_data_source'),
    ]

    operations = [
        migrations.AddField(
            model_name='evaluation',
            name='shared_with_municipality',
            field=models.BooleanField(default=False, help_text='Kommunens kontaktpersoner ser utvärderingen och besvarar förfrågan.', verbose_name='delad med kommunen'),
        ),
        migrations.AddField(
            model_name='questionassessment',
            name='rationale',
            field=models.TextField(blank=True, verbose_name='motivering av konsensuspoängen'),
        ),
        migrations.AlterField(
            model_name='evaluation',
            name='status',
            field=models.CharField(choices=[('planned', 'planerad'), ('collecting', 'insamling av underlag'), ('scoring', 'poängsättning'), ('consensus', 'konsensus'), ('published', 'publicerad')], default='planned', max_length=10, verbose_name='status'),
        ),
        migrations.RunPython(drafts_are_planned, planned_are_drafts),
    ]
