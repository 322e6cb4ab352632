"""A "printer" for the import tests: the platform's text report as a PDF text extractor
(pdftotext -layout, pypdf) returns it from a report that another tool (Word,
LibreOffice, InDesign) laid out and printed.

Plain Python, driven by a ``random.Random`` so that Hypothesis can give the seed::

    text = print_report(render_report(evaluation, "txt").content.decode(), random.Random(seed))

What the printed text has, each feature switchable (``print_report(..., ligatures=False)``)
so that a failing example can be narrowed:

- paragraphs and list items wrapped to the page's width (70–95 characters);
- table rows (cells separated by tabs in the source) as one line with runs of spaces
  between the cells, numbers right-aligned; a long text wrapped inside its cell onto
  the following lines, with the row's numbers on its first or on its last line;
- pages of 35–60 lines separated by "\\f" (as pdftotext writes them), each with a
  running header and a page number ("12", "Sida 12", "Sida 12 av 40", "- 12 -"),
  the page breaks wherever they fall: inside tables, paragraphs, after a heading;
- hyphenation of long lower-case words at line ends ("utveck-" / "lingen"), with a
  hard hyphen or a soft hyphen (U+00AD); a word that has a hyphen is never split;
- ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ) in some or all words;
- non-breaking spaces in "85 %" and wherever the source has "number %", thin spaces
  around dashes and before "%";
- the contents list with dotted leaders and the page each chapter starts on.

The text's own characters are not otherwise changed: what the evaluators wrote comes
back word for word once the reader has undone the printing.
"""

from __future__ import annotations

import dataclasses
import re
import random
from dataclasses import dataclass

SOFT_HYPHEN = "\u00ad"
NBSP = "\u00a0"
THIN = "\u2009"
VOWELS = set("aeiouyåäöéæø")
LIGATURES = [("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02")]
CONTENTS_HEADINGS = {"innehåll", "innhold", "innehållsförteckning", "innholdsfortegnelse"}
HEADER_STYLES = ("title", "chapter", "municipality")
NUMBER_STYLES = ("{n}", "Sida {n}", "Sida {n} av {total}", "- {n} -", "{n} ({total})")
CONJUNCTIONS = {"och", "eller", "samt", "respektive", "resp", "og", "and", "or"}  # "brukar- och medborgar..."
NUMBER_CELL = re.compile(r"^[+\-−–]?\d+(?:[.,]\d+)?\s?%?$|^[–-]$")


@dataclass(frozen=True)
class Options:
    """What the printer does. ``None``: drawn from the random generator."""

    width: int | None = None  # characters per line: 70–95
    page_lines: int | None = None  # body lines per page: 35–60
    paginate: bool = True  # pages separated by "\f"
    header: bool = True  # a running header on every page
    footer: bool = True  # a page number on every page
    chapter_breaks: bool = True  # the cover, the contents and each chapter may start a new page
    wrap_rows: bool = True  # a table cell's long text wrapped inside its cell
    hyphenate: bool = True  # long lower-case words broken at line ends
    soft_hyphens: bool = True  # ... some with U+00AD; a few U+00AD left inside words
    ligatures: bool = True
    nbsp: bool = True  # U+00A0 in "85 %" and "100 %"
    thin_spaces: bool = True  # U+2009 before "%" and around dashes
    leaders: bool = True  # dotted leaders and page numbers in the contents
    bullets: bool = True  # list items with "•", "–", "▪" or Word's Symbol bullet U+F0B7, indented
    # Off unless asked for (the property test draws it like the others):
    repeat_table_header: bool = False  # an overview table's header row again at the top of the next page
    column_order: bool = False  # a table's cells one per line, column after column, as some extractors read tables
    # Fixed choices for targeted tests (None: drawn):
    header_style: str | None = None  # "title", "chapter", "municipality"
    number_style: str | None = None  # one of NUMBER_STYLES
    number_in_header: bool | None = None  # the page number at the header's right instead of the footer
    numbers_on: str | None = None  # "first", "last" or "mixed": the line of a wrapped row that has its numbers
    hyphen: str | None = None  # "hard", "soft" or "mixed"
    new_pages: bool | None = None  # with chapter_breaks: whether they do (None: drawn, 60 %)
    percent_space: str | None = None  # between a table's number and its "%": "", " ", NBSP or THIN
    break_after: tuple[str, ...] = ()  # a page break right after the first line that starts with each
    split_rows: tuple[str, ...] = ()  # these rows: label and numbers on one line, all their text on the next


