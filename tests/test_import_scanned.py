"""Scanned reports, read through OCR (Debian's tesseract with Swedish and Norwegian, and
pdftoppm): the platform's own PDF turned into page images — slightly rotated, grey noise,
saved again as a PDF of images only, or as PNG and TIFF — imports back through the same
reader and the same consistency rules as a text report. A number OCR misread is caught
by its percentage and its area total, and the import names the line."""

import io
import os
import random
import re
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from django.utils import translation
from hypothesis import HealthCheck, Phase, given, settings
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

from kompass.dump.export import dumps, export_document
from kompass.evaluations.models import Evaluation
from kompass.evaluations.selectors import evaluation_result
from kompass.importers import ocr, reports
from kompass.importers.extract import UnreadableFile, read_source
from kompass.importers.report_text import fold
from kompass.importers.reports import ImportRefused, import_report
from kompass.reports.context import report_context
from kompass.reports.html import report_html
from kompass.reports.pdf import render_pdf
import test_import_versions as versions
from test_import_reports import _assert_seed_overview, _empty
from test_import_roundtrip import _save, evaluations

pytestmark = pytest.mark.django_db
SCAN_DPI = 200
# A whole report through OCR costs minutes of CPU, and what OCR reads does not depend on
# the database: these run on the SQLite pass only (the same import on PostgreSQL is the
# text reports' tests, and the misread test below runs on both).
WHOLE_REPORTS = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="OCR of whole reports: on the SQLite pass"
)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # the report's own font


def _text_pdf(evaluation) -> bytes:
    """The platform's PDF report without its embedded data: only what is printed."""
    return render_pdf(report_html(report_context(evaluation), for_print=True))


def _page_images(pdf: bytes, first: int | None = None, last: int | None = None) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        pages = ["-f", str(first), "-l", str(last)] if first else []
        subprocess.run(["pdftoppm", "-r", str(SCAN_DPI), "-gray", "-png", *pages, str(source), f"{folder}/p"], check=True)
        return [Image.open(path).convert("L") for path in sorted(Path(folder).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))]


def _scanned(page: Image.Image, rng: random.Random) -> Image.Image:
    """As a scanner leaves a page: turned a little (at most half a degree), grey noise."""
    page = page.rotate(rng.uniform(-0.5, 0.5), resample=Image.Resampling.BICUBIC, fillcolor=255)
    noise = Image.frombytes("L", page.size, rng.randbytes(page.size[0] * page.size[1]))
    return Image.blend(page, noise, 0.12)


def _image_pdf(pages: list[Image.Image]) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=SCAN_DPI)
    return out.getvalue()


