"""Text out of scanned pages: Debian's pdftoppm and tesseract, driven as subprocesses.

A page is rasterised (a PDF's page) or decoded (an image), cleaned (median filter, then
black and white at the Otsu threshold: tesseract's recogniser reads the grey image, and
a scan's speckle turns a "11" into letters), and read by tesseract with the report's
language (Swedish or Norwegian) and English (see LANGUAGES). The page
segmentation keeps a table row's cells on one line with runs of spaces between them,
as pdftotext -layout does: ``2.6  question text  15  15  100 %``. Pages are joined by
a form feed. Bounded: page count, pixels per page, seconds per subprocess.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kompass.i18n import _
from kompass.importers.extract import UnreadableFile

# Measured on the platform's report scanned (bench/ocr.py): "swe+nor" reads four in ten
# "ä" as "å" ("år", "tjånstemån", "poångfördelning": the Norwegian model wins those
# words), "swe" alone reads "%" as "20", "24" or nothing; "swe+eng" reads both. A report
# is read with its own language's model and English's: Norwegian when the first pages
# say so.
LANGUAGES = {"swe": "swe+eng", "nor": "nor+eng"}
LANGUAGE_SAMPLE = 3  # pages read one by one until one has enough words to tell the language
# psm 4 (one column of text of varying sizes) keeps each table row on one line and
# paragraphs apart by a blank line; psm 6 reads the rows as well but loses the blank lines,
# psm 3 gives the same as 4.
PAGE_SEGMENTATION = "4"
# 200 dpi read every row of the overview of four noisy scans; 300 dpi missed one or two
# (a "%" read as "960", "77" as "71"), and takes half as long again.
DPI = 200
SECOND_DPI = 300  # a page whose table rows contradict themselves is read again at this
MAX_PAGES = 150  # a report is 20-60 pages
MAX_PIXELS = 60_000_000  # a page: A4 at 600 dpi is 35 million
MIN_SIDE = 200  # pixels: smaller is no page of text
TIMEOUT = 120  # seconds for one subprocess on one page
TOTAL_TIMEOUT = 20 * 60  # seconds for a whole file: a 40-page report takes 1-2 minutes
WORKERS = 2  # pages read at once (the machine has two cores; tesseract one thread each)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        package = "poppler-utils" if name == "pdftoppm" else "tesseract-ocr"
        raise UnreadableFile(
            _("OCR kräver Debians paket %(package)s (med tesseract-ocr-swe och tesseract-ocr-nor); programmet %(program)s finns inte")
            % {"package": package, "program": name}
        )
    return path


def _run(command: list[str], what: str, deadline: float) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread a page; the pages run side by side
    left = deadline - time.monotonic()
    if left <= 0:
        raise UnreadableFile(_("OCR av filen tog mer än %(minutes)s minuter") % {"minutes": TOTAL_TIMEOUT // 60})
    try:
        result = subprocess.run(command, capture_output=True, timeout=min(TIMEOUT, left), env=env)
    except subprocess.TimeoutExpired:
        if time.monotonic() >= deadline:
            raise UnreadableFile(_("OCR av filen tog mer än %(minutes)s minuter") % {"minutes": TOTAL_TIMEOUT // 60}) from None
        raise UnreadableFile(_("%(what)s tog mer än %(seconds)s sekunder") % {"what": what, "seconds": TIMEOUT}) from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UnreadableFile(_("%(what)s misslyckades (%(error)s)") % {"what": what, "error": detail[-1] if detail else result.returncode})
    return result


def _otsu(histogram: list[int]) -> int:
    """The grey level that best splits ink from paper (Otsu's method)."""
    total = sum(histogram)
    weighted = sum(i * h for i, h in enumerate(histogram))
    best, level, below, below_weighted = -1.0, 128, 0, 0
    for i, count in enumerate(histogram):
        below += count
        if below == 0:
            continue
        above = total - below
        if above == 0:
            break
        below_weighted += i * count
        mean_below, mean_above = below_weighted / below, (weighted - below_weighted) / above
        spread = below * above * (mean_below - mean_above) ** 2
        if spread > best:
            best, level = spread, i
    return level


def _clean(image, dpi: int, path: Path) -> None:
    """Grey, despeckled, black and white at Otsu's threshold; saved as PNG with its dpi."""
    from PIL import ImageFilter, ImageOps

    grey = ImageOps.exif_transpose(image).convert("L")
    grey = grey.filter(ImageFilter.MedianFilter(3))
    level = _otsu(grey.histogram())
    grey.point(lambda v: 255 if v > level else 0).convert("1").save(path, dpi=(dpi, dpi))


def _tesseract(png: Path, dpi: int, page: int, languages: str, deadline: float) -> str:
    command = [_tool("tesseract"), str(png), "-", "-l", languages, "--psm", PAGE_SEGMENTATION, "--dpi", str(dpi),
               "-c", "preserve_interword_spaces=1"]
    text = _run(command, _("OCR av sida %(page)s") % {"page": page}, deadline).stdout.decode("utf-8", "replace")
    return normalise_numbers(text)


NORWEGIAN_WORDS = {"og", "ikke", "til", "fra", "hva", "hvordan", "hvor", "kommunekompasset", "kommunene", "også", "mellom"}
SWEDISH_WORDS = {"och", "inte", "till", "från", "vad", "hur", "kommunkompassen", "kommunerna", "också", "mellan"}


def _language(text: str) -> str | None:
    """Swedish or Norwegian, by the words only one of them has; None on too few words."""
    words = re.findall(r"\w+", text.lower())
    norwegian = sum(w in NORWEGIAN_WORDS for w in words)
    swedish = sum(w in SWEDISH_WORDS for w in words)
    if norwegian + swedish < 6:
        return None
    return "nor" if norwegian > swedish else "swe"


def _read(pages: list[tuple[Path, int, int]], deadline: float, again) -> list[str]:
    """The pages' texts (cleaned PNG, dpi, page number). The language is chosen on the first
    pages with enough words; the rest are read two at a time. A page with a table row
    that contradicts itself is read again, finer (``again(k)`` makes page k's image at
    SECOND_DPI), for a second opinion on those rows."""
    languages, texts = LANGUAGES["swe"], []
    for png, dpi, page in pages[:LANGUAGE_SAMPLE]:
        texts.append(_tesseract(png, dpi, page, languages, deadline))
        if language := _language(texts[-1]):
            if LANGUAGES[language] != languages:
                languages = LANGUAGES[language]
                texts = [_tesseract(*job, languages, deadline) for job in pages[: len(texts)]]
            break

    def first_reading(job):
        return _tesseract(*job, languages, deadline)

    def second_opinion(k: int) -> str:
        if not _doubtful(texts[k]):
            return texts[k]
        return _second_opinion(texts[k], _tesseract(*again(k), languages, deadline))

    with ThreadPoolExecutor(WORKERS) as pool:
        texts += list(pool.map(first_reading, pages[len(texts):]))
        return list(pool.map(second_opinion, range(len(texts))))


# A table row's cells at the end of its line: points, max, percentage.
_CELLS = re.compile(r"(?<![\d.,])(\d{1,3})[ \t]+(\d{1,3})[ \t]+(\d{1,3})[ \t]*%[ \t]*$")
_QUESTION = re.compile(r"^[ \t]*(\d\.\d{1,2})[ \t]+\S")
_AREA_ROW = re.compile(r"^[ \t]*\S{1,4}[ \t]+100[ \t]+\S{1,6}[ \t]*$")  # an area's total: no number, no text


def _consistent(line: str) -> bool:
    """Whether the line ends in cells whose percentage is their points of their max (as
    printed: of the score before rounding, so within half a point)."""
    cells = _CELLS.search(line)
    if not cells:
        return False
    points, maximum, percent = (int(c) for c in cells.groups())
    return 0 < maximum and points <= maximum and abs(percent - 100 * points / maximum) <= 50 / maximum + 0.5


def _row_keys(text: str) -> dict:
    """The table rows' lines by key: a sub-question's number, or an area total's order."""
    keys, areas = {}, 0
    for index, line in enumerate(text.split("\n")):
        if question := _QUESTION.match(line):
            if re.search(r"\d[ \t]*%?[ \t]*$", line):
                keys.setdefault(question[1], index)
        elif _AREA_ROW.match(line):
            keys[("area", areas)] = index
            areas += 1
    return keys


def _doubtful(text: str) -> bool:
    lines = text.split("\n")
    return any(not _consistent(lines[index]) for index in _row_keys(text).values())


def _second_opinion(first: str, second: str) -> str:
    """The first reading, with each row that contradicts itself there taken from the
    second where the second's agrees with itself."""
    lines, other = first.split("\n"), second.split("\n")
    theirs = _row_keys(second)
    for key, index in _row_keys(first).items():
        if not _consistent(lines[index]) and key in theirs and _consistent(other[theirs[key]]):
            lines[index] = other[theirs[key]]
    return "\n".join(lines)


def _pdf_page(pdf: Path, index: int, folder: Path, dpi: int, deadline: float, name: str = "") -> tuple[Path, int, int]:
    from PIL import Image

    page = index + 1
    prefix = folder / f"p{page}{name}"
    # PGM, not PNG: compressing a scan's noise as PNG took pdftoppm 14 s a page, PGM 0.05 s.
    _run([_tool("pdftoppm"), "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
         _("PDF-sidan %(page)s som bild") % {"page": page}, deadline)
    raster = prefix.with_suffix(".pgm")
    png = prefix.with_suffix(".png")
    with Image.open(raster) as image:
        image.load()
        _clean(image, dpi, png)
    raster.unlink()
    return png, dpi, page


def _page_dpi(width_pt: float, height_pt: float, dpi: int | None = None) -> int:
    """DPI for a page: DPI, or less where a page that large would pass MAX_PIXELS."""
    area = max(width_pt, 1.0) * max(height_pt, 1.0) / 72**2  # square inches
    return max(36, min(dpi or DPI, int(math.sqrt(MAX_PIXELS / area))))


def pdf_pages(data: bytes, pages: list[tuple[int, float, float]]) -> dict[int, str]:
    """The text of the given pages of a PDF, read by OCR: ``pages`` lists each page's
    index (from 0) and its size in points. Page indexes to texts."""
    if len(pages) > MAX_PAGES:
        raise UnreadableFile(_("%(count)s inskannade sidor; gränsen för OCR är %(limit)s") % {"count": len(pages), "limit": MAX_PAGES})
    _tool("pdftoppm"), _tool("tesseract")
    deadline = time.monotonic() + TOTAL_TIMEOUT
    with tempfile.TemporaryDirectory(prefix="kompass-ocr-") as tmp:
        folder = Path(tmp)
        pdf = folder / "in.pdf"
        pdf.write_bytes(data)
        with ThreadPoolExecutor(WORKERS) as pool:
            images = list(pool.map(lambda p: _pdf_page(pdf, p[0], folder, _page_dpi(p[1], p[2]), deadline), pages))

        def again(k: int):
            index, width, height = pages[k]
            return _pdf_page(pdf, index, folder, _page_dpi(width, height, SECOND_DPI), deadline, "-fin")

        return dict(zip((p[0] for p in pages), _read(images, deadline, again)))


def image_pages(data: bytes) -> list[str]:
    """The text of an image file (PNG, JPEG, TIFF; every frame of a multi-page TIFF)."""
    from PIL import Image, UnidentifiedImageError

    _tool("tesseract")
    deadline = time.monotonic() + TOTAL_TIMEOUT
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise UnreadableFile(_("bilden kan inte läsas (%(error)s)") % {"error": exc}) from None
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_PAGES:
        raise UnreadableFile(_("%(count)s inskannade sidor; gränsen för OCR är %(limit)s") % {"count": frames, "limit": MAX_PAGES})
    with tempfile.TemporaryDirectory(prefix="kompass-ocr-") as tmp:
        folder = Path(tmp)
        pages = []
        for frame in range(frames):
            page = frame + 1
            try:
                image.seek(frame)
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise UnreadableFile(_("sida %(page)s är %(width)s × %(height)s bildpunkter; gränsen är %(limit)s miljoner") % {
                        "page": page, "width": width, "height": height, "limit": MAX_PIXELS // 1_000_000})
                if min(width, height) < MIN_SIDE:
                    raise UnreadableFile(_("sida %(page)s är bara %(width)s × %(height)s bildpunkter") % {"page": page, "width": width, "height": height})
                pages.append(_frame(image, page, _image_dpi(image), DPI, folder / f"p{page}.png"))
            except UnreadableFile:
                raise
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
                raise UnreadableFile(_("bilden kan inte läsas (sida %(page)s: %(error)s)") % {"page": page, "error": exc}) from None

        def again(k: int):
            image.seek(k)
            return _frame(image, k + 1, _image_dpi(image), SECOND_DPI, folder / f"p{k + 1}-fin.png")

        return _read(pages, deadline, again)


def _frame(image, page: int, dpi: int, target: int, png: Path) -> tuple[Path, int, int]:
    """The image's current frame, cleaned, scaled to ``target`` dpi (a finer scan is read
    no better, and slower; 300 dpi read worse than 200 on the tests' scans)."""
    from PIL import Image

    if abs(dpi - target) > target // 10:
        factor = target / dpi
        image = image.convert("L").resize((round(image.size[0] * factor), round(image.size[1] * factor)),
                                          Image.Resampling.BOX if factor < 1 else Image.Resampling.BICUBIC)
        dpi = target
    _clean(image, dpi, png)
    return png, dpi, page


def _image_dpi(image) -> int:
    """The resolution the file states, or 300 where it states none or one no scanner uses."""
    dpi = image.info.get("dpi")
    try:
        value = int(round(float(dpi[0]))) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    return value if 70 <= value <= 1200 else 300


# A table row's last cells: points, max, and a percentage whose "%" tesseract read as
# digits ("75%" as "7590", "100%" as "10096" or "100960"; measured on the platform's
# report in DejaVu Sans at 200-300 dpi).
_PERCENT_AS_DIGITS = re.compile(r"(?m)(?<![\d.,])(\d{1,3})([ \t]+)(\d{1,3})([ \t]+)(\d{1,3})(960|96|90|9/6)[ \t]*$")


def normalise_numbers(text: str) -> str:
    """OCR's confusions in numbers, where they are certain: a table row's last cell that
    cannot be a percentage (over 100) but is one followed by a "%" read as digits. Only
    where the percentage fits the row's points and max (a rounded score within half a
    point): the reader still checks it exactly, and names the line where it does not."""

    def percent(match: re.Match) -> str:
        points, maximum, value = int(match[1]), int(match[3]), match[5]
        if not 0 < maximum or points > maximum or (value != "0" and value.startswith("0")) or int(value) > 100:
            return match[0]
        if abs(int(value) - 100 * points / maximum) > 100 * 0.5 / maximum + 1:
            return match[0]
        return f"{match[1]}{match[2]}{match[3]}{match[4]}{value}%"

    return _QUESTION_NUMBER_DOT.sub(r"\1\2", _PERCENT_AS_DIGITS.sub(percent, text))


# A sub-question's number at the start of a row read with a dot after it ("3.3. Hur").
_QUESTION_NUMBER_DOT = re.compile(r"(?m)^([ \t]*\d\.\d{1,2})\.([ \t])")
