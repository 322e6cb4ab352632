"""Synthetic evaluations for tests and benchmarks: ``kompass generate --evaluations N``.

Fills the database with realistic, entirely made-up evaluations of the Nordic
municipalities in it (Sweden's 290, Norway's 357 and Denmark's 98 are shipped):

- **Years and versions.** Every year from the first version's start to this year belongs
  to the version whose period of use (``in_use`` in its catalogue file: 2002–2009,
  2010–2015, 2016–2019, 2020–) holds it, so no evaluation lies in the future or outside
  its version's period. Each municipality gets a series, one evaluation every 2–4 years;
  municipalities are taken in a shuffled order, whole series at a time, until N is
  reached. Where N is more than the series hold, the remaining free years are filled at
  random. A (municipality, year, version) already in the database is skipped, so a
  second run adds to the first; N above the free combinations is refused.
- **Scores.** Where the version has sub-questions (2010), a score per sub-question, with
  two decimals, between 0 and its maximum; otherwise a whole score per area out of 100.
  A municipality has a level, a profile over the areas and a slight improvement over the
  years, so its scores are correlated. Every evaluation is checked with
  ``kompass.scoring.check`` (and its facts with the services' own check) before it is
  written.
- **Texts.** Per area "Allmänt" and, where the municipality has an earlier evaluation,
  "Vad har hänt?"; per sub-question a text; 2–5 strengths, 2–5 improvement areas and
  sometimes a good example per area; the evaluation's introduction and summary. Swedish
  sentences from templates and vocabularies about municipal governance, their tone
  following the score, so that a search finds realistic hits.
- **Facts.** Month, visit, ordinal, number interviewed, sources, publisher, two or three
  evaluators; ``data_source`` says the evaluation is synthetic and gives the seed. The
  ordinal counts the municipality's evaluations up to that year, old and new; those
  already in the database are never changed, so a later run that adds an earlier year
  does not renumber them.
- **Status.** A share (``published_share``, default 0.9) is published; the rest stays
  planned, taken first among the municipalities' latest evaluations.

The same seed on the same database gives the same evaluations: every random draw comes
from generators seeded with the seed (and, per municipality and evaluation, with its
country, code, year and version). Batches are built, checked and written inside one
transaction: a failure leaves nothing behind. The evaluations are written with
``bulk_create`` (for their ids), their ~80 rows each as plain tuples (``executemany`` on
SQLite, ``COPY`` on PostgreSQL, whose child-table foreign keys are dropped for the load
and added again, checked once for all rows, in the same transaction). The data
version's triggers fire as before: on every inserted evaluation (SQLite) or insert
statement (PostgreSQL). Afterwards the derived-score cache and the search index are
rebuilt where those modules exist (if that fails, the evaluations stay and the error
says so).

The parts: ``vocabulary.yaml`` (the words and sentence templates, as data) read by
``vocabulary.py``; ``texts.py`` (the Swedish texts); ``plan.py`` (what to generate);
``evaluation.py`` (one evaluation's rows); ``write.py`` (the child rows as tuples);
``build.py`` (``generate``: batches, checks, writes, hooks). The terminal's progress bar
is the command's (``kompass.cli.progress``).
"""

from kompass.generate.build import GenerateReport, check_arguments, generate, run_hooks

__all__ = ["GenerateReport", "check_arguments", "generate", "run_hooks"]
