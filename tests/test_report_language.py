"""Reports in the reader's language: `kompass report … --language en`, the web's download
links in the page's language, charts cached per language.

The translations are being written; these tests hold whatever they say. They test the
mechanism (the active language, `lang` attributes, the same numbers) and, for every fixed
heading the English catalogue translates, that the Swedish heading is gone and the
English one is there."""

import re
import subprocess

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from docx import Document
from docx.oxml.ns import qn

from kompass.evaluations.models import Evaluation
from kompass.reports.wording import genitive, month_name, ordinal_word, text_language_sentence

pytestmark = pytest.mark.django_db

# The report's fixed headings, as the Swedish source writes them: each a line of its own
# (the evaluators' texts may use the same words within their sentences). Not "Jämförelser":
# the 2010 version has a heading and a sub-question of that name, catalogue texts.
HEADINGS = (
    "Innehåll", "Vad är Kommunkompassen?", "Utvärderingen", "Sammanfattning av resultat",
    "Sammanfattande kommentar", "Detaljerad genomgång i förhållande till Kommunkompassens åtta områden",
    "Allmänt", "Styrkor", "Förbättringsområden", "Översikt av poängfördelning", "Diagrammens data",
)
# Labels of tables and facts, which no evaluator's text holds.
LABELS = ("Totalt, alla områden", "Uppnått", "Procent", "Genomförd", "Intervjuade")
SWEDISH_NOTE = "Utvärderarnas texter är skrivna på svenska."


def _english(message: str) -> str:
    with translation.override("en"):
        return gettext(message)


def _translated(messages) -> list[str]:
    """The messages the English catalogue translates (today, maybe none)."""
    return [m for m in messages if _english(m) != m]


def _report(run_cli, tmp_path, fmt, language=None):
    path = tmp_path / f"orebro-2015-{language or 'default'}.{fmt}"
    code, _out, err = run_cli(
        "report", "1880", "2015", "--format", fmt, "--output", path, *(["--language", language] if language else [])
    )
    assert code == 0, err
    return path


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _heading_line(heading: str) -> re.Pattern:
    """A line that is the heading: alone, or numbered ("4 Översikt …"), or in the contents
    with its page number."""
    return re.compile(rf"^\s*(?:\d\s+)?{re.escape(heading)}(?:\s*\.*\s*\d+)?\s*$", re.M)


def _overview_rows(text: str) -> list[tuple[str, ...]]:
    """Every row of the overview tables: id, points, max, percent."""
    return re.findall(r"^\s*(\d\.\d+)\s+\S.*?\s(\d+|–)\s+(\d+)\s+(\d+%|–)\s*$", text, re.M)


@pytest.fixture
def pdfs(demo, run_cli, tmp_path):
    return _pdf_text(_report(run_cli, tmp_path, "pdf", "sv")), _pdf_text(_report(run_cli, tmp_path, "pdf", "en"))


def test_the_english_pdf_has_the_same_numbers_and_english_headings(pdfs, seed_overview):
    swedish, english = pdfs
    rows = _overview_rows(english)
    assert len(rows) == len(seed_overview.questions) == len(_overview_rows(swedish))
    assert rows == _overview_rows(swedish)
    for row in seed_overview.questions:
        assert (row.id, str(row.rounded), str(row.max), f"{row.percent}%") in rows
    assert re.search(r"\s650\s+800\s+81%", english)  # the total, in every language
    for message in _translated(HEADINGS):
        assert _heading_line(message).search(swedish), message
        assert not _heading_line(message).search(english), message
        assert _heading_line(_english(message)).search(english), message
    for message in _translated(LABELS):
        assert message in swedish and message not in english, message
        assert _english(message) in english, message
    # Area titles as the version gives them in English (or its Swedish, where it has none).
    from kompass.catalogue.translations import text_of

    framework = Evaluation.objects.get(municipality__code="1880", year=2015).framework.definition
    with translation.override("en"):
        titles = [text_of(area, "title") for area in framework.areas]
    for area, title in zip(framework.areas, titles):
        assert re.search(rf"^\s*{area.number}\. {re.escape(title)}\s+\d+\s*$", english, re.M), title  # the chart data
    # The evaluators' texts stay as written (the seed's Swedish), and the report says so.
    assert _english(SWEDISH_NOTE) in english
    assert _english(SWEDISH_NOTE) not in swedish and SWEDISH_NOTE not in swedish


def test_the_default_is_the_installations_language(demo, run_cli, tmp_path):
    assert _report(run_cli, tmp_path, "txt").read_bytes() == _report(run_cli, tmp_path, "txt", "sv").read_bytes()


def test_an_unknown_language_is_refused(demo, run_cli, tmp_path):
    code, _out, err = run_cli("report", "1880", "2015", "--format", "txt", "--output", tmp_path / "x.txt", "--language", "fi")
    assert code == 2 and "--language" in err and "fi" in err
    assert not (tmp_path / "x.txt").exists()


def test_the_english_html_marks_the_evaluators_swedish(demo, run_cli, tmp_path):
    html = _report(run_cli, tmp_path, "html", "en").read_text()
    assert re.search(r'<html lang="en">', html)
    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    general = evaluation.area_assessments.exclude(general_text="").first().general_text
    first_words = " ".join(general.split()[:4])
    # The area's general text sits in a block marked Swedish.
    block = re.search(r'<div lang="(\w+)">(?:(?!</div>).)*?' + re.escape(first_words), html, re.S)
    assert block and block[1] == "sv"
    strength = evaluation.findings.filter(kind="strength").first().text
    assert f'<li lang="sv">{strength[:30]}' in html.replace("&#x27;", "'")
    assert f'<p class="language-note">{escape(_english(SWEDISH_NOTE))}</p>' in html
    swedish = _report(run_cli, tmp_path, "html", "sv").read_text()
    assert '<html lang="sv">' in swedish and 'class="language-note"' not in swedish


