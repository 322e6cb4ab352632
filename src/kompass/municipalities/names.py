"""Finding a municipality by what people type: "orebro" finds Örebro, "malmo" Malmö,
"goteborg" Göteborg, "Örebro kommun" and "1880" Örebro too. One function
(``name_matches``) for the list page and the API (``/kommuner/?q=``,
``/api/municipalities?q=``)."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
FOLDED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "ŧ": "t", "ŋ": "n", "ß": "ss", "ł": "l", "þ": "th"})
# Words of a name that a query may carry or leave out ("Örebro kommun", "Oslo kommune").
OPTIONAL_WORDS = frozenset({"kommun", "kommune", "kommuns", "kommunes", "stad", "stads"})
MAX_QUERY = 100


def folded(text: str) -> str:
    """Lower case without diacritics, words separated by single spaces. Danish "aa" and
    "å" both become "a", so "Aarhus" and "Århus" (and "Åmål" and "amal") meet."""
    text = unicodedata.normalize("NFKD", text.casefold()).translate(FOLDED)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^0-9a-z]+", " ", text).strip()
    return text.replace("aa", "a")


def query_words(query: str) -> list[str]:
    """The words a name must contain; the optional ones only when nothing else is asked."""
    words = folded(query[:MAX_QUERY]).split()
    kept = [w for w in words if w not in OPTIONAL_WORDS]
    return kept or words


def name_matches(query: str, *, name: str, short_name: str = "", code: str = "") -> bool:
    """Whether a municipality matches: its code, or every word of the query inside its
    name or short name (also inside a word: "borg" finds Göteborg)."""
    words = query_words(query)
    if not words:
        return True
    if code and query.strip() == code:
        return True
    haystack = f"{folded(name)} {folded(short_name)}"
    return all(word in haystack for word in words)


def municipalities_matching(municipalities, query: str | None):
    """The municipalities (a queryset or list of ``Municipality``) that match ``query``;
    all of them for an empty query. A list, in the order given."""
    if not query or not query.strip():
        return list(municipalities)
    return [m for m in municipalities if name_matches(query, name=m.name, short_name=m.short_name, code=m.code)]
