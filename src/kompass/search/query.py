"""What a search looks for, in plain Python: the same rules on every database.

A query is split into words (runs of Unicode letters and digits, hyphenated compounds
such as "e-tjänster" kept whole; everything else, quotes and operators included, only
separates words), lower-cased, stripped of Swedish filler words and of words shorter than
three characters, and stemmed with Snowball's Swedish stemmer. A text matches when every
stem occurs somewhere in it as a substring: the stem of "korruptionen" is "korruption",
which "korruption" and "korruptionsrisker" contain, and "dialog" lies inside
"medborgardialog", so inflections and compound words are found without a dictionary.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

import snowballstemmer
from django.utils.html import escape
from django.utils.translation import gettext as _

MAX_QUERY_LENGTH = 300  # characters
MAX_TERMS = 8
MIN_TERM_LENGTH = 3  # shorter stems would match nearly every text
SNIPPET_LENGTH = 240
SPACES = re.compile(r"\s+")

# A word: letters and digits, hyphenated compounds ("e-tjänster", "IT-stöd") kept whole.
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011"), "-")  # hyphen, non-breaking hyphen

# Words that say nothing about a good example; a query of only these has nothing to find.
STOP_WORDS = frozenset(
    """
    alla allt andra att av bara blev bli blir dem den denna deras dess dessa det detta dig din
    ditt där då efter ej eller era ett för från genom har hade han hans hela henne hennes hon
    honom hur här icke ingen inom inte jag kan kunde man med mellan men mig min mina mitt mot
    mycket ned när någon något några och oss samma sedan sig sin sina sitt skall ska skulle som
    till under upp ut utan vad var vara varför varit varje vars vart vem vi vid vilka vilken
    vilket vår våra vårt än är åt över
    """.split()
) | {"and", "not", "near"}  # operators of other search syntaxes: none of them works here


class SearchQueryError(ValueError):
    """A query or a filter the search cannot answer; the message is for the user."""

    def __init__(self, message: str, *, parameter: str = "q"):
        super().__init__(message)
        self.message = message
        self.parameter = parameter


_local = threading.local()


def _stemmer():
    """One stemmer per thread: a Snowball stemmer keeps state while it stems."""
    if not hasattr(_local, "stemmer"):
        _local.stemmer = snowballstemmer.stemmer("swedish")
    return _local.stemmer


def normalize(text: str) -> str:
    """NFC and lower case (hyphens as "-"), character for character: the result has the
    length of ``unicodedata.normalize("NFC", text)``, so positions in one are positions in
    the other."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    lower = text.lower()
    if len(lower) != len(text):  # a character whose lower case is longer ("İ") stays
        lower = "".join(_lower(c) for c in text)
    if "\u2010" in lower or "\u2011" in lower:
        lower = lower.translate(HYPHENS)
    return lower


def _lower(char: str) -> str:
    lower = char.lower()
    return lower if len(lower) == 1 else char


def clean_text(text: str) -> str:
    """The text as stored and shown: NFC, without NUL (which PostgreSQL cannot store)."""
    return unicodedata.normalize("NFC", text).replace("\x00", "")


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[str, ...]  # stems, each at least MIN_TERM_LENGTH long, longest first
    ignored: tuple[str, ...]  # words of the query not searched for (too short, filler, over the limit)


def parse(q) -> ParsedQuery:
    """The stems to look for; raises SearchQueryError when there is nothing to search for."""
    if q is None:
        q = ""
    if not isinstance(q, str):
        raise SearchQueryError(_("Sökfrågan ska vara text."))
    if len(q) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            _("Sökfrågan är för lång: högst %(max)s tecken, den har %(length)s.") % {"max": MAX_QUERY_LENGTH, "length": len(q)}
        )
    words = WORD.findall(normalize(q))
    if not words:
        raise SearchQueryError(_("Skriv ett eller flera ord att söka efter."))
    terms, ignored = [], []
    for word in words:
        stem = _stemmer().stemWord(word)
        if word in STOP_WORDS or len(stem) < MIN_TERM_LENGTH:
            ignored.append(word)
        elif stem in terms:
            continue
        elif len(terms) >= MAX_TERMS:
            ignored.append(word)
        else:
            terms.append(stem)
    # A stem inside another one adds nothing: "dialog" is implied by "medborgardialog".
    terms = [t for t in terms if not any(t != other and t in other for other in terms)]
    if not terms:
        raise SearchQueryError(
            _("Sökfrågan innehåller inga sökbara ord: skriv ord med minst %(min)s bokstäver, till exempel ”medborgardialog”.")
            % {"min": MIN_TERM_LENGTH}
        )
    terms.sort(key=lambda t: (-len(t), t))
    return ParsedQuery(tuple(terms), tuple(dict.fromkeys(ignored)))


# --- snippets -----------------------------------------------------------------------------


def _spans(terms, normalized_text: str) -> list[tuple[int, int]]:
    """Every occurrence of every term with the rest of its word (the ending the stem left
    off: "<mark>korruptionen</mark>", "medborgar<mark>dialogen</mark>"), overlapping
    ones merged, in order."""
    spans = []
    size = len(normalized_text)
    for term in terms:
        start = normalized_text.find(term)
        while start >= 0:
            end = start + len(term)
            while end < size and normalized_text[end].isalnum():
                end += 1
            spans.append((start, end))
            start = normalized_text.find(term, start + 1)
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def snippet_html(text: str, terms, *, length: int = SNIPPET_LENGTH, normalized: str | None = None) -> str:
    """The text around the first match, at most ``length`` characters of it, HTML-escaped,
    with every occurrence of a term (to the end of its word) in ``<mark>``. Cut ends get "…" and break at spaces.
    ``normalized``: ``normalize(text)`` where it is at hand."""
    text = clean_text(text)
    if normalized is None or len(normalized) != len(text):
        normalized = normalize(text)
    spans = _spans(terms, normalized)
    start, end = 0, len(text)
    if len(text) > length:
        first = spans[0][0] if spans else 0
        start = max(0, first - length // 4)
        if start > 0:  # begin at a word
            space = SPACES.search(text, start, first)
            start = space.end() if space else start
        end = min(len(text), start + length)
        if end - start < length:  # near the end: show more before the match
            start = max(0, end - length)
        if end < len(text):  # end at a word
            space = max(text.rfind(" ", max(start, first), end), text.rfind("\n", max(start, first), end))
            end = space if space > first else end
    parts = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    return SPACES.sub(" ", "".join(parts)).strip()
