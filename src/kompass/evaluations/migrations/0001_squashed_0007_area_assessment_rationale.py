"""Evaluations, their assessments and summaries, and the data version: one row raised by
database triggers (see models.DataVersion).

Squashed from 0001-0007 (``replaces``): an installation on 0007 or on none of them
migrates on; one in between must first migrate on the release before this one. The
trigger SQL lives here, frozen with the migration; a later migration that makes Django
rebuild one of these tables on SQLite must create the SQLite triggers again."""

import secrets

import django.db.models.deletion
from django.db import migrations, models

TABLE = "evaluations_dataversion"
BUMP = f"UPDATE {TABLE} SET counter = counter + 1 WHERE id = 1"

# SQLite has row triggers only; writes are serialised anyway.
SQLITE_TRIGGERS = {
    "data_version_summary_insert": "AFTER INSERT ON evaluations_evaluationsummary",
    "data_version_summary_update": "AFTER UPDATE ON evaluations_evaluationsummary",
    "data_version_summary_delete": "AFTER DELETE ON evaluations_evaluationsummary",
    "data_version_evaluation_insert": "AFTER INSERT ON evaluations_evaluation",
    "data_version_evaluation_delete": "AFTER DELETE ON evaluations_evaluation",
    "data_version_evaluation_status": "AFTER UPDATE OF status ON evaluations_evaluation WHEN old.status IS NOT new.status",
}

