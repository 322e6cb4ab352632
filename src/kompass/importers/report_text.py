"""Reading a Kommunkompassen report from its text: what the report says, with the line
each number stands on. Plain Python. ``layout`` first undoes the printing (running
headers and footers, page numbers, words broken at line ends, ligatures); this module
then reads the structure: chapters and areas by their headings, tables by their rows of
numbers wherever a page break left the row's text.

A report may be in any language the platform writes reports in: the headings and
phrases it looks for are the report template's own, in every translation (``Wording``,
built from gettext by ``importers.reports``; Swedish alone without Django).
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from kompass.importers.layout import Line, join_wrapped_headings
from kompass.importers.layout import read_lines as layout_lines

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"]
ORDINALS = ["första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde"]
BULLETS = "-•–\uf0b7\u25aa*"
ROLE_MODEL_LINE = re.compile(r"^Förebilder\b")
UPPER = "A-ZÅÄÖÆØÉÜ"

# The report template's phrases the reader looks for (their gettext msgids, Swedish).
PHRASES = {
    "contents": "Innehåll",
    "about": "Vad är Kommunkompassen?",
    "summary": "%(name)s i förhållande till Kommunkompassen: En sammanfattande genomgång",
    "details": "Detaljerad genomgång i förhållande till Kommunkompassens åtta områden",
    "overview": "Översikt av poängfördelning",
    "appendix": "%(year)s års Kompassutvärdering",
    "area": "Område %(n)s %(title)s",
    "headings": "Rubriker",
    "general": "Allmänt",
    "changes": "Vad har hänt efter %(year)s?",
    "changes_any": "Vad har hänt sedan förra utvärderingen?",
    "strengths": "Styrkor",
    "improvements": "Förbättringsområden",
    "good_examples": "Goda exempel",
    "evaluation": "Utvärderingen",
    "comment": "Sammanfattande kommentar",
    "results": "Sammanfattning av resultat",
    "done": "Genomförd",
    "order": "Ordning",
    "interviewed": "Intervjuade",
    "version": "Version",
    "total_all": "Totalt, alla områden",
    "total": "Totalt",
    "subtitle": "Analys av %(municipality)s %(year)s",
    "ordinal": "kommunens utvärdering nr %(n)s",
    "about_n": "ett %(n)s-tal personer",
    "persons": "%(n)s personer",
    "compared": "Jämfört med %(year)s (%(before)s poäng) har resultatet ändrats med %(change)s poäng.",
    "chart_data": "Diagrammens data",
}
GROUPS = {"year": r"(?:19|20)\d\d\b", "n": r"\d+", "before": r"\d+", "change": r"[+\-−–]?\d+"}


def fold(text: str) -> str:
    """Without diacritics: "Allmänt" → "Allmant"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _regex(template: str) -> re.Pattern:
    """A translated phrase as a pattern: its placeholders become named groups, its
    spaces any run of white space."""
    parts = re.split(r"%\((\w+)\)s", template)
    pattern = "".join(
        f"(?P<{part}>{GROUPS.get(part, '.+?')})" if odd else r"\s+".join(re.escape(word) for word in part.split(" "))
        for odd, part in ((i % 2 == 1, p) for i, p in enumerate(parts))
    )
    return re.compile(pattern, re.I)


