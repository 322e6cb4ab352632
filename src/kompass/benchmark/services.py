"""Writes of the benchmark app: the reference values published elsewhere."""

from __future__ import annotations

from decimal import Decimal

from kompass.benchmark.models import PublishedReference


def published_reference_ensure(
    *, framework, area, value: Decimal, from_year: int | None, to_year: int | None, country: str, description: str, source: str,
) -> bool:
    """A published reference with exactly these values, added unless one is there (an
    imported dump names it). Whether it was added."""
    values = {
        "framework": framework, "area": area, "value": value, "from_year": from_year, "to_year": to_year,
        "country": country, "description": description, "source": source,
    }
    if PublishedReference.objects.filter(**values).exists():
        return False
    PublishedReference.objects.create(**values)
    return True
