"""The open data API: read-only, published evaluations only. Thin: parameters are
checked by the forms of ``api.forms``, everything else comes from selectors. The schema is ``openapi.yaml``.

Every table is also CSV (``?format=csv``; ``&locale=sv`` gives ``;`` and decimal comma).

Catalogue texts (area titles, question texts) are in the language asked for (``?lang=``,
else ``Accept-Language``, else Swedish) where the version's file has a translation, else
as written, with the language they are in beside them (``title_language``); codes, field
names and municipality names never change. Every answer says its ``Content-Language``."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from functools import cache, lru_cache, wraps
from pathlib import Path

import yaml
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from kompass import scoring
from kompass.api import forms
from kompass.benchmark.peers import comparison_document, peer_comparison
from kompass.benchmark.selectors import benchmark_compute
from kompass.catalogue import definitions
from kompass.catalogue.translations import active_language, text_of
from kompass.catalogue.visibility import public_document, public_text
from kompass.csv_files import csv_attachment, csv_document
from kompass.evaluations.documents import evaluation_document, points_document
from kompass.evaluations.models import Evaluation, Status
from kompass.page_cache import cached_answer
from kompass.evaluations.summaries import summaries_ensure
from kompass.i18n import _
from kompass.municipalities.models import Municipality
from kompass.municipalities.names import municipalities_matching

SCHEMA_FILE = Path(__file__).with_name("openapi.yaml")


class ApiError(Exception):
    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


def _error(status: int, message: str, parameter: str | None = None) -> JsonResponse:
    body = {"error": message}
    if parameter:
        body["parameter"] = parameter
    body["documentation"] = "/api/dokumentation/"  # where a puzzled caller reads on
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def api_view(view):
    """GET only; ApiError becomes a JSON error; CORS open, since the data is public."""

    @csrf_exempt  # nothing here changes anything; other methods get 405, not a CSRF page
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # The language (``?lang=``, Accept-Language) is the request's, chosen by the site's
        # middleware (web.languages); an unknown ``lang`` is the form's 400 (``ApiForm.lang``).
        response = _answer(view, request, *args, **kwargs)
        response["Content-Language"] = active_language()
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def _answer(view, request, *args, **kwargs):
    """The view's answer, or its ApiError as JSON; only GET and HEAD."""
    if request.method not in ("GET", "HEAD"):
        response = _error(405, _("API:et kan bara läsas (GET)"))
        response["Allow"] = "GET, HEAD"
        return response
    try:
        response = view(request, *args, **kwargs)
    except ApiError as exc:
        response = _error(exc.status, exc.message, exc.parameter)
    if response.status_code == 429:  # the rate limit's plain answer, in the API's shape
        wait = response["Retry-After"]
        response = _error(429, response.content.decode())
        response["Retry-After"] = wait
    return response


# --- parameters ----------------------------------------------------------------------


def _parameters(form_class, request) -> dict:
    """The operation's parameters (``api.forms``); a bad one is a 400 that names it."""
    try:
        return form_class(request.GET).checked()
    except forms.InvalidParameter as exc:
        raise ApiError(400, exc.message, exc.parameter) from None


# --- responses -----------------------------------------------------------------------


def _json(data, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json", status=status)


def _csv(name: str, header: list[str], rows, swedish: bool) -> HttpResponse:
    # The scores are decimal text ("73.50"): in the Swedish variant they get a comma too.
    return csv_attachment(csv_document(header, rows, swedish=swedish, decimal_text=True), f"{name}.csv")


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- endpoints -----------------------------------------------------------------------


@lru_cache(maxsize=1)
@cache
@cache
def schema_data() -> dict:
    """The OpenAPI schema as written (read once; callers must not change it)."""
    return yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))


def _schema() -> bytes:
    """The schema as served: its licence is the data's (a setting), not the code's."""
    from kompass.opendata.files import licence

    schema, data = copy.deepcopy(schema_data()), licence()
    schema["info"]["license"] = {"name": data.name, **({"url": data.url} if data.url else {})}
    return json.dumps(schema, ensure_ascii=False).encode()


