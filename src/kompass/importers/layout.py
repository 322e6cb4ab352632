"""A printed report's text as clean lines, before its structure is read.

What a PDF extractor or OCR gives is the page as printed: running headers and footers,
page numbers, words broken at line ends, ligatures, odd spaces, sentences that go on
after a page break. This module undoes the printing and keeps, for every line, where it
stood (line of the text, page and line on the page), so that a problem can be named
where a person finds it in the printed report. Plain Python.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

PAGE_BREAK = "\f"
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
# No-break, thin, figure and other fixed-width spaces print as spaces; zero-width ones as nothing.
SPACES = str.maketrans({c: " " for c in "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"} | {c: "" for c in "\u200b\u200c\u200d\u2060\ufeff"})
SOFT_HYPHEN = "\u00ad"
PAGE_NUMBER = re.compile(
    r"(?:(?:sida|side|page|s\.)\s*)?[-–—(]?\s*\d{1,3}\s*[-–—)]?(?:\s*(?:av|of|/|\()\s*\d{1,3}\)?)?", re.I
)
# A word that ends a line with a hyphen before one of these keeps it: "mål- och resultatstyrning".
ELISION_FOLLOWERS = {"och", "eller", "respektive", "resp", "og", "and", "or"}
LOWER = "a-zåäöæøéü"
EDGE = 3  # how many lines at the top and foot of a page may be running headers or footers


@dataclass(frozen=True)
class Line:
    number: int  # in the source text, from 1
    text: str
    page: int | None = None  # from 1, where the source has pages
    page_line: int | None = None  # the line's place among the page's printed (non-blank) lines


def normalise(text: str) -> str:
    """Typography that printing adds and reading must not see: ligatures, fixed-width and
    zero-width spaces, soft hyphens inside a line."""
    text = text.translate(LIGATURES).translate(SPACES).rstrip()
    if SOFT_HYPHEN in text[:-1]:  # one at the end marks a word broken there: kept for joining
        end = SOFT_HYPHEN if text.endswith(SOFT_HYPHEN) else ""
        text = text.replace(SOFT_HYPHEN + " ", "").replace(SOFT_HYPHEN, "") + end
    return text


def _key(text: str) -> str:
    """A line as a running header or footer repeats it: its page number may change."""
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())


def _is_page_number(text: str) -> bool:
    return bool(PAGE_NUMBER.fullmatch(" ".join(text.split())))


def read_lines(
    text: str,
    *,
    title_of: Callable[[str], str | None] = lambda text: None,
    protected: Callable[[str], bool] = lambda text: False,
    is_contents: Callable[[str], bool] = lambda text: False,
) -> list[Line]:
    """The lines of a report's text with what printing added removed.

    ``title_of``: which of the report's chapters a line is the title of (None for any
    other line); a chapter's title often also runs as its pages' header.
    ``protected``: headings that repeat in the report and are never headers ("Styrkor"
    in every area). ``is_contents``: the heading of the contents list, whose entries
    repeat the titles without being them."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n")
    raw = re.sub(r"<ul[^>]*>|</ul>", "", raw)  # HTML lists some extractors leave in tables
    pages: list[list[Line]] = [[]]
    for number, line in enumerate(raw.split("\n"), start=1):
        if PAGE_BREAK in line:
            before, *after = line.split(PAGE_BREAK)
            if before.strip():
                pages[-1].append(Line(number, normalise(before.rstrip())))
            for part in after:
                pages.append([])
                if part.strip() or part is after[-1]:
                    pages[-1].append(Line(number, normalise(part.rstrip())))
            continue
        pages[-1].append(Line(number, normalise(line.rstrip())))
    paged = len([p for p in pages if any(l.text.strip() for l in p)]) > 1
    pages = [join_wrapped_headings(page, lambda text: title_of(text) is not None) for page in pages]
    if paged:
        pages = [_number_page(page, index) for index, page in enumerate(pages, start=1)]
        kept = _without_running_lines(pages, title_of, protected, is_contents)
    else:
        kept = _without_loose_page_marks(pages[0])
    return _join_broken_words(kept)


def join_wrapped_headings(lines: list[Line], is_heading: Callable[[str], bool]) -> list[Line]:
    """A heading too long for the line goes on on the next ("3 Detaljerad genomgång i
    förhållande till Kommunkompassens åtta" / "områden"): written on one line."""
    result: list[Line] = []
    skip = False
    for i, line in enumerate(lines):
        if skip:
            skip = False
            continue
        text = " ".join(line.text.split())
        following = " ".join(lines[i + 1].text.split()) if i + 1 < len(lines) else ""
        if (
            text and following and len(following) < 60 and not re.search(r"[.!?:]$", text)
            and not is_heading(text) and is_heading(f"{text} {following}")
        ):
            result.append(Line(line.number, f"{text} {following}", line.page, line.page_line))
            skip = True
        else:
            result.append(line)
    return result