@dataclass(frozen=True)
class Wording:
    """Every phrase in each language a report may be written in (Swedish first), the
    months' names in each, and the versions' printed names (in any language) → id."""

    phrases: dict[str, tuple[str, ...]]
    months: tuple[tuple[str, ...], ...] = (tuple(MONTHS),)
    versions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        compiled = {key: tuple(_regex(t) for t in dict.fromkeys(texts)) for key, texts in self.phrases.items()}
        # OCR drops diacritics now and then ("Allmant"): each phrase also without them.
        folded = {key: tuple(_regex(t) for t in dict.fromkeys(fold(t) for t in texts)) for key, texts in self.phrases.items()}
        object.__setattr__(self, "_compiled", compiled)
        object.__setattr__(self, "_folded", folded)

    def patterns(self, key: str) -> tuple[re.Pattern, ...]:
        return self._compiled[key]

    def full(self, key: str, text: str, prefix: str = "", flags: int = 0) -> re.Match | None:
        """The phrase as the whole line (after an optional chapter number); as printed,
        capitals included, unless ``flags`` says otherwise."""
        for pattern in self.patterns(key):
            if match := re.fullmatch(prefix + pattern.pattern, text, flags):
                return match
        if (plain := fold(text)) != text:
            for pattern in self._folded[key]:
                if match := re.fullmatch(prefix + pattern.pattern, plain, flags):
                    return match
        return None

    def search(self, key: str, text: str) -> re.Match | None:
        """The phrase where it first stands in the text, in whichever language (a report
        in Norwegian may quote a Swedish report's title further on)."""
        found = [m for p in self.patterns(key) if (m := p.search(text))]
        return min(found, key=lambda m: m.start(), default=None)

    def words(self, key: str) -> set[str]:
        return {t.lower() for t in self.phrases[key]}

    def month(self, text: str) -> tuple[int, int] | None:
        """(month, year) of "oktober 2015" in any language."""
        names = {name.lower(): i + 1 for names in self.months for i, name in enumerate(names)}
        match = re.search(r"\b(" + "|".join(map(re.escape, names)) + r") ((?:19|20)\d\d)\b", text, re.I)
        return (names[match[1].lower()], int(match[2])) if match else None


SWEDISH = Wording({key: (text,) for key, text in PHRASES.items()})


@dataclass
class Row:
    """A printed score: a sub-question or area row of the overview, or a heading table."""

    rounded: int
    percent: int | None
    max: int | None
    line: int  # in the source text
    page: int | None = None  # and where it is printed, where the source has pages
    page_line: int | None = None

    @classmethod
    def at(cls, line: Line | None, rounded: int, percent: int | None, maximum: int | None) -> Row:
        if line is None:
            return cls(rounded, percent, maximum, 0)
        return cls(rounded, percent, maximum, line.number, line.page, line.page_line)


@dataclass
class AreaPart:
    number: int
    title: str
    line: int
    scores_by_year: dict[int, Row] = field(default_factory=dict)
    general: str = ""
    changes: str = ""
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    good_examples: list[str] = field(default_factory=list)


@dataclass
class ReportText:
    municipality: str | None = None
    year: int | None = None
    version: str | None = None
    evaluators: list[tuple[str, str]] = field(default_factory=list)
    publisher: str = ""
    month: int | None = None
    ordinal: int | None = None
    interviewees: int | None = None
    interviewees_approximate: bool = False
    evaluation_text: str = ""
    summary_text: str = ""
    total: Row | None = None
    earlier_totals: dict[int, Row] = field(default_factory=dict)
    average: tuple[int, int | None, int] | None = None  # value, from year, line
    areas: dict[int, AreaPart] = field(default_factory=dict)
    overview_questions: dict[str, Row] = field(default_factory=dict)
    overview_areas: dict[int, Row] = field(default_factory=dict)
    has_overview: bool = False
    overview_complete: bool = False
    appendix_year: int | None = None
    appendix: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # area -> (heading, text)


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def _norm(text: str) -> str:
    """For comparing headings: no leaders, page numbers, numbering or punctuation."""
    text = re.sub(r"[.\u2026 ]{3,}\s*\d+\s*$|\s+\d{1,3}\s*$", "", text)
    text = re.sub(r"^\d\.?\s+", "", text.strip())
    return re.sub(r"[^\wåäöÅÄÖæøÆØ]+", "", text.lower())


CHAPTER_NUMBER = {"about": r"(?:1\.?\s+)?", "summary": r"(?:2\.?\s+)?", "details": r"(?:3\.?\s+)?", "overview": r"(?:4\.?\s+)?", "appendix": r"(?:5\.?\s+)?"}
SUBSECTIONS = ("general", "changes", "changes_any", "strengths", "improvements", "good_examples")


