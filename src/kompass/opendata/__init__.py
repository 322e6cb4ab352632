"""Open data: the whole published database as downloadable files.

``tables`` reads the published data as the public may see it into plain tables (one
definition of every table and column, shared by every format); ``files`` writes them once
per data version into the var folder as CSV (Swedish and plain), JSON and SQLite, and
answers which files there are. The licence comes from ``KOMPASS_DATA_LICENCE``."""
