"""``generate``: plans the evaluations, builds them in batches and writes each batch
inside one transaction (a failure leaves nothing behind): the evaluations with
``bulk_create`` (for their ids), their rows as tuples (``write.py``); then refreshes what
is derived from them. Bulk writes are what makes national-scale data (30,000 evaluations
and more) take a minute, not hours; each evaluation is checked with the services' own
checks before it is written."""

from __future__ import annotations

import datetime
import inspect
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from kompass import scoring
from kompass.evaluations.models import AreaAssessment, Evaluation, Evaluator, Finding, QuestionAssessment, Status
from kompass.evaluations.services import facts_problems
from kompass.generate.evaluation import SYNTHETIC, Built, Profile, build, profile
from kompass.generate.plan import Planned, plan, unpublished, versions
from kompass.generate.write import bulk_load, check_columns, write_rows
from kompass.i18n import _, decimal_text
from kompass.municipalities.models import Municipality

BATCH = 500  # evaluations per bulk write


@dataclass
class GenerateReport:
    created: int
    municipalities: int
    published: int
    unpublished: int
    seed: int
    skipped: int
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # what the hooks did, one line each

    def summary(self) -> str:
        return _(
            "Skapade %(created)s syntetiska utvärderingar i %(municipalities)s kommuner "
            "(%(published)s publicerade, %(unpublished)s planerade) på %(seconds)s s, frö %(seed)s"
        ) % {
            "created": self.created, "municipalities": self.municipalities, "published": self.published,
            "unpublished": self.unpublished, "seconds": decimal_text(f"{self.seconds:.1f}"), "seed": self.seed,
        } + (_("; %(skipped)s fanns redan och lämnades orörda") % {"skipped": self.skipped} if self.skipped else "") + "."


def check_arguments(evaluations, published_share) -> None:
    """Refuse bad arguments before anything is read or written."""
    if not isinstance(evaluations, int) or isinstance(evaluations, bool) or evaluations < 1:
        raise ValidationError(_("--evaluations ska vara ett heltal, minst 1, inte %(value)s") % {"value": evaluations})
    if not isinstance(published_share, (int, float)) or isinstance(published_share, bool) or not 0 <= published_share <= 1:
        raise ValidationError(
            _("--published-share ska vara en andel mellan 0 och 1 (0.9 är 90 %%), inte %(value)s") % {"value": published_share}
        )


def generate(
    *,
    evaluations: int,
    seed: int | None = None,
    published_share: float = 0.9,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    written: Callable[[], None] | None = None,
    hook_progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH,
    hooks: bool = True,
) -> GenerateReport:
    """Create ``evaluations`` synthetic evaluations; see the package's documentation.
    ``progress`` follows the batches, ``written`` is called once they are saved and
    ``hook_progress`` follows the search index's rebuild."""
    started = time.monotonic()
    check_arguments(evaluations, published_share)
    today = today or timezone.localdate()
    if seed is None:
        seed = random.SystemRandom().randrange(1, 1_000_000)
    found = versions(today)
    if not found:
        raise ValidationError(_("databasen saknar ramverkets versioner: kör först kompass init"))
    municipalities = list(Municipality.objects.order_by("country", "code"))
    if not municipalities:
        raise ValidationError(_("databasen saknar kommuner: kör först kompass init"))
    existing_rows = list(Evaluation.objects.values_list("municipality_id", "year", "framework_id"))

    rng = random.Random(seed)
    planned, skipped = plan(rng, municipalities, found, set(existing_rows), evaluations)
    left_planned = unpublished(rng, planned, evaluations - round(evaluations * published_share))
    builder = _Builder(seed, today, municipalities, existing_rows, planned, left_planned)
    check_columns()

    created_ids: list[int] = []
    with transaction.atomic(), bulk_load():
        for start in range(0, len(planned), batch_size):
            created_ids += _write(builder.batch(start, min(start + batch_size, len(planned))))
            if progress:
                progress(len(created_ids), len(planned))

    report = GenerateReport(
        created=len(planned), municipalities=len({p.municipality.pk for p in planned}),
        published=len(planned) - len(left_planned), unpublished=len(left_planned), seed=seed, skipped=skipped,
    )
    if written:
        written()
    if hooks:
        try:
            report.notes += run_hooks(created_ids, progress=hook_progress)
        except Exception as exc:  # the evaluations are saved: say so, and what failed
            raise ValidationError(
                _("%(created)s utvärderingar sparades (frö %(seed)s), men uppdateringen av det härledda misslyckades: %(error)s")
                % {"created": report.created, "seed": seed, "error": " ".join(str(exc).split()) or type(exc).__name__}
            ) from exc
    report.seconds = time.monotonic() - started
    return report


