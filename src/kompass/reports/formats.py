"""The three report formats behind one function, for the command line and the web."""

from __future__ import annotations

from dataclasses import dataclass

from kompass.evaluations.models import Evaluation
from kompass.reports.context import report_context


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    extension: str


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
FORMATS = tuple(CONTENT_TYPES)


def report_language_default() -> str:
    """The installation's language (``LANGUAGE_CODE``): a report written where no reader
    chose one, as by the command line without --language."""
    from django.conf import settings

    return settings.LANGUAGE_CODE


def render_report(evaluation: Evaluation, fmt: str, *, language: str | None = None) -> Rendered:
    """The report in ``language`` ("sv", "nb", "da", "en"), or in the active language (the
    web request's) when none is given: every fixed heading, label, chart and number format;
    the evaluators' own texts stay as they wrote them."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"okänt format {fmt!r} (kända: {', '.join(FORMATS)})")
    if language is not None:
        from django.utils import translation

        with translation.override(language):
            return render_report(evaluation, fmt)
    context = report_context(evaluation)
    if fmt == "pdf":
        from kompass.reports.pdf import report_pdf

        content = report_pdf(context)
    elif fmt == "docx":
        from kompass.reports.docx import report_docx

        content = report_docx(context)
    elif fmt == "txt":
        from django.template.loader import render_to_string

        content = render_to_string("reports/report.txt", {"report": context}).encode("utf-8")
    else:
        from kompass.reports.html import report_html

        content = report_html(context).encode("utf-8")
    return Rendered(content, CONTENT_TYPES[fmt], fmt)


def report_response(evaluation: Evaluation, fmt: str):
    """The report as a web answer: HTML shown in the browser, the other formats downloaded."""
    from django.http import HttpResponse

    rendered = render_report(evaluation, fmt)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report_filename(evaluation, fmt)}"'
    return response


def report_filename(evaluation: Evaluation, fmt: str) -> str:
    """kommunkompassen-1880-orebro-2015.pdf: ASCII, so every browser and mailer keeps it;
    in another language than the installation's the language ends the name
    (kommunkompassen-1880-orebro-2015-en.pdf), so the two downloads do not overwrite each other."""
    from django.utils.text import slugify

    from kompass.catalogue.translations import active_language, normalize

    name = slugify(evaluation.municipality.display_name)
    default = normalize(report_language_default())
    language = active_language(default)
    suffix = f"-{language}" if language != default else ""
    return f"kommunkompassen-{evaluation.municipality.code}-{name}-{evaluation.year}{suffix}.{fmt}"
