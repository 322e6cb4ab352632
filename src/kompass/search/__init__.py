"""The search for good examples: published evaluations' texts, findings and sub-question
assessments, searchable in Swedish (stems and compound words) with filters.

``kompass.search.services`` is the one interface: ``search``, ``search_index_evaluation``,
``search_remove_evaluation`` and ``search_rebuild``. The passages live in a Tantivy index
in the var directory (``engine.py``), built from the evaluations' own rows
(``indexer.py``); the database keeps only what the index must hold (``IndexStamp``), and
every process's index catches up with it before it searches (``sync.py``).
"""
