"""The pages a public site owes its visitors: what Kommunkompassen is, who runs the site and
how to reach them, the accessibility statement, the personal-data note, the benchmark
index, and the error pages with the site around them. Thin views over the catalogue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.shortcuts import render

from kompass.catalogue import definitions
from kompass.catalogue.models import Framework as FrameworkRow
from kompass.catalogue.visibility import public_view
from kompass.evaluations.models import Status
from kompass.page_cache import cached_answer
from kompass.workspace.units import units

# When the accessibility of the public pages was last assessed (axe-core in Chromium over
# every public address kind, at 1280 and 390 px, and by keyboard), and the statement updated.
ACCESSIBILITY_ASSESSED = datetime.date(2026, 12, 6)
ACCESSIBILITY_UPDATED = datetime.date(2026, 12, 6)
# Where anyone reports a public body's lack of accessibility to its supervisor (DIGG).
DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"


@dataclass(frozen=True)
class VersionInfo:
    definition: definitions.Framework  # as the public may see it
    published: int  # published evaluations of the version
    first_year: int | None
    last_year: int | None
    units: list  # per area: (area, its units), each unit with its guidance where public

    @property
    def anchor(self) -> str:
        return f"version-{self.definition.id}"


def versions() -> list[VersionInfo]:
    """Every version that is not a draft, newest first, as the public may see it."""
    published = Q(evaluations__status=Status.PUBLISHED)
    counts = {
        row["code"]: row
        for row in FrameworkRow.objects.values("code").annotate(
            published=Count("evaluations", filter=published),
            first_year=Min("evaluations__year", filter=published),
            last_year=Max("evaluations__year", filter=published),
        )
    }
    found = []
    for definition in definitions.frameworks().values():
        if definition.status == "draft":
            continue
        shown = public_view(definition)
        row = counts.get(definition.id, {})
        # A version whose questions are confidential shows its areas only.
        listed = units(shown) if shown.public_questions else []
        by_area = [(area, [u for u in listed if u.area_number == area.number and not u.is_area]) for area in shown.areas]
        found.append(VersionInfo(shown, row.get("published", 0), row.get("first_year"), row.get("last_year"), by_area))
    # Newest first: versions in use now lead, a retired one follows.
    found.sort(key=lambda v: (v.definition.status != "active", _sort_key(v.definition.id)))
    return found


def _sort_key(version_id: str):
    return (0, -int(version_id)) if version_id.isdigit() else (1, version_id)


def _contact() -> dict:
    return {
        "owner": settings.KOMPASS_SITE_OWNER,
        "contact_email": settings.KOMPASS_CONTACT_EMAIL,
        "security_contact": settings.KOMPASS_SECURITY_CONTACT,
    }


@cached_answer
def about(request):
    return render(request, "web/about.html", {"versions": versions()})


@cached_answer
def benchmarks(request):
    """/jamforelse/: the benchmark of each version that has published evaluations."""
    return render(request, "web/benchmarks.html", {"versions": [v for v in versions() if v.published]})


@cached_answer
def site_info(request):
    return render(request, "web/site_info.html", _contact())


@cached_answer
def accessibility(request):
    context = _contact() | {"assessed": ACCESSIBILITY_ASSESSED, "updated": ACCESSIBILITY_UPDATED, "digg_url": DIGG_REPORT_URL}
    return render(request, "web/accessibility.html", context)


@cached_answer
def privacy(request):
    context = _contact() | {
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "idle_minutes": settings.KOMPASS_SESSION_IDLE_SECONDS // 60,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME * 60),
        "login_attempts": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "web/privacy.html", context)
