from django import template
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

register = template.Library()

# CommonMark with raw HTML switched off: evaluators' texts can never inject markup.
_markdown = MarkdownIt("commonmark", {"html": False})


@register.filter
def markdown(text: str) -> str:
    return mark_safe(_markdown.render(text or ""))


@register.filter
def signed(value) -> str:
    return "–" if value is None else f"{value:+d}"


@register.filter
def points(value) -> str:
    return "–" if value is None else str(value)


@register.filter
def month_name(month) -> str:
    from django.utils.dates import MONTHS

    return str(MONTHS.get(month, "")) if month else ""
