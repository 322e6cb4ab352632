"""Scope versions beside the data version (see models.ScopeVersion and
evaluations.scopes), raised by database triggers so that bulk writes and raw SQL raise
them too.

A write of an evaluation's row (insert, delete, update) or of its summary raises
``m:<municipality id>`` of the evaluation (of both its old and its new place when it
moves), drafts' too: the workspace's previews of a draft use the same cached figures
(its comparison, its charts). Where the evaluation is or was *published* it also raises
``p:<version code>:<country>``: a draft being scored leaves the other municipalities'
pages alone. A write of a municipality, a county or a published reference
value raises ``*`` (everything) and the data version. TRUNCATE of the evaluation tables
raises ``*`` too.

SQLite: row triggers. PostgreSQL: statement triggers with transition tables (one
statement raises each scope once, whatever the number of rows). Their names sort after
the data version's (``data_version_*``), and on PostgreSQL they lock the data version row
before they raise a scope (a write the data version's triggers do not see, such as an
update of an evaluation's text, takes it too): every writer locks that row
first, so writers queue there instead of deadlocking on the scope rows. The trigger SQL lives here, frozen with the migration;
a later migration that makes Django rebuild one of these tables on SQLite must create
the SQLite triggers again (tests/test_scoped_cache.py fails otherwise)."""

from django.db import migrations, models

TABLE = "evaluations_scopeversion"
RAISE = f"ON CONFLICT (scope) DO UPDATE SET counter = {TABLE}.counter + 1"
DATA_VERSION = "UPDATE evaluations_dataversion SET counter = counter + 1 WHERE id = 1"
EVERYTHING = f"INSERT INTO {TABLE} (scope, counter) VALUES ('*', 1) {RAISE}"

# The scopes of the evaluations in ``rows`` (a table or a subquery with the evaluation
# columns, aliased e), each once: the municipality's of every one, the version's in its
# country of the published ones.
SCOPES_OF = """SELECT 'm:' || e.municipality_id AS scope FROM {rows} e
  UNION
  SELECT 'p:' || f.code || ':' || m.country FROM {rows} e
    JOIN catalogue_framework f ON f.id = e.framework_id
    JOIN municipalities_municipality m ON m.id = e.municipality_id
  WHERE e.status = 'published'"""


def _raise_scopes(rows: str) -> str:
    return f"INSERT INTO {TABLE} (scope, counter) SELECT scope, 1 FROM ({SCOPES_OF.format(rows=rows)}) s WHERE true ORDER BY scope {RAISE}"


def _sqlite_row(alias: str) -> str:
    """The row ``alias`` (NEW or OLD) of evaluations_evaluation as a one-row subquery."""
    return f"(SELECT {alias}.municipality_id AS municipality_id, {alias}.framework_id AS framework_id, {alias}.status AS status)"


def _sqlite_summary(alias: str) -> str:
    return f"(SELECT * FROM evaluations_evaluation WHERE id = {alias}.evaluation_id)"


SQLITE_TRIGGERS = {
    "scope_version_summary_insert": ("AFTER INSERT ON evaluations_evaluationsummary", [_raise_scopes(_sqlite_summary("NEW"))]),
    "scope_version_summary_update": (
        "AFTER UPDATE ON evaluations_evaluationsummary",
        [_raise_scopes(_sqlite_summary("OLD")), _raise_scopes(_sqlite_summary("NEW"))],
    ),
    "scope_version_summary_delete": ("AFTER DELETE ON evaluations_evaluationsummary", [_raise_scopes(_sqlite_summary("OLD"))]),
    "scope_version_evaluation_insert": ("AFTER INSERT ON evaluations_evaluation", [_raise_scopes(_sqlite_row("NEW"))]),
    "scope_version_evaluation_delete": ("AFTER DELETE ON evaluations_evaluation", [_raise_scopes(_sqlite_row("OLD"))]),
    "scope_version_evaluation_update": (
        "AFTER UPDATE ON evaluations_evaluation", [_raise_scopes(_sqlite_row("OLD")), _raise_scopes(_sqlite_row("NEW"))]
    ),
    **{
        f"scope_version_everything_{table.split('_', 1)[1]}_{event.lower()}": (f"AFTER {event} ON {table}", [DATA_VERSION, EVERYTHING])
        for table in ("municipalities_municipality", "municipalities_county", "benchmark_publishedreference")
        for event in ("INSERT", "UPDATE", "DELETE")
    },
}

