"""Catalogue texts in the reader's language.

A version's file is written in one language (``Framework.language``, "sv" for the
shipped ones) and may carry translations of its texts: each item (the version, an area,
a question) has a ``translations`` mapping keyed by language code::

    translations:
      nb: {title: "Tilgjengelighet og service", headings: ["…", "…"]}
      en: {title: "Accessibility and service"}

``localized`` answers the text of one field in a language: its translation when there
is one, else the source text. Either way the answer is a ``LocalText``, which knows the
language it is written in, so that a page in English can mark a Swedish fallback with
``lang="sv"`` (the ``local`` template filter in ``web.templatetags.catalogue_text``).

Plain Python: no Django models; the active language is Django's when Django runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from kompass.i18n import active_language

# The languages a version may be translated into, and the fields each kind of item may
# carry. Guidance fields are nested: ``guidance: {looked_for: …, full: …}``.
LANGUAGES = ("sv", "nb", "da", "en")
GUIDANCE_FIELDS = ("looked_for", "full", "partial", "none")
FIELDS = {
    "version": ("name", "description", "about"),
    "area": ("title", "headings", "guidance"),
    "question": ("text", "short", "subarea", "guidance"),
}
LIST_FIELDS = ("headings",)


class LocalText(str):
    """A text and the language it is written in (``.language``: "sv", "nb", …)."""

    language: str

    def __new__(cls, text: str = "", language: str = "sv"):
        value = super().__new__(cls, text)
        value.language = language
        return value

    def __reduce__(self):  # pickles (caches) keep the language
        return (LocalText, (str(self), self.language))


def normalize(code: str) -> str:
    """ "en-us" → "en", "NB" → "nb"."""
    return str(code).strip().lower().replace("_", "-").split("-")[0]


def _lookup(data, field: str):
    """``data[field]`` along a dotted path ("guidance.looked_for") through mappings or
    attributes; None when it is not there."""
    for part in field.split("."):
        if data is None:
            return None
        if isinstance(data, Mapping):
            data = data.get(part)
        else:
            data = getattr(data, part, None)
    return data


def translation(translations: Mapping | None, field: str, language: str):
    """The translation of ``field`` into ``language`` when given (a non-empty text or
    list), else None."""
    if not translations:
        return None
    found = _lookup(translations.get(language), field)
    if found in (None, "", [], ()):
        return None
    return found


def localized(
    source: str,
    source_language: str,
    translations: Mapping | None,
    field: str,
    language: str | None = None,
) -> LocalText:
    """The text of ``field`` in ``language`` (default: the active one): its translation
    when the catalogue file has one, else the source text (with the source's language)."""
    source_language = normalize(source_language or "sv")
    language = normalize(language) if language else active_language(source_language)
    if language != source_language:
        found = translation(translations, field, language)
        if isinstance(found, str):
            return LocalText(found, language)
    return LocalText(source or "", source_language)


def localized_list(
    source,
    source_language: str,
    translations: Mapping | None,
    field: str,
    language: str | None = None,
) -> list[LocalText]:
    """A list field (``headings``) in ``language``: the translated list when the file has
    one (of the same length — validated on load), else the source list."""
    source_language = normalize(source_language or "sv")
    language = normalize(language) if language else active_language(source_language)
    source = list(source or ())
    if language != source_language:
        found = translation(translations, field, language)
        if isinstance(found, (list, tuple)) and len(found) == len(source):
            return [
                LocalText(text, language) if text else LocalText(original, source_language)
                for text, original in zip(found, source)
            ]
    return [LocalText(text, source_language) for text in source]


def source_language_of(item) -> str:
    """The language an item's own texts are written in: ``item.source_language`` (models
    and definitions both have it), else its ``language``, else "sv"."""
    language = getattr(item, "source_language", None) or getattr(item, "language", None)
    return normalize(language) if isinstance(language, str) and language else "sv"


def text_of(item, field: str, language: str | None = None):
    """``field`` of a catalogue item (a model or a definition: anything with
    ``translations`` and a source language) in ``language`` (default: the active one).
    A ``LocalText``, or a list of them for a list field (``headings``); a dotted field
    reaches into guidance ("guidance.looked_for")."""
    source = _lookup(item, field)
    translations = getattr(item, "translations", None)
    source_language = source_language_of(item)
    if field in LIST_FIELDS or isinstance(source, (list, tuple)):
        return localized_list(source, source_language, translations, field, language)
    return localized("" if source is None else str(source), source_language, translations, field, language)
