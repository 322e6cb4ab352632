"""The unread count in the site's header, and the "our answers are done" box on the
pre-visit page."""

from django import template

from kompass.notifications import selectors
from kompass.workspace.access import Need, allowed
from kompass.workspace.services.previsit import PREVISIT_OPEN

register = template.Library()
ERROR_STATUSES = {400, 403, 404, 500}


@register.inclusion_tag("notifications/_nav_link.html", takes_context=True)
def notifications_link(context):
    """The link to the user's notifications with the unread count. An error page (its
    context's ``status``) goes without the count: it may render without the database, and
    a 404 reads the same whatever has happened since (tests/test_workspace_access.py)."""
    user = context.get("user")
    if context.get("status") in ERROR_STATUSES:
        return {"count": 0}
    try:
        count = selectors.unread_count(user) if user is not None else 0
    except Exception:  # noqa: BLE001 - the header must never break a page
        count = 0
    return {"count": count}


@register.inclusion_tag("notifications/_previsit_done.html", takes_context=True)
def previsit_done_box(context):
    evaluation, user = context["evaluation"], context["user"]
    return {
        "evaluation": evaluation,
        "done": selectors.answers_done(evaluation),
        "may_answer": allowed(user, evaluation, Need.PREVISIT_ANSWER),
        "open": context.get("open", False),
        "previsit_open": evaluation.status in PREVISIT_OPEN,
        "csrf_token": context.get("csrf_token"),
    }