class _Builder:
    """Builds and checks the planned evaluations one by one, with what they share: each
    municipality's profile, its evaluation years (old and new, for the ordinal and the
    year before) and the municipalities of its country."""

    def __init__(
        self, seed: int, today: datetime.date, municipalities: list[Municipality], existing_rows: list, planned: list[Planned],
        left_planned: set[int],
    ):
        self.seed, self.today, self.planned, self.left_planned = seed, today, planned, left_planned
        years = defaultdict(set)
        for municipality_id, year, _framework in existing_rows:
            years[municipality_id].add(year)
        for item in planned:
            years[item.municipality.pk].add(item.year)
        self.years = {pk: sorted(ys) for pk, ys in years.items()}
        self.peers = defaultdict(list)
        for municipality in municipalities:
            self.peers[municipality.country].append(municipality)
        self.profiles: dict[int, Profile] = {}
        self.data_source = _(SYNTHETIC) % {"seed": seed}

    def batch(self, start: int, stop: int) -> list[Built]:
        """The evaluations ``start`` to ``stop``, built and checked."""
        return [
            self.build(index, Status.PLANNED if index in self.left_planned else Status.PUBLISHED) for index in range(start, stop)
        ]

    def build(self, index: int, status: str) -> Built:
        item = self.planned[index]
        m = item.municipality
        if m.pk not in self.profiles:
            self.profiles[m.pk] = profile(self.seed, m)
        own_years = self.years[m.pk]
        position = own_years.index(item.year)
        built = build(
            item, seed=self.seed, profile=self.profiles[m.pk], status=status, ordinal=position + 1,
            previous=own_years[position - 1] if position else None, peers=self.peers[m.country], today=self.today,
            data_source=self.data_source,
        )
        problems = [str(p) for p in scoring.check(item.version.definition, built.sheet)]
        problems += facts_problems(built.facts, today=self.today)
        if problems:  # a fault of this module, never of the input
            raise ValidationError(
                _("kompass generate skapade en ogiltig utvärdering (%(what)s): %(problems)s")
                % {"what": f"{m.code} {item.year} {item.version.code}", "problems": "; ".join(problems)}
            )
        return built


def _write(built: list[Built]) -> list[int]:
    """One batch: the evaluations, then their rows, model by model; returns their ids."""
    Evaluation.objects.bulk_create([b.evaluation for b in built])
    rows = {AreaAssessment: [], QuestionAssessment: [], Finding: [], Evaluator: []}
    for item in built:
        pk = (item.evaluation.pk,)
        rows[AreaAssessment] += [pk + row for row in item.areas]
        rows[QuestionAssessment] += [pk + row for row in item.questions]
        rows[Finding] += [pk + row for row in item.findings]
        rows[Evaluator] += [pk + row for row in item.evaluators]
    write_rows(rows)
    return [b.evaluation.pk for b in built]


def run_hooks(evaluation_ids: list[int], progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Refresh what is derived from evaluations where the modules for it exist: bulk
    writes send no signals. One line per hook, saying what was done; ``progress`` follows
    the search index's rebuild where it reports progress."""
    notes = []
    try:
        from kompass.evaluations.summaries import summaries_refresh
    except ImportError:
        notes.append(_("Poängsammanfattningar: modulen finns inte, hoppade över."))
    else:
        started = time.monotonic()
        count = summaries_refresh(evaluation_ids)
        notes.append(_("Poängsammanfattningar: %(count)s beräknade på %(seconds)s s.") % {"count": count, "seconds": _seconds(started)})
    try:
        from kompass.search.services import search_rebuild
    except ImportError:
        notes.append(_("Sökindex: kompass.search.services.search_rebuild finns inte, hoppade över."))
    else:
        if connection.in_atomic_block and connection.vendor == "postgresql":
            # Inside a caller's transaction (a test): fire the deferred foreign-key checks
            # of the rows written so far, as a commit would, since PostgreSQL refuses the
            # rebuild's CREATE INDEX while trigger events are pending.
            connection.check_constraints()
        started = time.monotonic()
        takes_progress = progress is not None and "progress" in inspect.signature(search_rebuild).parameters
        result = search_rebuild(progress=progress) if takes_progress else search_rebuild()
        what = f" ({result})" if result is not None else ""
        notes.append(_("Sökindex: ombyggt%(what)s på %(seconds)s s.") % {"what": what, "seconds": _seconds(started)})
    return notes


def _seconds(started: float) -> str:
    return decimal_text(f"{time.monotonic() - started:.1f}")
