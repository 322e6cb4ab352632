"""The search for good examples: published evaluations' texts, findings and sub-question
assessments, searchable in Swedish (stems and compound words) with filters.

``kompass.search.services`` is the one interface: ``search``, ``search_index_evaluation``,
``search_remove_evaluation`` and ``search_rebuild``. The index lives in ``SearchEntry``
rows (one per text) plus a database-specific structure for substring matching: an FTS5
trigram table on SQLite, a pg_trgm GIN index on PostgreSQL (``backends.py``).
"""
