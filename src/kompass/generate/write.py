"""Writing the child rows of generated evaluations as plain tuples: ``executemany`` on
SQLite, ``COPY`` on PostgreSQL. A 30,000-evaluation run writes about 2.5 million rows;
the ORM's bulk_create spent most of its time making and reading model instances, and
PostgreSQL's deferred per-row foreign-key checks at commit cost several times the COPY
(measured with 5,000 evaluations: 18 s more).

The tuples hold every column but the id, in ``COLUMNS`` order; ``check_columns`` makes a
new column in a model fail loudly here instead of being left out silently."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

from kompass.evaluations.models import AreaAssessment, Evaluator, Finding, QuestionAssessment

# In the order the rows are written (ids follow it, as they did with bulk_create).
COLUMNS = {
    AreaAssessment: ("evaluation_id", "area_id", "score", "score_low", "score_high", "general_text", "changes_text", "rationale"),
    QuestionAssessment: ("evaluation_id", "question_id", "score", "score_low", "score_high", "text", "rationale"),
    Finding: ("evaluation_id", "area_id", "kind", "position", "text", "question_id"),
    Evaluator: ("evaluation_id", "position", "name", "organisation"),
}
CHUNK = 5000  # rows per executemany


def check_columns() -> None:
    """Every model's columns, id aside, are the ones ``COLUMNS`` writes."""
    for model, columns in COLUMNS.items():
        have = tuple(f.column for f in model._meta.local_concrete_fields if not f.primary_key)
        if sorted(have) != sorted(columns):
            raise RuntimeError(f"kompass.generate.write: {model.__name__} has the columns {have}, the generator writes {columns}")


def write_rows(rows: dict[type, list[tuple]]) -> None:
    """Appends rows (with their evaluation_id) to the child tables, model by model."""
    if connection.vendor == "postgresql":
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor  # psycopg's own, for COPY
            for model, columns in COLUMNS.items():
                if rows.get(model):
                    with cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in rows[model]:
                            copy.write_row(row)
        return
    with connection.cursor() as cursor:
        for model, columns in COLUMNS.items():
            sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            found = rows.get(model, [])
            for start in range(0, len(found), CHUNK):
                cursor.executemany(sql, found[start : start + CHUNK])


@contextmanager
def bulk_load():
    """Around a whole load, inside its transaction. PostgreSQL: the child tables'
    foreign keys are dropped and then added again as they were (same names, same
    definitions), so that each is checked once, for all rows in one query, instead of
    once per row at commit (millions of checks); DDL is transactional there, so a
    failure restores them. This locks the child tables until the commit: generate is
    for tests and benchmarks, not for a site in use. SQLite checks its foreign keys as
    it inserts, cheaply, and is left as it is: a 256 MiB page cache saved nothing
    measurable, and ``synchronous=OFF`` would only spare the fsyncs of the one commit."""
    if connection.vendor != "postgresql":
        yield
        return
    # Pending deferred checks of rows written earlier in this transaction would make
    # ALTER TABLE refuse: run them now, as a commit would.
    connection.check_constraints()
    with connection.cursor() as cursor:
        tables = [model._meta.db_table for model in COLUMNS]
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid::regclass::text, conname",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