def _scan(pdf: bytes, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    return _image_pdf([_scanned(page, rng) for page in _page_images(pdf)])


def _overview_pages(pdf: bytes) -> list[int]:
    """The pages (from 1) of the overview's tables."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [n for n, page in enumerate(pages, start=1) if "Uppnått" in page.extract_text()]


def _capture_source(monkeypatch) -> list:
    """What the importer read (the OCR text), kept for the test to look at."""
    seen = []

    def reading(path):
        seen.append(read_source(path))
        return seen[-1]

    monkeypatch.setattr(reports, "read_source", reading)
    return seen


# --- whole reports, scanned --------------------------------------------------------------


@pytest.mark.slow
@WHOLE_REPORTS
def test_the_seed_report_scanned_reads_back_its_overview(demo, run_cli, tmp_path, seed_overview, monkeypatch):
    """Örebro 2015 (the seed, as the demo loads it) printed by the platform and scanned:
    every row of the overview and every area total as the seed prints them."""
    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    evaluators = [(e.name, e.organisation) for e in evaluation.evaluators.all()]
    path = tmp_path / "orebro-skannad.pdf"
    path.write_bytes(_scan(_text_pdf(evaluation)))
    assert not "".join(page.extract_text() for page in PdfReader(path).pages).strip()  # images only
    seen = _capture_source(monkeypatch)
    _empty()
    code, out, err = run_cli("import", path)
    assert code == 0, err
    assert seen[0].kind == "scan" and seen[0].text.count("\f") == len(PdfReader(path).pages) - 1
    _assert_seed_overview(run_cli, seed_overview)  # every row, every area total, the total
    assert [(e.name, e.organisation) for e in Evaluation.objects.get(year=2015).evaluators.all()] == evaluators


SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow], "database": None}


# OCR is a reading, not a parse: a hunt for what it misreads draws new evaluations each
# run (KOMPASS_TEST_SCANNED_EXAMPLES=N); the suite's run draws the same ones every time,
# so that what fails there fails again when looked at. No shrinking: each try is minutes
# of OCR, and the failure's scan and OCR text are kept to look at.
SCANNED_EXAMPLES = int(os.environ.get("KOMPASS_TEST_SCANNED_EXAMPLES", 0))


@pytest.mark.slow
@WHOLE_REPORTS
@settings(max_examples=SCANNED_EXAMPLES or 2, derandomize=not SCANNED_EXAMPLES, phases=[Phase.explicit, Phase.generate], **SETTINGS)
@given(data=evaluations())
def test_scanned_reports_round_trip(db, data):
    """Any valid evaluation, printed, scanned and read by OCR: every interval holds the
    true score."""
    evaluation = _save(data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "skannad.pdf"
        path.write_bytes(_scan(_text_pdf(evaluation), seed=len(data["summary"])))
        Evaluation.objects.all().delete()
        seen = []
        with mock.patch.object(reports, "read_source", lambda p: seen.append(read_source(p)) or seen[-1]):
            try:
                result = import_report(path)
            except ImportRefused as exc:  # kept to look at: the scan and what OCR read
                kept = Path(tempfile.mkdtemp(prefix="kompass-scan-"))
                (kept / "ocr.txt").write_text(seen[0].text, encoding="utf-8")
                path.rename(kept / path.name)
                raise AssertionError(f"{exc} (the scan and its OCR text: {kept})") from None
    imported = Evaluation.objects.get(municipality__code="2080", year=2014)
    for assessment in imported.question_assessments.select_related("question"):
        truth = data["scores"][assessment.question.code]
        assert assessment.score_low <= truth <= assessment.score_high, (assessment.question.code, truth)
    assert imported.question_assessments.filter(score__isnull=False).count() == 45
    # Letters are not checked as numbers are ("Luvö" may come back "Luvo"): the import says so.
    assert [(fold(e.name), fold(e.organisation)) for e in imported.evaluators.all()] == [(fold(n), fold(o)) for n, o in data["evaluators"]]
    assert any("läs igenom dem" in warning for warning in result.warnings)


@pytest.mark.slow
@WHOLE_REPORTS
@pytest.mark.parametrize("case", ["2010-nb", "2020-nb"])
def test_a_norwegian_report_scanned(db, case):
    """A KS report in bokmål, of the 2010 version (sub-questions) and of the 2020 one (areas
    only), printed, scanned and read by OCR in Norwegian: every interval holds the true
    score, and the evaluator comes back."""
    version, country, code, language = versions.CASES[case]

    @settings(max_examples=SCANNED_EXAMPLES or 1, derandomize=not SCANNED_EXAMPLES, phases=[Phase.explicit, Phase.generate], **SETTINGS)
    @given(data=versions.evaluations(version))
    def check(data):
        evaluation = versions._save(data, version, country, code)
        truth = {a.area.number: a.score.score for a in evaluation_result(evaluation).areas}
        with tempfile.TemporaryDirectory() as folder, translation.override(language):
            path = Path(folder) / "skannet.pdf"
            path.write_bytes(_scan(_text_pdf(evaluation)))
            Evaluation.objects.all().delete()
            seen = []
            with mock.patch.object(reports, "read_source", lambda p: seen.append(read_source(p)) or seen[-1]):
                import_report(path)
        assert seen[0].kind == "scan"
        imported = Evaluation.objects.get(municipality__country=country, municipality__code=code, year=2021)
        assert imported.framework.code == version
        if "questions" in data["scores"]:
            for assessment in imported.question_assessments.select_related("question"):
                true = data["scores"]["questions"][assessment.question.code]
                assert assessment.score_low <= true <= assessment.score_high, (assessment.question.code, true)
            assert imported.question_assessments.filter(score__isnull=False).count() == len(data["scores"]["questions"])
        else:  # an evaluation known by area only
            for assessment in imported.area_assessments.select_related("area"):
                assert assessment.score_low <= truth[assessment.area.number] <= assessment.score_high, assessment.area.number
        assert evaluation_result(imported).total.score is not None
        assert list(imported.evaluators.values_list("name", flat=True)) == ["Kari Nordmann"]

    check()


# --- a misread number is caught ----------------------------------------------------------


def _word_boxes(pdf: bytes, page: int) -> list[tuple[str, float, float, float, float]]:
    """Each word of a page with its box in points (pdftotext -bbox)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(source), "-"],
                              capture_output=True, text=True, check=True).stdout
    return [(m[5], float(m[1]), float(m[2]), float(m[3]), float(m[4]))
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def _mixed(text_pdf: bytes, scanned: dict[int, Image.Image]) -> bytes:
    """The text PDF with some of its pages (from 1) replaced by page images."""
    text_pages = PdfReader(io.BytesIO(text_pdf)).pages
    writer = PdfWriter()
    for number, page in enumerate(text_pages, start=1):
        if number in scanned:
            writer.add_page(PdfReader(io.BytesIO(_image_pdf([scanned[number]]))).pages[0])
        else:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.slow
def test_a_misread_score_is_refused_naming_its_line(demo, tmp_path, monkeypatch):
    """On the scanned overview page, 1.1's points (11 of 15, 70 %) are painted over with a
    13, as a misread would give: the percentage contradicts it, nothing is saved, and the
    message names the line of the OCR text the row is on. The other pages keep their
    text layer: only the scanned ones go to OCR, in their place."""
    pdf = _text_pdf(Evaluation.objects.get(municipality__code="1880", year=2015))
    overview = _overview_pages(pdf)
    first = overview[0]
    words = _word_boxes(pdf, first)
    row = next(w for w in words if w[0] == "1.1")
    points = next(w for w in words if abs(w[2] - row[2]) < 2 and w[1] > 300 and w[0].isdigit())
    assert points[0] == "11"
    rng = random.Random(3)
    images = dict(zip(overview, _page_images(pdf, overview[0], overview[-1])))
    scale = SCAN_DPI / 72
    draw = ImageDraw.Draw(images[first])
    x0, y0, x1, y1 = (v * scale for v in points[1:])
    draw.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), fill=255)
    draw.text((x1, y1), "13", fill=0, font=ImageFont.truetype(FONT, round((y1 - y0) * 0.86)), anchor="rd")
    path = tmp_path / "orebro-delvis-skannad.pdf"
    path.write_bytes(_mixed(pdf, {n: _scanned(image, rng) for n, image in images.items()}))

    seen = _capture_source(monkeypatch)
    before = dumps(export_document())
    with pytest.raises(ImportRefused) as refused:
        import_report(path)
    assert dumps(export_document()) == before
    source = seen[0]
    assert source.kind == "scan"
    pages = source.text.split("\f")
    assert len(pages) == len(PdfReader(path).pages)
    assert "Analys av Örebro kommun 2015" in " ".join(pages[0].split())  # a text page, in its place
    assert "Uppnått" in pages[first - 1]  # the scanned page, in its place
    where = re.search(r"delfråga 1\.1 \(sida (\d+), rad (\d+)\)", str(refused.value))
    assert where, str(refused.value)
    page, line = int(where[1]), int(where[2])
    printed = [l for l in pages[page - 1].split("\n") if l.strip()][line - 1]  # the page's printed lines, from 1
    assert page == first and re.match(r"\s*1\.1\s.*\b13\s+15\s+70\s*%", printed), printed
    assert "13 poäng och 70 % av 15 går inte ihop" in str(refused.value)


