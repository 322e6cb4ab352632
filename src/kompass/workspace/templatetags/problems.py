"""A problem (``workspace.problems.Problem``) shown as links to the fields that put it
right: ``{% load problems %}{% problem p evaluation %}``. Plain text (a refusal's
message) is shown as it is."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

register = template.Library()


def problem_href(evaluation, page: str, anchor: str) -> str:
    url = reverse(f"workspace:{page}", args=[evaluation.pk])
    return f"{url}#{anchor}" if anchor else url


@register.simple_tag
def problem(item, evaluation):
    page = getattr(item, "page", "")
    if not page:
        return format_html("{}", str(item))
    items = getattr(item, "items", ())
    if items:
        links = format_html_join(", ", '<a href="{}">{}</a>', ((problem_href(evaluation, page, anchor), text) for text, anchor in items))
        return format_html("{}{}", item.lead, links)
    return format_html('<a href="{}">{}</a>', problem_href(evaluation, page, item.anchor), item.message)


@register.simple_tag
def handin_missing(evaluation, user) -> int:
    """How many of the evaluator's units still lack a score or a justification (for the
    hand-in button on the scoring page, which shows them on its confirmation page)."""
    from kompass.workspace.services.status import handin_problems

    return sum(len(p.items) or 1 for p in handin_problems(evaluation, user))
