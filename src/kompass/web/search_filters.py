"""The search page's area filter: areas by name, per version. Area numbers mean different
things in different versions (area 2 of 2010 is not area 2 of 2020), so an option names
its version too: its value is "version:number" ("2020:3"), which the page splits into
the search's ``framework`` and ``area`` filters. A bare number ("3", as older links and
the API have it) still means that area in every version."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompass.catalogue.models import Framework
from kompass.catalogue.translations import LocalText, text_of
from kompass.catalogue.visibility import public_view
from kompass.evaluations.models import Status


class AreaChoiceError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def area_groups() -> list[dict]:
    """``[{"framework": "2010", "options": [("2010:1", "1. Offentlighet och demokrati"), …]}]``
    for every version with a published evaluation: only those can give a hit."""
    frameworks = Framework.objects.filter(evaluations__status=Status.PUBLISHED).distinct().order_by("code")
    return [
        {"framework": f.code, "options": [(f"{f.code}:{a.number}", _option(a)) for a in public_view(f.definition).areas]}
        for f in frameworks
    ]


def _option(area) -> LocalText:
    """"1. Its title" in the active language, knowing its language (``lang_attr``)."""
    title = text_of(area, "title")
    return LocalText(f"{area.number}. {title}", title.language)


def split_area(filters: dict) -> dict:
    """The filters with a "version:number" area split into ``framework`` and ``area``;
    ``AreaChoiceError`` (in Swedish) when the version chosen beside it is another one."""
    area = filters.get("area") or ""
    if ":" not in area:
        return filters
    framework, _sep, number = area.partition(":")
    if filters.get("framework") and filters["framework"] != framework:
        raise AreaChoiceError(
            _("Området hör till version %(area)s men version %(chosen)s är vald: välj ett område i version %(chosen)s eller alla versioner.")
            % {"area": framework, "chosen": filters["framework"]}
        )
    return {**filters, "framework": framework, "area": number}


def area_selected(filters: dict) -> str:
    """The option to show as chosen: "version:number", or the bare number for an area
    asked for in every version."""
    area, framework = filters.get("area") or "", filters.get("framework") or ""
    if not area:
        return ""
    return f"{framework}:{area}" if framework else area