# --- images: PNG, TIFF; what cannot be read ---------------------------------------------


@pytest.fixture(scope="module")
def overview_images(django_db_setup, django_db_blocker):
    """The seed report's overview pages (Örebro 2015), scanned."""
    from kompass.demo import demo_load

    with django_db_blocker.unblock():
        demo_load()
        pdf = _text_pdf(Evaluation.objects.get(municipality__code="1880", year=2015))
        Evaluation.objects.all().delete()
    overview = _overview_pages(pdf)
    rng = random.Random(5)
    return [_scanned(page, rng) for page in _page_images(pdf, overview[0], overview[-1])]


def _rows(text: str) -> dict[str, tuple[int, int, int]]:
    return {m[1]: (int(m[2]), int(m[3]), int(m[4]))
            for m in re.finditer(r"^\s*(\d\.\d)\s+\S.*?\s{2,}(\d{1,3})\s+(\d{1,3})\s+(\d{1,3})\s*%\s*$", text, re.M)}


def _read_well(text: str, expected: dict[str, tuple[int, int, int]]) -> None:
    """OCR is not perfect: a row may be misread. But a misread row must contradict itself
    (its percentage is not its points of its max, as the reader checks), and nearly all
    rows must be read exactly."""
    rows = _rows(text)
    for qid, (points, maximum, percent) in rows.items():
        if rows[qid] != expected.get(qid):
            assert maximum == 0 or abs(percent - 100 * points / maximum) > 100 * 0.5 / maximum + 0.5, (qid, rows[qid], expected.get(qid))
    exact = sum(rows.get(qid) == row for qid, row in expected.items())
    assert exact >= 0.9 * len(expected), (exact, len(expected), rows)


