# The plan and deadlines of an evaluation (issue 16).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0001_squashed_0007_area_assessment_rationale'),
        ('workspace', '0001_squashed_0004_lead_evaluator'),
    ]

    operations = [
        migrations.CreateModel(
            name='Schedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('visit_start', models.DateField(blank=True, null=True, verbose_name='besöket, första dagen')),
                ('visit_end', models.DateField(blank=True, null=True, verbose_name='besöket, sista dagen')),
                ('answers_due', models.DateField(blank=True, null=True, verbose_name='kommunens svar senast')),
                ('scores_due', models.DateField(blank=True, null=True, verbose_name='utvärderarnas poäng senast')),
                ('publish_due', models.DateField(blank=True, null=True, verbose_name='publicering senast')),
                ('evaluation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='schedule', to='evaluations.evaluation')),
            ],
            options={
                'verbose_name': 'tidsplan',
                'verbose_name_plural': 'tidsplaner',
                'constraints': [models.CheckConstraint(condition=models.Q(('answers_due__isnull', True), ('scores_due__isnull', True), ('answers_due__lte', models.F('scores_due')), _connector='OR'), name='schedule_answers_before_scores')],
            },
        ),
    ]