class Reader:
    """The report's structure in the wording of its language(s)."""

    def __init__(self, wording: Wording):
        self.wording = wording

    def chapter(self, text: str) -> str | None:
        for name, prefix in CHAPTER_NUMBER.items():
            if name == "details":
                if any(re.fullmatch(prefix + p.pattern + r".*", text, re.I) for p in self.wording.patterns(name)):
                    return name
            elif self.wording.full(name, text, prefix, re.I):  # a title may be printed in capitals
                return name
        if re.fullmatch(r"(5\.?\s+)?((?:19|20)\d\d) års Kom\w*\s*utvärdering", text, re.I):
            return "appendix"  # the seed's "2012 års Kompassutvärdering" and its variants
        if re.fullmatch(r"(3\.?\s+)?Detaljerad genomgång\b.*", text, re.I):
            return "details"
        if re.match(r"^\d\s+.+ i förhållande till( Kommunkompassen(: En sammanfattande genomgång)?)?$", text):
            return "summary"
        return self._misread_chapter(text)

    def _misread_chapter(self, text: str) -> str | None:
        """A numbered chapter title as OCR may return it, a letter or two off
        ("4 Översikt av poangfoérdelning"): its number and nearly its words."""
        match = re.fullmatch(r"([1-5])\.?\s+(\D{8,100})", text)
        if not match:
            return None
        name = list(CHAPTER_NUMBER)[int(match[1]) - 1]
        read = fold(match[2]).lower()
        return name if any(
            SequenceMatcher(None, read, fold(title).lower()).ratio() >= 0.85
            for title in self.wording.phrases[name] if "%(" not in title
        ) else None

    def appendix_year(self, text: str) -> int | None:
        match = self.wording.full("appendix", text, CHAPTER_NUMBER["appendix"], re.I) or re.fullmatch(r"(5\.?\s+)?((?:19|20)\d\d) års Kom\w*\s*utvärdering", text, re.I)
        if match is None:
            return None
        return int(match["year"]) if "year" in match.re.groupindex else int(match[2])

    def area_heading(self, text: str) -> tuple[int, str] | None:
        match = self.wording.full("area", text)
        if match and re.fullmatch(r"\d", match["n"]) and not re.search(r"[.,;:]$", match["title"]):
            return int(match["n"]), match["title"]
        return None

    def subsection(self, text: str) -> str | None:
        for name in SUBSECTIONS:
            if self.wording.full(name, text):
                return "changes" if name == "changes_any" else name
        if re.fullmatch(r"Vad har hänt (efter|sedan) .*\?", text):
            return "changes"
        return None

    def structural(self, text: str) -> bool:
        """A heading of the report's own."""
        return bool(self.chapter(text) or self.area_heading(text) or self.subsection(text))

    def title_of(self, text: str) -> str | None:
        """Which chapter a line is the title of. (Areas' headings repeat in the appendix,
        so they are not told from a running header this way: see ``_split_areas``.)"""
        return self.chapter(text)

    def protected(self, text: str) -> bool:
        """A heading that repeats in every area, never a page's running header."""
        return bool(self.subsection(text) or self.wording.full("headings", text))


def read_lines(text: str, reader: Reader | None = None) -> list[Line]:
    reader = reader or Reader(SWEDISH)
    contents = reader.wording.words("contents") | {"innehållsförteckning", "innholdsfortegnelse", "indhold"}
    lines = layout_lines(text, title_of=reader.title_of, protected=reader.protected, is_contents=lambda t: t.lower() in contents)
    return join_wrapped_headings(lines, reader.structural)  # areas' and sections' headings too


