"""One synthetic evaluation, built in memory: its facts, scores, texts and evaluators, as
an unsaved ``Evaluation`` and plain rows for its child tables (``write.py``: model
instances for millions of rows cost more than building them). Its draws come from a
generator seeded with the seed, the municipality, the year and the version, so it does
not depend on what else is generated."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from kompass import scoring
from kompass.evaluations.models import Evaluation, FindingKind, Source
from kompass.evaluations.services import Facts
from kompass.generate import texts
from kompass.generate.plan import Planned
from kompass.i18n import _, gettext_noop
from kompass.municipalities.models import Country, Municipality

SYNTHETIC = gettext_noop("Syntetiska data från kompass generate (frö %(seed)s)")
VISIT_MONTHS = (2, 3, 3, 4, 4, 5, 5, 6, 9, 9, 10, 10, 11, 11)
KINDS = {kind.value: kind.value for kind in FindingKind}  # an unknown kind fails (KeyError), as FindingKind(kind) did
VERSION_OFFSET = {"2002": -0.03, "2010": 0.0, "2016": -0.05, "2020": -0.02}  # 2016 was "more demanding"


@dataclass
class Profile:
    """A municipality's lasting traits: its level, its profile over the areas, its trend."""

    level: float
    trend: float
    areas: dict[int, float]
    questions: dict[str, float]


def profile(seed: int, municipality: Municipality) -> Profile:
    rng = random.Random(f"{seed}/{municipality.country}/{municipality.code}")
    level = min(max(rng.gauss(0.50, 0.10), 0.2), 0.85)
    trend = rng.gauss(0.008, 0.004)
    areas = {number: rng.gauss(0, 0.07) for number in range(1, 9)}
    questions = {f"{a}.{q}": rng.gauss(0, 0.05) for a in range(1, 9) for q in range(1, 10)}
    return Profile(level, trend, areas, questions)


def _clamped(share: float) -> float:
    return min(max(share, 0.02), 0.98)


def _hundredths(share: float, maximum: Decimal) -> Decimal:
    return Decimal(round(_clamped(share) * float(maximum) * 100)).scaleb(-2)


def _whole(share: float, maximum: Decimal) -> Decimal:
    return Decimal(round(_clamped(share) * float(maximum)) * 100).scaleb(-2)


@dataclass
class Built:
    """An evaluation and its child rows, each a tuple in ``write.COLUMNS`` order without
    the leading ``evaluation_id`` (known once the evaluation is saved)."""

    evaluation: Evaluation
    sheet: scoring.Scoresheet | None  # set once the rows are built
    facts: Facts | None
    areas: list[tuple] = field(default_factory=list)
    questions: list[tuple] = field(default_factory=list)
    findings: list[tuple] = field(default_factory=list)
    evaluators: list[tuple] = field(default_factory=list)


def _publisher(country: str, year: int) -> str:
    if country == Country.NO:
        return "KS – Kommunesektorens organisasjon"
    if country == Country.DK:
        return "KL – Kommunernes Landsforening"
    return "Sveriges Kommuner och Landsting" if year < 2020 else "Sveriges Kommuner och Regioner"


def _new_evaluation(rng: random.Random, planned: Planned, *, data_source: str, status: str, ordinal: int, today: datetime.date) -> Evaluation:
    """The evaluation with its facts: month, visit, interviewees, sources, publisher."""
    m, year = planned.municipality, planned.year
    month = rng.choice(VISIT_MONTHS)
    if year == today.year and month > today.month:
        month = rng.randint(1, today.month)
    visit_start = datetime.date(year, month, rng.randint(1, 24))
    visit_end = visit_start + datetime.timedelta(days=rng.randint(1, 2))
    if visit_end > today:
        visit_start = visit_end = None
    interviewees = rng.randint(20, 65)
    sources = [Source.INTERVIEWS, Source.DOCUMENTS, Source.WEBSITE]
    if rng.random() < 0.3:
        sources.append(Source.INTRANET)
    if rng.random() < 0.1:
        sources.append(Source.SOCIAL_MEDIA)
    return Evaluation(
        municipality=m, framework_id=planned.version.pk, year=year, month=month, visit_start=visit_start,
        visit_end=visit_end, ordinal=ordinal, interviewees=interviewees, interviewees_approximate=rng.random() < 0.25,
        sources=[str(s) for s in sources], publisher=_publisher(m.country, year), status=status,
        data_source=data_source,
    )