def _title(text: str, title_of: Callable[[str], str | None]) -> str | None:
    """The chapter a line is the title of, also as a header with its page number beside it
    ("4 Översikt av poängfördelning      - 11 -")."""
    if not text.strip():
        return None
    if found := title_of(" ".join(text.split())):
        return found
    cells = [c for c in re.split(r"\s{2,}|\t", text.strip()) if c]
    if len(cells) > 1 and _is_page_number(cells[-1]):
        cells = cells[:-1]
    elif len(cells) > 1 and _is_page_number(cells[0]):
        cells = cells[1:]
    else:
        return None
    return title_of(" ".join(" ".join(cells).split()))


def _number_page(page: list[Line], index: int) -> list[Line]:
    counted, numbered = 0, []
    for line in page:
        if line.text.strip():
            counted += 1
            numbered.append(Line(line.number, line.text, index, counted))
        else:
            numbered.append(Line(line.number, line.text, index, None))
    return numbered


def _edges(page: list[Line]) -> tuple[list[int], list[int]]:
    printed = [i for i, line in enumerate(page) if line.text.strip()]
    return printed[:EDGE], list(reversed(printed[-EDGE:]))


def _without_running_lines(
    pages: list[list[Line]], title_of: Callable[[str], str | None], protected: Callable[[str], bool], is_contents: Callable[[str], bool]
) -> list[Line]:
    """Page numbers at a page's edges, and lines that stand at the same edge of many
    pages (the same but for a number): headers and footers. A page break then joins a
    sentence or a table row that goes on across it.

    A chapter's title often runs as its pages' header, and Word shows the next title on
    the pages before it. The title itself is where it stands inside a page, or below
    its own header on the same page; failing both, where it first stands at an edge.
    Every other copy at a page's edge is a header, however short the chapter."""
    tops, feet = Counter(), Counter()
    for page in pages:
        top, foot = _edges(page)
        tops.update({_key(page[i].text) for i in top[:2]})
        feet.update({_key(page[i].text) for i in foot[:2]})
    # A report's header or footer is on most pages (not the title page, maybe not a
    # chapter's first): on two in five at least. A list item never is one.
    threshold = max(3, math.ceil(0.4 * len(pages)))
    running = {k for k, n in (tops | feet).items() if n >= threshold and re.search(r"[^\W\d_]", k) and not re.match(r"[-•–▪*\uf0b7] ", k)}

    # A bare number at a page's edge is its page number where it follows the pages'
    # sequence (a table's last cell may stand there too); "Sida 3 av 40" always is.
    offsets = Counter()
    for p, page in enumerate(pages):
        top, foot = _edges(page)
        offsets.update({int(m[0]) - p for i in top + foot if _is_page_number(page[i].text) and (m := re.search(r"\d+", page[i].text))})
    offset = offsets.most_common(1)[0][0] if offsets else None
    bare = re.compile(r"\s*\d{1,3}\s*")
    # ... and where the pages print their numbers bare: at the top or at the foot.
    styles = Counter()
    for p, page in enumerate(pages):
        for name, edge in zip(("top", "foot"), _edges(page)):
            if any(bare.fullmatch(page[i].text) and int(page[i].text) - p == offset for i in edge):
                styles[name] += 1
    bare_edges = {name for name, n in styles.items() if n >= max(2, 0.4 * len(pages))}

    def page_number(text: str, p: int, edge: str) -> bool:
        if not _is_page_number(text):
            return False
        if not bare.fullmatch(text):
            return True
        return edge in bare_edges and int(text) - p == offset

    contents = _contents_block(pages, title_of, is_contents)
    titles: dict[str, tuple[int, int]] = {}  # chapter -> (page, line) of its title itself
    first: dict[str, tuple[int, int]] = {}
    for p, page in enumerate(pages):
        top, foot = _edges(page)
        edge = set(top) | set(foot)
        here: set[str] = set()
        for i, line in enumerate(page):
            chapter = _title(line.text, title_of) if (p, i) not in contents else None
            if chapter is None:
                continue
            first.setdefault(chapter, (p, i))
            if i not in edge or chapter in here:
                titles.setdefault(chapter, (p, i))
            here.add(chapter)
    titles = first | titles

    lines: list[Line] = []
    for p, page in enumerate(pages):
        dropped: set[int] = set()
        for name, edge in zip(("top", "foot"), _edges(page)):
            used: set[str] = set()
            for i in edge:
                text = page[i].text
                key = _key(text)
                chapter = _title(text, title_of) if (p, i) not in contents else None
                if "page number" not in used and page_number(text, p, name):
                    used.add("page number")  # one per edge: a table's cell above may have the same value
                    dropped.add(i)
                elif chapter is not None and titles.get(chapter) != (p, i) and chapter not in used:
                    used.add(chapter)
                    dropped.add(i)
                elif chapter is None and key in running and key not in used and not protected(" ".join(text.split())):
                    used.add(key)
                    dropped.add(i)
                else:
                    break
        _join_across_break(lines, [line for i, line in enumerate(page) if i not in dropped])
    return lines