def _body(lines: list[Line], reader: Reader) -> list[Line]:
    """The lines after the contents, without bullets standing alone and chapter titles
    repeated as running page headers."""
    contents = reader.wording.words("contents") | {"innehållsförteckning", "innholdsfortegnelse", "indhold"}
    start = next((i for i, line in enumerate(lines) if _clean(line.text).lower() in contents), None)
    if start is not None:
        first = next((i for i in range(start + 1, len(lines)) if lines[i].text.strip()), None)
        end = None
        if first is not None:  # the contents end where their first entry stands again
            key = _norm(lines[first].text)
            end = next((i for i in range(first + 1, len(lines)) if _norm(lines[i].text) == key), None)
        if end is None and lines[start].page:
            # OCR may garble the entries beyond recognition: the first entry read as a
            # chapter's title, where it stands as the title on a later page.
            listed = next((c for i in range(start + 1, len(lines)) if (c := reader.chapter(_clean(_without_leaders(lines[i].text))))), None)
            end = next((i for i in range(start + 1, len(lines)) if (lines[i].page or 0) > lines[start].page and reader.chapter(_clean(lines[i].text)) == listed), None)
        lines = lines[:start] + lines[end if end is not None else first or start + 1 :]
    seen: set[str] = set()
    body = []
    for line in lines:
        text = _clean(line.text)
        if text and set(text) <= set(BULLETS + " "):
            continue
        chapter = reader.chapter(text)
        if chapter:
            if chapter in seen:
                continue  # a running page header repeating the chapter's title
            seen.add(chapter)
        body.append(line)
    return body


def _without_leaders(text: str) -> str:
    return re.sub(r"\s*[.\u2026 ]{3,}.*$|\s+\d{1,3}\s*$", "", text)


def _find(lines: list[Line], test, start: int = 0) -> int | None:
    return next((i for i in range(start, len(lines)) if test(_clean(lines[i].text))), None)


def _paragraphs(lines: list[Line]) -> str:
    """Markdown paragraphs: blank lines where the source has them, otherwise a line that
    ends a sentence well short of the usual width ends its paragraph."""
    blocks: list[list[str]] = [[]]
    texts = [_clean(l.text) for l in lines]
    widths = [len(t) for t in texts if t]
    usual = statistics.quantiles(widths, n=10)[-1] if len(widths) >= 5 else max(widths, default=0)
    has_blanks = any(not t for t in texts)
    for text in texts:
        if not text:
            if blocks[-1]:
                blocks.append([])
            continue
        if _is_item(text):
            blocks[-1].append("\n" + "- " + text.lstrip(BULLETS + " ") + "\n")
            continue
        blocks[-1].append(text)
        if not has_blanks and text[-1] in ".!?:”\"" and len(text) < 0.8 * usual:
            blocks.append([])
    paragraphs = []
    for block in blocks:
        if block:
            joined = " ".join(block).replace(" \n", "\n").replace("\n ", "\n")
            paragraphs.append(re.sub(r"\n{2,}", "\n", joined).strip())
    return "\n\n".join(p for p in paragraphs if p)


def _is_item(text: str) -> bool:
    return text[:1] in BULLETS and len(text) > 2 and text[1] == " "


def _items(lines: list[Line]) -> list[str]:
    """List items: one per line, a line starting in lower case continues the item above."""
    items: list[str] = []
    for line in lines:
        text = _clean(line.text)
        if not text or ROLE_MODEL_LINE.match(text):
            continue
        marked = _is_item(text)
        text = text.lstrip(BULLETS + " ") if marked else text
        if items and not marked and text[:1].islower():
            items[-1] += " " + text
        else:
            items.append(text)
    return items