def build(
    planned: Planned, *, seed: int, profile: Profile, status: str, ordinal: int, previous: int | None,
    peers: list[Municipality], today: datetime.date, data_source: str | None = None,
) -> Built:
    """The rows of one evaluation; ``previous`` is the year of the municipality's
    evaluation before it, ``peers`` the municipalities of its country; ``data_source``
    the text saying it is synthetic (by default from ``seed``; given once by a caller
    that builds many)."""
    m, year, version = planned.municipality, planned.year, planned.version
    rng = random.Random(f"{seed}/{m.country}/{m.code}/{year}/{version.code}")
    base = profile.level + VERSION_OFFSET.get(version.code, 0.0) + profile.trend * (year - 2002)
    if data_source is None:
        data_source = _(SYNTHETIC) % {"seed": seed}
    evaluation = _new_evaluation(rng, planned, data_source=data_source, status=status, ordinal=ordinal, today=today)
    built = Built(evaluation, None, None)  # sheet and facts below
    area_rows, question_rows, finding_rows = built.areas, built.questions, built.findings

    # scores and texts per area
    questions: dict[str, Decimal] = {}
    area_scores: dict[int, Decimal] = {}
    area_totals: list[tuple[Decimal, str]] = []
    for area in version.areas:
        area_share = base + profile.areas.get(area.number, 0.0) + rng.gauss(0, 0.04)
        if area.questions:
            total = Decimal(0)
            for pk, question, related in area.questions:
                score = _hundredths(area_share + profile.questions.get(question.id, 0.0) + rng.gauss(0, 0.05), question.max_points)
                questions[question.id] = score
                total += score
                tone = texts.tone(float(score / question.max_points))
                text = texts.question_text(rng, area.theme, related, question.short or question.text, tone)
                question_rows.append((pk, score, None, None, text, ""))
            recorded = None
        else:
            total = recorded = _whole(area_share, area.max_points)
            area_scores[area.number] = recorded
        area_totals.append((total, area.title))
        tone = texts.tone(float(total / area.max_points))
        general = texts.general_text(rng, area.theme, tone)
        changes = texts.changes_text(rng, area.theme, tone, previous) if previous is not None else ""
        area_rows.append((area.pk, recorded, None, None, general, changes, ""))
        for kind, found in texts.findings(rng, area.theme, area.questions).items():
            for position, (text, question_pk) in enumerate(found, start=1):
                finding_rows.append((area.pk, KINDS[kind], position, text, question_pk))

    # evaluators: the first from the publisher, the others from other municipalities
    names = texts.evaluator_names(rng)
    for position, name in enumerate(names, start=1):
        peer = rng.choice(peers)
        if peer.pk == m.pk and len(peers) > 1:
            peer = peers[(peers.index(peer) + 1) % len(peers)]
        organisation = evaluation.publisher if position == 1 else peer.name
        built.evaluators.append((position, name, organisation))

    # the evaluation's own texts
    evaluation.evaluation_text = texts.evaluation_text(
        municipality=m.name, month=evaluation.month, year=year, evaluators=len(names), version=version.definition.name,
        interviewees=evaluation.interviewees, approximate=evaluation.interviewees_approximate,
    )
    best = max(area_totals, key=lambda t: t[0])
    worst = min(area_totals, key=lambda t: t[0])
    evaluation.summary_text = texts.summary_text(
        municipality=m.display_name, total=scoring.round_half_up(sum((t for t, _title in area_totals), Decimal(0))),
        max_points=f"{version.definition.max_points:.0f}", best=(scoring.round_half_up(best[0]), best[1]),
        worst=(scoring.round_half_up(worst[0]), worst[1]), has_previous=bool(previous),
    )
    facts = Facts(
        year=year, status=status, month=evaluation.month, visit_start=evaluation.visit_start,
        visit_end=evaluation.visit_end, ordinal=ordinal, interviewees=evaluation.interviewees,
        interviewees_approximate=evaluation.interviewees_approximate, sources=tuple(evaluation.sources),
        publisher=evaluation.publisher, data_source=evaluation.data_source,
    )
    built.facts = facts
    built.sheet = scoring.Scoresheet(questions=questions, areas=area_scores)
    return built
