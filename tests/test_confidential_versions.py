"""A version whose question texts are confidential (``public_questions: false``): the
public pages, the open data API and the reports show its sub-questions by id only; the
owner's tools and the workspace show everything. The same evaluations of a public copy
of the version show the texts, so every check here can fail."""

import html
import io
import json
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.test import Client

from kompass import scoring

EXAMPLE = Path(__file__).parent / "data" / "catalogue" / "example.yaml"
CONFIDENTIAL, PUBLIC = "2097", "2098"
TOKEN = "zqx"  # in the invented text, short title and guidance of question 1.1, nowhere else
QUESTION_TEXT = "Zqxfråga: hur informerar kommunen medborgarna om besluten?"
SHORT = "Zqxrubrik"
GUIDANCE = "Zqxvägledning: en samlad plan för informationen."


@pytest.fixture
def versions(db, tmp_path):
    """The example version with a distinctive question 1.1, loaded (``--as``) twice: as a
    confidential version and as a public one."""
    from kompass.catalogue.services import catalogue_load

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    question = data["areas"][0]["questions"][0]
    question.update(text=QUESTION_TEXT, short=SHORT)
    question["guidance"]["looked_for"] = GUIDANCE
    for code, public in ((CONFIDENTIAL, False), (PUBLIC, True)):
        data["public_questions"] = public
        path = tmp_path / f"version-{code}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        catalogue_load(path=path, as_id=code)


def _published(code: str, municipality: str, share: Decimal):
    """A published evaluation of the version, made through the services (the test needs
    it to exist, not how it came to be), with a first revision as publishing leaves."""
    from kompass.catalogue.models import Framework
    from kompass.evaluations import services
    from kompass.evaluations.documents import evaluation_full_document
    from kompass.municipalities.models import Municipality
    from kompass.search.services import search_index_evaluation
    from kompass.workspace.models import Revision

    framework = Framework.objects.get(code=code)
    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(country="SE", code=municipality), framework=framework,
        facts=services.Facts(year=2021, status="published", month=10, summary_text="Kommunen har kommit långt."),
    )
    questions = framework.definition.questions
    services.scores_set(evaluation=evaluation, sheet=scoring.Scoresheet(questions={q.id: q.max_points * share for q in questions}))
    services.question_text_set(evaluation=evaluation, question_code="1.1", text="Informationen om besluten är samlad och tydlig.")
    services.findings_set(evaluation=evaluation, area_number=1, kind="improvement", items=[("Återkoppla dialogen bättre.", "1.1")])
    services.findings_set(evaluation=evaluation, area_number=1, kind="good_example", items=[("Ett gott exempel på dialog.", "1.2")])
    Revision.objects.create(evaluation=evaluation, number=1, reason="Publicering", document=evaluation_full_document(evaluation))
    search_index_evaluation(evaluation)
    return evaluation


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _pdf_embedded(content: bytes, tmp_path) -> str:
    from kompass.importers.extract import read_source

    path = tmp_path / "rapport-data.pdf"
    path.write_bytes(content)
    return json.dumps(read_source(path).embedded, ensure_ascii=False)


def _docx_text(content: bytes) -> str:
    """The document's text (python-docx) and every part of the package (headers,
    tables, the embedded data) as it is stored."""
    import docx

    document = docx.Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        parts = [package.read(name).decode("utf-8", "replace") for name in package.namelist()]
    return "\n".join([*paragraphs, *cells, *parts])


def _published_outputs(evaluation, other, tmp_path) -> dict[str, str]:
    """Everything the public gets of the evaluation, as text."""
    c = Client()

    def page(path):
        response = c.get(path)
        assert response.status_code == 200, (path, response.status_code)
        content = response.content.decode()
        return html.unescape(content) if "html" in response["Content-Type"] else content

    pk, code = evaluation.pk, evaluation.framework.code
    pdf = c.get(f"/utvardering/{pk}/rapport.pdf")
    docx = c.get(f"/utvardering/{pk}/rapport.docx")
    assert pdf.status_code == 200 and docx.status_code == 200
    return {
        "evaluation page": page(f"/utvardering/{pk}/"),
        "revision page": page(f"/utvardering/{pk}/revision/1/"),
        "municipality page": page("/kommun/SE/1880/"),
        "compare page": page(f"/jamfor/?id={pk}&id={other.pk}"),
        "benchmark page": page(f"/jamforelse/{code}/"),
        "search page": page("/sok/?q=dialog"),
        "API evaluation (JSON)": page(f"/api/evaluations/{pk}"),
        "API evaluation (CSV)": page(f"/api/evaluations/{pk}?format=csv"),
        "API benchmark (JSON)": page(f"/api/benchmark?framework={code}"),
        "API benchmark (CSV)": page(f"/api/benchmark?framework={code}&format=csv"),
        "HTML report": page(f"/utvardering/{pk}/rapport.html"),
        "DOCX report": _docx_text(docx.content),
        "PDF report": _pdf_text(pdf.content, tmp_path),
        "PDF report's embedded data": _pdf_embedded(pdf.content, tmp_path),
    }


def _texts(code: str) -> list[str]:
    """Every question text and guidance sentence of the version (short titles of one or
    two words, such as "Jämförelser", are also ordinary words of a report)."""
    from kompass.catalogue import definitions

    found = []
    for q in definitions.get(code).questions:
        found += [q.text, q.short]
        if q.guidance:
            found += [q.guidance.looked_for, q.guidance.full, q.guidance.partial, q.guidance.none]
    return [t for t in found if len(t.split()) >= 4]


