"""Choosing a municipality by name or code across the three countries: "Link" finds
Linköping (0580, Sverige); "0580" alone is both Linköping and Aabenraa and says so.
The form offers every municipality's label in a <datalist>, and a search that finds
several (or a bare code used in two countries) comes back as a choice of radio buttons,
so the picker works without JavaScript too."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from kompass.municipalities.models import Municipality

LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\d{4}),\s*(?P<country>[^)]+)\)$")
PICK = re.compile(r"^(?P<country>[A-Z]{2}):(?P<code>\d{4})$")  # a radio button's value: "SE:0580"
MAX_CANDIDATES = 20


def label(municipality: Municipality) -> str:
    """How the picker shows a municipality: "Linköping (0580, Sverige)"."""
    return f"{municipality.display_name} ({municipality.code}, {municipality.get_country_display()})"


def pick_value(municipality: Municipality) -> str:
    return f"{municipality.country}:{municipality.code}"


def every_municipality() -> list[Municipality]:
    return sorted(Municipality.objects.all(), key=lambda m: (m.display_name.casefold(), m.country))


@dataclass
class Picked:
    municipality: Municipality | None = None
    candidates: list[Municipality] = field(default_factory=list)
    problem: str = ""


def pick(text: str, chosen: str = "") -> Picked:
    """The municipality that ``text`` (what was typed or chosen from the list) or
    ``chosen`` (a candidate's radio button, "SE:0580") names, or the candidates and why
    none was taken."""
    every = every_municipality()
    if match := PICK.match(chosen or ""):
        found = [m for m in every if m.country == match["country"] and m.code == match["code"]]
        if found:
            return Picked(found[0])
    text = " ".join((text or "").split())
    if not text:
        return Picked(problem=_("Välj en kommun: skriv en del av namnet eller koden och välj i listan."))
    if match := LABEL.match(text):
        found = [m for m in every if m.code == match["code"] and label(m).casefold() == text.casefold()]
        if len(found) == 1:
            return Picked(found[0])
        text = match["name"]  # an edited label: search by its name
    if re.fullmatch(r"\d{4}", text):
        found = [m for m in every if m.code == text]
        if len(found) == 1:
            return Picked(found[0])
        if found:
            return Picked(candidates=found, problem=_("Kommunkoden %(code)s finns i flera länder: %(which)s. Välj vilken kommun du menar.")
                          % {"code": text, "which": _(" och ").join(label(m) for m in found)})
        return Picked(problem=_("Ingen kommun har koden %(code)s. Skriv en del av namnet i stället.") % {"code": text})
    wanted = text.casefold()
    exact = [m for m in every if wanted in (m.name.casefold(), m.display_name.casefold())]
    if len(exact) == 1:
        return Picked(exact[0])
    found = exact or [m for m in every if wanted in m.name.casefold() or wanted in m.display_name.casefold()]
    if not found:
        return Picked(problem=_("Ingen kommun heter något med ”%(text)s”. Skriv en del av namnet eller den fyrsiffriga koden.") % {"text": text})
    shown = found[:MAX_CANDIDATES]
    more = len(found) - len(shown)
    problem = _("Flera kommuner passar ”%(text)s”. Välj en av dem.") % {"text": text} if len(found) > 1 else _(
        "Menar du %(which)s? Välj den för att gå vidare.") % {"which": label(found[0])}
    if more:
        problem += " " + _("%(n)s till passar; skriv mer av namnet för att se dem.") % {"n": more}
    return Picked(candidates=shown, problem=problem)
