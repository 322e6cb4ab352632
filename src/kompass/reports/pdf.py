"""The report as PDF, laid out by WeasyPrint from the report's HTML.

The PDF carries the evaluation's data as an embedded JSON attachment (the shape of
``kompass export``), so that importing the project's own reports can be exact.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher

from kompass.reports.context import ReportContext
from kompass.reports.html import report_html

ATTACHMENT_NAME = "kompass-utvardering.json"


def _inline_only() -> URLFetcher:
    """A fetcher for data: URIs (the charts) and nothing else: a report never makes the
    server request an address, whatever a text links to."""
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def render_pdf(html: str, *, data: dict | None = None) -> bytes:
    attachments = []
    if data is not None:
        payload = json.dumps({"format": "kompass-evaluation", "version": 1, "evaluation": data}, ensure_ascii=False, indent=1)
        description = _("Kommunkompassen: utvärderingens data")
        attachments.append(Attachment(string=payload, name=ATTACHMENT_NAME, description=description))
    return HTML(string=html, url_fetcher=_inline_only()).write_pdf(attachments=attachments, pdf_tags=True)


def report_pdf(context: ReportContext) -> bytes:
    return render_pdf(report_html(context, for_print=True), data=context.data)
