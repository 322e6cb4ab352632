"""Public pages. Thin: everything they show comes from selectors."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from kompass.catalogue import definitions
from kompass.catalogue.models import Framework
from kompass.catalogue.translations import text_of
from kompass.catalogue.visibility import public_document, public_view
from kompass.evaluations.models import Evaluation, Status
from kompass.page_cache import cached_answer
from kompass.municipalities.models import Country, County, Municipality
from kompass.reports.formats import FORMATS, report_response
from kompass.web import listing, pages
from kompass.web.forms import SearchPageForm


def _visible(request):
    """Published evaluations only, for everyone: drafts are previewed in the workspace."""
    return Evaluation.objects.select_related("municipality", "framework", "municipality__county").filter(status=Status.PUBLISHED)


@cached_answer
def home(request):
    latest = _visible(request).order_by("-year", "-pk")[:10]
    frameworks = [f for f in Framework.objects.all() if f.evaluations.filter(status=Status.PUBLISHED).exists()]
    framework = Framework.objects.filter(code="2010").first()
    about = text_of(framework, "about") if framework is not None else ""
    return render(request, "web/home.html", {"rows": pages.evaluation_rows(latest), "frameworks": frameworks, "about": about})


@cached_answer(params=listing.LIST_PARAMS, limit="search")
def municipality_list(request):
    """Evaluated municipalities (or all), found by name, filtered, paged; evaluations
    ticked here, on any page, go to the comparison together. Anything can be typed into
    the name search, so its renders count against the search's rate limit."""
    filters = listing.ListFilters.parse(request.GET)
    context = listing.list_page(filters, listing.chosen_evaluations(request.GET.getlist("id")))
    context.update(countries=Country.choices, frameworks=Framework.objects.all(), groups=pages.groups_all())
    return render(request, "web/municipalities.html", context)


@cached_answer(params=("id",))
def compare(request):
    """Two to four published evaluations of one version side by side, any of them (not
    only the latest); anything else is refused with the reason."""
    ids = request.GET.getlist("id")
    chosen, problems = listing.compare_problems(ids)
    start = not listing.valid_ids(ids)  # nothing chosen yet: the page explains how, no error
    context = {"problems": [] if start else problems, "start": start, "chosen": [(e, listing.without(chosen, e)) for e in chosen],
               "choose_more": listing.choose_more(chosen)}
    if not problems:
        context.update(pages.compare_page(chosen))
    # No usable id at all is the page to start from; a choice that cannot be compared is a 400.
    return render(request, "web/compare.html", context, status=400 if problems and not start else 200)


@cached_answer(params=pages.Filters.PARAMS)
def benchmark(request, framework):
    if framework not in definitions.frameworks():
        raise Http404
    filters = pages.Filters.parse(request.GET)
    context = {"filters": filters, "countries": Country.choices, **pages.benchmark_page(framework, filters)}
    context.update(_self_assessment_section(framework, filters))
    return render(request, "web/benchmark.html", context)


def _self_assessment_section(framework: str, filters) -> dict:
    """The municipalities' self-assessments against the evaluations, aggregated over the
    published evaluations in the selection; shown only where there is at least one."""
    from kompass.workspace.self_assessment_benchmark import self_assessment_compute

    computed = self_assessment_compute(
        framework=framework, from_year=filters.from_year, to_year=filters.to_year, country=filters.country, group=filters.group
    )
    if not computed.count:
        return {"self_assessment": None}
    definition = public_view(definitions.get(framework))
    return {
        "self_assessment": computed,
        # Fewer evaluations than this would let one municipality's self-scores be read off.
        "sa_min": settings.KOMPASS_SELF_ASSESSMENT_MIN_COUNT,
        "self_assessment_areas": [(a, computed.areas[a.number]) for a in definition.areas],
        "self_assessment_questions": [(q, computed.questions[q.id]) for q in definition.questions if computed.questions[q.id].count],
    }


@cached_answer(scopes="municipality")
def municipality_detail(request, country, code):
    municipality = get_object_or_404(Municipality.objects.select_related("county"), country=country.upper(), code=code)
    evaluations = _visible(request).filter(municipality=municipality).order_by("framework__code", "year")
    groups = pages.history_groups(evaluations)
    context = {"municipality": municipality, "groups": groups, "charts": pages.municipality_chart(municipality, groups) if groups else []}
    return render(request, "web/municipality.html", context)


@cached_answer(scopes="evaluation")
def evaluation_detail(request, pk):
    try:
        evaluation = _visible(request).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404
    context = pages.evaluation_page(evaluation, public=True)
    context["charts"] = pages.evaluation_charts(evaluation)
    return render(request, "web/evaluation.html", context)


@cached_answer(limit="report", scopes="evaluation")
def evaluation_report(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404
    try:
        evaluation = _visible(request).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404
    return report_response(evaluation, fmt)


@cached_answer(scopes="evaluation-own")
def evaluation_revision(request, pk, number):
    """An earlier (or the current) published revision, as it was published."""
    from kompass.workspace.models import Revision

    revision = Revision.objects.filter(evaluation__pk=pk, evaluation__status=Status.PUBLISHED, number=number).select_related("evaluation").first()
    if revision is None:
        raise Http404
    others = Revision.objects.filter(evaluation=revision.evaluation).order_by("number")
    document = public_document(revision.document, revision.evaluation.framework.definition, label=True)
    return render(request, "web/revision.html", {"revision": revision, "document": document, "evaluation": revision.evaluation, "revisions": others})


SEARCH_PAGE = 20  # hits per page


@cached_answer(params=tuple(SearchPageForm.base_fields), limit="search")
def search(request):
    """The search for good examples: every hit links to its place in its evaluation."""
    from kompass.search.services import SearchQueryError
    from kompass.search.services import search as run_search

    from kompass.web.search_filters import AreaChoiceError, area_groups, area_selected, split_area

    query, filters, page = SearchPageForm(request.GET).values()
    context = {"query": query, "filters": filters, "frameworks": Framework.objects.all(), "page": page,
               "counties": County.objects.order_by("country", "name"), "area_groups": area_groups()}
    status = 200
    try:
        filters = context["filters"] = split_area(filters)
    except AreaChoiceError as exc:
        context["error"], status, query = exc.message, 400, ""
    context["area_selected"] = area_selected(filters)
    if query.strip():
        try:
            results = run_search(query, **{k: v for k, v in filters.items() if v}, limit=SEARCH_PAGE, offset=(page - 1) * SEARCH_PAGE)
            context["results"] = results
            base = request.GET.copy()
            base.pop("sida", None)
            if results.offset + len(results.hits) < results.total:
                context["next"] = f"?{base.urlencode()}&sida={page + 1}"
            if page > 1:
                context["previous"] = f"?{base.urlencode()}&sida={page - 1}"
        except SearchQueryError as exc:
            context["error"], status = exc.message, 400
    return render(request, "web/search.html", context, status=status)
