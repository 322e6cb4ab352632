"""The complete report from the workspace: the "Rapportuppgifter" page and its services,
the publish rule, and the report of an evaluation made in the workspace against the
seed's Örebro 2015 report (its contents list read from the seed, chapter by chapter)."""

from __future__ import annotations

import io
import re
import subprocess
from html.parser import HTMLParser

import pytest
from conftest import SEED, bring_to_consensus, write_all_texts
from django.core.exceptions import ValidationError
from django.test import Client

from kompass.evaluations.models import Evaluation, Evaluator
from kompass.workspace import facts, services
from kompass.workspace.models import AuditEntry

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _snapshot(evaluation):
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    fields = ("month", "interviewees", "interviewees_approximate", "ordinal", "sources", "publisher", "evaluation_text", "summary_text", "status")
    return {
        "evaluation": {f: getattr(evaluation, f) for f in fields},
        "evaluators": list(Evaluator.objects.filter(evaluation=evaluation).values_list("position", "name", "organisation")),
        "audit": list(AuditEntry.objects.filter(evaluation=evaluation).values_list("field", "old", "new")),
    }


def _url(team):
    return f"/arbete/{team.evaluation.pk}/rapportuppgifter/"


def _form(team, **changes):
    """The facts form as the page shows it, with ``changes`` typed in."""
    shown = facts.report_facts_initial(team.refresh())
    data = {
        "base": facts.report_facts_fingerprint(facts.report_facts_get(team.evaluation)),
        "month": str(shown.month or ""), "interviewees": str(shown.interviewees or ""), "ordinal": str(shown.ordinal or ""),
        "publisher": shown.publisher, "evaluation_text": shown.evaluation_text, "sources": list(shown.sources),
        "evaluator_rows": str(len(shown.evaluators) + 2),
    }
    for n, (name, organisation) in enumerate(shown.evaluators, start=1):
        data[f"evaluator-{n}-name"], data[f"evaluator-{n}-organisation"] = name, organisation
    data.update(changes)
    return data


# --- the page and its services --------------------------------------------------------------


def test_the_page_suggests_ordinal_publisher_and_evaluators(team):
    orebro_earlier = Evaluation.objects.filter(municipality=team.evaluation.municipality, year__lt=2026)
    Evaluation.objects.filter(pk__in=orebro_earlier).update(ordinal=None)
    assert facts.ordinal_suggested(team.evaluation) == orebro_earlier.values("year").distinct().count() + 1
    # A recorded ordinal counts on: the 2015 evaluation was Örebro's fifth.
    Evaluation.objects.filter(pk=orebro_earlier.get(year=2015).pk).update(ordinal=5)
    assert facts.ordinal_suggested(team.evaluation) == 6
    team.anna.first_name, team.anna.last_name = "Anna", "Berg"
    team.anna.profile.organisation = "Hylte kommun"
    team.anna.profile.save()
    Evaluator.objects.filter(evaluation=team.evaluation).delete()  # nothing stored: the assigned users are suggested
    response = _client(team.anna).get(_url(team))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="ordinal" inputmode="numeric" pattern="[0-9]*" size="4" value="6"' in page
    assert 'value="Sveriges Kommuner och Regioner"' in page
    assert 'id="f-evaluator-1-name" name="evaluator-1-name" maxlength="200" value="Anna Berg"' in page
    assert 'name="evaluator-1-organisation" maxlength="200" value="Hylte kommun"' in page
    assert 'value="Bo Ek"' in page
    assert "Rapportuppgifter" in page and 'aria-current="page">Rapportuppgifter' in page


def test_the_publisher_follows_the_country():
    from kompass.municipalities.models import Municipality

    assert [facts.publisher_default(Municipality(country=c)) for c in ("SE", "NO", "DK")] == ["Sveriges Kommuner och Regioner", "KS", "KL"]


