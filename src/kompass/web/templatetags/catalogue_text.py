"""Catalogue texts in the page's language: ``{% load catalogue_text %}``.

``{{ area|local:"title" }}`` — the area's title in the active language (its translation
from the version's file), escaped; a text shown in another language than the page's (the
source, when there is no translation) is wrapped in ``<span lang="sv">…</span>`` so that
screen readers and the crawl test know. Works on models and definitions of versions,
areas and questions alike (fields: name, description, about, title, headings, text,
short, subarea, and guidance as "guidance.looked_for" etc.). A list field (headings)
gives a list of marked texts to loop over.

``{{ text|local }}`` (no field) marks a ``LocalText`` got elsewhere
(``catalogue.translations.localized``).
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from kompass.catalogue.translations import LocalText, active_language, text_of

register = template.Library()


def marked(text, page_language: str | None = None) -> SafeString:
    """``text`` escaped, in a ``<span lang>`` when its language is not the page's."""
    if text is None:
        return SafeString("")
    language = getattr(text, "language", None)
    page_language = page_language or active_language()
    if isinstance(text, LocalText) and language and language != page_language and str(text):
        return format_html('<span lang="{}">{}</span>', language, str(text))
    return conditional_escape(str(text))


@register.filter
def local(item, field: str | None = None):
    if item is None or item == "":
        return ""
    if field is None:
        return marked(item)
    value = text_of(item, field)
    if isinstance(value, list):
        return [marked(text) for text in value]
    return marked(value)


@register.filter
def local_plain(item, field: str):
    """The localized text without marking (for attributes: ``title="…"``, ``alt``,
    ``<option>``): a ``LocalText``, escaped by the template as usual."""
    if item is None or item == "":
        return ""
    return text_of(item, field)


@register.filter
def text_language(item, field: str) -> str:
    """The language code of the text ``local`` would show (for a ``lang`` attribute of an
    element that is not a span)."""
    value = text_of(item, field)
    if isinstance(value, list):
        return value[0].language if value else active_language()
    return value.language


@register.filter
def lang_attr(text) -> SafeString:
    """` lang="sv"` for an element whose text (a ``LocalText``) is not in the page's
    language, else nothing: ``<option value="…"{{ title|lang_attr }}>{{ title }}</option>``."""
    language = getattr(text, "language", None)
    if isinstance(text, LocalText) and language and language != active_language() and str(text):
        return format_html(' lang="{}"', language)
    return SafeString("")


@register.filter
def coded(item, field: str) -> SafeString:
    """"1.1 Its text": an item's code and ``field`` in the page's language, the text marked
    where it is a fallback (a sub-question's label above its text box)."""
    return format_html("{} {}", item.code, marked(text_of(item, field)))


@register.filter
def in_page_language(text) -> bool:
    """Whether a ``LocalText`` is in the page's language: an attribute (a tooltip) cannot
    mark its own language, so a fallback is better left out there."""
    return getattr(text, "language", active_language()) == active_language()


@register.filter
def local_heading(unit, length=None) -> SafeString:
    """How a page heads a unit (``workspace.units.Unit``): "1.1 Its text" with the text in
    the page's language (marked where it is not), or "Område 3 som helhet"; ``length``
    shortens the text as ``truncatechars`` would."""
    if unit is None or unit == "":
        return SafeString("")
    if getattr(unit, "is_area", False):
        return conditional_escape(unit.heading)
    text = text_of(unit, "title")
    if length:
        limit = max(int(length) - len(str(unit.key)) - 1, 1)
        if len(text) > limit:
            text = LocalText(str(text)[: limit - 1].rstrip() + "…", text.language)
    return format_html("{} {}", unit.key, marked(text))


@register.simple_tag
def area_title(version, number, fallback=""):
    """The title of area ``number`` of ``version`` (an id) in the page's language, marked;
    ``fallback`` (as stored, e.g. in the search index) where the version is unknown."""
    from kompass.catalogue import definitions

    definition = definitions.frameworks().get(str(version))
    area = definition.area(int(number)) if definition is not None and str(number).isdigit() else None
    if area is None:
        return conditional_escape(fallback)
    return marked(text_of(area, "title"))