# PostgreSQL: once per statement, however many rows it writes (a bulk write raises the
# version once). An UPDATE naming the status column raises it even when no value changes
# (Django's save() names every column; it also rebuilds the summary, which raises it anyway).
POSTGRESQL_FUNCTION = f"""CREATE OR REPLACE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {BUMP};
  RETURN NULL;
END
$$"""
POSTGRESQL_TRIGGERS = {
    "data_version_summary": "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON evaluations_evaluationsummary",
    "data_version_evaluation": "AFTER INSERT OR DELETE OR TRUNCATE ON evaluations_evaluation",
    "data_version_evaluation_status": "AFTER UPDATE OF status ON evaluations_evaluation",
}


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    DataVersion = apps.get_model("evaluations", "DataVersion")
    DataVersion.objects.using(connection.alias).get_or_create(pk=1, defaults={"epoch": secrets.token_hex(8)})
    if connection.vendor == "sqlite":
        for name, when in SQLITE_TRIGGERS.items():
            schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {BUMP}; END")
    elif connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION)
        for name, when in POSTGRESQL_TRIGGERS.items():
            table = when.rsplit(" ON ", 1)[1]
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()")
    else:
        raise NotImplementedError(f"no data version triggers for {connection.vendor}")


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif connection.vendor == "postgresql":
        for name, when in POSTGRESQL_TRIGGERS.items():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {when.rsplit(' ON ', 1)[1]}")
        schema_editor.execute("DROP FUNCTION IF EXISTS data_version_bump()")


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ('evaluations', '0001_initial'),
        ('evaluations', '0002_score_intervals_and_data_source'),
        ('evaluations', '0003_lifecycle'),
        ('evaluations', '0004_evaluation_summary'),
        ('evaluations', '0005_evaluation_status_index'),
        ('evaluations', '0006_dataversion'),
        ('evaluations', '0007_area_assessment_rationale'),
    ]

    dependencies = [
        ('catalogue', '0001_squashed_0002_versions_as_data'),
        ('municipalities', '0001_squashed_0002_population'),
    ]

    operations = [
        migrations.CreateModel(
            name='Evaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='år')),
                ('month', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='månad')),
                ('visit_start', models.DateField(blank=True, null=True, verbose_name='besök från')),
                ('visit_end', models.DateField(blank=True, null=True, verbose_name='besök till')),
                ('ordinal', models.PositiveSmallIntegerField(blank=True, help_text='Den femte utvärderingen är 5.', null=True, verbose_name='ordningsnummer')),
                ('interviewees', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='antal intervjuade')),
                ('interviewees_approximate', models.BooleanField(default=False, help_text='Visas som ”ett 30-tal”.', verbose_name='ungefärligt antal')),
                ('sources', models.JSONField(blank=True, default=list, verbose_name='källor')),
                ('publisher', models.CharField(blank=True, max_length=200, verbose_name='utgivare')),
                ('status', models.CharField(choices=[('planned', 'planerad'), ('collecting', 'insamling av underlag'), ('scoring', 'poängsättning'), ('consensus', 'konsensus'), ('published', 'publicerad')], default='planned', max_length=10, verbose_name='status')),
                ('shared_with_municipality', models.BooleanField(default=False, help_text='Kommunens kontaktpersoner ser utvärderingen och besvarar förfrågan.', verbose_name='delad med kommunen')),
                ('total_score', models.DecimalField(blank=True, decimal_places=2, help_text='Bara när områdespoängen inte ger totalen.', max_digits=6, null=True, verbose_name='registrerad totalpoäng')),
                ('total_low', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='totalpoäng, lägst')),
                ('total_high', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='totalpoäng, högst')),
                ('data_source', models.CharField(blank=True, help_text='Var resultaten är publicerade, till exempel en rapport eller en resultattabell.', max_length=500, verbose_name='källa för uppgifterna')),
                ('evaluation_text', models.TextField(blank=True, verbose_name='Utvärderingen')),
                ('summary_text', models.TextField(blank=True, verbose_name='Sammanfattande kommentar')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('framework', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='catalogue.framework', verbose_name='version')),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='municipalities.municipality', verbose_name='kommun')),
            ],
            options={
                'verbose_name': 'utvärdering',
                'verbose_name_plural': 'utvärderingar',
                'ordering': ['municipality__country', 'municipality__code', 'year', 'framework__code'],
            },
        ),
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('epoch', models.CharField(max_length=32)),
                ('counter', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='data_version_single_row')],
            },
        ),
        migrations.CreateModel(
            name='AreaAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='registrerad områdespoäng')),
                ('score_low', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='lägst')),
                ('score_high', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='högst')),
                ('general_text', models.TextField(blank=True, verbose_name='Allmänt')),
                ('changes_text', models.TextField(blank=True, verbose_name='Vad har hänt?')),
                ('rationale', models.TextField(blank=True, default='', verbose_name='motivering av konsensuspoängen')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='catalogue.area', verbose_name='område')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='area_assessments', to='evaluations.evaluation')),
            ],
            options={
                'verbose_name': 'områdesbedömning',
                'verbose_name_plural': 'områdesbedömningar',
                'ordering': ['evaluation', 'area__number'],
            },
        ),
        migrations.CreateModel(
            name='Evaluator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordning')),
                ('name', models.CharField(max_length=200, verbose_name='namn')),
                ('organisation', models.CharField(blank=True, max_length=200, verbose_name='organisation')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluators', to='evaluations.evaluation')),
            ],
            options={
                'verbose_name': 'utvärderare',
                'verbose_name_plural': 'utvärderare',
                'ordering': ['evaluation', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Finding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('strength', 'styrka'), ('improvement', 'förbättringsområde'), ('good_example', 'gott exempel')], max_length=20, verbose_name='slag')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='ordning')),
                ('text', models.TextField(verbose_name='text')),
                ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='catalogue.area', verbose_name='område')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='evaluations.evaluation')),
                ('question', models.ForeignKey(blank=True, help_text='Den delfråga som fyndet gäller, om någon.', null=True, on_delete=django.db.models.deletion.PROTECT, to='catalogue.question', verbose_name='delfråga')),
            ],
            options={
                'verbose_name': 'iakttagelse',
                'verbose_name_plural': 'iakttagelser',
                'ordering': ['evaluation', 'area__number', 'kind', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='QuestionAssessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='poäng')),
                ('score_low', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='lägst')),
                ('score_high', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='högst')),
                ('text', models.TextField(blank=True, verbose_name='bedömning')),
                ('rationale', models.TextField(blank=True, verbose_name='motivering av konsensuspoängen')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='question_assessments', to='evaluations.evaluation')),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='catalogue.question', verbose_name='delfråga')),
            ],
            options={
                'verbose_name': 'delfrågebedömning',
                'verbose_name_plural': 'delfrågebedömningar',
                'ordering': ['evaluation', 'question__area__number', 'question__position'],
            },
        ),
        migrations.CreateModel(
            name='EvaluationSummary',
            fields=[
                ('evaluation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='summary', serialize=False, to='evaluations.evaluation')),
                ('total', models.DecimalField(decimal_places=4, max_digits=8, null=True)),
                ('areas', models.JSONField(default=dict)),
                ('refreshed_at', models.DateTimeField(auto_now=True, db_index=True)),
            ],
            options={
                'indexes': [models.Index(fields=['total'], name='summary_total')],
            },
        ),
        migrations.AddIndex(
            model_name='evaluation',
            index=models.Index(fields=['status', 'framework', 'year'], name='evaluation_status'),
        ),
        migrations.AddConstraint(
            model_name='evaluation',
            constraint=models.UniqueConstraint(fields=('municipality', 'year', 'framework'), name='evaluation_unique_per_version_year'),
        ),
        migrations.AddConstraint(
            model_name='evaluation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('month__gte', 1), ('month__lte', 12)), ('month__isnull', True), _connector='OR'), name='evaluation_month_range'),
        ),
        migrations.AddConstraint(
            model_name='evaluation',
            constraint=models.CheckConstraint(condition=models.Q(('total_score__gte', 0), ('total_score__isnull', True), _connector='OR'), name='evaluation_total_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='areaassessment',
            constraint=models.UniqueConstraint(fields=('evaluation', 'area'), name='area_assessment_unique'),
        ),
        migrations.AddConstraint(
            model_name='areaassessment',
            constraint=models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__isnull', True), _connector='OR'), name='area_score_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='questionassessment',
            constraint=models.UniqueConstraint(fields=('evaluation', 'question'), name='question_assessment_unique'),
        ),
        migrations.AddConstraint(
            model_name='questionassessment',
            constraint=models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__isnull', True), _connector='OR'), name='question_score_not_negative'),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
