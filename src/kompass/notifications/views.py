"""The user's notifications (/arbete/aviseringar/), their choices, and the municipality's
"our answers are done" on the pre-visit page. Thin: the services write."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kompass.converters import IdConverter
from kompass.notifications import selectors, services
from kompass.notifications.models import Kind, Notification
from kompass.workspace import services as workspace_services
from kompass.workspace.access import Need
from kompass.workspace.views.common import evaluation_or_404, refused


@login_required
def notification_list(request):
    unread_only = request.GET.get("olasta") == "1"
    rows = selectors.notifications_of(request.user, unread_only=unread_only)
    context = {
        "notifications": rows,
        "unread_only": unread_only,
        "unread": selectors.unread_count(request.user),
        "marked": request.GET.get("markerade") == "1",
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request):
    """One notification (``id``) or all of them marked as read; back to the list."""
    raw = request.POST.get("id")
    if raw is None:
        services.mark_read(user=request.user)
    elif re.fullmatch(IdConverter.regex, raw):  # an id no column can hold, or none at all, marks nothing
        services.mark_read(user=request.user, notification_id=int(raw))
    raw = raw or ""
    back = reverse("notifications:list") + ("?olasta=1&markerade=1" if request.POST.get("olasta") == "1" else "?markerade=1")
    return redirect(back + (f"#n-{raw}" if raw.isdigit() else ""))


@login_required
def notification_open(request, pk):
    """Follow a notification's link: it counts as read. Only one's own; only a path here."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.mark_read(user=request.user, notification_id=notification.pk)
    target = notification.path if url_has_allowed_host_and_scheme(notification.path, allowed_hosts=None) else "/"
    return redirect(target)


@login_required
def choices(request):
    """Which notifications the user gets, in the workspace and by e-mail."""
    kinds = selectors.kinds_for(request.user)
    if request.method == "POST":
        services.choices_set(user=request.user, choices={
            kind: (f"{kind}-app" in request.POST, f"{kind}-email" in request.POST) for kind in kinds
        })
        return redirect(reverse("notifications:choices") + "?sparat=1")
    current = selectors.choices_of(request.user)
    rows = [{"kind": kind, "label": Kind(kind).label, "in_app": current[kind][0], "email": current[kind][1]} for kind in kinds]
    context = {"rows": rows, "saved": request.GET.get("sparat") == "1", "email": request.user.email}
    return render(request, "notifications/choices.html", context)


@login_required
@require_POST
def previsit_done(request, pk):
    """The municipality's contact says its answers are done (``done=1``) or not yet (``done=0``)."""
    evaluation = evaluation_or_404(request, pk, Need.PREVISIT_ANSWER)
    try:
        workspace_services.previsit_done_set(evaluation=evaluation, by=request.user, done=request.POST.get("done") == "1")
    except ValidationError as exc:
        return refused(request, evaluation, exc)
    return redirect(reverse("workspace:previsit", args=[pk]) + "#previsit-done")