def test_the_facts_are_saved_in_order_with_the_audit_trail(team):
    data = _form(
        team, month="10", interviewees="30", interviewees_approximate="1", ordinal="6", sources=["documents", "website", "interviews"],
        publisher="Sveriges Kommuner och Regioner", **{"evaluator-1-name": "Bo Ek", "evaluator-1-organisation": "SKR",
                                                      "evaluator-2-name": "Anna Berg", "evaluator-2-organisation": "Borås kommun",
                                                      "evaluator-3-name": "Ewa Luvö", "evaluator-3-organisation": ""},
    )
    response = _client(team.anna).post(_url(team), data)
    assert response.status_code == 302 and response["Location"].endswith("?sparat=1#uppgifter")
    evaluation = team.refresh()
    assert (evaluation.month, evaluation.interviewees, evaluation.interviewees_approximate, evaluation.ordinal) == (10, 30, True, 6)
    assert evaluation.sources == ["interviews", "documents", "website"]
    assert list(evaluation.evaluators.values_list("position", "name", "organisation")) == [
        (1, "Bo Ek", "SKR"), (2, "Anna Berg", "Borås kommun"), (3, "Ewa Luvö", "")]
    audit = {e.field: (e.old, e.new, e.username) for e in AuditEntry.objects.filter(evaluation=evaluation, field__startswith="rapportuppgifter")}
    assert audit["rapportuppgifter · månad"] == ("", "10", "anna")
    assert audit["rapportuppgifter · antal intervjuade"] == ("", "30", "anna")
    assert audit["rapportuppgifter · utvärderare"][1] == "1. Bo Ek, SKR\n2. Anna Berg, Borås kommun\n3. Ewa Luvö"
    page = _client(team.anna).get(_url(team) + "?sparat=1").content.decode()
    assert "Rapportuppgifterna är sparade." in page
    # The generated "Utvärderingen" paragraph, shown while the text field is empty.
    assert "genomfördes i oktober 2026 och var kommunens sjätte utvärdering enligt Kommunkompassens kriterier" in page
    assert "genomfört intervjuer med ett 30-tal personer i organisationen" in page


BAD = [
    ({"month": "13"}, "månad: ”13” ska vara ett heltal 1–12", "f-month"),
    ({"month": "0"}, "månad: ”0” ska vara ett heltal 1–12", "f-month"),
    ({"interviewees": "0"}, "antal intervjuade: ”0” ska vara ett heltal 1–10000", "f-interviewees"),
    ({"interviewees": "-4"}, "antal intervjuade: ”-4” ska vara ett heltal 1–10000", "f-interviewees"),
    ({"interviewees": "trettio"}, "antal intervjuade: ”trettio” ska vara ett heltal 1–10000", "f-interviewees"),
    ({"ordinal": "0"}, "kommunens utvärdering nr: ”0” ska vara ett heltal 1–100", "f-ordinal"),
    ({"sources": ["documents", "telepati"]}, "källor: okänd källa telepati", "f-sources"),
    ({"publisher": "S" * 201}, "utgivare: längre än 200 tecken", "f-publisher"),
    ({"evaluator-1-name": " ", "evaluator-1-organisation": "SKR"}, "utvärderare 1: namnet saknas (organisation SKR)", "f-evaluator-1-name"),
    ({"evaluator-2-name": "B" * 201}, "utvärderare 2, namn: längre än 200 tecken", "f-evaluator-2-name"),
    ({"evaluation_text": "x" * (services.MAX_TEXT + 1)}, "Utvärderingen: texten är längre än 20000 tecken", "f-evaluation_text"),
]


