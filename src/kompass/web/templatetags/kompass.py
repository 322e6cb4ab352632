from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kompass.i18n import active_language
from kompass.markdown import markdown_html

register = template.Library()


@register.filter
def markdown(text: str, language: str = "") -> str:
    """Markdown as HTML; with a language (``text|markdown:evaluation.text_language``) other
    than the page's, in a block marked with it: a person's text keeps its language."""
    html = markdown_html(text)
    if language and language != active_language():
        return format_html('<div lang="{}">{}</div>', language, mark_safe(html))
    return mark_safe(html)


@register.filter
def in_language(text, language: str) -> str:
    """Plain text a person wrote, marked with the language it is written in."""
    from kompass.catalogue.translations import LocalText
    from kompass.web.templatetags.catalogue_text import marked

    if text in (None, ""):
        return ""
    return marked(LocalText(str(text), language))


@register.filter
def signed(value) -> str:
    return "–" if value is None else f"{value:+d}"


@register.filter
def signed_points(value) -> str:
    """A change of points, exact to the hundredth, in Swedish: "+3,50", "−1,25", "±0"."""
    from kompass.i18n import decimal_text
    from kompass.scoring import format_points

    if value is None:
        return "–"
    if value == 0:
        return "±0"
    text = decimal_text(format_points(abs(value)))
    return f"+{text}" if value > 0 else f"\u2212{text}"


@register.filter
def score(value) -> str:
    """A score as shown in the workspace and its inputs: "12", "12,5"; None is "–"."""
    from kompass.scoring import points_text

    return points_text(value)


@register.filter
def score_input(value) -> str:
    """A score as the value of a form's input: like ``score``, but None (or "") is empty and
    text typed by the user (a refused value) is kept as typed."""
    from decimal import Decimal

    from kompass.scoring import points_text

    if value is None or value == "":
        return ""
    return points_text(value) if isinstance(value, Decimal) else str(value)


@register.filter
def points(value) -> str:
    return "–" if value is None else str(value)


@register.filter
def month_name(month) -> str:
    from django.utils.dates import MONTHS

    return str(MONTHS.get(month, "")) if month else ""


@register.filter
def percent(value) -> str:
    return "–" if value is None else f"{value}%"


@register.filter
def chart_rows(chart) -> list:
    """A chart's data as table rows: category, then each series' value rounded half-up."""
    from kompass.scoring import round_half_up

    return [
        (category, [None if s.values[i] is None else round_half_up(s.values[i]) for s in chart.series])
        for i, category in enumerate(chart.categories)
    ]


@register.filter
def role_model_sentence(models) -> str:
    from kompass.benchmark.role_models import role_model_sentence as sentence

    return sentence(models)


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def question_heading(question) -> str:
    """A sub-question's id and title, or only "Delfråga 1.1" where its text is not public."""
    from kompass.catalogue.visibility import question_heading as heading

    return heading(question)


@register.filter
def code(value) -> str:
    """A name that is the same in every language (a file, table or column), as code."""
    return format_html("<code>{}</code>", value)


@register.filter
def region_word(country: str) -> str:
    """What a country calls its regions ("Län", "Fylke", "Region"); for no one country, both."""
    from django.utils.translation import gettext

    from kompass.municipalities.words import region_word as word

    return word(country) if country else gettext("Län eller region")
