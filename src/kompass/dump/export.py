"""Writing a dump: the whole database as one document."""

from __future__ import annotations

import json

from kompass import scoring
from kompass.benchmark.models import PublishedReference
from kompass.dump import FORMAT, VERSION
from kompass.evaluations.documents import evaluation_full_document, municipality_document
from kompass.evaluations.models import Evaluation
from kompass.municipalities.models import Municipality


def reference_document(reference: PublishedReference) -> dict:
    return {
        "framework": reference.framework.code,
        "area": reference.area.number if reference.area else None,
        "value": scoring.format_points(reference.value),
        "from_year": reference.from_year,
        "to_year": reference.to_year,
        "country": reference.country or None,
        "description": reference.description,
        "source": reference.source,
    }


def export_document() -> dict:
    """The whole database: municipalities with evaluations, references, evaluations."""
    evaluations = (
        Evaluation.objects.select_related("municipality", "framework")
        .prefetch_related("evaluators")
        .order_by("municipality__country", "municipality__code", "year", "framework__code")
    )
    municipalities = (
        Municipality.objects.filter(evaluations__isnull=False).distinct().select_related("county").order_by("country", "code")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "municipalities": [
            {
                **municipality_document(m),
                "short_name": m.short_name,
                "county": {"code": m.county.code, "name": m.county.name} if m.county else None,
            }
            for m in municipalities
        ],
        "benchmark_references": [
            reference_document(r)
            for r in PublishedReference.objects.select_related("framework", "area").order_by(
                "framework__code", "area__number", "from_year", "to_year", "country", "source", "value"
            )
        ],
        "evaluations": [evaluation_full_document(e) for e in evaluations],
    }


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
