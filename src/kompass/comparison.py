"""Comparisons between evaluations: within one framework version; across two versions
only as the pairs their owner declared in a crosswalk, marked as not fully comparable."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kompass.catalogue.definitions import Crosswalk, Framework
from kompass.i18n import _, gettext_noop
from kompass.scoring import Result, round_half_up


class NotComparable(ValueError):
    """Two results on different framework versions: their scales differ."""


@dataclass(frozen=True)
class Delta:
    earlier: Decimal | None
    later: Decimal | None

    @property
    def value(self) -> Decimal | None:
        if self.earlier is None or self.later is None:
            return None
        return self.later - self.earlier

    @property
    def rounded(self) -> int | None:
        value = self.value
        return None if value is None else round_half_up(value)


@dataclass(frozen=True)
class Comparison:
    framework_id: str
    total: Delta
    areas: dict[int, Delta]


def ensure_comparable(earlier_version: str, later_version: str) -> None:
    if earlier_version != later_version:
        raise NotComparable(
            _(
                "version %(a)s och version %(b)s har olika poängskalor; "
                "poäng kan bara jämföras inom samma version"
            )
            % {"a": earlier_version, "b": later_version}
        )


def compare(earlier: Result, later: Result) -> Comparison:
    """Change from ``earlier`` to ``later``, from unrounded scores; unknown stays unknown."""
    ensure_comparable(earlier.framework.id, later.framework.id)
    areas = {
        a.area.number: Delta(a.score.score, later.area(a.area.number).score.score) for a in earlier.areas
    }
    return Comparison(later.framework.id, Delta(earlier.total.score, later.total.score), areas)


# --- across versions, where their owner declared a crosswalk ---------------------------


@dataclass(frozen=True)
class Pair:
    """One declared correspondence: an area (or sub-question) of the earlier version and
    one of the later, with both scores. Never fully comparable: the questions differ."""

    kind: str  # "area" or "question"
    earlier_id: str
    later_id: str
    earlier_title: str
    later_title: str
    delta: Delta


@dataclass(frozen=True)
class CrosswalkComparison:
    earlier_framework: str
    later_framework: str
    declared_by: str  # the version whose owner declared the crosswalk
    note: str
    total: Delta  # both totals; their difference is not shown as a change
    pairs: tuple[Pair, ...]
    comparable: bool = False


def crosswalk_between(earlier: Framework, later: Framework) -> tuple[Crosswalk, bool] | None:
    """The crosswalk declared by either version for the other, and whether it is declared
    from the later version (its pairs then read later → earlier)."""
    if (found := earlier.crosswalk(later.id)) is not None:
        return found, False
    if (found := later.crosswalk(earlier.id)) is not None:
        return found, True
    return None


def _question_score(result: Result, question_id: str) -> Decimal | None:
    for area in result.areas:
        for question in area.questions:
            if question.question.id == question_id:
                return question.score.score
    return None


def compare_across(earlier: Result, later: Result) -> CrosswalkComparison:
    """Scores of the pairs a crosswalk declares between two versions; without one the
    comparison is refused as before (``NotComparable``)."""
    found = crosswalk_between(earlier.framework, later.framework)
    if found is None:
        ensure_comparable(earlier.framework.id, later.framework.id)  # refused: two versions, no crosswalk
        raise ValueError("one version: use compare()")
    crosswalk, reverse = found
    pairs = []
    for own, theirs in crosswalk.areas:
        a, b = (theirs, own) if reverse else (own, theirs)
        pairs.append(Pair(
            "area", str(a), str(b), earlier.framework.area(a).title, later.framework.area(b).title,
            Delta(earlier.area(a).score.score, later.area(b).score.score),
        ))
    for own, theirs in crosswalk.questions:
        a, b = (theirs, own) if reverse else (own, theirs)
        pairs.append(Pair(
            "question", a, b, earlier.framework.question(a).text, later.framework.question(b).text,
            Delta(_question_score(earlier, a), _question_score(later, b)),
        ))
    pairs.sort(key=lambda p: (p.kind != "area", [int(x) for x in p.earlier_id.split(".")], [int(x) for x in p.later_id.split(".")]))
    return CrosswalkComparison(
        earlier_framework=earlier.framework.id, later_framework=later.framework.id,
        declared_by=later.framework.id if reverse else earlier.framework.id, note=crosswalk.note,
        total=Delta(earlier.total.score, later.total.score), pairs=tuple(pairs),
    )


NOT_FULLY_COMPARABLE = gettext_noop("inte fullt jämförbara")


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def crosswalk_document(comparison: CrosswalkComparison) -> dict:
    """As ``kompass compare --json`` prints it (beside the municipality and the years)."""
    return {
        "comparable": False,
        "crosswalk": True,
        "mark": _(NOT_FULLY_COMPARABLE),
        "earlier_framework": comparison.earlier_framework,
        "later_framework": comparison.later_framework,
        "declared_by": comparison.declared_by,
        "note": comparison.note,
        "total": {"earlier": _number(comparison.total.earlier), "later": _number(comparison.total.later)},
        "pairs": [
            {
                "kind": p.kind, "earlier": {"id": p.earlier_id, "title": p.earlier_title, "score": _number(p.delta.earlier)},
                "later": {"id": p.later_id, "title": p.later_title, "score": _number(p.delta.later)},
                "difference": _number(p.delta.value), "rounded": p.delta.rounded,
            }
            for p in comparison.pairs
        ],
    }


def crosswalk_text(comparison: CrosswalkComparison, heading: str, earlier: str, later: str) -> str:
    """The pairs as a table, marked as not fully comparable; ``earlier`` and ``later``
    head the two columns of scores (the years)."""
    def shown(value: Decimal | None) -> str:
        return "–" if value is None else str(round_half_up(value))

    lines = [
        heading,
        _("Versionerna %(a)s och %(b)s är %(mark)s: parvisa motsvarigheter enligt versionsägarens korsreferens (version %(by)s).")
        % {"a": comparison.earlier_framework, "b": comparison.later_framework, "mark": _(NOT_FULLY_COMPARABLE), "by": comparison.declared_by},
    ]
    if comparison.note:
        lines.append(comparison.note)
    lines += ["", "\t".join([comparison.earlier_framework, "", comparison.later_framework, "", earlier, later, _("Skillnad")])]
    for p in comparison.pairs:
        signed = "–" if p.delta.rounded is None else f"{p.delta.rounded:+d}"
        lines.append("\t".join([p.earlier_id, p.earlier_title, p.later_id, p.later_title, shown(p.delta.earlier), shown(p.delta.later), signed]))
    lines.append("\t".join([_("Totalt"), "", "", "", shown(comparison.total.earlier), shown(comparison.total.later), _("(inte jämförbart)")]))
    return "\n".join(lines)