def _area_scores(lines: list[Line], part: AreaPart, reader: Reader) -> int:
    """The heading table: "Rubriker", its years, then as many scores. Read as a stream of
    words, since extractors put the cells on one line, on separate lines or in between,
    row after row (the years, then the scores) or column after column (each year with
    its score)."""
    words = []
    for i, line in enumerate(lines[:60]):
        text = _clean(line.text)
        if reader.subsection(text):
            break
        words += [(w, i) for w in text.split()]
    names = reader.wording.words("headings")
    start = next((k for k, (w, _i) in enumerate(words) if w.lower() in names), None)
    if start is None:
        return 0
    cells = [(w, i) for w, i in words[start + 1 :] if re.fullmatch(r"\d{1,4}", w)]
    is_year = [bool(re.fullmatch(r"(19|20)\d\d", w)) for w, _i in cells]
    years = next((n for n, year in enumerate(is_year) if not year), len(cells))
    if years and len(cells) >= 2 * years and not any(is_year[years : 2 * years]) and not (len(cells) > 2 * years and is_year[2 * years]):
        # The years, then the scores: the last numbers before the texts (a bullet OCR read
        # as a digit may stand before them).
        scores = [c for c, year in zip(cells[years:], is_year[years:]) if not year][-years:]
        pairs = list(zip(cells[:years], scores))
    else:
        pairs = []
        for k in range(0, len(cells) - 1, 2):  # each year, then its score
            if not (is_year[k] and not is_year[k + 1]):
                break
            pairs.append((cells[k], cells[k + 1]))
    if not pairs:
        return 0
    for (year, _i), (value, index) in pairs:
        part.scores_by_year[int(year)] = Row.at(lines[index], int(value), None, 100)
    return pairs[-1][1][1] + 1


def _read_area(lines: list[Line], part: AreaPart, reader: Reader) -> None:
    start = _area_scores(lines, part, reader)
    sections: dict[str, list[Line]] = {}
    current = None
    for line in lines[start:]:
        text = _clean(line.text)
        name = reader.subsection(text)
        if name:
            current = name
            sections[current] = []
        elif current:
            sections[current].append(line)
    part.general = _paragraphs(sections.get("general", []))
    part.changes = _paragraphs(sections.get("changes", []))
    part.strengths = _items(sections.get("strengths", []))
    part.improvements = _items(sections.get("improvements", []))
    part.good_examples = [p for p in _paragraphs(sections.get("good_examples", [])).split("\n\n") if p]


def _split_areas(lines: list[Line], reader: Reader) -> list[tuple[int, str, list[Line], int]]:
    """Each area's lines, from its heading to the next area's; the same heading again
    (a running header the page edges did not show as one) goes on with the area."""
    marks = []
    for i, line in enumerate(lines):
        heading = reader.area_heading(_clean(line.text))
        if heading and not (marks and marks[-1][1][0] >= heading[0]):  # areas come in order
            marks.append((i, heading))
    marked = {i for i, _h in marks}
    repeated = {
        i for i, line in enumerate(lines)
        if i not in marked and (h := reader.area_heading(_clean(line.text))) and any(h == heading for _m, heading in marks)
    }
    return [
        (number, title, [l for k, l in enumerate(lines[i + 1 : (marks[j + 1][0] if j + 1 < len(marks) else len(lines))], start=i + 1) if k not in repeated], lines[i].number)
        for j, (i, (number, title)) in enumerate(marks)
    ]


# An id's point may come back from OCR as a comma ("4,1"): read as "4.1".
QUESTION_START = re.compile(r"(?m)^(?P<qid>[1-9][.,]\d{1,2})\.?(?=\s|$)")
AREA_ROW_START = re.compile(r"(?m)^(?P<n>[1-9])\.?[ \t]+(?=[^\d\s])")
TRIPLE = re.compile(r"(?<![\d.,])(?P<r>\d{1,3})\s+(?P<max>\d{1,3})\s+(?P<p>\d{1,3})\s*%")


def _stream(lines: list[Line], separator: str = " "):
    """The lines as one text (rows and sentences may be broken over lines), and a
    function from a position in it back to the line it came from."""
    offsets, parts, position = [], [], 0
    for line in lines:
        text = _clean(line.text)
        offsets.append((position, line))
        parts.append(text)
        position += len(text) + 1
    stream = separator.join(parts)

    def line_at(index: int) -> Line | None:
        found = None
        for start, line in offsets:
            if start > index:
                break
            found = line
        return found or (lines[0] if lines else None)

    return stream, line_at


