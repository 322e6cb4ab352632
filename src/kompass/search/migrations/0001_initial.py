# The first search index: SearchEntry rows (with, until migration 0002 replaced them by a
# Tantivy index, an FTS5 trigram table on SQLite or pg_trgm indexes on PostgreSQL).

import django.db.models.deletion
from django.db import migrations, models


def create_text_index(apps, schema_editor):
    """Once an FTS5 or pg_trgm index over the table (kompass/search/schema.py, removed);
    migration 0002 drops the table for the Tantivy index, so nothing is built here now."""


def drop_text_index(apps, schema_editor):
    pass


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
