"""Reading a Kommunkompassen report from its text: what the report says, with the line
each number stands on. Plain Python, and tolerant of how the text was extracted: tabs
or runs of spaces, lines broken inside a sentence or a table row, page headers and page
numbers in the middle of a section, a contents list with or without page numbers.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from difflib import SequenceMatcher

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"]
ORDINALS = ["första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde"]
BULLETS = "-•–\uf0b7\u25aa*"
ROLE_MODEL_LINE = re.compile(r"^Förebilder\b")


@dataclass(frozen=True)
class Line:
    number: int  # in the source, from 1
    text: str


@dataclass
class Row:
    """A printed score: a sub-question or area row of the overview, or a heading table."""

    rounded: int
    percent: int | None
    max: int | None
    line: int


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
    return re.sub(r"[^\wåäöÅÄÖ]+", "", text.lower())


def read_lines(text: str) -> list[Line]:
    """Lines with their numbers; HTML lists some extractors leave in tables become text."""
    text = re.sub(r"<ul[^>]*>|</ul>", "", text)
    return [Line(n, line.rstrip()) for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1)]


CHAPTERS = {
    "about": re.compile(r"(1\.?\s+)?Vad är Kommunkompassen\?", re.I),
    "details": re.compile(r"(3\.?\s+)?Detaljerad genomgång\b.*", re.I),
    "overview": re.compile(r"(4\.?\s+)?Översikt av poängfördelning", re.I),
    "appendix": re.compile(r"(5\.?\s+)?(\d{4}) års Kom\w*\s*utvärdering", re.I),
}


def _body(lines: list[Line]) -> list[Line]:
    """The lines after the contents, without page numbers and repeated page headers."""
    start = next((i for i, line in enumerate(lines) if _clean(line.text).lower() == "innehåll"), None)
    if start is not None:
        first = next((i for i in range(start + 1, len(lines)) if lines[i].text.strip()), None)
        if first is not None:
            key = _norm(lines[first].text)
            end = next((i for i in range(first + 1, len(lines)) if _norm(lines[i].text) == key), first)
            lines = lines[:start] + lines[end:]
    seen: set[str] = set()
    body = []
    for line in lines:
        text = _clean(line.text)
        if re.fullmatch(r"\d{1,3}", text) or (text and set(text) <= set(BULLETS + " ")):
            continue
        chapter = next((name for name, p in CHAPTERS.items() if p.fullmatch(text)), None)
        if chapter is None and re.match(r"^\d\s+.+ i förhållande till( Kommunkompassen(: En sammanfattande genomgång)?)?$", text):
            chapter = "summary"
        if chapter:
            if chapter in seen:
                continue  # a running page header repeating the chapter's title
            seen.add(chapter)
        body.append(line)
    return body


def _find(lines: list[Line], pattern: re.Pattern, start: int = 0) -> int | None:
    return next((i for i in range(start, len(lines)) if pattern.fullmatch(_clean(lines[i].text))), None)


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


SUBSECTIONS = {
    "general": re.compile(r"Allmänt"),
    "changes": re.compile(r"Vad har hänt (efter|sedan) .*\?"),
    "strengths": re.compile(r"Styrkor"),
    "improvements": re.compile(r"Förbättringsområden"),
    "good_examples": re.compile(r"Goda exempel"),
}
AREA_HEADING = re.compile(r"Område (\d)\s+(.+)")


def _area_scores(lines: list[Line], part: AreaPart) -> int:
    """The heading table: "Rubriker", its years, then as many scores. Read as a stream of
    words, since extractors put the cells on one line, on separate lines or in between."""
    words = [(w, i) for i, line in enumerate(lines[:40]) for w in _clean(line.text).split()]
    start = next((k for k, (w, _i) in enumerate(words) if w == "Rubriker"), None)
    if start is None:
        return 0
    years = []
    k = start + 1
    while k < len(words) and re.fullmatch(r"(19|20)\d\d", words[k][0]):
        years.append(int(words[k][0]))
        k += 1
    scores = [(w, i) for w, i in words[k:] if re.fullmatch(r"\d{1,3}", w)][: len(years)]
    if not years or len(scores) < len(years):
        return 0
    for year, (value, index) in zip(years, scores):
        part.scores_by_year[year] = Row(int(value), None, 100, lines[index].number)
    return scores[-1][1] + 1


def _read_area(lines: list[Line], part: AreaPart) -> None:
    start = _area_scores(lines, part)
    sections: dict[str, list[Line]] = {}
    current = None
    for line in lines[start:]:
        text = _clean(line.text)
        name = next((k for k, p in SUBSECTIONS.items() if p.fullmatch(text)), None)
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


def _split_areas(lines: list[Line]) -> list[tuple[int, str, list[Line], int]]:
    marks = [(i, AREA_HEADING.fullmatch(_clean(l.text))) for i, l in enumerate(lines)]
    marks = [(i, m) for i, m in marks if m]
    return [
        (int(m[1]), m[2], lines[i + 1 : (marks[k + 1][0] if k + 1 < len(marks) else len(lines))], lines[i].number)
        for k, (i, m) in enumerate(marks)
    ]


ROW = re.compile(
    r"(?P<qid>\b\d\.\d{1,2})\s+(?P<text>\S.*?)\s+(?P<r>\d{1,3})\s+(?P<max>\d{1,3})\s+(?P<p>\d{1,3})\s*%"
    r"|(?<![\d.,])(?P<ar>\d{1,3})\s+(?P<amax>100)\s+(?P<ap>\d{1,3})\s*%"
)


def _stream(lines: list[Line]):
    """The lines as one text (rows and sentences may be broken over lines), and a
    function from a position in it back to the line it came from."""
    offsets, parts, position = [], [], 0
    for line in lines:
        text = _clean(line.text)
        offsets.append((position, line.number))
        parts.append(text)
        position += len(text) + 1
    stream = " ".join(parts)

    def line_at(index: int) -> int:
        return max((n for start, n in offsets if start <= index), default=lines[0].number if lines else 0)

    return stream, line_at


def _read_overview(lines: list[Line], report: ReportText) -> None:
    stream, line_at = _stream(lines)
    area = None
    for match in ROW.finditer(stream):
        if match["qid"]:
            area = int(match["qid"].split(".")[0])
            report.overview_questions[match["qid"]] = Row(int(match["r"]), int(match["p"]), int(match["max"]), line_at(match.start()))
        elif area is not None and area not in report.overview_areas:
            report.overview_areas[area] = Row(int(match["ar"]), int(match["ap"]), 100, line_at(match.start()))
    total = re.search(r"Totalt(?:, alla områden)?\s+(\d{1,3})\s+(\d{3})\s+(\d{1,3})\s*%", stream)
    if total:
        report.total = Row(int(total[1]), int(total[3]), int(total[2]), line_at(total.start()))


def _similar(text: str, title: str) -> bool:
    return SequenceMatcher(None, _norm(text), _norm(title)).ratio() > 0.85


def _read_appendix(lines: list[Line], report: ReportText, short_titles: dict[int, list[str]]) -> None:
    """Each area's sub-headings are its sub-questions' short titles, in order."""
    for number, _title, area_lines, _line in _split_areas(lines):
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


def _facts(text: str, report: ReportText) -> None:
    flat = _clean(text)
    if m := re.search(r"Analys av\s+(.+?)\s+((?:19|20)\d\d)\b", flat, re.I):
        report.municipality, report.year = m[1].strip(), int(m[2])
    if m := re.search(r"\bKommunkompassen (2002|2010|2016|2020)\b", flat):
        report.version = m[1]
    if m := re.search(r"(" + "|".join(MONTHS) + r") (\d{4})", flat, re.I):
        report.month = MONTHS.index(m[1].lower()) + 1
    if m := re.search(r"kommunens (" + "|".join(ORDINALS) + r") utvärdering", flat, re.I):
        report.ordinal = ORDINALS.index(m[1].lower()) + 1
    elif m := re.search(r"kommunens utvärdering nr (\d+)", flat, re.I):
        report.ordinal = int(m[1])
    if m := re.search(r"ett (\d+)-tal personer", flat):
        report.interviewees, report.interviewees_approximate = int(m[1]), True
    elif m := re.search(r"Intervjuade (\d+) personer", flat):
        report.interviewees = int(m[1])
    if m := re.search(r"Sveriges Kommuner och (Landsting|Regioner)", flat):
        report.publisher = m[0]


def _numbers_in_text(lines: list[Line], report: ReportText) -> None:
    stream, line_at = _stream(lines)
    if report.year and (m := re.search(rf"resultat {report.year} med (\d{{3}}) poäng", stream)):
        report.total = report.total or Row(int(m[1]), None, 800, line_at(m.start()))
    if m := re.search(r"(\d{3}) av 800 poäng", stream):
        report.total = report.total or Row(int(m[1]), None, 800, line_at(m.start()))
    earlier = r"(?:utvärderingen|år) (\d{4}) så hade kommunen (\d{3}) poäng|Jämfört med (\d{4}) \((\d{3}) poäng\)"
    for m in re.finditer(earlier, stream):
        year, value = int(m[1] or m[3]), int(m[2] or m[4])
        report.earlier_totals.setdefault(year, Row(value, None, 800, line_at(m.start())))
    if m := re.search(r"medelvärde \((\d{3}) poäng\) av kommuner som utvärderats sedan (\d{4})", stream, re.I):
        report.average = (int(m[1]), int(m[2]), line_at(m.start()))
    elif m := re.search(r"utvärderats sedan (\d{4})[^:.]*: (\d{3}) poäng", stream):
        report.average = (int(m[2]), int(m[1]), line_at(m.start()))


def _evaluators(lines: list[Line], report: ReportText) -> None:
    for line in lines:
        text = _clean(line.text)
        if text.lower() == "innehåll" or CHAPTERS["about"].fullmatch(text):
            break
        if m := re.fullmatch(r"([A-ZÅÄÖ][\w\-]+(?: [A-ZÅÄÖ][\w\-]+){1,3}),\s*([^,]+?),?", text):
            report.evaluators.append((m[1], m[2]))


def parse_report(text: str, short_titles: dict[int, list[str]]) -> ReportText:
    """Everything the report states. ``short_titles``: per area, its sub-questions'
    short titles in order (from the catalogue), to find the appendix's sub-headings."""
    report = ReportText()
    lines = read_lines(text)
    _facts(text, report)
    _evaluators(lines, report)
    body = _body(lines)
    about = _find(body, CHAPTERS["about"])
    details = _find(body, CHAPTERS["details"], about or 0)
    overview = _find(body, CHAPTERS["overview"], details or 0)
    appendix = _find(body, CHAPTERS["appendix"], overview or 0)
    summary_part = body[(about or 0) : details if details is not None else len(body)]

    evaluation = _find(summary_part, re.compile("Utvärderingen"))
    comment = _find(summary_part, re.compile("Sammanfattande kommentar"))
    if evaluation is not None:
        end = next(
            (i for i in range(evaluation + 1, len(summary_part)) if re.match(r"(Genomförd|Ordning|Intervjuade|Version|Sammanfattning av resultat)\b", _clean(summary_part[i].text))),
            len(summary_part),
        )
        report.evaluation_text = _paragraphs(summary_part[evaluation + 1 : end])
    if comment is not None:
        end = _find(summary_part, re.compile("Diagrammens data"), comment) or len(summary_part)
        report.summary_text = _paragraphs(summary_part[comment + 1 : end])
    _numbers_in_text(body, report)

    if details is not None:
        for number, title, area_lines, line in _split_areas(body[details + 1 : overview or len(body)]):
            part = AreaPart(number, title, line)
            _read_area(area_lines, part)
            report.areas.setdefault(number, part)
    if overview is not None:
        report.has_overview = True
        _read_overview(body[overview + 1 : appendix or len(body)], report)
        report.overview_complete = appendix is not None or any(
            re.match(r"Totalt", _clean(l.text)) for l in body[overview:]
        )
    if appendix is not None:
        report.appendix_year = int(CHAPTERS["appendix"].fullmatch(_clean(body[appendix].text))[2])
        _read_appendix(body[appendix + 1 :], report, short_titles)
    return report
