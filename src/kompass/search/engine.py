"""The search index: Tantivy (BM25, top-k in Rust) over the passages of published
evaluations, kept in a folder of the var directory, one per database.

Matching keeps the rule of ``query.py``: a stem matches a passage when it occurs in one of
its words, also inside a compound ("dialog" in "medborgardialog"). The index holds the
passages' words; a stem is looked up in the index's own vocabulary (every word it holds,
searched as one string) and stands for the words that contain it, so a search costs what
those words' postings cost, however the word was inflected or compounded. Hyphenated
compounds are kept whole by writing their hyphens as a letter (``JOINER``) that no text
has, which the tokenizer keeps inside a word.

Ranking: the kind first (good examples … improvement areas, as always); within a kind by
BM25 relevance, where a word that only contains the stem inside a compound counts half;
equal relevance keeps the order in which the passages were indexed. Every filter is an
exact condition that adds nothing to the score.

Each kind's words are a field of their own (``words0`` … ``words5``), searched one after
the other, each once for its exact count and its part of the page: a kind costs only its
own postings (a filter on a kind tag would intersect every match with a list of a sixth
of the whole index, and a boost per kind would score every match twice).
"""

from __future__ import annotations

import bisect
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection

from kompass.search.indexer import Passage
from kompass.search.models import KIND_RANK

LAYOUT = "4"  # raised when the schema or the tokenizer changes: a new folder is built
JOINER = "\ua7f7"  # LATIN EPIGRAPHIC LETTER SIDEWAYS I: a letter, so it joins "e-tjänster"
HYPHENS = ("-", "\u2010", "\u2011")
LONGEST_WORD = 255  # bytes: longer runs of letters are not words and are not indexed
COMPOUND_WEIGHT = 0.5  # a word that contains the stem after its start ("medborgardialog" for "dialog")
MAX_WORDS = 512  # words a stem may stand for with their relevance; beyond, it only filters
FIELD_SEPARATOR = "\x1f"
WORDS_TOKENIZER = "kompass_words"
TAGS_TOKENIZER = "whitespace"
NOTHING_TOKENIZER = "kompass_nothing"  # a stored field only: a class of no character matches nothing


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for rank in KIND_RANK.values():
        builder.add_text_field(f"words{rank}", tokenizer_name=WORDS_TOKENIZER, index_option="freq")
    # The filters' values as single tokens: k2 (kind), a3, q3.2, m1880, nSE, c18, f2010, e123 (evaluation).
    builder.add_text_field("tags", tokenizer_name=TAGS_TOKENIZER, index_option="basic")
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("score", indexed=True, fast=True)  # the area's score in hundredths
    builder.add_text_field("hit", stored=True, tokenizer_name=NOTHING_TOKENIZER, index_option="basic")  # what a hit shows
    return builder.build()


SCHEMA = _schema()
Q = tantivy.Query
SHOULD, MUST = tantivy.Occur.Should, tantivy.Occur.Must


def words_analyzer() -> tantivy.TextAnalyzer:
    builder = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    return builder.filter(tantivy.Filter.remove_long(LONGEST_WORD)).filter(tantivy.Filter.lowercase()).build()


def word_form(text: str) -> str:
    """A text or a stem as the index's words are written: hyphens inside words joined."""
    for hyphen in HYPHENS:
        if hyphen in text:
            text = text.replace(hyphen, JOINER)
    return text


def folder() -> Path:
    """The index of this database: one folder per database (several test databases, or a
    site moved to another database, never share one)."""
    db = connection.settings_dict
    identity = "|".join(str(db.get(k) or "") for k in ("ENGINE", "NAME", "HOST", "PORT"))
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return Path(settings.VAR_DIR) / "search" / f"{digest}.v{LAYOUT}"


def open_index(path: Path) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    index.register_tokenizer(WORDS_TOKENIZER, words_analyzer())
    index.register_tokenizer(NOTHING_TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"[^\s\S]")).build())
    return index


# --- writing ------------------------------------------------------------------------------


def evaluation_tag(evaluation_id: int) -> str:
    return f"e{evaluation_id}"


def document(passage: Passage) -> tantivy.Document:
    p = passage
    tags, stored = _evaluation_parts(p.evaluation_id, p.municipality_id, p.municipality_code, p.country, p.county_code,
                                     p.year, p.framework_code, p.total_score)
    rank = KIND_RANK[p.kind]
    tags = f"k{rank} a{p.area_number} {tags}" + (f" q{p.question_code}" if p.question_code else "")
    area_score = "" if p.area_score is None else p.area_score
    fields = {
        f"words{rank}": word_form(p.searched), "tags": tags, "year": p.year,
        "hit": f"{p.entry_id}\x1f{stored}\x1f{p.area_number}\x1f{p.question_code or ''}\x1f{p.kind}\x1f{p.position}"
               f"\x1f{area_score}\x1f{p.area_title}\x1f{p.text}",
    }
    if p.area_score is not None:
        fields["score"] = int(p.area_score * 100)
    return tantivy.Document(**fields)  # one call: each further add_* crosses into Rust again


@lru_cache(maxsize=256)
def _evaluation_parts(evaluation_id, municipality_id, code, country, county, year, framework, total) -> tuple[str, str]:
    """What every passage of an evaluation shares: its tags and the middle of its stored hit."""
    tags = f"m{code} n{country} f{framework} e{evaluation_id}" + (f" c{county}" if county else "")
    stored = FIELD_SEPARATOR.join(map(str, (evaluation_id, municipality_id, code, country, county or "", year, framework,
                                            "" if total is None else total)))
    return tags, stored


