"""What to generate: the versions and their years, then N free (municipality, year,
version) combinations and which of them stay planned, the same for a seed."""

from __future__ import annotations

import datetime
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from kompass.catalogue import definitions
from kompass.catalogue.models import Area, Framework, Question
from kompass.evaluations.services import FIRST_YEAR
from kompass.generate.vocabulary import Theme, vocabulary
from kompass.i18n import _
from kompass.municipalities.models import Municipality

PERIOD = re.compile(r"^\s*(\d{4})\s*[–—-]\s*(\d{4})?\s*$")

# Versions overlap at their changes: a municipality may be evaluated with a version from
# two years before its period (pilots) to four years after it (an old version finishing),
# which also gives national-scale data enough room (30,000 evaluations and more).
YEARS_BEFORE, YEARS_AFTER = 2, 4


@dataclass
class AreaInfo:
    pk: int
    number: int
    title: str
    max_points: Decimal
    theme: Theme
    questions: list[tuple[int, definitions.Question, tuple[str, ...] | None]]  # (pk, definition, related topics)


@dataclass
class Version:
    pk: int
    code: str
    definition: definitions.Framework
    years: range
    areas: list[AreaInfo]


@dataclass(frozen=True)
class Planned:
    municipality: Municipality
    year: int
    version: Version


def version_years(definition: definitions.Framework, today: datetime.date) -> range | None:
    """The years a version is used in synthetic data: its period of use ("2020–" is open)
    widened by the overlaps above, up to this year; or None."""
    match = PERIOD.match(definition.in_use or "")
    if not match:
        return None
    first = max(int(match[1]) - YEARS_BEFORE, FIRST_YEAR)
    last = min(int(match[2]) + YEARS_AFTER if match[2] else today.year, today.year)
    return range(first, last + 1) if first <= last else None


def _related_topics(theme: Theme, text: str) -> tuple[str, ...] | None:
    """The theme's topics that share a word stem with a sub-question's title, if any."""
    stems = {word[:5] for word in re.findall(r"\w+", text.lower()) if len(word) >= 6}
    related = tuple(t for t in theme.topics if any(stem in t.lower() for stem in stems))
    return related or None


def versions(today: datetime.date) -> list[Version]:
    """The versions in the database that are complete there and have years up to today."""
    areas = defaultdict(list)
    for area in Area.objects.order_by("number"):
        areas[area.framework_id].append(area)
    questions = defaultdict(dict)
    for question in Question.objects.all():
        questions[question.area_id][question.code] = question.pk
    found = []
    for framework in Framework.objects.order_by("code"):
        try:
            definition = framework.definition
        except definitions.CatalogueError:
            continue
        years = version_years(definition, today)
        if years is None:
            continue
        infos = []
        for area in areas[framework.pk]:
            spec = definition.area(area.number)
            if spec is None:
                continue
            theme = vocabulary().theme(spec.title, spec.number)
            infos.append(
                AreaInfo(
                    area.pk, spec.number, spec.title, spec.max_points, theme,
                    [(questions[area.pk][q.id], q, _related_topics(theme, f"{q.short} {q.text}")) for q in spec.questions],
                )
            )
        if len(infos) == len(definition.areas) and all(len(a.questions) == len(definition.area(a.number).questions) for a in infos):
            found.append(Version(framework.pk, framework.code, definition, years, infos))
    return found


def plan(rng: random.Random, municipalities: list[Municipality], versions: list[Version], existing: set, n: int) -> tuple[list[Planned], int]:
    """N free (municipality, year, version) combinations: whole series every 2–4 years for
    municipalities in a shuffled order, then free years at random. Also returns how many
    combinations of the series were skipped because they already exist."""
    by_year: dict[int, list[Version]] = defaultdict(list)
    for version in versions:
        for year in version.years:
            by_year[year].append(version)
    years = sorted(by_year)
    free = sum(1 for m in municipalities for y in years for v in by_year[y] if (m.pk, y, v.pk) not in existing)
    if n > free:
        raise ValidationError(
            _(
                "--evaluations %(n)s är fler än de %(free)s lediga kombinationerna av kommun, år och version "
                "(%(municipalities)s kommuner, åren %(first)s–%(last)s; %(existing)s finns redan)"
            )
            % {
                "n": n, "free": free, "municipalities": len(municipalities), "first": years[0] if years else "–",
                "last": years[-1] if years else "–", "existing": len(existing),
            }
        )
    series = {}
    for municipality in municipalities:  # the same draws whatever the database holds
        chosen, year = [], years[0] + rng.randint(0, 3)
        while year <= years[-1]:
            candidates = by_year.get(year)
            if candidates:
                chosen.append((year, candidates[rng.randrange(len(candidates))]))
            year += rng.choice((2, 3, 3, 4))
        series[municipality.pk] = chosen
    order = list(municipalities)
    rng.shuffle(order)
    planned, skipped = [], 0
    for municipality in order:
        for year, version in series[municipality.pk]:
            if len(planned) == n:
                break
            if (municipality.pk, year, version.pk) in existing:
                skipped += 1
            else:
                planned.append(Planned(municipality, year, version))
        if len(planned) == n:
            break
    if len(planned) < n:
        taken = {(p.municipality.pk, p.year, p.version.pk) for p in planned}
        rest = [
            Planned(m, y, v)
            for m in municipalities
            for y in years
            for v in by_year[y]
            if (m.pk, y, v.pk) not in existing and (m.pk, y, v.pk) not in taken
        ]
        rng.shuffle(rest)
        planned += rest[: n - len(planned)]
    planned.sort(key=lambda p: (p.municipality.country, p.municipality.code, p.year, p.version.code))
    return planned, skipped


def unpublished(rng: random.Random, planned: list[Planned], count: int) -> set[int]:
    """Indexes of the evaluations left planned: municipalities' latest ones first."""
    latest = {}
    for index, item in enumerate(planned):  # sorted by municipality, then year
        latest[item.municipality.pk] = index
    first = sorted(latest.values())
    rng.shuffle(first)
    others = sorted(set(range(len(planned))) - set(first))
    rng.shuffle(others)
    return set((first + others)[:count])
