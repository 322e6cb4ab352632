"""The municipality's own pre-visit answers as downloads (DOCX and PDF)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from kompass.workspace import previsit_export
from kompass.workspace.access import Need
from kompass.workspace.views.common import evaluation_or_404


@login_required
def previsit_download(request, pk, fmt):
    evaluation = evaluation_or_404(request, pk, Need.PREVISIT_READ)
    if fmt not in previsit_export.CONTENT_TYPES:
        raise Http404
    response = HttpResponse(previsit_export.render(evaluation, fmt), content_type=previsit_export.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{previsit_export.filename(evaluation, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