def _unstored(data: str) -> Passage:
    (entry, evaluation, municipality, code, country, county, year, framework, total_score, area, question, kind, position,
     area_score, area_title, text) = data.split(FIELD_SEPARATOR, 15)
    return Passage(
        entry_id=int(entry), evaluation_id=int(evaluation), municipality_id=int(municipality), municipality_code=code,
        country=country, county_code=county or None, year=int(year), framework_code=framework, area_number=int(area),
        area_title=area_title, question_code=question or None, kind=kind, position=int(position),
        area_score=Decimal(area_score) if area_score else None, total_score=Decimal(total_score) if total_score else None,
        text=text, searched="",
    )


# --- reading ------------------------------------------------------------------------------


class Vocabulary:
    """Every word of the index as one string, so that the words containing a stem are
    found by ``str.find`` (C speed) instead of a loop over the words."""

    def __init__(self, searcher: tantivy.Searcher):
        frequencies: dict[str, int] = {}
        for rank in KIND_RANK.values():
            for word, count in searcher.terms_with_prefix(f"words{rank}", ""):
                frequencies[word] = frequencies.get(word, 0) + count
        self.words = sorted(w for w, count in frequencies.items() if count > 0)
        self.frequency = frequencies
        self.text = "\n" + "\n".join(self.words) + "\n"
        self.starts = []
        position = 1
        for word in self.words:
            self.starts.append(position)
            position += len(word) + 1
        self._cache: OrderedDict[str, tuple[tuple[str, ...], tuple[str, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def containing(self, stem: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The words that begin with the stem (its inflections) and those that contain it
        later (compounds), each most frequent first."""
        with self._lock:
            found = self._cache.get(stem)
            if found is not None:
                self._cache.move_to_end(stem)
                return found
        beginning, inside = [], []
        at = self.text.find(stem)
        while at >= 0:
            i = bisect.bisect_right(self.starts, at) - 1
            word = self.words[i]
            (beginning if at == self.starts[i] else inside).append(word)
            at = self.text.find(stem, self.starts[i] + len(word))
        key = self.frequency.__getitem__
        found = (tuple(sorted(beginning, key=key, reverse=True)), tuple(sorted(inside, key=key, reverse=True)))
        with self._lock:
            self._cache[stem] = found
            if len(self._cache) > 4096:
                self._cache.popitem(last=False)
        return found


@dataclass(frozen=True)
class Filters:
    """Checked values (``services.search`` checks them)."""

    area: int | None = None
    question: str | None = None
    municipality: str | None = None
    country: str | None = None
    county: str | None = None
    from_year: int | None = None
    to_year: int | None = None
    framework: str | None = None
    min_score: Decimal | None = None
    kinds: tuple[str, ...] | None = None


def _tag(value: str):
    return Q.term_query(SCHEMA, "tags", value)


def _exact(query):
    """A condition that must hold and adds nothing to the relevance."""
    return (MUST, Q.const_score_query(query, 0.0))


def _stem_clause(vocabulary: Vocabulary, stem: str, field: str):
    beginning, inside = vocabulary.containing(word_form(stem))
    words = beginning + inside
    if not words:
        return None
    scored = [Q.term_query(SCHEMA, field, w) for w in beginning[:MAX_WORDS]]
    scored += [Q.boost_query(Q.term_query(SCHEMA, field, w), COMPOUND_WEIGHT) for w in inside[: max(0, MAX_WORDS - len(scored))]]
    if len(words) > len(scored):  # the rest only filters: any word of them makes a match
        scored.append(Q.const_score_query(Q.term_set_query(SCHEMA, field, list(words[len(scored):])), 0.0))
    return scored[0] if len(scored) == 1 else Q.boolean_query([(SHOULD, q) for q in scored])


def queries(vocabulary: Vocabulary, terms, filters: Filters) -> list:
    """One Tantivy query per kind the filters allow, in rank order; none when a term
    occurs nowhere."""
    if any(not any(vocabulary.containing(word_form(stem))) for stem in terms):
        return []
    conditions = []
    for prefix, value in (("a", filters.area), ("q", filters.question), ("m", filters.municipality),
                          ("n", filters.country), ("c", filters.county), ("f", filters.framework)):
        if value is not None:
            conditions.append(_exact(_tag(f"{prefix}{value}")))
    if filters.from_year is not None or filters.to_year is not None:
        low = filters.from_year if filters.from_year is not None else 0
        high = filters.to_year if filters.to_year is not None else 9999
        conditions.append(_exact(Q.range_query(SCHEMA, "year", tantivy.FieldType.Integer, low, high)))
    if filters.min_score is not None:
        low = int((filters.min_score * 100).to_integral_value(rounding="ROUND_CEILING"))
        conditions.append(_exact(Q.range_query(SCHEMA, "score", tantivy.FieldType.Integer, low, 10**9)))
    ranks = sorted(KIND_RANK[k] for k in filters.kinds) if filters.kinds else sorted(KIND_RANK.values())
    found = []
    for rank in ranks:
        clauses = [(MUST, _stem_clause(vocabulary, stem, f"words{rank}")) for stem in terms] + conditions
        found.append(clauses[0][1] if len(clauses) == 1 else Q.boolean_query(clauses))
    return found


def top(searcher: tantivy.Searcher, kind_queries: list, *, offset: int, limit: int) -> tuple[int, list[Passage]]:
    """The exact number of matches and the passages of the page: the kinds one after the
    other, each searched once for its count and its part of the page."""
    total, addresses = 0, []
    for kind_query in kind_queries:
        wanted = limit - len(addresses)
        result = searcher.search(kind_query, max(wanted, 1), count=True, offset=max(offset - total, 0))
        if wanted > 0 and offset < total + result.count:
            addresses += [address for _score, address in result.hits[:wanted]]
        total += result.count
    return total, [_unstored(searcher.doc(address)["hit"][0]) for address in addresses]
