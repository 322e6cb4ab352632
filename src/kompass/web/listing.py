"""Finding and choosing: the municipality list (name search, filters, paging, rankings
within one version) and the choice of evaluations to compare."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import QueryDict

from kompass import scoring
from kompass.benchmark.groups import group_filter
from kompass.evaluations.models import Evaluation, Status
from kompass.evaluations.summaries import summaries_ensure
from kompass.i18n import _
from kompass.municipalities.models import Municipality
from kompass.municipalities.names import name_matches
from kompass.web.forms import ListFiltersForm, SCOPE_ALL, SCOPE_EVALUATED
from kompass.evaluations.summaries import derived

LIST_PAGE = 50  # municipalities per page
MAX_CHOSEN = 4  # evaluations a comparison takes
LIST_PARAMS = (*ListFiltersForm.base_fields, "id")


@dataclass(frozen=True)
class ListFilters:
    """The list's filters from a query string; an invalid value is named in ``problems``
    and ignored, a sort that cannot be done is explained in ``notes``."""

    country: str | None = None
    group: str | None = None
    framework: str | None = None
    year: int | None = None
    sort: str = "name"
    q: str = ""
    visa: str = SCOPE_EVALUATED
    sida: int = 1
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @classmethod
    def parse(cls, query) -> "ListFilters":
        form = ListFiltersForm(query)
        values = {k: v for k, v in form.values().items() if k in cls.__dataclass_fields__}
        notes = ()
        if values["sort"] == "total" and not values["framework"]:
            # Totals of different versions are different scales: no ranking across them.
            values["sort"] = "name"
            notes = (_("Sortering efter totalpoäng kräver en version: poäng från olika versioner av "
                       "Kommunkompassen går inte att jämföra. Välj en version under ”Version”."),)
        return cls(**values, problems=form.problems(), notes=notes)

    def key(self) -> str:
        """What the rows before the name search depend on (each part is a checked value)."""
        return f"{self.country}:{self.group}:{self.framework}:{self.year}:{self.sort}:{self.visa}"

    def query(self, **changes) -> QueryDict:
        """The address's query for these filters (defaults left out), with ``changes``."""
        values = {"q": self.q, "country": self.country, "group": self.group, "framework": self.framework,
                  "year": self.year, "sort": self.sort if self.sort != "name" else None,
                  "visa": self.visa if self.visa != SCOPE_EVALUATED else None, "sida": self.sida if self.sida > 1 else None}
        values.update(changes)
        query = QueryDict(mutable=True)
        for name, value in values.items():
            if value not in (None, ""):
                query[name] = str(value)
        return query


@dataclass(frozen=True)
class Choice:
    """One published evaluation, as it can be ticked for a comparison."""

    pk: int
    year: int
    framework: str
    total: Decimal | None

    @property
    def rounded(self):
        return scoring.round_half_up(self.total) if self.total is not None else None


@dataclass(frozen=True)
class MunicipalityRow:
    municipality_id: int
    name: str
    code: str
    country: str
    county: str
    evaluations: tuple[Choice, ...] = ()  # those the filters ask for, the newest first
    rank: int | None = None  # place by total within the chosen version
    several_versions: bool = False
    short_name: str = ""

    @property
    def latest(self) -> Choice | None:
        return self.evaluations[0] if self.evaluations else None


def list_rows(filters: ListFilters) -> list[MunicipalityRow]:
    """The municipalities the filters ask for, each with its published evaluations (of the
    version and year asked for); ranked by the latest total when sorted by total, which
    the filters allow only within one version. The rows before the name search are kept
    per data version; the search (anything typed, so never cached) picks from them, and
    a place stays the place in the whole selection."""

    def compute():
        summaries_ensure()
        municipalities = Municipality.objects.select_related("county").order_by("name")
        if filters.country:
            municipalities = municipalities.filter(country=filters.country)
        if filters.group:
            municipalities = municipalities.filter(group_filter(filters.group))
        evaluations = Evaluation.objects.filter(status=Status.PUBLISHED)
        if filters.framework:
            evaluations = evaluations.filter(framework__code=filters.framework)
        if filters.year:
            evaluations = evaluations.filter(year=filters.year)
        held: dict[int, list[Choice]] = {}
        rows = evaluations.order_by("-year", "-pk").values_list("municipality_id", "pk", "year", "framework__code", "summary__total")
        for municipality_id, pk, year, framework, total in rows:
            held.setdefault(municipality_id, []).append(Choice(pk, year, framework, total))
        only_evaluated = filters.visa == SCOPE_EVALUATED or filters.framework or filters.year
        found = []
        for m in municipalities.distinct():
            choices = tuple(held.get(m.pk, ()))
            if only_evaluated and not choices:
                continue
            found.append(MunicipalityRow(m.pk, m.name, m.code, m.country, m.county.name if m.county else "", choices,
                                         several_versions=len({c.framework for c in choices}) > 1, short_name=m.short_name))
        if filters.sort == "total":
            found = _ranked(found)
        return found

    rows = derived(f"list:{filters.key()}", compute)
    if not filters.q:
        return rows
    return [r for r in rows if name_matches(filters.q, name=r.name, short_name=r.short_name, code=r.code)]


