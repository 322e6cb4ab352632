"""The sentences of chapter 2 and chapter 1 that the report writes from facts, where the
evaluators have written none: never a sentence with a hole where a fact is missing."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from kompass.catalogue.translations import active_language

# Lazy: translated when a report is written, in its language, not when this module loads.
# The context tells translators which "andra" is meant (second, not other).
ORDINALS = {
    1: pgettext_lazy("ordningstal", "första"), 2: pgettext_lazy("ordningstal", "andra"),
    3: pgettext_lazy("ordningstal", "tredje"), 4: pgettext_lazy("ordningstal", "fjärde"),
    5: pgettext_lazy("ordningstal", "femte"), 6: pgettext_lazy("ordningstal", "sjätte"),
    7: pgettext_lazy("ordningstal", "sjunde"), 8: pgettext_lazy("ordningstal", "åttonde"),
    9: pgettext_lazy("ordningstal", "nionde"), 10: pgettext_lazy("ordningstal", "tionde"),
    11: pgettext_lazy("ordningstal", "elfte"), 12: pgettext_lazy("ordningstal", "tolfte"),
}

# "The evaluators' texts are in Swedish.": one whole sentence per language, so that each
# translation can put the language's name as its grammar wants it.
TEXT_LANGUAGE_SENTENCES = {
    "sv": gettext_lazy("Utvärderarnas texter är skrivna på svenska."),
    "nb": gettext_lazy("Utvärderarnas texter är skrivna på norska (bokmål)."),
    "da": gettext_lazy("Utvärderarnas texter är skrivna på danska."),
    "en": gettext_lazy("Utvärderarnas texter är skrivna på engelska."),
}

# Languages that write the names of months in lower case within a sentence.
LOWER_CASE_MONTHS = {"sv", "nb", "da"}

# The usual publisher of a country's reports: the association of local authorities that
# runs Kommunkompassen there.
PUBLISHERS = {"SE": "Sveriges Kommuner och Regioner", "NO": "KS", "DK": "KL"}


def ordinal_word(n: int) -> str:
    """femte; beyond twelve the written form 13:e (13th, 13.)."""
    word = ORDINALS.get(n)
    return str(word) if word else pgettext("ordningstal", "%(n)s:e") % {"n": n}


def month_name(month: int) -> str:
    """The month in the active language: "mars" in a sentence in Swedish, "March" in English."""
    name = str(MONTHS[month])
    return name.lower() if active_language() in LOWER_CASE_MONTHS else name


def text_language_sentence(text_language: str, report_language: str | None = None) -> str:
    """The sentence that says in which language the evaluators wrote, where the report is
    in another one; "" where they are the same."""
    report_language = report_language or active_language()
    if text_language == report_language:
        return ""
    sentence = TEXT_LANGUAGE_SENTENCES.get(text_language)
    if sentence is None:  # a language the platform has no sentence for: its code
        return _("Utvärderarnas texter är skrivna på språket %(code)s.") % {"code": text_language}
    return str(sentence)


def interviewees_phrase(count: int, approximate: bool) -> str:
    """"ett 30-tal personer" or "28 personer"."""
    if approximate:
        return _("ett %(n)s-tal personer") % {"n": count}
    return _("%(n)s personer") % {"n": count} if count != 1 else _("en person")


def _join(parts: Sequence[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " " + _("och") + " " + parts[-1]


def evaluation_paragraph(
    *, municipality: str, year: int, month: int | None, ordinal: int | None,
    interviewees: int | None, approximate: bool, sources: Sequence[str],
) -> str:
    """The seed's "Utvärderingen" paragraph from the facts that are known."""
    when = _("i %(month)s %(year)s") % {"month": month_name(month), "year": year} if month else str(year)
    first = _("Utvärderingen av %(municipality)s genomfördes %(when)s") % {"municipality": municipality, "when": when}
    if ordinal:
        first += " " + _("och var kommunens %(ordinal)s utvärdering enligt Kommunkompassens kriterier") % {"ordinal": ordinal_word(ordinal)}
    sentences = [first + "."]
    sources = set(sources)
    examined = [label for key, label in (("website", _("hemsida")), ("intranet", _("intranät")), ("social_media", _("sociala medier"))) if key in sources]
    work = []
    if "documents" in sources:
        work.append(_("studerat dokument"))
    if examined:
        work.append(_("granskat kommunens %(what)s") % {"what": _join(examined)})
    if interviewees:
        work.append(_("genomfört intervjuer med %(who)s i organisationen") % {"who": interviewees_phrase(interviewees, approximate)})
    elif "interviews" in sources:
        work.append(_("genomfört intervjuer i organisationen"))
    if work:
        sentences.append(_("Utvärderingsgruppen har %(work)s.") % {"work": _join(work)})
    return " ".join(sentences)


def about_paragraphs(*, framework_name: str, owner: str, area_titles: Sequence[str]) -> str:
    """Chapter 1 where the version carries no text of its own: what the method is, from
    the version's own facts (its name, owner and areas), in Markdown."""
    lines = [
        _(
            "Kommunkompassen är ett verktyg för utvärdering och analys av kommuners sätt att arbeta. "
            "Verktyget togs fram i mitten av 1990-talet i Norden och används av kommuner i flera nordiska länder."
        ),
        "",
        _(
            "Kommunkompassen utvärderar inte verksamhetens resultat utan sättet att leda den och sättet att samspela i organisationen. "
            "Utvärderarna hämtar sin information från intervjuer, officiella dokument och kommunens hemsida."
        ),
        "",
        (_("Den här utvärderingen följer %(name)s, som ägs av %(owner)s.") if owner else _("Den här utvärderingen följer %(name)s."))
        % {"name": framework_name, "owner": owner},
        "",
    ]
    if area_titles:
        lines += [_("De %(count)s huvudområdena är:") % {"count": len(area_titles)}, ""]
        lines += [f"- {title}" for title in area_titles]
    return "\n".join(lines).strip()


def genitive(name: str, language: str | None = None) -> str:
    """The name's genitive in the active language. Swedish: Örebros, but names ending in
    s, x or z take none (Borås). Norwegian and Danish: Örebros, Borås'. English:
    Örebro's, Borås'."""
    language = language or active_language()
    last = name[-1:].lower()
    if language == "en":
        return name + ("'" if last == "s" else "'s")
    if language in ("nb", "da"):
        return name + ("'" if last in "sxz" else "s")
    return name if last in "sxz" else name + "s"
