# The search index: SearchEntry, and per database what matches substrings in it
# (SQLite: an FTS5 trigram table kept in step by triggers; PostgreSQL: pg_trgm, a GIN
# trigram index and b-tree indexes for the selective filters). See kompass/search/schema.py.

import django.db.models.deletion
from django.db import migrations, models


def create_text_index(apps, schema_editor):
    from kompass.search import schema

    schema.create(schema_editor.connection)


def drop_text_index(apps, schema_editor):
    from kompass.search import schema

    schema.drop(schema_editor.connection)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('evaluations', '0001_squashed_0007_area_assessment_rationale'),
        ('municipalities', '0001_squashed_0002_population'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='evaluations.evaluation')),
                ('municipality', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='municipalities.municipality')),
                ('municipality_code', models.CharField(max_length=4)),
                ('country', models.CharField(max_length=2)),
                ('county_code', models.CharField(max_length=2, null=True)),
                ('year', models.PositiveSmallIntegerField()),
                ('framework_code', models.CharField(max_length=4)),
                ('area_number', models.PositiveSmallIntegerField()),
                ('question_code', models.CharField(max_length=8, null=True)),
                ('kind', models.CharField(choices=[('good_example', 'gott exempel'), ('strength', 'styrka'), ('question', 'delfråga'), ('general', 'Allmänt'), ('changes', 'Vad har hänt?'), ('improvement', 'förbättringsområde')], max_length=20)),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('area_score', models.DecimalField(decimal_places=2, max_digits=6, null=True)),
                ('total_score', models.DecimalField(decimal_places=2, max_digits=6, null=True)),
                ('area_title', models.CharField(max_length=200)),
                ('tags', models.TextField()),
                ('text', models.TextField()),
                ('normalized', models.TextField()),
            ],
            options={
                'verbose_name': 'sökpost',
                'verbose_name_plural': 'sökposter',
                'db_table': 'search_searchentry',
                'ordering': ['id'],
            },
        ),
        migrations.RunPython(create_text_index, drop_text_index, elidable=False),
    ]
