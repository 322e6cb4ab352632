"""Public pages. Thin: everything they show comes from selectors."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from kompass.evaluations.models import Evaluation, Status
from kompass.municipalities.models import Municipality
from kompass.reports.formats import FORMATS, render_report, report_filename
from kompass.web import pages


def _visible(request):
    """Published evaluations only, for everyone: drafts are previewed in the workspace."""
    return Evaluation.objects.select_related("municipality", "framework", "municipality__county").filter(status=Status.PUBLISHED)


def home(request):
    latest = _visible(request).order_by("-year", "municipality__name")[:20]
    return render(request, "web/home.html", {"rows": pages.evaluation_rows(latest)})


def municipality_detail(request, country, code):
    municipality = get_object_or_404(Municipality.objects.select_related("county"), country=country.upper(), code=code)
    evaluations = _visible(request).filter(municipality=municipality).order_by("framework__code", "year")
    return render(request, "web/municipality.html", {"municipality": municipality, "groups": pages.history_groups(evaluations)})


def evaluation_detail(request, pk):
    try:
        evaluation = _visible(request).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404
    return render(request, "web/evaluation.html", pages.evaluation_page(evaluation, public=True))


def evaluation_report(request, pk, fmt):
    if fmt not in FORMATS:
        raise Http404
    try:
        evaluation = _visible(request).get(pk=pk)
    except Evaluation.DoesNotExist:
        raise Http404
    rendered = render_report(evaluation, fmt)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report_filename(evaluation, fmt)}"'
    return response


def evaluation_revision(request, pk, number):
    """An earlier (or the current) published revision, as it was published."""
    from kompass.workspace.models import Revision

    revision = Revision.objects.filter(evaluation__pk=pk, evaluation__status=Status.PUBLISHED, number=number).select_related("evaluation").first()
    if revision is None:
        raise Http404
    others = Revision.objects.filter(evaluation=revision.evaluation).order_by("number")
    return render(request, "web/revision.html", {"revision": revision, "document": revision.document, "evaluation": revision.evaluation, "revisions": others})