@pytest.mark.slow
def test_a_png_page(overview_images, tmp_path, seed_overview):
    path = tmp_path / "sida.png"
    overview_images[0].save(path, dpi=(SCAN_DPI, SCAN_DPI))
    source = read_source(path)
    assert source.kind == "scan" and "\f" not in source.text
    _read_well(source.text, {r.id: (r.rounded, r.max, r.percent) for r in seed_overview.questions if r.id[0] in "12"})


@pytest.mark.slow
def test_a_multi_page_tiff_keeps_its_pages_in_order(overview_images, tmp_path, seed_overview):
    path = tmp_path / "sidor.tif"
    overview_images[0].save(path, save_all=True, append_images=overview_images[1:], dpi=(SCAN_DPI, SCAN_DPI), compression="tiff_lzw")
    source = read_source(path)
    pages = source.text.split("\f")
    assert source.kind == "scan" and len(pages) == len(overview_images)
    _read_well(source.text, {r.id: (r.rounded, r.max, r.percent) for r in seed_overview.questions})
    assert [min(_rows(page))[0] for page in pages] == ["1", "3", "5", "8"]  # each page where it was


@pytest.mark.slow
def test_a_jpeg_without_a_stated_resolution(overview_images, tmp_path, seed_overview):
    path = tmp_path / "sida.jpg"
    overview_images[1].save(path, quality=85)  # no dpi: read as 300, the common scan
    _read_well(read_source(path).text, {r.id: (r.rounded, r.max, r.percent) for r in seed_overview.questions if r.id[0] in "34"})


def _refusal(path: Path) -> str:
    with pytest.raises(UnreadableFile) as refused:
        read_source(path)
    return str(refused.value)


def test_a_pdf_with_neither_text_nor_images(tmp_path):
    path = tmp_path / "tom.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(path)
    assert _refusal(path) == "PDF-filen har varken text eller bilder att läsa"