def _ranked(rows: list[MunicipalityRow]) -> list[MunicipalityRow]:
    """By the latest total, highest first; equal totals as shown (whole points, which is
    what a reader can check) share a place (1, 2, 2, 4)."""
    scored = sorted((r for r in rows if r.latest and r.latest.total is not None), key=lambda r: (-r.latest.total, r.name))
    ranked, place, previous = [], 0, None
    for index, row in enumerate(scored, start=1):
        if row.latest.rounded != previous:
            place, previous = index, row.latest.rounded
        ranked.append(MunicipalityRow(**{**row.__dict__, "rank": place}))
    return ranked + [r for r in rows if not (r.latest and r.latest.total is not None)]


@dataclass
class Chosen:
    """The evaluations ticked so far (``id`` in the address), published ones only."""

    items: list[tuple[Evaluation, str]] = field(default_factory=list)  # with its label

    @property
    def ids(self) -> set[int]:
        return {e.pk for e, _label in self.items}


def valid_ids(values) -> list[int]:
    """Ids as given, once each; one the database cannot hold (over 18 digits) is none."""
    return [int(v) for v in dict.fromkeys(values) if v.isascii() and v.isdigit() and len(v) <= 18]


def chosen_evaluations(values, *, limit: int = MAX_CHOSEN * 2) -> Chosen:
    """Ids that are no published evaluation are left out, and so are those past ``limit``
    (twice what a comparison takes: room to change one's mind, not to fill a page)."""
    ids = valid_ids(values)
    found = {e.pk: e for e in Evaluation.objects.select_related("municipality", "framework").filter(status=Status.PUBLISHED, pk__in=ids[:limit])}
    items = [(found[i], evaluation_label(found[i])) for i in ids[:limit] if i in found]
    return Chosen(items)


def evaluation_label(evaluation: Evaluation) -> str:
    return _("%(name)s %(year)s (version %(version)s)") % {
        "name": evaluation.municipality.display_name, "year": evaluation.year, "version": evaluation.framework.code}


def list_page(filters: ListFilters, chosen: Chosen) -> dict:
    rows = list_rows(filters)
    paginator = Paginator(rows, LIST_PAGE)
    page = paginator.get_page(filters.sida)  # a page past the last shows the last
    on_page = {c.pk for r in page.object_list for c in r.evaluations}
    return {
        "rows": page.object_list,
        "page": page,
        "pages": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "filters": filters,
        "chosen": chosen,
        # Ticked evaluations on other pages travel along as ticked boxes of their own.
        "chosen_elsewhere": [(e, label) for e, label in chosen.items if e.pk not in on_page],
        "chosen_mixed": len({e.framework_id for e, _label in chosen.items}) > 1,
        "all_query": filters.query(visa=SCOPE_ALL, sida=None).urlencode(),
        "others": _matches_elsewhere(filters) if not rows and filters.q and filters.visa == SCOPE_EVALUATED else [],
    }


def _matches_elsewhere(filters: ListFilters) -> list[MunicipalityRow]:
    """Municipalities without a published evaluation that the name search would find."""
    wider = ListFilters(**{**filters.__dict__, "visa": SCOPE_ALL, "framework": None, "year": None, "sort": "name"})
    return list_rows(wider)[:10]


# --- comparing ------------------------------------------------------------------------------


def compare_problems(values) -> tuple[list[Evaluation], list[str]]:
    """The chosen published evaluations (in the order given) and why they cannot be
    compared, if they cannot: fewer than two, more than four, of different versions."""
    ids = valid_ids(values)
    if len(ids) > MAX_CHOSEN:
        return [], [_("Du valde %(n)s utvärderingar; högst fyra kan jämföras åt gången.") % {"n": len(ids)}]
    evaluations = {e.pk: e for e in Evaluation.objects.select_related("municipality", "framework", "municipality__county")
                   .filter(status=Status.PUBLISHED, pk__in=ids)}
    chosen = [evaluations[i] for i in ids if i in evaluations]
    problems = []
    if len(ids) > len(chosen):
        problems.append(_("%(n)s av de valda finns inte bland de publicerade utvärderingarna.") % {"n": len(ids) - len(chosen)})
    if len(chosen) < 2:
        problems.append(_("Välj två till fyra publicerade utvärderingar att jämföra."))
    versions = {e.framework.code for e in chosen}
    if len(versions) > 1:
        listed = ", ".join(evaluation_label(e) for e in chosen)
        problems.append(_("Utvärderingar enligt olika versioner av Kommunkompassen går inte att jämföra: versionerna har "
                          "olika områden och skalor. Du valde %(listed)s. Välj utvärderingar av samma version.") % {"listed": listed})
    return chosen, problems


def without(chosen: list[Evaluation], evaluation: Evaluation) -> str:
    """The comparison's address without one of its evaluations."""
    query = QueryDict(mutable=True)
    query.setlist("id", [str(e.pk) for e in chosen if e.pk != evaluation.pk])
    return f"?{query.urlencode()}"


def choose_more(chosen: list[Evaluation]) -> str:
    """The list's address for choosing more: the version of the first, the chosen ticked."""
    query = ListFilters().query(framework=chosen[0].framework.code if chosen else None)
    query.setlist("id", [str(e.pk) for e in chosen])
    return f"?{query.urlencode()}"
