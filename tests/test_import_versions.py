"""Reports of every version, at the level they print, in Swedish and Norwegian, import back.

The platform writes a report of a 2016 or a 2020 evaluation (known by area only: the
overview lists the areas), of a 2010 one (sub-questions), in Swedish or in Norwegian
(bokmål, a KS report) — as text, as a PDF's bare text and printed by another tool
(``printing``) — and the importer reads it back: every interval holds the true score,
the texts and lists come back."""

import random
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompass.catalogue import definitions
from kompass.catalogue.models import Framework
from kompass.dump.importing import dump_import
from kompass.evaluations import services
from kompass.evaluations.models import Evaluation
from kompass.evaluations.selectors import evaluation_result
from kompass.importers.reports import import_report
from kompass.municipalities.models import Municipality
from kompass.reports.context import report_context
from kompass.reports.formats import render_report
from kompass.reports.html import report_html
from kompass.reports.pdf import render_pdf
from kompass.scoring import Scoresheet
from printing import print_report
from test_import_roundtrip import items, texts

pytestmark = pytest.mark.django_db
SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}

# (version, country, municipality code, the report's language)
CASES = {
    "2016-sv": ("2016", "SE", "2080", "sv"),
    "2020-sv": ("2020", "SE", "2080", "sv"),
    "2020-nb": ("2020", "NO", "0301", "nb"),
    "2010-nb": ("2010", "NO", "0301", "nb"),
    "2016-nb": ("2016", "NO", "0301", "nb"),
}


@st.composite
def evaluations(draw, version: str):
    framework = definitions.get(version)
    if framework.has_questions:
        scores = {"questions": {q.id: Decimal(draw(st.integers(0, int(q.max_points) * 100))) / 100 for q in framework.questions}}
    else:
        scores = {"areas": {a.number: Decimal(draw(st.integers(0, int(a.max_points) * 100))) / 100 for a in framework.areas}}
    areas = {
        a.number: {
            "general": draw(texts),
            "strengths": draw(st.lists(items, min_size=1, max_size=4, unique=True)),
            "improvements": draw(st.lists(items, min_size=1, max_size=3, unique=True)),
        }
        for a in framework.areas
    }
    return {"scores": scores, "areas": areas, "summary": draw(texts), "evaluation": draw(texts), "printer": draw(st.integers(0, 10**6))}


def _save(data, version: str, country: str, code: str) -> Evaluation:
    Evaluation.objects.all().delete()
    # A published average whose source is a Swedish report's title: the report quotes it,
    # and a Norwegian report's own title must still be the one read.
    dump_import({"format": "kompass-dump", "version": 1, "evaluations": [], "benchmark_references": [{
        "framework": version, "area": None, "value": "461", "from_year": 2010, "country": country,
        "description": "Medelvärde", "source": "SKL, Kommunkompassen – Analys av Örebro kommun 2015",
    }]}, on_existing="replace")
    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(country=country, code=code),
        framework=Framework.objects.get(code=version),
        facts=services.Facts(year=2021, status="published", ordinal=2, evaluation_text=data["evaluation"], summary_text=data["summary"]),
    )
    services.scores_set(evaluation=evaluation, sheet=Scoresheet(**data["scores"]))
    services.evaluators_set(evaluation=evaluation, evaluators=[("Kari Nordmann" if country == "NO" else "Anna Berg", "KS" if country == "NO" else "SKR")])
    for number, area in data["areas"].items():
        services.area_texts_set(evaluation=evaluation, area_number=number, general=area["general"], changes="")
        services.findings_set(evaluation=evaluation, area_number=number, kind="strength", items=[(t, None) for t in area["strengths"]])
        services.findings_set(evaluation=evaluation, area_number=number, kind="improvement", items=[(t, None) for t in area["improvements"]])
    return evaluation


def _write(evaluation: Evaluation, fmt: str, language: str, seed: int, folder: Path) -> Path:
    with translation.override(language):
        if fmt == "pdf-text":  # the PDF without its embedded data: its text only
            path = folder / "rapport.pdf"
            path.write_bytes(render_pdf(report_html(report_context(evaluation), for_print=True)))
            return path
        text = render_report(evaluation, "txt").content.decode()
    path = folder / "rapport.txt"
    path.write_text(print_report(text, random.Random(seed)) if fmt == "printed" else text, encoding="utf-8")
    return path


def _flat(text: str) -> str:
    return " ".join(text.split())


def _roundtrip(data, case: str, fmt: str) -> None:
    version, country, code, language = CASES[case]
    evaluation = _save(data, version, country, code)
    truth = {a.area.number: a.score.score for a in evaluation_result(evaluation).areas}
    total = evaluation_result(evaluation).total.score
    with tempfile.TemporaryDirectory() as folder:
        path = _write(evaluation, fmt, language, data["printer"], Path(folder))
        Evaluation.objects.all().delete()
        result = import_report(path)
    assert (result.framework, result.year, result.municipality.code) == (version, 2021, code)
    imported = Evaluation.objects.get(municipality__country=country, municipality__code=code, year=2021)
    assert imported.framework.code == version and imported.ordinal == 2
    if "questions" in data["scores"]:
        for assessment in imported.question_assessments.select_related("question"):
            true = data["scores"]["questions"][assessment.question.code]
            assert assessment.score_low <= true <= assessment.score_high, (assessment.question.code, true)
        assert imported.question_assessments.filter(score__isnull=False).count() == len(data["scores"]["questions"])
    else:
        for assessment in imported.area_assessments.select_related("area"):
            true = truth[assessment.area.number]
            assert assessment.score_low <= true <= assessment.score_high, (assessment.area.number, true)
    imported_total = evaluation_result(imported).total
    assert imported_total.score is not None and abs(imported_total.score - total) <= Decimal("0.5")
    assert list(imported.evaluators.values_list("name", flat=True)) == ["Kari Nordmann" if country == "NO" else "Anna Berg"]
    assert _flat(imported.summary_text) == _flat(data["summary"])
    assert _flat(imported.evaluation_text) == _flat(data["evaluation"])
    for number, area in data["areas"].items():
        assert _flat(imported.area_assessments.get(area__number=number).general_text) == _flat(area["general"])
        findings = imported.findings.filter(area__number=number).order_by("position")
        assert [f.text for f in findings.filter(kind="strength")] == area["strengths"]
        assert [f.text for f in findings.filter(kind="improvement")] == area["improvements"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("fmt", ["txt", "printed"])
def test_reports_of_every_version_and_language_import_back(db, case, fmt):
    @settings(max_examples=4, **SETTINGS)
    @given(data=evaluations(CASES[case][0]))
    def check(data):
        _roundtrip(data, case, fmt)

    check()


@pytest.mark.slow
@pytest.mark.parametrize("case", ["2016-sv", "2020-nb"])
def test_pdf_text_of_every_version_and_language_imports_back(db, case):
    @settings(max_examples=1, **SETTINGS)
    @given(data=evaluations(CASES[case][0]))
    def check(data):
        _roundtrip(data, case, "pdf-text")

    check()
