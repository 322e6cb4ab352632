"""The map at /karta/: evaluated municipalities coloured by their latest total within one
version, with the same data as a table below it."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kompass.evaluations.summaries import derived
from kompass.maps import boundaries as shipped
from kompass.maps.choropleth import NOT_EVALUATED, UNKNOWN, Area, class_of, classes, draw
from kompass.maps.selectors import default_version, latest_entries, map_versions
from kompass.municipalities.models import Municipality
from kompass.page_cache import cached_answer
from kompass.scoring import round_half_up


def _drawing(framework, country: str, entries, scale) -> dict:
    """The country's SVG and its enlarged insets for this version, drawn once per data version."""
    return derived(f"map-svg:{framework.code}:{country}:{translation.get_language()}", lambda: _draw(framework, country, entries, scale),
                   version=framework.code, country=country)


def _draw(framework, country: str, entries, scale) -> dict:
    outlines = shipped.boundaries(country)
    names = dict(Municipality.objects.filter(country=country).values_list("code", "short_name"))
    evaluated = {e.code: e for e in entries if e.country == country}
    maximum = round_half_up(framework.max_points)
    areas = []
    for code, path in outlines.paths.items():
        name = names.get(code) or code
        entry = evaluated.get(code)
        if entry is None:
            title = _("%(name)s: ingen publicerad utvärdering enligt version %(version)s") % {"name": name, "version": framework.code}
            areas.append(Area(code, path, title))
            continue
        found = class_of(entry.total, scale)
        if entry.total is None:
            title = _("%(name)s %(year)s: totalpoängen är inte känd") % {"name": name, "year": entry.year}
        else:
            title = _("%(name)s %(year)s: %(total)s av %(max)s poäng") % {
                "name": name, "year": entry.year, "total": round_half_up(entry.total), "max": maximum}
        href = reverse("web:municipality", args=[country, code])
        areas.append(Area(code, path, title, href, found.colour if found else UNKNOWN))
    label = _("Karta över kommunerna, färgade efter totalpoäng enligt version %(version)s") % {"version": framework.code}
    insets = []
    for name, codes in shipped.INSETS.get(country, ()):
        frame = outlines.frame(codes)
        shown = outlines.within(frame)
        inset_label = _("%(area)s förstorat, enligt version %(version)s") % {"area": name, "version": framework.code}
        insets.append((name, draw(frame, [a for a in areas if a.code in shown], label=inset_label)))
    return {"main": draw(outlines.view_box, areas, label=label), "insets": insets}


@cached_answer(params=("version",))
def map_view(request):
    versions = map_versions()
    context = {"versions": versions, "framework": None}
    asked = request.GET.get("version")
    if asked is not None:
        framework = next((v for v in versions if v.code == asked), None)
        if framework is None:
            context["error"] = _("Det finns ingen version ”%(version)s” med publicerade utvärderingar. Välj en version i listan.") % {
                "version": asked[:40]}
            return render(request, "web/map.html", context, status=400)
    else:
        framework = default_version(versions)
    if framework is None:
        return render(request, "web/map.html", context)
    entries = latest_entries(framework)
    scale = classes(framework.max_points)
    drawable = {c: shipped.boundaries(c) for c in shipped.countries()}
    maps = [_drawing(framework, country, entries, scale) for country in drawable]
    rows = []
    for entry in entries:
        found = class_of(entry.total, scale)
        outlines = drawable.get(entry.country)
        rows.append({
            "entry": entry,
            "shown": round_half_up(entry.total) if entry.total is not None else None,
            "class": found,
            "on_map": outlines is not None and entry.code in outlines.paths,
        })
    legend = [(c, sum(1 for r in rows if r["class"] == c)) for c in scale]
    context.update({
        "framework": framework, "maps": maps, "not_evaluated": NOT_EVALUATED, "unknown_colour": UNKNOWN, "rows": rows, "legend": legend,
        "unknown": sum(1 for r in rows if r["class"] is None),
        "off_map": [r for r in rows if not r["on_map"]],
        "maximum": round_half_up(framework.max_points),
        "second_low": scale[1].low, "step": scale[1].high - scale[1].low + 1,
        "sources": [b.source for b in drawable.values() if b],
    })
    return render(request, "web/map.html", context)
