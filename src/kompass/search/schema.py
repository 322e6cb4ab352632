"""What the search needs in the database besides the ``SearchEntry`` table, per vendor.
The migration creates it; ``bulk_load`` takes it down and up around a full rebuild.

- SQLite: ``search_fts``, an FTS5 table with the trigram tokenizer over ``normalized``
  and ``tags``, its content read from ``search_searchentry`` (rowid = entry id), and
  triggers that keep it equal to that table on every insert, update and delete
  (including deletes cascading from an evaluation).
- PostgreSQL: the pg_trgm extension, a GIN trigram index on ``normalized`` and b-tree
  indexes for the selective filters in id order; after a full rebuild the table is
  clustered by id, so rank order is disk order.
"""

from __future__ import annotations

from contextlib import contextmanager

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "normalized, tags, content='search_searchentry', content_rowid='id', tokenize='trigram')"
)
SQLITE_TRIGGERS = (
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
  INSERT INTO search_fts(rowid, normalized, tags) VALUES (new.id, new.normalized, new.tags);
END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
  INSERT INTO search_fts(search_fts, rowid, normalized, tags) VALUES ('delete', old.id, old.normalized, old.tags);
END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
  INSERT INTO search_fts(search_fts, rowid, normalized, tags) VALUES ('delete', old.id, old.normalized, old.tags);
  INSERT INTO search_fts(rowid, normalized, tags) VALUES (new.id, new.normalized, new.tags);
END""",
)
SQLITE_TRIGGER_NAMES = ("search_fts_insert", "search_fts_delete", "search_fts_update")

POSTGRESQL_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
POSTGRESQL_INDEXES = (
    "CREATE INDEX search_entry_trgm ON search_searchentry USING gin (normalized gin_trgm_ops)",
    # The selective filters' rows in rank order, for the ordered scan (backends.py).
    "CREATE INDEX search_entry_municipality ON search_searchentry (municipality_code, id)",
    "CREATE INDEX search_entry_question ON search_searchentry (question_code, id)",
    "CREATE INDEX search_entry_county ON search_searchentry (county_code, id)",
)
POSTGRESQL_INDEX_NAMES = ("search_entry_trgm", "search_entry_municipality", "search_entry_question", "search_entry_county")


def create(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_TABLE)
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_EXTENSION)
            for sql in POSTGRESQL_INDEXES:
                cursor.execute(sql)


def drop(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGER_NAMES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DROP TABLE IF EXISTS search_fts")
        elif connection.vendor == "postgresql":
            for name in POSTGRESQL_INDEX_NAMES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")


@contextmanager
def bulk_load(connection):
    """Empties the index and lets the body insert entries without per-row index upkeep;
    builds the full-text structures once at the end. Call inside a transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGER_NAMES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute("DELETE FROM search_searchentry")
        elif connection.vendor == "postgresql":
            # Foreign keys are checked at commit; a table with checks pending cannot be
            # truncated or indexed, so run them now (as connection.check_constraints does).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name in POSTGRESQL_INDEX_NAMES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
            cursor.execute("TRUNCATE search_searchentry")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DELETE FROM search_searchentry")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Fewer, larger segments while building (FTS5 flushes its pending terms when
            # they pass hashsize), then one segment: the fastest index to search.
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', %s)", [64 * 1024 * 1024])
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', %s)", [1024 * 1024])
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for sql in POSTGRESQL_INDEXES:
                cursor.execute(sql)
            cursor.execute("CLUSTER search_searchentry USING search_searchentry_pkey")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("ANALYZE search_searchentry")
