"""Writes of the catalogue mirror."""

from django.db import transaction

from kompass.catalogue import definitions
from kompass.catalogue.models import Area, Framework, Question


@transaction.atomic
def catalogue_sync(*, using: str = "default") -> None:
    """Make the catalogue tables match the shipped YAML files (validated on load)."""
    for spec in definitions.frameworks().values():
        framework, _ = Framework.objects.using(using).update_or_create(
            code=spec.id,
            defaults={
                "name": spec.name,
                "max_points": spec.max_points,
                "in_use": spec.in_use,
                "description": spec.description,
                "about": spec.about,
            },
        )
        for area_spec in spec.areas:
            area, _ = Area.objects.using(using).update_or_create(
                framework=framework,
                number=area_spec.number,
                defaults={
                    "title": area_spec.title,
                    "max_points": area_spec.max_points,
                    "headings": list(area_spec.headings),
                },
            )
            for position, q_spec in enumerate(area_spec.questions, start=1):
                Question.objects.using(using).update_or_create(
                    area=area,
                    code=q_spec.id,
                    defaults={
                        "text": q_spec.text,
                        "short": q_spec.short,
                        "max_points": q_spec.max_points,
                        "position": position,
                    },
                )