def query_parameters(path: str) -> tuple[str, ...]:
    """The query parameters the schema gives the operation at ``path``: what its answer
    depends on, and so all that its cache key holds."""
    schema = schema_data()
    names = []
    for parameter in schema["paths"][path]["get"].get("parameters", []):
        if "$ref" in parameter:
            parameter = schema["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        if parameter["in"] == "query":
            names.append(parameter["name"])
    return tuple(names)


@api_view
def openapi(request):
    return HttpResponse(_schema(), content_type="application/json")


@api_view
@cached_answer(params=query_parameters("/api/municipalities"), limit="api")
def municipalities(request):
    params = _parameters(forms.MunicipalitiesForm, request)
    rows = Municipality.objects.select_related("county").order_by("country", "code")
    if params["country"]:
        rows = rows.filter(country=params["country"])
    if params["group"]:
        rows = rows.filter(params["group_filter"])
    counts = _published_counts()
    items = [
        {
            "code": m.code,
            "name": m.name,
            "country": m.country,
            "county": {"code": m.county.code, "name": m.county.name} if m.county else None,
            "population": m.population,
            "evaluations": counts.get(m.pk, 0),
        }
        for m in municipalities_matching(rows.distinct(), params["q"])
    ]
    if params["format"] == "csv":
        return _csv(
            "kommuner", ["country", "code", "name", "county_code", "county_name", "population", "evaluations"],
            ([i["country"], i["code"], i["name"], (i["county"] or {}).get("code"), (i["county"] or {}).get("name"), i["population"], i["evaluations"]] for i in items),
            params["swedish"],
        )
    return _json({"count": len(items), "results": items})


def _published_counts() -> dict[int, int]:
    from django.db.models import Count

    return dict(
        Evaluation.objects.filter(status=Status.PUBLISHED).values("municipality_id").annotate(n=Count("pk")).values_list("municipality_id", "n")
    )


def _evaluation_item(evaluation: Evaluation, total) -> dict:
    maximum = definitions.get(evaluation.framework.code).max_points
    return {
        "id": evaluation.pk,
        "municipality": {"code": evaluation.municipality.code, "name": evaluation.municipality.name, "country": evaluation.municipality.country},
        "year": evaluation.year,
        "framework": evaluation.framework.code,
        "total": points_document(scoring.Score(total, maximum)),
    }


@api_view
@cached_answer(params=query_parameters("/api/evaluations"), limit="api")
def evaluations(request):
    params = _parameters(forms.EvaluationsForm, request)
    code, country, page = params["municipality"], params["country"], params["page"]
    summaries_ensure()
    rows = Evaluation.objects.filter(status=Status.PUBLISHED).select_related("municipality", "framework", "summary")
    if code is not None:
        found = Municipality.objects.filter(code=code, **({"country": country} if country else {}))
        if not found.exists():
            raise ApiError(404, _("okänd kommunkod %(code)s") % {"code": code}, "municipality")
        rows = rows.filter(municipality__in=found)
    elif country:
        rows = rows.filter(municipality__country=country)
    if params["framework"]:
        rows = rows.filter(framework__code=params["framework"])
    if params["year"]:
        rows = rows.filter(year=params["year"])
    rows = rows.order_by("municipality__country", "municipality__code", "year", "framework__code", "pk")
    # A page past the last is empty, not an error: a page that was there may be gone.
    paginator = Paginator(rows, params["page_size"], allow_empty_first_page=False)
    chunk = paginator.page(page).object_list if page <= paginator.num_pages else []
    items = [_evaluation_item(e, getattr(getattr(e, "summary", None), "total", None)) for e in chunk]
    if params["format"] == "csv":
        return _csv(
            "utvarderingar", ["id", "country", "municipality_code", "municipality_name", "year", "framework", "total", "total_rounded", "max"],
            ([i["id"], i["municipality"]["country"], i["municipality"]["code"], i["municipality"]["name"], i["year"], i["framework"],
              i["total"]["score"], i["total"]["rounded"], i["total"]["max"]] for i in items),
            params["swedish"],
        )

    def link(number):
        # Only the parameters the answer depends on: a cached answer is served to others.
        query = QueryDict(mutable=True)
        for name in query_parameters("/api/evaluations"):
            query.setlist(name, request.GET.getlist(name))
        query["page"] = str(number)
        return f"{request.path}?{query.urlencode()}"

    return _json(
        {
            "count": paginator.count,
            "page": page,
            "page_size": paginator.per_page,
            "next": link(page + 1) if page < paginator.num_pages else None,
            "previous": link(page - 1) if 1 < page <= paginator.num_pages + 1 else None,
            "results": items,
        }
    )


@api_view
@cached_answer(params=query_parameters("/api/evaluations/{id}"), limit="api", scopes="evaluation-peers")
def evaluation_detail(request, pk: int):
    params = _parameters(forms.ApiForm, request)
    if pk > 2**63 - 1:  # beyond any id the database can hold
        raise ApiError(404, _("ingen publicerad utvärdering med id %(id)s") % {"id": pk})
    evaluation = Evaluation.objects.filter(pk=pk, status=Status.PUBLISHED).select_related("municipality", "framework").first()
    if evaluation is None:
        raise ApiError(404, _("ingen publicerad utvärdering med id %(id)s") % {"id": pk})
    definition = evaluation.framework.definition
    document = {"id": evaluation.pk, **public_document(evaluation_document(evaluation), definition)}
    _localize(document["areas"], definition)
    titles = {area["number"]: area["title"] for area in document["areas"]}
    document["comparison"] = comparison_document(peer_comparison(evaluation), titles)  # the rule of benchmark.peers
    if params["format"] == "csv":
        rows = []
        for area in document["areas"]:
            rows.append([area["number"], "", area["title"], area["score"], area["rounded"], area["max"], area["percent"]])
            for q in area["questions"]:
                rows.append([area["number"], q["id"], q["text"], q["score"], q["rounded"], q["max"], q["percent"]])
        total = document["total"]
        rows.append(["", "", "total", total["score"], total["rounded"], total["max"], total["percent"]])
        return _csv(f"utvardering-{pk}", ["area", "question", "text", "score", "rounded", "max", "percent"], rows, params["swedish"])
    return _json(document)


def _title(area) -> dict:
    """An area's title in the active language, and the language it is in (the version's
    own where the file has no translation)."""
    title = text_of(area, "title")
    return {"title": str(title), "title_language": title.language}


def _text(definition, question) -> dict:
    """A sub-question's text as ``_title``; null (and no language) where not public."""
    if public_text(definition, question) is None:
        return {"text": None}
    text = text_of(question, "text")
    return {"text": str(text), "text_language": text.language}


def _localize(areas: list[dict], definition) -> None:
    """An evaluation document's areas and questions (``evaluation_document``) with their
    titles and texts in the active language."""
    for area in areas:
        found = definition.area(area["number"])
        if found is not None:
            area.update(_title(found))
        for question in area.get("questions") or ():
            item = definition.question(question["id"])
            if item is not None and question.get("text") is not None:
                question.update(_text(definition, item))


def _stat_document(stat) -> dict:
    return {
        "mean": _decimal(stat.mean), "median": _decimal(stat.median), "q1": _decimal(stat.q1), "q3": _decimal(stat.q3),
        "min": _decimal(stat.min), "max": _decimal(stat.max), "count": stat.count,
    }


@api_view
@cached_answer(params=query_parameters("/api/benchmark"), limit="api")
def benchmark(request):
    params = _parameters(forms.BenchmarkForm, request)
    framework, country, group, from_year, to_year = (params[name] for name in ("framework", "country", "group", "from_year", "to_year"))
    result = benchmark_compute(framework=framework, country=country, group=group, from_year=from_year, to_year=to_year, questions=True)
    definition = definitions.get(framework)
    document = {
        "framework": framework,
        "filters": {"country": country, "group": group, "from_year": from_year, "to_year": to_year},
        "total": _stat_document(result.total),
        "areas": [{"number": a.number, **_title(a), **_stat_document(result.areas[a.number])} for a in definition.areas],
        "questions": [
            {"id": q.id, "area": q.area_number, **_text(definition, q), **_stat_document(result.questions[q.id])}
            for q in definition.questions
        ],
    }
    if params["format"] == "csv":
        rows = [["total", "", "", *(_stat_document(result.total).values())]]
        rows += [["area", a["number"], a["title"], *(a[k] for k in ("mean", "median", "q1", "q3", "min", "max", "count"))] for a in document["areas"]]
        rows += [["question", q["id"], q["text"], *(q[k] for k in ("mean", "median", "q1", "q3", "min", "max", "count"))] for q in document["questions"]]
        return _csv(f"benchmark-{framework}", ["level", "id", "title", "mean", "median", "q1", "q3", "min", "max", "count"], rows, params["swedish"])
    return _json(document)


SEARCH_FILTERS = ("area", "question", "municipality", "country", "county", "year", "from_year", "to_year", "framework", "min_score", "kinds")


@api_view
@cached_answer(params=query_parameters("/api/search"), limit="api")
def search(request):
    """The good-examples search; every filter is checked by the search itself."""
    from kompass.search.services import SearchQueryError, search as run_search

    params = _parameters(forms.SearchForm, request)
    try:
        results = run_search(
            request.GET["q"], **{name: request.GET.get(name) for name in SEARCH_FILTERS if request.GET.get(name) is not None},
            limit=request.GET.get("limit", 20), offset=request.GET.get("offset", 0),
        )
    except SearchQueryError as exc:
        raise ApiError(400, exc.message, exc.parameter) from None
    def area_title(h):
        definition = definitions.frameworks().get(h.framework)
        area = definition.area(h.area_number) if definition is not None and h.area_number else None
        return str(text_of(area, "title")) if area is not None else h.area_title

    hits = [
        {
            "rank": h.rank, "evaluation_id": h.evaluation_id,
            "municipality": {"code": h.municipality_code, "name": h.municipality_name, "country": h.country},
            "county": h.county_code, "year": h.year, "framework": h.framework, "area": h.area_number, "area_title": area_title(h),
            "question": h.question_code, "kind": h.kind, "text": h.text, "snippet_html": h.snippet_html, "url": h.url,
            "area_score": _decimal(h.area_score),
        }
        for h in results.hits
    ]
    if params["format"] == "csv":
        return _csv(
            "sok", ["rank", "country", "municipality_code", "municipality_name", "year", "framework", "area", "question", "kind", "text", "url"],
            ([h["rank"], h["municipality"]["country"], h["municipality"]["code"], h["municipality"]["name"], h["year"], h["framework"],
              h["area"], h["question"], h["kind"], h["text"], request.build_absolute_uri(h["url"])] for h in hits),
            params["swedish"],
        )
    return _json(
        {
            "query": results.query, "terms": list(results.terms), "ignored": list(results.ignored),
            "total": results.total, "total_capped": results.total_capped, "limit": results.limit, "offset": results.offset,
            "results": hits,
        }
    )