FEATURES = [f.name for f in dataclasses.fields(Options) if f.type == "bool"]


@dataclass
class _Line:
    text: str
    chapter: str | None = None  # a top-level chapter heading starts here
    table_header: str | None = None  # the header row of the table this line is in
    contents: tuple | None = None  # (indent, number, title, page_from_source) of a contents entry


class _Printer:
    def __init__(self, text: str, rng: random.Random, options: Options):
        self.rng = rng
        self.o = options
        self.source = text.replace("\r\n", "\n")
        r = rng
        self.width = options.width or r.randint(70, 95)
        self.page_lines = options.page_lines or r.randint(35, 60)
        self.gap = r.randint(2, 5)
        self.numbers_on = options.numbers_on or r.choice(["first", "last", "mixed"])
        self.hyphen = options.hyphen or (r.choice(["hard", "soft", "mixed"]) if options.soft_hyphens else "hard")
        self.hyphen_rate = r.choice([0.5, 0.9, 1.0])
        self.ligature_rate = r.choice([0.5, 1.0])
        # "85%" as the source has it, or with a space: a plain one unless nbsp/thin_spaces.
        special = [NBSP, NBSP] * options.nbsp + [THIN] * options.thin_spaces
        self.percent_space = r.choice([" ", *special] if special else ["", " "])
        if options.percent_space is not None:
            self.percent_space = options.percent_space
        self.dash_thin = options.thin_spaces and r.random() < 0.7
        self.header_style = options.header_style or r.choice(HEADER_STYLES)
        self.number_style = options.number_style or r.choice(NUMBER_STYLES)
        self.number_in_header = r.random() < 0.3 if options.number_in_header is None else options.number_in_header
        self.number_align = r.choice(["left", "center", "right"])
        self.plain_cover = r.random() < 0.7  # no header or number on the cover
        self.chapter_breaks = options.chapter_breaks and (r.random() < 0.6 if options.new_pages is None else options.new_pages)
        self.leader = r.choice([".", ". ", "…"]) if options.leaders else " "
        self.bullet = r.choice(["•", "–", "\uf0b7", "▪"]) if options.bullets else "-"
        self.list_indent = r.choice([0, 2, 4]) if options.bullets else 0
        self.language_no = bool(re.search(r"Kommunekompass|Innhold\b", self.source))

    # --- words and lines -------------------------------------------------------------------

    def _hyphenatable(self, token: str) -> tuple[str, str] | None:
        core = token.rstrip(".,;:!?)”’\"")
        if len(core) >= 7 and core.isalpha() and core.islower():
            return core, token[len(core) :]
        return None

    def _split_points(self, core: str) -> list[int]:
        """Before a consonant that a vowel follows, leaving at least 2 and 3 letters."""
        return [i for i in range(2, len(core) - 2) if core[i] not in VOWELS and core[i + 1] in VOWELS]

    def _hyphen_char(self) -> str:
        if self.hyphen == "soft":
            return SOFT_HYPHEN
        if self.hyphen == "mixed":
            return self.rng.choice(["-", SOFT_HYPHEN])
        return "-"

    def _tokens(self, text: str) -> list[str]:
        """Words; "85 %" stays one word (its space is a non-breaking one when asked). A word
        ending in a hyphen keeps the next one on its line unless that is "och"/"eller"...:
        "brukar-" / "och" at a line end is a compound's shared part, but "turist-" /
        "utveckling" (a slip in the seed's text) would be undecidable from hyphenation."""
        tokens: list[str] = []
        for token in text.split(" "):
            if tokens and token.startswith("%") and re.search(r"\d$", tokens[-1]):
                tokens[-1] += (NBSP if self.o.nbsp else " ") + token
            elif tokens and token and re.search(r"\w-$", tokens[-1]) and token.strip(",.") not in CONJUNCTIONS:
                tokens[-1] += " " + token
            elif token:
                tokens.append(token)
        return tokens

    def wrap(self, text: str, width: int, first: str = "", rest: str = "", hyphenate: bool = True) -> list[str]:
        tokens = self._tokens(text)
        lines: list[str] = []
        line = first
        empty = True
        i = 0
        while i < len(tokens):
            token = tokens[i]
            room = width - len(line) - (0 if empty else 1)
            if len(token) <= room:
                line += token if empty else " " + token
                empty = False
                i += 1
                continue
            if hyphenate and self.o.hyphenate and (parts := self._hyphenatable(token)) and self.rng.random() < self.hyphen_rate:
                core, tail = parts
                points = [p for p in self._split_points(core) if p + 1 <= room]
                if points:
                    cut = max(points)
                    line += ("" if empty else " ") + core[:cut] + self._hyphen_char()
                    lines.append(line)
                    line, empty = rest, True
                    tokens[i] = core[cut:] + tail
                    continue
            if empty:  # longer than the line: it stands alone
                lines.append(line + token)
                line, empty = rest, True
                i += 1
                continue
            lines.append(line)
            line, empty = rest, True
        if not empty or not lines:
            lines.append(line)
        return [l.rstrip(" ") for l in lines]

    # --- the source's lines into the body's lines --------------------------------------------

    def body(self) -> list[_Line]:
        source = self.source.split("\n")
        out: list[_Line] = []
        i = 0
        contents_done = False
        while i < len(source):
            line = source[i]
            if not line.strip():
                out.append(_Line(""))
                i += 1
                continue
            if not contents_done and line.strip().lower() in CONTENTS_HEADINGS:
                contents_done = True
                out.append(_Line(line.strip()))
                i += 1
                while i < len(source) and not source[i].strip():
                    out.append(_Line(""))
                    i += 1
                while i < len(source) and "\t" in source[i]:
                    out.extend(self._contents_entry(source[i]))
                    i += 1
                continue
            if "\t" in line:
                block = []  # the table: up to the next blank line
                while i < len(source) and source[i].strip():
                    block.append(source[i])
                    i += 1
                out.extend(self._table(block))
                continue
            out.extend(self._text_line(line))
            i += 1
        self._mark_chapters(out)
        return out

    def _text_line(self, line: str) -> list[_Line]:
        stripped = line.lstrip(" ")
        indent = " " * (len(line) - len(stripped))
        if stripped.startswith("- "):
            lead = " " * self.list_indent + indent + self.bullet + " "
            wrapped = self.wrap(stripped[2:], self.width, lead, " " * len(lead))
        elif re.match(r"^(\d+\.?\s|Område \d)", stripped) and len(stripped) < 120:  # a heading: not hyphenated
            wrapped = self.wrap(stripped, self.width, indent, indent, hyphenate=False)
        else:
            wrapped = self.wrap(stripped, self.width, indent, indent)
        return [_Line(self._typography(w)) for w in wrapped]

    def _typography(self, line: str) -> str:
        if self.dash_thin:
            line = re.sub(r"(?<=\S) ([–—]) (?=\S)", THIN + r"\1" + THIN, line)
        if self.o.soft_hyphens:  # invisible hyphenation points some extractors keep
            def soft(match: re.Match) -> str:
                word = match[0]
                points = self._split_points(word)
                if points and self.rng.random() < 0.02:
                    cut = self.rng.choice(points)
                    return word[:cut] + SOFT_HYPHEN + word[cut:]
                return word

            line = re.sub(r"(?<![\w\u00ad-])[a-zåäöæø]{9,}(?![\w\u00ad-])", soft, line)
        return line

    def _contents_entry(self, line: str) -> list[_Line]:
        cells = line.split("\t")
        page = None
        if len(cells) > 2 and cells[-1].strip().isdigit():
            page = int(cells[-1])
            cells = cells[:-1]
        number = cells[0].strip()
        title = re.sub(r"\s*\.{2,}\s*$", "", " ".join(c.strip() for c in cells[1:] if c.strip()))
        indent = 4 if not number else 0
        return [_Line("", contents=(indent, number, title, page))]

    def _render_contents(self, entry: tuple, page: int | None) -> list[str]:
        indent, number, title, _source_page = entry
        head = " " * indent + (f"{number} " if number else "")
        room = self.width - 5
        lines = self.wrap(title, room, head, " " * len(head), hyphenate=False)
        last = lines[-1]
        number_text = "" if page is None else str(page)
        fill = self.width - len(last) - len(number_text) - 2
        if self.leader == " ":
            leaders = " " * (fill + 2)
        else:
            unit = self.leader
            leaders = " " + (unit * (fill // len(unit) + 1))[:fill].rstrip() + " "
            leaders = leaders.ljust(fill + 2)
        lines[-1] = last + leaders + number_text
        return lines

    def _table(self, block: list[str]) -> list[_Line]:
        rows = [line.split("\t") if "\t" in line else None for line in block]
        ncols = max(len(r) for r in rows if r is not None)
        columns = [[r[j].strip() for r in rows if r is not None and j < len(r)] for j in range(ncols)]
        # A column of numbers (its header too) is right-aligned, as in a laid-out table.
        numeric = [2 * sum(bool(NUMBER_CELL.match(c)) for c in col) >= max(1, sum(bool(c) for c in col)) for col in columns]
        widths = [max((len(self._cell(c, num)) for c in col), default=0) for col, num in zip(columns, numeric)]
        wide = [j for j in range(ncols) if widths[j] > 12]
        if wide:
            narrow = sum(w for j, w in enumerate(widths) if j not in wide)
            room = self.width - narrow - self.gap * (ncols - 1)
            share = max(20, room // len(wide))
            for j in wide:
                widths[j] = share if self.o.wrap_rows or widths[j] <= share else widths[j]
        header = None
        out: list[_Line] = []
        if self.o.column_order:  # the text lines where they stand, then each column's cells
            out.extend(line for text, cells in zip(block, rows) if cells is None for line in self._text_line(text))
            for column in columns:
                out.extend(_Line(self._typography(cell)) for cell in column if cell)
            return out
        for line, cells in zip(block, rows):
            if cells is None:
                out.extend(self._text_line(line))
                continue
            cells = [c.strip() for c in cells] + [""] * (ncols - len(cells))
            label = cells[0].rstrip(".")
            printed = self._row(cells, widths, numeric, wide, label in self.o.split_rows)
            for text in printed:
                out.append(_Line(self._typography(text), table_header=header))
            if re.fullmatch(r"\d+\.", cells[0]) and not any(re.search(r"\d", c) for c in cells[1:]):
                header = printed[0]  # the table's header row, to repeat on a new page
        return out

    def _cell(self, text: str, numeric: bool) -> str:
        if numeric and NUMBER_CELL.match(text) and text.endswith("%") and not text.endswith(" %"):
            return text[:-1] + self.percent_space + "%"
        return text

    def _row(self, cells: list[str], widths: list[int], numeric: list[bool], wide: list[int], split: bool) -> list[str]:
        columns: list[list[str]] = []
        for j, cell in enumerate(cells):
            cell = self._cell(cell, numeric[j])
            if j in wide and cell:
                columns.append(self.wrap(cell, widths[j]) if self.o.wrap_rows else [cell])
            else:
                columns.append([cell])
        height = max(len(c) for c in columns)
        where = self.numbers_on if self.numbers_on != "mixed" else self.rng.choice(["first", "last"])
        if split:  # the label and the numbers alone on the row's first line, the text below
            where, height = "first", height + 1
        grid = [[""] * len(cells) for _ in range(height)]
        for j, lines in enumerate(columns):
            if j in wide:
                start = 1 if split else 0
                for k, text in enumerate(lines):
                    grid[start + k][j] = text
            elif j == 0:
                grid[0][j] = lines[0]
            else:
                grid[0 if where == "first" else height - 1][j] = lines[0]
        printed = []
        for row in grid:
            text = ""
            for j, cell in enumerate(row):
                if not cell:
                    text += " " * (widths[j] + self.gap)
                    continue
                text += (cell.rjust(widths[j]) if numeric[j] and j else cell.ljust(widths[j])) + " " * self.gap
            printed.append(text.rstrip())
        return printed

    def _mark_chapters(self, lines: list[_Line]) -> None:
        """Top-level chapters: the numbered entries of the contents, found in the text."""
        titles = {}
        for line in lines:
            if line.contents and line.contents[1]:
                titles[_norm(line.contents[2])] = line.contents[2]
        after = next((i for i, line in enumerate(lines) if line.contents), 0)
        for i in range(after, len(lines)):
            if lines[i].contents or not (number := re.match(r"\s*(\d+\.?)\s", lines[i].text)):
                continue
            title = _find(list(titles), _norm(re.sub(r"^\s*\d+\.?\s+", "", lines[i].text)))
            if title:
                lines[i].chapter = f"{number[1]} {titles.pop(title)}"  # the whole title, as a header prints it

    # --- pages ---------------------------------------------------------------------------------

    def paginate(self, lines: list[_Line]) -> list[list[_Line]]:
        if not self.o.paginate:
            return [lines]
        pages: list[list[_Line]] = [[]]
        pending = set(self.o.break_after)
        cover_end = next((i for i, line in enumerate(lines) if line.text.strip().lower() in CONTENTS_HEADINGS), None)
        first_chapter = next((i for i, line in enumerate(lines) if line.chapter), None)

        def close() -> None:
            while pages[-1] and not pages[-1][-1].text and not pages[-1][-1].contents:
                pages[-1].pop()
            if pages[-1]:
                pages.append([])

        for i, line in enumerate(lines):
            if self.chapter_breaks and (i == cover_end or line.chapter or i == first_chapter):
                close()
            if not pages[-1] and not line.text and not line.contents:
                continue  # no blank lines at a page's top
            if not pages[-1] and len(pages) > 1 and self.o.repeat_table_header and line.table_header and line.text != line.table_header:
                pages[-1].append(_Line(line.table_header))
            pages[-1].append(line)
            started = line.text.lstrip()
            hit = next((m for m in pending if started.startswith(m)), None)
            if hit is not None:
                pending.discard(hit)
                close()
            elif len(pages[-1]) >= self.page_lines:
                close()
        if not pages[-1]:
            pages.pop()
        return pages

    def header_footer(self, pages: list[list[_Line]]) -> list[str]:
        title = self._title()
        out = []
        chapter = None
        total = len(pages)
        for n, page in enumerate(pages, 1):
            first = next((line.chapter for line in page if line.chapter), None)
            heading = first or chapter
            chapter = next((line.chapter for line in reversed(page) if line.chapter), chapter)
            body = [line.text for line in page]
            if not self.o.paginate or (n == 1 and self.plain_cover):
                out.append("\n".join(body))
                continue
            number = self.number_style.format(n=n, total=total)
            if self.language_no:
                number = number.replace("Sida", "Side")
            head = {"title": title[0], "municipality": title[1], "chapter": heading or title[0]}[self.header_style] if self.o.header else ""
            top, bottom = [], []
            if self.o.footer and self.number_in_header:
                head = head + " " * max(self.gap, self.width - len(head) - len(number)) + number if head else number.rjust(self.width)
            elif self.o.footer:
                aligned = {"left": number, "center": number.center(self.width).rstrip(), "right": number.rjust(self.width)}[self.number_align]
                bottom = ["", aligned]
            if head:
                top = [head, ""]
            out.append("\n".join(top + body + bottom))
        return out

    def _title(self) -> tuple[str, str]:
        found = re.search(r"(Analyse?\s+av)\s+(.+?)\s+((?:19|20)\d\d)\b", self.source[:2000], re.I | re.S)
        brand = next((l.strip() for l in self.source.splitlines() if l.strip()), "Kommunkompassen")
        brand = brand if " " not in brand else "Kommunkompassen"
        if not found:
            return brand, brand
        analysis, name, year = found[1], " ".join(found[2].split()), found[3]
        if name.isupper():
            name = name.capitalize()
        analysis = analysis.capitalize() if analysis.isupper() else analysis
        return f"{brand} – {analysis} {name} {year}", f"{name} {year}"

    def ligatures(self, text: str) -> str:
        def word(match: re.Match) -> str:
            w = match[0]
            if self.rng.random() >= self.ligature_rate:
                return w
            for plain, ligature in LIGATURES:
                w = w.replace(plain, ligature)
            return w

        return re.sub(r"[^\W\d_]+", word, text)

    def run(self) -> str:
        lines = self.body()
        pages = self.paginate(lines)
        # The contents' page numbers: where each chapter's heading landed.
        landed = []  # (the line's words, its page), in order
        for n, page in enumerate(pages, 1):
            for line in page:
                key = _norm(re.sub(r"^\s*\d+\.?\s+", "", line.text))
                if key and not line.contents:
                    landed.append((key, n))
        for page in pages:
            expanded = []
            for line in page:
                if line.contents:
                    title = _norm(line.contents[2])
                    target = next((n for key, n in landed if _find([title], key)), line.contents[3])
                    expanded.extend(_Line(t) for t in self._render_contents(line.contents, target if self.o.leaders or self.o.paginate else None))
                else:
                    expanded.append(line)
            page[:] = expanded
        printed = self.header_footer(pages)
        text = "".join(page + "\n\f" for page in printed) if self.o.paginate else printed[0] + "\n"
        if self.o.ligatures:
            text = self.ligatures(text)
        return text


def _find(titles: list[str], line: str) -> str | None:
    """The title that a (heading's first) line is, or starts."""
    for title in titles:
        if line == title or (len(line) >= 25 and title.startswith(line)):
            return title
    return None


def _norm(text: str) -> str:
    return " ".join(text.replace(".", " ").split()).lower()


def print_report(text: str | bytes, rng: random.Random, options: Options | None = None, **overrides) -> str:
    """The report's text (the platform's .txt format) as extracted from a printed PDF."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    options = dataclasses.replace(options or Options(), **overrides)
    return _Printer(text, rng, options).run()