def _read_overview(lines: list[Line], report: ReportText, reader: Reader) -> None:
    """Rows by their numbers: a sub-question's id at the start of a line opens its row,
    and the first "points max percent" after it is its score, wherever the row's text
    went (wrapped onto the next lines, or past a page break with a header between) and
    whether its cells stand on one line or one under the other; numbers with no open
    row are the area's total. A row "1. <title> 74 100 74 %" is an area's own row (an
    overview by area)."""
    text, line_at = _stream(lines, "\n")
    total = None
    for pattern in reader.wording.patterns("total_all") + reader.wording.patterns("total"):
        total = re.search(pattern.pattern + r"\s+(\d{1,3})\s+(\d{3})\s+(\d{1,3})\s*%", text, re.I)
        if total:
            report.total = Row.at(line_at(total.end() - 1), int(total[1]), int(total[3]), int(total[2]))
            break
    columns = _column_tables(lines, report, reader)
    if columns:  # the tables read column by column: those lines are read, the rest as rows
        lines = [line for line in lines if line.number not in columns]
        text, line_at = _stream(lines, "\n")
    events = [(m.start(), "question", m["qid"].replace(",", ".")) for m in QUESTION_START.finditer(text)]
    events += [(m.start(), "area", int(m["n"])) for m in AREA_ROW_START.finditer(text)]
    events += [(m.start(), "numbers", m) for m in TRIPLE.finditer(text) if not (total and total.start() <= m.start() < total.end())]
    open_row: str | None = None
    area_row = area = None
    for position, kind, value in sorted(events, key=lambda e: e[0]):
        if kind == "question":
            open_row, area, area_row = value, int(value.split(".")[0]), None
        elif kind == "area":
            area_row = value
        else:
            row = Row.at(line_at(value.end() - 1), int(value["r"]), int(value["p"]), int(value["max"]))
            if open_row:
                report.overview_questions.setdefault(open_row, row)
                open_row = None
            elif area_row is not None and row.max == 100:
                report.overview_areas.setdefault(area_row, row)
                area, area_row = area_row, None
            elif area is not None and area not in report.overview_areas:
                report.overview_areas[area] = row


LABEL = re.compile(r"[1-9]\.\d{1,2}")
NUMBER_CELL = re.compile(r"(\d{1,3})")
PERCENT_CELL = re.compile(r"(\d{1,3})\s*%")


def _column_tables(lines: list[Line], report: ReportText, reader: Reader) -> set[int]:
    """Tables an extractor read column by column, each cell on a line of its own: the
    ids one under the other, then the texts, then the points, the maxima and the
    percentages, each column ending with the area's row. Read where the counts fit
    exactly and the columns make sense (points within their maxima, the area's maximum
    100); returns the numbers of the lines read."""
    texts = [_clean(line.text) for line in lines]
    printed = [i for i, t in enumerate(texts) if t]
    read: set[int] = set()
    k = 0
    while k < len(printed) - 1:
        i = printed[k]
        if not (LABEL.fullmatch(texts[i]) and LABEL.fullmatch(texts[printed[k + 1]])):
            k += 1
            continue
        labels = []
        while k < len(printed) and LABEL.fullmatch(texts[printed[k]]) and texts[printed[k]][0] == texts[i][0]:
            labels.append(printed[k])
            k += 1
        end = next(
            (
                j for j in printed[k:]
                if LABEL.fullmatch(texts[j]) or re.fullmatch(r"[1-9]\.", texts[j]) or QUESTION_START.match(texts[j])
                or any(p.match(texts[j]) for p in reader.wording.patterns("total_all") + reader.wording.patterns("total"))
            ),
            len(lines),
        )
        block = [j for j in printed[k:] if j < end]
        numbers = [j for j in block if NUMBER_CELL.fullmatch(texts[j])]
        percents = [j for j in block if PERCENT_CELL.fullmatch(texts[j])]
        n = len(labels) + 1  # the questions and the area's own row
        if len(percents) != n or len(numbers) != 2 * n:
            continue
        points, maxima = numbers[:n], numbers[n:]
        values = [(int(texts[a]), int(texts[m]), int(PERCENT_CELL.fullmatch(texts[p])[1])) for a, m, p in zip(points, maxima, percents)]
        if values[-1][1] != 100 or any(a > m for a, m, _p in values):
            continue
        for label, (a, m, p), at in zip([texts[j] for j in labels] + [None], values, points):
            row = Row.at(lines[at], a, p, m)
            if label:
                report.overview_questions.setdefault(label, row)
            else:
                report.overview_areas.setdefault(int(texts[labels[0]][0]), row)
        read |= {lines[j].number for j in labels + block}
    return read