def _contents_block(pages: list[list[Line]], title_of: Callable[[str], str | None], is_contents: Callable[[str], bool]) -> set[tuple[int, int]]:
    """Where the contents list stands: from its heading to the line before the first
    title it lists appears again as itself."""
    flat = [(p, i, line) for p, page in enumerate(pages) for i, line in enumerate(page)]
    start = next((k for k, (_p, _i, line) in enumerate(flat) if line.text.strip() and is_contents(" ".join(line.text.split()))), None)
    if start is None:
        return set()
    block: set[tuple[int, int]] = set()
    listed: str | None = None
    for p, i, line in flat[start:]:
        chapter = _title(line.text, title_of) or _title(re.sub(r"[.\u2026 ]{3,}\s*\d+\s*$", "", line.text), title_of)
        if chapter and p > flat[start][0]:
            break  # a title on a later page than the contents' heading: the contents are over
        if listed is None and chapter:
            listed = chapter
        elif chapter == listed and chapter is not None and not re.search(r"[.\u2026]{3,}|\s\d{1,3}\s*$", line.text):
            break
        block.add((p, i))
    return block


def _join_across_break(lines: list[Line], body: list[Line]) -> None:
    """Blank lines at a page break are the page's margin, not a paragraph's end, where
    the text goes on: the line before ends without a full stop or the next begins in
    lower case."""
    before = next((l for l in reversed(lines) if l.text.strip()), None)
    after = next((l for l in body if l.text.strip()), None)
    if before and after and (not re.search(r"[.!?:”\"]$", before.text.strip()) or re.match(rf"[{LOWER}]", after.text.strip())):
        while lines and not lines[-1].text.strip():
            lines.pop()
        while body and not body[0].text.strip():
            body = body[1:]
    elif lines and lines[-1].text.strip():
        first = body[0] if body else lines[-1]
        lines.append(Line(first.number, "", first.page))  # a page ends a paragraph
    lines.extend(body)


def _without_loose_page_marks(lines: list[Line]) -> list[Line]:
    """Without page breaks in the text: a page number stands alone among words ("Sida 3
    av 40", or a bare number with no number on the lines next to it: a table's cells one
    under the other are numbers beside numbers)."""
    printed = [i for i, line in enumerate(lines) if line.text.strip()]
    cell = re.compile(r"\s*\d{1,3}(?:[.,]\d+)?\s*%?\s*|\s*[1-9]\.\d{1,2}\b.*")
    dropped = set()
    for k, i in enumerate(printed):
        text = lines[i].text
        if not _is_page_number(text) or re.fullmatch(r"\s*\d\.\s*", text):
            continue
        neighbours = [lines[printed[j]].text for j in (k - 1, k + 1) if 0 <= j < len(printed)]
        if re.fullmatch(r"\s*\d{1,3}\s*", text) and any(cell.fullmatch(n) for n in neighbours):
            continue
        dropped.add(i)
    return [line for i, line in enumerate(lines) if i not in dropped]


def _join_broken_words(lines: list[Line]) -> list[Line]:
    """A word broken at a line's end (soft hyphen, or a hyphen between lower-case letters)
    is written whole on the first line; the next line loses it. "IT-" keeps its hyphen,
    "mål- och" stays apart."""
    result = list(lines)
    emptied: set[int] = set()
    for i, line in enumerate(result):
        text = line.text.rstrip()
        soft = text.endswith(SOFT_HYPHEN)
        hard = re.search(rf"[{LOWER}A-ZÅÄÖÆØ0-9]-$", text) and not re.search(r"\s-$", text)
        if not (soft or hard):
            continue
        j = next((k for k in range(i + 1, min(i + 4, len(result))) if result[k].text.strip()), None)
        if j is None:
            continue
        following = result[j].text.lstrip()
        match = re.match(rf"[{LOWER}][\w\-]*[,.;:!?)”\"]*", following)
        if not match or match[0].rstrip(",.;:!?)”\"").lower() in ELISION_FOLLOWERS:
            if soft:
                result[i] = Line(line.number, text[:-1], line.page, line.page_line)
            continue
        word = match[0]
        if soft or re.search(rf"[{LOWER}]{{2}}-$", text):  # "e-" + "tjänster" keeps its hyphen
            joined = text[:-1] + word
        else:
            joined = text + word  # "IT-" + "strategi"
        result[i] = Line(line.number, joined, line.page, line.page_line)
        rest = following[len(word):].lstrip()
        result[j] = Line(result[j].number, rest, result[j].page, result[j].page_line)
        if not rest:
            emptied.add(j)  # not a blank line: it must not end a paragraph
    return [line for i, line in enumerate(result) if i not in emptied]