def test_a_confidential_version_shows_ids_only_and_a_public_one_its_texts(versions, tmp_path):
    orebro, stockholm = _published(CONFIDENTIAL, "1880", Decimal("0.5")), _published(CONFIDENTIAL, "0180", Decimal("0.75"))
    shown = _published_outputs(orebro, stockholm, tmp_path)
    texts = _texts(CONFIDENTIAL)
    assert QUESTION_TEXT in texts and GUIDANCE in texts
    for where, content in shown.items():
        assert TOKEN not in content.lower(), where
        if where != "PDF report":  # pdftotext breaks long lines; the token above covers it
            leaked = [t for t in texts if t in content]
            assert not leaked, (where, leaked)
    # The sub-questions are there, by id and the neutral label; the area titles stay.
    assert "Delfråga 1.1" in shown["evaluation page"] and "Samspel mellan förtroendevalda och medborgare" in shown["evaluation page"]
    assert "Delfråga 1.1" in shown["compare page"] and "Delfråga 1.1" in shown["benchmark page"]
    assert "Delfråga 1.1" in shown["revision page"]
    assert "Delfråga 1.1" in shown["PDF report"] and "Delfråga 1.1" in shown["DOCX report"]
    detail = json.loads(shown["API evaluation (JSON)"])
    question = detail["areas"][0]["questions"][0]
    assert question["id"] == "1.1" and question["text"] is None and question["max"] == 40
    benchmark = json.loads(shown["API benchmark (JSON)"])
    assert benchmark["questions"][0]["id"] == "1.1" and benchmark["questions"][0]["text"] is None

    orebro, stockholm = _published(PUBLIC, "1880", Decimal("0.5")), _published(PUBLIC, "0180", Decimal("0.75"))
    shown = _published_outputs(orebro, stockholm, tmp_path)
    for where in ("evaluation page", "revision page", "API evaluation (JSON)", "API evaluation (CSV)", "API benchmark (JSON)",
                  "HTML report", "DOCX report", "PDF report's embedded data"):
        assert QUESTION_TEXT in shown[where], where
    for where in ("compare page", "benchmark page"):
        assert SHORT in shown[where], where
    assert TOKEN in shown["PDF report"].lower()
    assert json.loads(shown["API evaluation (JSON)"])["areas"][0]["questions"][0]["text"] == QUESTION_TEXT


def test_the_owner_and_the_workspace_see_a_confidential_version_whole(versions, run_cli):
    from kompass.catalogue.models import Framework
    from kompass.municipalities.models import Municipality
    from kompass.workspace import services

    code, out, err = run_cli("catalogue", "show", CONFIDENTIAL)
    assert code == 0, err
    assert QUESTION_TEXT in out and GUIDANCE in out
    code, out, err = run_cli("catalogue", "show", CONFIDENTIAL, "--json")
    assert code == 0, err
    first = json.loads(out)["areas"][0]["questions"][0]
    assert first["text"] == QUESTION_TEXT and first["guidance"]["looked_for"] == GUIDANCE

    admin = services.user_add(username="admin", role="admin", password="Kompass-test-2026!", full_name="Ada Admin")
    anna = services.user_add(username="anna", role="evaluator", password="Kompass-test-2026!", full_name="Anna Berg")
    evaluation = services.evaluation_new(
        municipality=Municipality.objects.get(country="SE", code="1880"), framework=Framework.objects.get(code=CONFIDENTIAL),
        year=2021, evaluators=[anna], by=admin,
    )
    services.status_set(evaluation=evaluation, status="collecting", by=admin)
    services.status_set(evaluation=evaluation, status="scoring", by=admin)
    c = Client()
    c.force_login(anna)
    response = c.get(f"/arbete/{evaluation.pk}/poang/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert QUESTION_TEXT in page and GUIDANCE in page


def test_the_public_view_keeps_structure_and_hides_texts(versions):
    from kompass.catalogue import definitions
    from kompass.catalogue.visibility import public_text, public_view, question_heading

    public, confidential = definitions.get(PUBLIC), definitions.get(CONFIDENTIAL)
    assert public_view(public) is public
    view = public_view(confidential)
    assert view is public_view(confidential)  # built once per loaded definition
    assert [(q.id, q.max_points, q.subarea) for q in view.questions] == [(q.id, q.max_points, q.subarea) for q in confidential.questions]
    assert [(a.number, a.title, a.max_points) for a in view.areas] == [(a.number, a.title, a.max_points) for a in confidential.areas]
    assert all(q.text == f"Delfråga {q.id}" and not q.short and q.guidance is None for q in view.questions)
    assert all(a.guidance is None for a in view.areas)
    assert view.question("1.1").text == "Delfråga 1.1"
    assert question_heading(view.question("1.1")) == "Delfråga 1.1"
    assert question_heading(public.question("1.1")) == f"1.1 {SHORT}"
    assert public_text(confidential, "1.1") is None and public_text(public, "1.1") == QUESTION_TEXT
    # The scores come out the same against the view as against the version.
    sheet = scoring.Scoresheet(questions={q.id: q.max_points / 2 for q in confidential.questions})
    assert scoring.summarise(view, sheet).total.score == scoring.summarise(confidential, sheet).total.score