def _similar(text: str, title: str) -> bool:
    return SequenceMatcher(None, _norm(text), _norm(title)).ratio() > 0.85


def _read_appendix(lines: list[Line], report: ReportText, short_titles: dict[int, list[str]], reader: Reader) -> None:
    """Each area's sub-headings are its sub-questions' short titles, in order."""
    for number, _title, area_lines, _line in _split_areas(lines, reader):
        titles = short_titles.get(number, [])
        sections: list[tuple[str, list[Line]]] = []
        skip = False
        for index, line in enumerate(area_lines):
            if skip:
                skip = False
                continue
            text = _clean(line.text)
            expected = titles[len(sections)] if len(sections) < len(titles) else None
            following = _clean(area_lines[index + 1].text) if index + 1 < len(area_lines) else ""
            if expected and text and _similar(text, expected):
                sections.append((text, []))
            elif expected and text and following and text[-1] not in ".!?:" and _similar(f"{text} {following}", expected):
                sections.append((f"{text} {following}", []))  # a heading broken over two lines
                skip = True
            elif sections:
                sections[-1][1].append(line)
        report.appendix[number] = [(heading, _paragraphs(body)) for heading, body in sections]


def _facts(text: str, report: ReportText, reader: Reader) -> None:
    flat = _clean(text)
    wording = reader.wording
    if m := wording.search("subtitle", flat):
        report.municipality, report.year = m["municipality"].strip(), int(m["year"])
    elif m := re.search(r"Analys av\s+(.+?)\s+((?:19|20)\d\d)\b", flat, re.I):
        report.municipality, report.year = m[1].strip(), int(m[2])
    elif m := re.search(rf"Evaluering(?:en)? av (?:forvaltningspraksisen i )?([{UPPER}][\w\-]+(?: [\w\-]+)*? kommune) ((?:19|20)\d\d)\b", flat):
        report.municipality, report.year = m[1], int(m[2])  # KS's title: "Evaluering av Lindesnes kommune 2017"
    names = sorted(wording.versions, key=len, reverse=True)
    if names and (m := re.search("|".join(re.escape(n) for n in names), flat)):
        report.version = wording.versions[m[0]]
    elif m := re.search(r"\bKommunkompassen (2002|2010|2016|2020)\b", flat):
        report.version = m[1]
    if found := wording.month(flat):
        report.month = found[0]
    if m := re.search(r"kommunens (" + "|".join(ORDINALS) + r") utvärdering", flat, re.I):
        report.ordinal = ORDINALS.index(m[1].lower()) + 1
    elif m := wording.search("ordinal", flat):
        report.ordinal = int(m["n"])
    if m := wording.search("about_n", flat):
        report.interviewees, report.interviewees_approximate = int(m["n"]), True
    elif m := re.search(r"Intervjuade (\d+) personer", flat):
        report.interviewees = int(m[1])
    else:
        for label in wording.patterns("interviewed"):
            for persons in wording.patterns("persons"):
                if m := re.search(label.pattern + r"\s+" + persons.pattern, flat, re.I):
                    report.interviewees = int(m["n"])
                    break
    if m := re.search(r"Sveriges Kommuner och (Landsting|Regioner)", flat):
        report.publisher = m[0]


POINTS = r"po(?:ä|e)ng"