def test_untranslated_catalogue_texts_are_marked_with_their_language(demo, run_cli, tmp_path):
    """An area title shown in English where the version has an English title, else in
    Swedish marked lang="sv": never Swedish passed off as English."""
    from kompass.catalogue.translations import text_of

    html = _report(run_cli, tmp_path, "html", "en").read_text()
    framework = Evaluation.objects.get(municipality__code="1880", year=2015).framework.definition
    for area in framework.areas:
        with translation.override("en"):
            title = text_of(area, "title")
        if title.language == "en":
            assert f"Område {area.number} {title}" in html or str(title) in html
        else:
            assert f'<span lang="sv">{area.title}</span>' in html


def test_the_english_docx_is_in_english_with_the_evaluators_texts_marked(demo, run_cli, tmp_path):
    document = Document(str(_report(run_cli, tmp_path, "docx", "en")))
    assert document.core_properties.language == "en-GB"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "en-GB"
    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    strength = evaluation.findings.filter(kind="strength").first().text
    paragraph = next(p for p in document.paragraphs if p.text == strength)
    assert all(r._r.rPr.find(qn("w:lang")).get(qn("w:val")) == "sv-SE" for r in paragraph.runs)
    texts = [p.text for p in document.paragraphs]
    assert _english(SWEDISH_NOTE) in texts
    for message in _translated(HEADINGS):
        assert not any(_heading_line(message).search(text) for text in texts), message
    swedish = Document(str(_report(run_cli, tmp_path, "docx", "sv")))
    assert swedish.core_properties.language == "sv-SE"
    assert SWEDISH_NOTE not in [p.text for p in swedish.paragraphs]


def test_words_the_report_writes_follow_the_language():
    with translation.override("en"):
        assert month_name(3) == "March"
        assert genitive("Örebro") == "Örebro's" and genitive("Borås") == "Borås'"
        assert text_language_sentence("sv") == _english(SWEDISH_NOTE)
        assert text_language_sentence("en") == ""
    with translation.override("sv"):
        assert month_name(3) == "mars"
        assert genitive("Örebro") == "Örebros" and genitive("Borås") == "Borås"
        assert ordinal_word(5) == "femte" and ordinal_word(13) == "13:e"
        assert text_language_sentence("sv") == ""
    with translation.override("nb"):
        assert month_name(3) == "mars"
        assert genitive("Borås") == "Borås'"


def test_charts_are_cached_per_language(demo, monkeypatch):
    """A drawn chart carries words: its cache key names the language it was drawn in."""
    from kompass.web import pages

    keys = []
    real = pages.derived
    monkeypatch.setattr(pages, "derived", lambda key, compute, **kw: keys.append(key) or real(key, compute, **kw))
    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    for language in ("sv", "en"):
        with translation.override(language):
            charts = pages.evaluation_charts(evaluation)
            assert charts[0]["data"].value_label == gettext("Poäng")
    assert len(keys) == 2 and keys[0] != keys[1]
    assert keys[0].endswith(":sv") and keys[1].endswith(":en")


def test_download_links_carry_the_pages_language(demo, client):
    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    for language in ("en", "sv"):
        html = client.get(f"/utvardering/{evaluation.pk}/?lang={language}").content.decode()
        for fmt in ("pdf", "docx", "html"):
            assert f'href="/utvardering/{evaluation.pk}/rapport.{fmt}?lang={language}"' in html, (language, fmt)


def test_a_download_link_gives_the_report_in_its_language(demo, client):
    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    english = client.get(f"/utvardering/{evaluation.pk}/rapport.html?lang=en")
    assert english.status_code == 200 and '<html lang="en">' in english.content.decode()
    pdf = client.get(f"/utvardering/{evaluation.pk}/rapport.pdf?lang=en")
    assert pdf["Content-Disposition"] == 'attachment; filename="kommunkompassen-1880-orebro-2015-en.pdf"'
    swedish = client.get(f"/utvardering/{evaluation.pk}/rapport.html?lang=sv")
    assert '<html lang="sv">' in swedish.content.decode()


@pytest.mark.parametrize("language", ["sv", "nb", "da", "en"])
def test_every_language_writes_every_text_format(demo, run_cli, tmp_path, language):
    html = _report(run_cli, tmp_path, "html", language).read_text()
    assert f'<html lang="{language}">' in html
    text = _report(run_cli, tmp_path, "txt", language).read_text()
    with translation.override(language):
        assert gettext("Översikt av poängfördelning") in text
        note = text_language_sentence("sv") or SWEDISH_NOTE
    assert (note in text) == (language != "sv") and (escape(note) in html) == (language != "sv")
    # The numbers are the same in every language: the total and the overview's rows.
    assert re.search(r"^Totalt?.*\t650\t800\t81%$|\t650\t800\t81%$", text, re.M)


def test_the_evaluators_write_in_their_countrys_language():
    """The shipped versions are Swedish and shared: KS's evaluators write Norwegian."""
    from kompass.catalogue.models import Framework
    from kompass.evaluations.models import Evaluation
    from kompass.municipalities.models import Municipality

    def evaluation(country, language="sv"):
        return Evaluation(municipality=Municipality(country=country), framework=Framework(language=language))

    assert [evaluation(c).text_language for c in ("SE", "NO", "DK")] == ["sv", "nb", "da"]
    assert evaluation("FI", "en-GB").text_language == "en"
    assert Municipality(country="NO").language == "nb"
    with translation.override("sv"):
        assert text_language_sentence("nb") == gettext("Utvärderarnas texter är skrivna på norska (bokmål).")
