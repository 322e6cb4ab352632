# The search moves from rows in the database (SearchEntry with an FTS5 trigram table on
# SQLite, pg_trgm on PostgreSQL) to a Tantivy index beside it (kompass/search/engine.py).
# What stays in the database is what the index must hold: one stamp per published
# evaluation; each process's index catches up with the stamps (kompass/search/sync.py).

import secrets

import django.db.models.deletion
from django.db import migrations, models

BUMP = "UPDATE evaluations_dataversion SET counter = counter + 1 WHERE id = 1"
SQLITE_TRIGGERS = {
    "search_stamp_insert": "AFTER INSERT ON search_indexstamp",
    "search_stamp_update": "AFTER UPDATE ON search_indexstamp",
    "search_stamp_delete": "AFTER DELETE ON search_indexstamp",
}
POSTGRESQL_FUNCTION = f"""CREATE OR REPLACE FUNCTION search_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {BUMP};
  RETURN NULL;
END
$$"""
OLD_SQLITE = ("search_fts_insert", "search_fts_delete", "search_fts_update")


def drop_text_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in OLD_SQLITE:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    # PostgreSQL's trigram and filter indexes go with their table.


def create_triggers(apps, schema_editor):
    """A changed stamp raises the data version: every process then compares its index."""
    if schema_editor.connection.vendor == "sqlite":
        for name, when in SQLITE_TRIGGERS.items():
            schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {BUMP}; END")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION)
        schema_editor.execute("DROP TRIGGER IF EXISTS search_stamp ON search_indexstamp")
        schema_editor.execute(
            "CREATE TRIGGER search_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON search_indexstamp "
            "FOR EACH STATEMENT EXECUTE FUNCTION search_stamp_bump()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS search_stamp ON search_indexstamp")
        schema_editor.execute("DROP FUNCTION IF EXISTS search_stamp_bump()")


def stamp_published(apps, schema_editor):
    """Every published evaluation is to be searchable: the first search builds the index
    (or `kompass search-rebuild` does, before the site opens)."""
    Evaluation = apps.get_model("evaluations", "Evaluation")
    IndexStamp = apps.get_model("search", "IndexStamp")
    ids = Evaluation.objects.using(schema_editor.connection.alias).filter(status="published").values_list("pk", flat=True)
    IndexStamp.objects.using(schema_editor.connection.alias).bulk_create(
        [IndexStamp(evaluation_id=pk, stamp=secrets.token_hex(8)) for pk in ids], batch_size=2000
    )


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0001_squashed_0007_area_assessment_rationale'),
        ('search', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(drop_text_index, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name='SearchEntry'),
        migrations.CreateModel(
            name='IndexStamp',
            fields=[
                ('evaluation', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='evaluations.evaluation')),
                ('stamp', models.CharField(max_length=32)),
            ],
            options={
                'verbose_name': 'sökindexstämpel',
                'verbose_name_plural': 'sökindexstämplar',
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
        migrations.RunPython(stamp_published, migrations.RunPython.noop, elidable=False),
    ]
