"""The whole database as one JSON document (``kompass export`` / ``kompass import-dump``):
the municipalities that have evaluations, the published benchmark references and every
evaluation with all it holds.

``export`` writes a dump. ``reading`` reads one completely and checks it, every problem
with its place in the document (``evaluations[0].areas[2].questions[1].score``; the
checks of single values are ``values``). ``importing`` writes what was read through the
services of each app: all of it, or with any problem nothing. A dump spans the apps, so
it sits above them (docs/architecture.md)."""

FORMAT = "kompass-dump"
VERSION = 1
