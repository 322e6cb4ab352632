"""Comparisons between evaluations: only within one framework version."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kompass.i18n import _
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