def _numbers_in_text(lines: list[Line], report: ReportText, reader: Reader) -> None:
    stream, line_at = _stream(lines)
    if report.year and (m := re.search(rf"resultat {report.year} med (\d{{3}}) {POINTS}", stream)):
        report.total = report.total or Row.at(line_at(m.start()), int(m[1]), None, 800)
    if m := re.search(rf"(\d{{3}}) av 800 {POINTS}", stream):
        report.total = report.total or Row.at(line_at(m.start()), int(m[1]), None, 800)
    earlier = rf"(?:utvärderingen|år) (\d{{4}}) så hade kommunen (\d{{3}}) {POINTS}"
    for m in re.finditer(earlier, stream):
        report.earlier_totals.setdefault(int(m[1]), Row.at(line_at(m.start()), int(m[2]), None, 800))
    for pattern in reader.wording.patterns("compared"):
        for m in pattern.finditer(stream):
            if len(m["before"]) == 3:
                report.earlier_totals.setdefault(int(m["year"]), Row.at(line_at(m.start()), int(m["before"]), None, 800))
    if m := re.search(rf"medelvärde \((\d{{3}}) {POINTS}\) av kommuner som utvärderats sedan (\d{{4}})", stream, re.I):
        report.average = (int(m[1]), int(m[2]), line_at(m.start()).number)
    elif m := re.search(rf"utvärderats sedan (\d{{4}})[^:.]*: (\d{{3}}) {POINTS}", stream):
        report.average = (int(m[2]), int(m[1]), line_at(m.start()).number)


def _evaluators(lines: list[Line], report: ReportText, reader: Reader) -> None:
    contents = reader.wording.words("contents")
    for line in lines:
        text = _clean(line.text)
        if text.lower() in contents or reader.chapter(text) == "about":
            break
        if m := re.fullmatch(rf"([{UPPER}][\w\-]+(?: [{UPPER}][\w\-]+){{1,3}}),\s*([^,]+?),?", text):
            report.evaluators.append((m[1], m[2]))


def parse_report(text: str, short_titles: dict[int, list[str]], wording: Wording = SWEDISH) -> ReportText:
    """Everything the report states. ``short_titles``: per area, its sub-questions'
    short titles in order (from the catalogue), to find the appendix's sub-headings."""
    reader = Reader(wording)
    report = ReportText()
    lines = read_lines(text, reader)
    _facts("\n".join(line.text for line in lines), report, reader)
    _evaluators(lines, report, reader)
    body = _body(lines, reader)
    about = _find(body, lambda t: reader.chapter(t) == "about")
    details = _find(body, lambda t: reader.chapter(t) == "details", about or 0)
    overview = _find(body, lambda t: reader.chapter(t) == "overview", details or 0)
    appendix = _find(body, lambda t: reader.chapter(t) == "appendix", overview or 0)
    summary_part = body[(about or 0) : details if details is not None else len(body)]

    evaluation = _find(summary_part, lambda t: bool(wording.full("evaluation", t)))
    comment = _find(summary_part, lambda t: bool(wording.full("comment", t)))
    if evaluation is not None:
        ends = [wording.patterns(k) for k in ("done", "order", "interviewed", "version", "results")]
        end = next(
            (i for i in range(evaluation + 1, len(summary_part)) if any(re.match(p.pattern + r"\b", _clean(summary_part[i].text)) for group in ends for p in group)),
            len(summary_part),
        )
        report.evaluation_text = _paragraphs(summary_part[evaluation + 1 : end])
    if comment is not None:
        end = _find(summary_part, lambda t: bool(wording.full("chart_data", t)), comment) or len(summary_part)
        report.summary_text = _paragraphs(summary_part[comment + 1 : end])
    _numbers_in_text(body, report, reader)

    if details is not None:
        for number, title, area_lines, line in _split_areas(body[details + 1 : overview or len(body)], reader):
            part = AreaPart(number, title, line)
            _read_area(area_lines, part, reader)
            report.areas.setdefault(number, part)
    if overview is not None:
        report.has_overview = True
        _read_overview(body[overview + 1 : appendix or len(body)], report, reader)
        report.overview_complete = appendix is not None or report.total is not None and report.total.max is not None and report.total.percent is not None
    if appendix is not None:
        report.appendix_year = reader.appendix_year(_clean(body[appendix].text))
        _read_appendix(body[appendix + 1 :], report, short_titles, reader)
    return report