# PostgreSQL: one function per shape of transition table.
LOCK_FIRST = "PERFORM 1 FROM evaluations_dataversion WHERE id = 1 AND EXISTS (SELECT 1 FROM {rows} e) FOR UPDATE"


def _postgresql_raise(rows: str) -> str:
    return f"{LOCK_FIRST.format(rows=rows)}; {_raise_scopes(rows)}"


POSTGRESQL_FUNCTIONS = {
    "scope_version_summary": _postgresql_raise("(SELECT ev.* FROM changed c JOIN evaluations_evaluation ev ON ev.id = c.evaluation_id)"),
    "scope_version_evaluation": _postgresql_raise("changed"),
    "scope_version_evaluation_update": _postgresql_raise("(SELECT * FROM old_rows UNION ALL SELECT * FROM new_rows)"),
    "scope_version_everything": f"{DATA_VERSION}; {EVERYTHING}",
}
EVERYTHING_TABLES = ("municipalities_municipality", "municipalities_county", "benchmark_publishedreference")
POSTGRESQL_TRIGGERS = {  # name: (event and table, transition tables, function)
    "scope_version_summary_insert": ("AFTER INSERT ON evaluations_evaluationsummary", "NEW TABLE AS changed", "scope_version_summary"),
    # A summary's key is its evaluation: an update never moves it to another one.
    "scope_version_summary_update": ("AFTER UPDATE ON evaluations_evaluationsummary", "NEW TABLE AS changed", "scope_version_summary"),
    "scope_version_summary_delete": ("AFTER DELETE ON evaluations_evaluationsummary", "OLD TABLE AS changed", "scope_version_summary"),
    "scope_version_summary_truncate": ("AFTER TRUNCATE ON evaluations_evaluationsummary", "", "scope_version_everything"),
    "scope_version_evaluation_insert": ("AFTER INSERT ON evaluations_evaluation", "NEW TABLE AS changed", "scope_version_evaluation"),
    "scope_version_evaluation_delete": ("AFTER DELETE ON evaluations_evaluation", "OLD TABLE AS changed", "scope_version_evaluation"),
    # Transition tables take no column list (UPDATE OF …): every update.
    "scope_version_evaluation_update": (
        "AFTER UPDATE ON evaluations_evaluation", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "scope_version_evaluation_update"
    ),
    "scope_version_evaluation_truncate": ("AFTER TRUNCATE ON evaluations_evaluation", "", "scope_version_everything"),
    **{
        f"scope_version_everything_{table.split('_', 1)[1]}": (
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}", "", "scope_version_everything"
        )
        for table in EVERYTHING_TABLES
    },
}


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for name, (when, statements) in SQLITE_TRIGGERS.items():
            body = " ".join(f"{statement};" for statement in statements)
            schema_editor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {body} END")
    elif connection.vendor == "postgresql":
        for name, body in POSTGRESQL_FUNCTIONS.items():
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  {body};\n  RETURN NULL;\nEND\n$$"
            )
        for name, (when, transition, function) in POSTGRESQL_TRIGGERS.items():
            table = when.rsplit(" ON ", 1)[1]
            referencing = f"REFERENCING {transition} " if transition else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"CREATE TRIGGER {name} {when} {referencing}FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
    else:
        raise NotImplementedError(f"no scope version triggers for {connection.vendor}")


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif connection.vendor == "postgresql":
        for name, (when, _transition, _function) in POSTGRESQL_TRIGGERS.items():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {when.rsplit(' ON ', 1)[1]}")
        for name in POSTGRESQL_FUNCTIONS:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0001_squashed_0007_area_assessment_rationale'),
        ('benchmark', '0001_squashed_0002_peer_groups'),
        ('municipalities', '0001_squashed_0002_population'),
        ('catalogue', '0001_squashed_0002_versions_as_data'),
    ]

    operations = [
        migrations.CreateModel(
            name='ScopeVersion',
            fields=[
                ('scope', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('counter', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
