"""The HTML report: the same content, charts as SVG with text alternatives."""

import base64
import xml.etree.ElementTree as ET

import pytest
import tinyhtml5

from kompass.evaluations.models import Evaluation
from kompass.reports.context import report_context
from kompass.reports.html import report_html

pytestmark = pytest.mark.django_db
NS = {"h": "http://www.w3.org/1999/xhtml", "svg": "http://www.w3.org/2000/svg"}


@pytest.fixture
def page(demo):
    html = report_html(report_context(Evaluation.objects.get(municipality__code="1880", year=2015)))
    return html, tinyhtml5.parse(html)


def test_every_chart_has_a_title_and_a_text_alternative(page):
    _html, tree = page
    figures = tree.findall(".//h:figure", NS)
    assert len(figures) == 3
    for figure in figures:
        image = figure.find("h:img", NS)
        prefix = "data:image/svg+xml;base64,"
        assert image.get("src").startswith(prefix)  # vector, drawn from SVG
        svg = ET.fromstring(base64.b64decode(image.get("src")[len(prefix):]))
        title = svg.find("svg:title", NS).text
        assert title and image.get("alt").startswith(title)
        table = figure.find("h:table", NS)
        assert table is not None and len(table.findall(".//h:tbody/h:tr", NS)) >= 1
        assert figure.find("h:figcaption", NS).text.startswith("Diagram")


def test_history_chart_data_shows_unknown_as_missing_not_zero(page):
    _html, tree = page
    history = tree.findall(".//h:figure", NS)[1]
    rows = {
        row.find("h:th", NS).text: [td.text for td in row.findall("h:td", NS)]
        for row in history.findall(".//h:tbody/h:tr", NS)
    }
    assert rows["1. Offentlighet och demokrati"] == ["–", "68", "74"]  # 2010 unknown, 2012, 2015
    assert rows["3. Politisk styrning och kontroll"] == ["66", "86", "89"]


def test_contents_link_to_every_chapter(page):
    html, tree = page
    ids = {element.get("id") for element in tree.iter() if element.get("id")}
    links = [a.get("href") for a in tree.findall(".//h:nav//h:a", NS)]
    assert len(links) == 13  # 5 chapters and 8 areas
    assert all(link.startswith("#") and link[1:] in ids for link in links)


def test_the_overview_rows_match_the_seed(page, seed_overview):
    _html, tree = page
    rows = [[(td.text or "") for td in tr.findall("h:td", NS)] for tr in tree.findall(".//h:table[@class='overview']/h:tbody/h:tr", NS)]
    for row in seed_overview.questions:
        assert [row.id, row.text, str(row.rounded), str(row.max), f"{row.percent}%"] in rows


def test_download_links_on_the_evaluation_page(demo, client):
    evaluation = Evaluation.objects.get(municipality__code="1880", year=2015)
    page = client.get(f"/utvardering/{evaluation.pk}/").content.decode()
    for fmt in ("pdf", "docx", "html"):
        assert f"/utvardering/{evaluation.pk}/rapport.{fmt}" in page
    pdf = client.get(f"/utvardering/{evaluation.pk}/rapport.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == 'attachment; filename="kommunkompassen-1880-orebro-2015.pdf"'
    html = client.get(f"/utvardering/{evaluation.pk}/rapport.html")
    assert html["Content-Type"] == "text/html; charset=utf-8" and "Översikt av poängfördelning" in html.content.decode()
    assert client.get(f"/utvardering/{evaluation.pk}/rapport.odt").status_code == 404


def test_reports_of_drafts_are_not_public(demo, client):
    Evaluation.objects.filter(year=2012).update(status="planned")
    evaluation = Evaluation.objects.get(year=2012)
    assert client.get(f"/utvardering/{evaluation.pk}/rapport.pdf").status_code == 404


MAGIC = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "html": b"<!doctype html>", "txt": b"Kommunkompassen\n\nAnalys av"}


@pytest.mark.parametrize("year", [2010, 2012, 2015])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "txt"])
def test_every_demo_evaluation_in_every_format(demo, run_cli, tmp_path, year, fmt):
    path = tmp_path / f"orebro-{year}.{fmt}"
    code, out, err = run_cli("report", "1880", year, "--format", fmt, "--output", path)
    assert (code, err) == (0, "")
    assert out.startswith(f"Skrev {path}")
    assert path.read_bytes().startswith(MAGIC[fmt])


def test_an_unknown_format_or_folder_is_one_line(demo, run_cli, tmp_path):
    code, _out, err = run_cli("report", "1880", "2015", "--format", "odt", "--output", tmp_path / "x.odt")
    assert code == 2 and err.count("\n") == 1 and "invalid choice: 'odt'" in err
    code, _out, err = run_cli("report", "1880", "2015", "--format", "pdf", "--output", tmp_path / "nope" / "x.pdf")
    assert code == 1 and err == f"kompass: {tmp_path / 'nope'}: mappen finns inte\n"