@pytest.mark.parametrize("changes,message,anchor", BAD, ids=[b[1][:30] for b in BAD])
def test_each_bad_input_is_refused_with_a_link_to_its_field_and_nothing_changes(team, changes, message, anchor):
    before = _snapshot(team.evaluation)
    response = _client(team.anna).post(_url(team), _form(team, **{"month": "9", "interviewees": "31", **changes}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Det gick inte att spara. Inget har ändrats." in page
    assert f'<a href="#{anchor}">{message[:1].upper()}{message[1:]}' in page  # the summary's lines begin with a capital
    assert f'id="{anchor}"' in page  # the link leads somewhere
    assert _snapshot(team.evaluation) == before
    # What was typed is kept, and the field is marked.
    if "month" not in changes:
        assert '<option value="9" selected>' in page
    if "interviewees" not in changes:
        assert 'name="interviewees" inputmode="numeric" pattern="[0-9]*" size="5" value="31"' in page
    assert re.search(rf'id="{anchor}"[^>]*aria-invalid="true"', page) or anchor == "f-sources"


def test_the_services_refuse_bad_input_with_every_problem_keyed_by_field(team):
    with pytest.raises(ValidationError) as refused:
        facts.report_facts_parse(month="13", interviewees="0", ordinal="x", evaluators=[("", "SKR")])
    assert set(refused.value.message_dict) == {"month", "interviewees", "ordinal", "evaluator-1"}
    before = _snapshot(team.evaluation)
    with pytest.raises(ValidationError) as refused:  # facts built in code are checked too
        facts.report_facts_set(evaluation=team.evaluation, by=team.anna, facts=facts.ReportFacts(month=13, ordinal=0, evaluators=(("", "SKR"),)))
    assert set(refused.value.message_dict) == {"month", "ordinal", "evaluator-1"}
    assert _snapshot(team.evaluation) == before
    with pytest.raises(ValidationError):
        facts.summary_text_set(evaluation=team.evaluation, by=team.anna, text="y" * (services.MAX_TEXT + 1))
    assert _snapshot(team.evaluation) == before


def test_the_later_of_two_saves_is_refused_and_shows_the_other_version(team):
    form_anna, form_bo = _form(team), _form(team)  # both opened the page
    assert _client(team.anna).post(_url(team), {**form_anna, "month": "10", "interviewees": "25"}).status_code == 302
    before = _snapshot(team.evaluation)
    response = _client(team.bo).post(_url(team), {**form_bo, "month": "11"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Någon annan har sparat rapportuppgifterna medan du skrev" in page and "Antal intervjuade: 25" in page
    assert '<option value="11" selected>' in page  # Bo's typing is kept
    assert _snapshot(team.evaluation) == before
    # Saving again from the conflict page (its new fingerprint) is a deliberate overwrite.
    base = re.search(r'name="base" value="([0-9a-f]+)"', page)[1]
    assert _client(team.bo).post(_url(team), {**form_bo, "month": "11", "base": base}).status_code == 302
    assert team.refresh().month == 11


def test_the_summary_saves_in_place_with_conflict_check_and_audit(team):
    client = _client(team.anna)
    response = client.post(_url(team), {"text": "Kommunen har **kommit långt**.", "base": services.fingerprint("")}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Sparat." in response.content.decode()
    assert team.refresh().summary_text == "Kommunen har **kommit långt**."
    entry = AuditEntry.objects.get(evaluation=team.evaluation, field="Sammanfattande kommentar")
    assert (entry.old, entry.new, entry.username) == ("", "Kommunen har **kommit långt**.", "anna")
    before = _snapshot(team.evaluation)
    stale = client.post(_url(team), {"text": "Annat", "base": services.fingerprint("")})
    assert stale.status_code == 409 and "Någon annan har sparat en ny version" in stale.content.decode()
    assert _snapshot(team.evaluation) == before
    # Without JavaScript: a plain POST and back to the page.
    plain = client.post(_url(team), {"text": "Ny text.", "base": services.fingerprint("Kommunen har **kommit långt**.")})
    assert plain.status_code == 302 and plain["Location"].endswith("#sammanfattning")
    assert team.refresh().summary_text == "Ny text."


def test_who_may_see_and_edit_the_page(team):
    for user, status in ((team.admin, 200), (team.anna, 200), (team.carl, 404), (team.contact, 404), (team.stranger, 404)):
        assert _client(user).get(_url(team)).status_code == status, user
    services.share_set(evaluation=team.evaluation, shared=True, by=team.admin)
    before = _snapshot(team.evaluation)
    for user in (team.contact, team.carl):
        assert _client(user).get(_url(team)).status_code == 404
        assert _client(user).post(_url(team), _form(team, month="3")).status_code == 404
        assert _client(user).post(_url(team), {"text": "intrång"}).status_code == 404
    assert Client().get(_url(team)).status_code == 302  # anonymous: to the login page
    assert _snapshot(team.evaluation) == before


# --- publishing --------------------------------------------------------------------------------


def _ready(team):
    """Örebro 2026 scored, agreed and written, through the services."""
    bring_to_consensus(team)
    services.consensus_accept_unanimous(evaluation=team.evaluation, by=team.anna)
    write_all_texts(team)
    for area in team.evaluation.framework.definition.areas:
        services.findings_list_set(evaluation=team.evaluation, by=team.anna, area_number=area.number, kind="strength", items=[f"Styrka {area.number}"])
        services.findings_list_set(evaluation=team.evaluation, by=team.anna, area_number=area.number, kind="improvement", items=[f"Förbättring {area.number}"])
    return team.refresh()


def test_publishing_is_refused_without_the_summary_the_month_or_the_evaluators(team):
    _ready(team)
    facts.summary_text_set(evaluation=team.evaluation, by=team.anna, text="")
    Evaluator.objects.filter(evaluation=team.evaluation).delete()
    Evaluation.objects.filter(pk=team.evaluation.pk).update(month=None)
    before = _snapshot(team.evaluation)
    with pytest.raises(ValidationError) as refused:
        services.publish(evaluation=team.evaluation, by=team.admin)
    assert refused.value.messages == [
        "rapporten: texten ”Sammanfattande kommentar” saknas (Rapportuppgifter)",
        "rapporten: besökets månad saknas (Rapportuppgifter)",
        "rapporten: utvärderarna saknas (Rapportuppgifter)",
    ]
    assert _snapshot(team.evaluation) == before
    facts.summary_text_set(evaluation=team.evaluation, by=team.anna, text="Sammanfattat.")
    facts.report_facts_set(evaluation=team.evaluation, by=team.anna, facts=facts.ReportFacts(month=10, evaluators=(("Anna Berg", "SKR"),)))
    services.publish(evaluation=team.evaluation, by=team.admin)
    evaluation = team.refresh()
    assert evaluation.status == "published"
    # Published: the page is read only and a save is refused.
    response = _client(team.anna).post(_url(team), _form(team, month="3"))
    assert response.status_code == 400 and "publicerad och kan inte ändras" in response.content.decode()
    assert team.refresh().month == 10
    with pytest.raises(ValidationError, match="publicerad och kan inte ändras"):
        facts.summary_text_set(evaluation=evaluation, by=team.anna, text="Ändrad")


# --- the report against the seed ------------------------------------------------------------------


def _seed_contents() -> list[str]:
    """The seed's contents list ("Innehåll"), as printed, without dot leaders and page numbers."""
    text = SEED.read_text(encoding="utf-8")
    block = text[text.index("Innehåll") + len("Innehåll") : text.index("\n1 Vad är Kommunkompassen?\n\n")]
    entries = []
    for line in block.splitlines():
        line = re.sub(r"\.{2,}", "", line).strip()
        line = re.sub(r"\s+\d+$", "", line)  # the page number
        if line:
            entries.append(line)
    assert entries[0].startswith("1") and len(entries) == 5 + 8, entries  # five chapters, eight areas
    return entries


def _norm(heading: str) -> str:
    """Typography aside: "4." and "4" alike, dashes and runs of spaces alike."""
    heading = re.sub(r"^(\d)\.(?=\s)", r"\1", heading.strip())
    heading = re.sub(r"\s+[-–]\s+|\s+", " ", heading)
    return heading.strip()


def _expected(municipality: str, appendix_year: int | None) -> list[str]:
    seed_appendix_year = re.search(r"(\d{4}) års Kompassutvärdering", "\n".join(_seed_contents()))[1]
    expected = []
    for entry in _seed_contents():
        entry = entry.replace("Örebro kommun", municipality)
        if "års Kompassutvärdering" in entry:
            if appendix_year is None:
                continue
            entry = entry.replace(seed_appendix_year, str(appendix_year))
        expected.append(_norm(entry))
    return expected


def _chapters(headings: list[tuple[int, str]]) -> list[str]:
    """From (level, text) in document order: the chapters (level 1, numbered) and the
    areas of chapter 3 (level 2), i.e. what a contents list shows."""
    found, in_details = [], False
    for level, text in headings:
        text = " ".join(text.split())
        if level == 1 and re.match(r"^\d", text):
            found.append(_norm(text))
            in_details = text.startswith("3 ")
        elif level == 2 and in_details and text.startswith("Område"):
            found.append(_norm(text))
    return found


def _pdf_headings(content: bytes) -> list[tuple[int, str]]:
    from pypdf import PdfReader

    headings = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                headings.append((depth, item.title))

    walk(PdfReader(io.BytesIO(content)).outline, 1)
    return headings


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found, self.level, self.text, self.skip = [], None, "", False

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2"):
            self.level, self.text = int(tag[1]), ""
            self.skip = "report-title" in (dict(attrs).get("class") or "")

    def handle_endtag(self, tag):
        if tag in ("h1", "h2") and self.level:
            if not self.skip:
                self.found.append((self.level, self.text))
            self.level = None

    def handle_data(self, data):
        if self.level:
            self.text += data


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def published(team):
    """Örebro 2026 taken through the workspace and published, with the report's facts."""
    _ready(team)
    facts.report_facts_set(
        evaluation=team.evaluation, by=team.anna,
        facts=facts.ReportFacts(month=10, interviewees=30, interviewees_approximate=True, ordinal=6,
                                sources=("interviews", "documents", "website", "intranet"), publisher="Sveriges Kommuner och Regioner",
                                evaluators=(("Anna Berg", "SKR"), ("Bo Ek", "Hylte kommun"))),
    )
    facts.summary_text_set(evaluation=team.evaluation, by=team.anna, text="Örebro kommun har fortsatt sitt zqsammanfattning förbättringsarbete.")
    services.publish(evaluation=team.evaluation, by=team.admin)
    return team.refresh()


def _chapter_2(text: str, municipality: str) -> str:
    """From chapter 2's heading to chapter 3's: their second occurrences, after the contents list."""
    flat = _flat(text)
    contents = flat.index("Innehåll")
    start = flat.index(f"2 {municipality} i förhållande till Kommunkompassen", flat.index(f"2 {municipality} i förhållande", contents) + 1)
    end = flat.index("3 Detaljerad genomgång", flat.index("3 Detaljerad genomgång", contents) + 1)
    return flat[start:end]


FACTS_IN_CHAPTER_2 = (
    "Utvärderingen av Örebro kommun genomfördes i oktober 2026 och var kommunens sjätte utvärdering enligt Kommunkompassens kriterier.",
    "genomfört intervjuer med ett 30-tal personer i organisationen",
    "kommunens utvärdering nr 6",
    "Örebro kommun har fortsatt sitt zqsammanfattning förbättringsarbete.",
)


def test_the_pdf_has_the_seeds_chapters_in_order_and_chapter_2_carries_the_facts(published, tmp_path):
    from kompass.reports.formats import render_report

    content = render_report(published, "pdf").content
    municipality = published.municipality.name
    assert _chapters(_pdf_headings(content)) == _expected(municipality, 2015)
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    chapter = _chapter_2(text, municipality)
    for heading in ("Utvärderingen", "Sammanfattning av resultat", "Jämförelser", "Sammanfattande kommentar"):
        assert heading in chapter, heading
    assert chapter.index("Utvärderingen") < chapter.index("Sammanfattning av resultat") < chapter.index("Jämförelser") < chapter.index("Sammanfattande kommentar")
    for fact in FACTS_IN_CHAPTER_2:
        assert fact in chapter, fact
    title_page = _flat(text[: text.index("Innehåll")])
    assert "Analys av Örebro kommun 2026" in title_page
    assert "Anna Berg, SKR" in title_page and "Bo Ek, Hylte kommun" in title_page and "Sveriges Kommuner och Regioner" in title_page


def test_the_docx_has_the_seeds_chapters_in_order_and_chapter_2_carries_the_facts(published):
    from docx import Document

    from kompass.reports.formats import render_report

    document = Document(io.BytesIO(render_report(published, "docx").content))
    headings = [(int(p.style.name[-1]), p.text) for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert _chapters(headings) == _expected(published.municipality.name, 2015)
    body = "\n".join(p.text for p in document.paragraphs) + "\n" + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    chapter = _flat(body)
    for fact in FACTS_IN_CHAPTER_2:
        assert fact in chapter, fact
    titles = [p.text for p in document.paragraphs]
    assert "Anna Berg, SKR" in titles and "Sveriges Kommuner och Regioner" in titles


def test_the_html_has_the_seeds_chapters_in_order_and_chapter_2_carries_the_facts(published):
    from kompass.reports.formats import render_report

    html = render_report(published, "html").content.decode()
    parser = _Headings()
    parser.feed(html)
    assert _chapters(parser.found) == _expected(published.municipality.name, 2015)
    section = html[html.index('<section id="sammanfattning"') : html.index('<section id="omraden"')]
    text = _flat(re.sub(r"<[^>]+>", " ", section))
    for fact in FACTS_IN_CHAPTER_2:
        assert _flat(fact) in text, fact


@pytest.mark.parametrize("version", ["2016", "2020"])
def test_an_area_level_version_gets_a_complete_report(demo, version):
    """No sub-questions: chapter 1 from the version's facts, the overview at area level."""
    from decimal import Decimal

    from kompass import scoring
    from kompass.catalogue.models import Framework
    from kompass.evaluations import services as evaluation_services
    from kompass.municipalities.models import Municipality
    from kompass.reports.formats import render_report

    framework = Framework.objects.get(code=version)
    municipality = Municipality.objects.get(country="SE", code="0180")
    evaluation = evaluation_services.evaluation_create(
        municipality=municipality, framework=framework,
        facts=evaluation_services.Facts(year=2021, month=3, ordinal=1, interviewees=25, sources=("interviews", "documents"), summary_text="Stockholm zqsummary."),
    )
    evaluation_services.scores_set(evaluation=evaluation, sheet=scoring.Scoresheet(areas={a.number: Decimal(60) for a in framework.definition.areas}))
    html = render_report(evaluation, "html").content.decode()
    parser = _Headings()
    parser.feed(html)
    expected = _expected(municipality.name, None)
    areas = [_norm(f"Område {a.number} {a.title}") for a in framework.definition.areas]
    found = _chapters(parser.found)
    assert [h for h in found if not h.startswith("Område")] == [h for h in expected if not h.startswith("Område")]
    assert [h for h in found if h.startswith("Område")] == areas
    text = _flat(re.sub(r"<[^>]+>", " ", html))
    assert f"Version {version} är känd på områdesnivå; översikten visar områdena." in text
    assert "Uppnått" in text and "480" in text
    assert "var kommunens första utvärdering" in text and "Stockholm zqsummary." in text
    assert "Nedanstående tabeller visar" not in text  # no sub-question tables
    content = render_report(evaluation, "pdf").content
    assert [h for h in _chapters(_pdf_headings(content)) if not h.startswith("Område")] == [h for h in expected if not h.startswith("Område")]


def test_a_report_without_facts_prints_no_broken_sentence(team):
    from kompass.reports.context import report_context

    context = report_context(team.evaluation)  # nothing but the year is known
    assert context.evaluation_md == ""
    assert [label for label, _value in context.facts] == ["Version"]
    facts.report_facts_set(evaluation=team.evaluation, by=team.anna, facts=facts.ReportFacts(interviewees=12))
    paragraph = report_context(team.refresh()).evaluation_md
    assert paragraph == (
        "Utvärderingen av Örebro kommun genomfördes 2026. "
        "Utvärderingsgruppen har genomfört intervjuer med 12 personer i organisationen."
    )
