"""The data version as one row raised by database triggers (see models.DataVersion).

The trigger SQL lives here, frozen with the migration; a later migration that makes
Django rebuild one of these tables on SQLite must create the SQLite triggers again."""

import secrets

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

    dependencies = [
        ("evaluations", "0005_evaluation_status_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("epoch", models.CharField(max_length=32)),
                ("counter", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [models.CheckConstraint(condition=models.Q(("id", 1)), name="data_version_single_row")],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