@pytest.mark.slow
def test_a_pdf_whose_image_has_no_text(tmp_path):
    path = tmp_path / "vit.pdf"
    path.write_bytes(_image_pdf([_scanned(Image.new("L", (1654, 2339), 255), random.Random(1))]))
    assert _refusal(path) == "PDF-filen har ingen text, och OCR hittade ingen på dess bilder"


@pytest.mark.parametrize("content", [b"\x00", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR broken", b"not an image at all"])
def test_an_unreadable_image(tmp_path, content):
    path = tmp_path / "sida.png"
    path.write_bytes(content)
    assert _refusal(path).startswith("bilden kan inte läsas")


def test_an_image_too_small_to_be_a_page(tmp_path):
    path = tmp_path / "ikon.png"
    Image.new("L", (64, 64), 255).save(path)
    assert _refusal(path) == "sida 1 är bara 64 × 64 bildpunkter"


def test_limits_on_pages_and_pixels(tmp_path, monkeypatch):
    path = tmp_path / "sidor.tif"
    pages = [Image.new("L", (800, 1100), 255) for _ in range(3)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    monkeypatch.setattr(ocr, "MAX_PAGES", 2)
    assert _refusal(path) == "3 inskannade sidor; gränsen för OCR är 2"
    monkeypatch.setattr(ocr, "MAX_PAGES", 10)
    monkeypatch.setattr(ocr, "MAX_PIXELS", 800_000)
    assert _refusal(path) == "sida 1 är 800 × 1100 bildpunkter; gränsen är 0 miljoner"


def test_without_tesseract_the_message_names_the_debian_package(tmp_path, monkeypatch):
    path = tmp_path / "sida.png"
    Image.new("L", (800, 1100), 255).save(path)
    monkeypatch.setenv("PATH", str(tmp_path / "ingenting"))
    message = _refusal(path)
    assert message.startswith("OCR kräver Debians paket tesseract-ocr") and "tesseract" in message


def test_an_ocr_that_takes_too_long_is_stopped(tmp_path, monkeypatch):
    path = tmp_path / "sida.png"
    Image.new("L", (800, 1100), 255).save(path)
    monkeypatch.setattr(ocr, "TIMEOUT", 0.001)
    assert _refusal(path) == "OCR av sida 1 tog mer än 0.001 sekunder"


# --- OCR's confusions in numbers --------------------------------------------------------


@pytest.mark.parametrize(
    "read,meant",
    [
        ("1.1 Finns en plan              11        15      7090", "1.1 Finns en plan              11        15      70%"),
        ("                                89      100     8990", "                                89      100     89%"),
        ("3.4 Hur är delegation           20        20 10096", "3.4 Hur är delegation           20        20 100%"),
        ("3.4 Hur är delegation           20        20 100960", "3.4 Hur är delegation           20        20 100%"),
        ("2.1 Finns det                   15        15 9/6", "2.1 Finns det                   15        15 9/6"),  # no number before it
        ("Poängen 2015 var 650 och 7090", "Poängen 2015 var 650 och 7090"),  # not a table row: left alone
        ("1.1 Finns en plan              11        15      70%", "1.1 Finns en plan              11        15      70%"),
    ],
)
def test_percent_signs_read_as_digits(read, meant):
    assert ocr.normalise_numbers(read) == meant


def test_the_language_is_told_by_the_words_only_one_language_has():
    swedish = "Kommunen har inte någon plan och det finns inga mål för hur man ska gå till väga och vad som ska göras mellan åren"
    norwegian = "Kommunen har ikke noen plan og det finnes ingen mål for hvordan man skal gå til verks og hva som skal gjøres mellom årene"
    assert (ocr._language(swedish), ocr._language(norwegian)) == ("swe", "nor")
    assert ocr._language("Analys av Örebro kommun 2015") is None  # a title page: too few words to tell
