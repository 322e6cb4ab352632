"""``kompass generate``: synthetic evaluations for tests and benchmarks, and the Nordic
municipalities shipped with the package that it draws on."""

import datetime
import io
import itertools
import json
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from kompass import scoring
from kompass.catalogue import definitions
from kompass.evaluations.models import (
    AreaAssessment,
    Evaluation,
    Evaluator,
    Finding,
    QuestionAssessment,
)
from kompass.municipalities.models import County, Municipality

TODAY = datetime.date.today()


def generate(**options):
    from kompass.generate import generate as run

    options.setdefault("hooks", False)
    return run(**options)


def period(code: str, today: datetime.date = TODAY) -> tuple[int, int]:
    """A version's years as its catalogue file states them ("2020–" runs to this year),
    widened by the overlaps synthetic data allows at version changes."""
    match = re.fullmatch(r"(\d{4})–(\d{4})?", definitions.get(code).in_use)
    first = int(match[1]) - 2
    return first, min(int(match[2]) + 4, today.year) if match[2] else today.year


def sheet(evaluation) -> scoring.Scoresheet:
    return scoring.Scoresheet(
        questions={q.question.code: q.score for q in evaluation.question_assessments.all() if q.score is not None},
        areas={a.area.number: a.score for a in evaluation.area_assessments.all() if a.score is not None},
        total=evaluation.total_score,
    )


def snapshot() -> list:
    """Everything generated, without database ids or timestamps."""
    rows = []
    for e in Evaluation.objects.select_related("municipality", "framework").order_by("municipality__country", "municipality__code", "year"):
        rows.append(
            (
                e.municipality.country, e.municipality.code, e.year, e.framework.code, e.status, e.month, e.visit_start,
                e.visit_end, e.ordinal, e.interviewees, e.interviewees_approximate, tuple(e.sources), e.publisher,
                e.data_source, e.evaluation_text, e.summary_text,
                tuple((q.question.code, q.score, q.text) for q in e.question_assessments.select_related("question").order_by("question__code")),
                tuple((a.area.number, a.score, a.general_text, a.changes_text) for a in e.area_assessments.select_related("area")),
                tuple((f.area.number, f.kind, f.position, f.text, f.question.code if f.question else None) for f in e.findings.select_related("area", "question")),
                tuple((v.position, v.name, v.organisation) for v in e.evaluators.all()),
            )
        )
    return rows


# --- the shipped municipalities -------------------------------------------------------------


def test_norwegian_and_danish_municipalities_are_there_after_migrate(db):
    counts = Counter(Municipality.objects.values_list("country", flat=True))
    assert counts == {"SE": 290, "NO": 357, "DK": 98}
    for country in ("SE", "NO", "DK"):
        codes = list(Municipality.objects.filter(country=country).values_list("code", flat=True))
        assert len(codes) == len(set(codes))
        assert all(re.fullmatch(r"\d{4}", code) for code in codes)
    assert Counter(County.objects.values_list("country", flat=True)) == {"SE": 21, "NO": 15, "DK": 5}
    assert sorted(County.objects.filter(country="DK").values_list("code", flat=True)) == ["81", "82", "83", "84", "85"]

    oslo = Municipality.objects.select_related("county").get(country="NO", code="0301")
    assert (oslo.name, oslo.short_name, oslo.county.code) == ("Oslo kommune", "Oslo", "03")
    copenhagen = Municipality.objects.select_related("county").get(country="DK", code="0101")
    assert (copenhagen.name, copenhagen.short_name, copenhagen.county.name) == ("Københavns Kommune", "København", "Region Hovedstaden")
    assert Municipality.objects.get(country="DK", code="0751").short_name == "Aarhus"
    assert Municipality.objects.get(country="NO", code="5001").short_name == "Trondheim"
    assert Municipality.objects.get(country="NO", code="1580").short_name == "Haram"  # re-established 2024
    # A Norwegian kommunenummer starts with its fylke's number.
    for code, county in Municipality.objects.filter(country="NO").values_list("code", "county__code"):
        assert code[:2] == county
    assert not Municipality.objects.filter(county__isnull=True).exists()


def test_loading_the_shipped_municipalities_again_changes_nothing(db):
    from kompass.municipalities.services import municipalities_load_shipped

    def state():
        return sorted(Municipality.objects.values_list("pk", "country", "code", "name", "short_name", "county__code"))

    before = state()
    municipalities_load_shipped()
    municipalities_load_shipped()
    assert state() == before
    assert County.objects.count() == 41


def test_a_shipped_municipality_cannot_be_added_twice_and_the_refusal_is_one_clear_line(run_cli, db):
    code, _out, err = run_cli("add-municipality", "--country", "NO", "--code", "0301", "--name", "Oslo kommune")
    assert code == 1
    assert err == "kompass: Kommunen NO 0301 kan inte läggas till: Kommun med samma Land och Kommunkod finns redan.\n"


# --- generating -------------------------------------------------------------------------------


def test_generates_that_many_valid_evaluations(db):
    report = generate(evaluations=200, seed=42)
    assert (report.created, report.published, report.unpublished, report.seed) == (200, 180, 20, 42)
    assert Evaluation.objects.count() == 200
    assert Counter(Evaluation.objects.values_list("status", flat=True)) == {"published": 180, "planned": 20}
    assert report.municipalities == Evaluation.objects.values("municipality").distinct().count() > 10

    evaluations = Evaluation.objects.select_related("municipality", "framework").prefetch_related(
        "question_assessments__question", "area_assessments__area", "evaluators", "findings"
    )
    versions = Counter()
    for e in evaluations:
        definition = e.framework.definition
        versions[e.framework.code] += 1
        recorded = sheet(e)
        assert scoring.check(definition, recorded) == [], e
        first, last = period(e.framework.code)
        assert first <= e.year <= last <= TODAY.year
        assert (e.year, e.month) <= (TODAY.year, TODAY.month)
        assert e.visit_end is None or e.visit_start <= e.visit_end <= TODAY
        if definition.has_questions:
            assert set(recorded.questions) == {q.id for q in definition.questions} and not recorded.areas
            for code, score in recorded.questions.items():
                assert score == score.quantize(Decimal("0.01")) and 0 <= score <= definition.question(code).max_points
        else:
            assert set(recorded.areas) == {a.number for a in definition.areas} and not recorded.questions
            assert all(0 <= score <= 100 for score in recorded.areas.values())
        result = scoring.summarise(definition, recorded)
        assert result.total.known and result.total.derived  # every area known: the total follows
        assert 2 <= len(e.evaluators.all()) <= 3
        assert e.publisher and e.interviewees and e.ordinal and "syntetiska" in e.data_source.lower()
        for area in e.area_assessments.all():
            assert area.general_text
            kinds = Counter(f.kind for f in e.findings.all() if f.area_id == area.area_id)
            assert 2 <= kinds["strength"] <= 5 and 2 <= kinds["improvement"] <= 5 and kinds["good_example"] <= 2
    assert set(versions) == {"2002", "2010", "2016", "2020"}
    assert Finding.objects.filter(kind="good_example").exists()
    assert Finding.objects.filter(question__isnull=False).exists()  # 2010's findings name sub-questions
    assert AreaAssessment.objects.exclude(changes_text="").exists()


def test_a_municipality_is_evaluated_every_few_years_and_numbered_in_order(db):
    generate(evaluations=200, seed=42)
    years = defaultdict(list)
    for code, year, ordinal in Evaluation.objects.order_by("year").values_list("municipality__code", "year", "ordinal"):
        years[code].append((year, ordinal))
    for series in years.values():
        assert [ordinal for _year, ordinal in series] == list(range(1, len(series) + 1))
        gaps = [b - a for (a, _), (b, _) in itertools.pairwise(series)]
        assert all(2 <= gap <= 4 for gap in gaps), series
    assert max(len(s) for s in years.values()) >= 6


def test_scores_rise_slightly_over_time_and_follow_the_municipality(db):
    from kompass.evaluations.selectors import evaluation_result

    generate(evaluations=400, seed=11)
    rows = [
        (e.municipality_id, e.framework.code, e.year, evaluation_result(e).total.score)
        for e in Evaluation.objects.select_related("framework", "municipality").order_by("municipality_id", "year")
    ]
    # Consecutive evaluations of one municipality with one version: mostly a little better,
    # and much closer to each other than two evaluations taken at random.
    pairs = [(a[3], b[3]) for a, b in itertools.pairwise(rows) if a[:2] == b[:2]]
    assert len(pairs) > 100
    assert sum(b > a for a, b in pairs) > 0.7 * len(pairs)
    close = sum(abs(b - a) for a, b in pairs) / len(pairs)
    totals = [row[3] for row in rows]
    apart = sum(abs(a - b) for a in totals[::7] for b in totals[3::11]) / (len(totals[::7]) * len(totals[3::11]))
    assert close < apart / 2
    assert 300 < sum(totals) / len(totals) < 600  # the published average of 2010 is 461


def test_texts_are_varied_swedish_with_compound_words(db):
    generate(evaluations=200, seed=42)
    texts = " ".join(
        list(AreaAssessment.objects.values_list("general_text", flat=True))
        + list(AreaAssessment.objects.values_list("changes_text", flat=True))
        + list(QuestionAssessment.objects.values_list("text", flat=True))
        + list(Finding.objects.values_list("text", flat=True))
    )
    for word in (
        "medborgardialog", "e-tjänster", "korruption", "internkontroll", "medarbetarsamtal", "kvalitetsledning",
        "brukarundersökningar", "budgetuppföljning", "jämförelser med andra kommuner", "kvalitetsledningssystem",
        "kompetensförsörjning", "synpunkts- och klagomålshantering",
    ):
        assert word in texts, word
    words = Counter(re.findall(r"[a-zåäöé]{16,}", texts))
    assert len(words) > 40  # many long compounds, not a handful repeated
    strengths = list(Finding.objects.filter(kind="strength").values_list("text", flat=True))
    assert len(set(strengths)) > 0.5 * len(strengths)
    improvements = list(Finding.objects.filter(kind="improvement").values_list("text", flat=True))
    assert len(set(improvements)) > 0.5 * len(improvements)
    assert Evaluator.objects.values("name").distinct().count() > 100


def test_every_template_of_the_vocabulary_fills_with_every_theme():
    """vocabulary.yaml as data: each sentence fills with the words of each theme, the
    document's article agrees, and no placeholder is left unfilled."""
    import random

    from kompass.generate.texts import Words
    from kompass.generate.vocabulary import vocabulary

    v = vocabulary()
    templates = [
        *itertools.chain.from_iterable(v.sentences.values()), *v.introductions, *itertools.chain.from_iterable(v.changes.values()),
        *v.strengths, *v.improvements, *v.good_examples,
    ]
    assert len(v.themes) == 8 and len(templates) > 50
    for theme in v.themes.values():
        for template in templates:
            for seed in range(5):
                text = Words(random.Random(seed), theme).say(template, previous=2012, name="medborgarbudget", clause="där unga beslutar")
                assert text and "{" not in text and "}" not in text and "  " not in text, (template, text)
    agreeing = Words(random.Random(1), v.themes["demokrati"]).say(next(t for t in v.sentences["middling"] if "{en/ett}" in t.text))
    assert re.search(r"Det finns (en \w.* men den är inte känd|ett \w.* men det är inte känt)", agreeing), agreeing
    with pytest.raises(ValueError, match="unknown placeholder"):
        type(templates[0])("Kommunen {praktik}.")


def test_the_same_seed_gives_the_same_evaluations(db):
    generate(evaluations=80, seed=7)
    first = snapshot()
    Evaluation.objects.all().delete()
    generate(evaluations=80, seed=7, batch_size=7)  # in 12 batches
    assert snapshot() == first
    Evaluation.objects.all().delete()
    generate(evaluations=80, seed=8)
    assert snapshot() != first


def test_a_second_run_adds_to_the_first_and_skips_what_exists(db):
    generate(evaluations=150, seed=1)
    before = set(Evaluation.objects.values_list("pk", "municipality_id", "year", "framework_id"))
    report = generate(evaluations=150, seed=1)
    assert report.created == 150 and report.skipped > 0
    assert Evaluation.objects.count() == 300
    assert before <= set(Evaluation.objects.values_list("pk", "municipality_id", "year", "framework_id"))
    assert "fanns redan" in report.summary()


@pytest.mark.django_db(transaction=True)  # real commits and rollbacks, as on the command line
def test_a_failure_halfway_leaves_nothing_behind_and_the_foreign_keys_in_force():
    from django.db import IntegrityError, connection, transaction

    generate(evaluations=20, seed=3)
    before = snapshot()
    rows = [model.objects.count() for model in (AreaAssessment, QuestionAssessment, Finding, Evaluator)]

    def interrupted(done, total):  # after the first batch is written
        raise RuntimeError("avbruten")

    with pytest.raises(RuntimeError, match="avbruten"):
        generate(evaluations=60, seed=4, batch_size=20, progress=interrupted)
    assert snapshot() == before
    assert [model.objects.count() for model in (AreaAssessment, QuestionAssessment, Finding, Evaluator)] == rows
    # The rows are written without the ORM (and on PostgreSQL with the foreign keys
    # dropped for the load): the database still refuses a row of no evaluation.
    orphan = Evaluation.objects.order_by("-pk").first().pk + 1000
    for table, columns, values in (
        ("evaluations_evaluator", "evaluation_id, position, name, organisation", "%s, 1, 'X', ''"),
        ("evaluations_finding", "evaluation_id, area_id, kind, position, text", "%s, (SELECT MIN(id) FROM catalogue_area), 'strength', 1, 'X'"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({values})", [orphan])
    generate(evaluations=20, seed=4)
    assert Evaluation.objects.count() == 40


def test_generating_raises_the_data_version(db):
    from kompass.evaluations.summaries import data_version

    before = data_version()
    generate(evaluations=5, seed=6)
    assert data_version() != before


def test_every_free_year_can_be_filled_and_no_more(db):
    from django.core.exceptions import ValidationError

    early = datetime.date(2000, 12, 31)  # only 2000 (version 2002's first year): one free year per municipality
    with pytest.raises(ValidationError, match="746 är fler än de 745 lediga kombinationerna"):
        generate(evaluations=746, seed=3, today=early)
    assert not Evaluation.objects.exists()
    generate(evaluations=745, seed=3, today=early)
    assert Evaluation.objects.count() == Municipality.objects.count() == 745
    assert set(Evaluation.objects.values_list("year", "framework__code")) == {(2000, "2002")}
    with pytest.raises(ValidationError, match="1 är fler än de 0 lediga"):
        generate(evaluations=1, seed=3, today=early)


def test_nothing_lies_in_the_future_early_in_the_year(db):
    today = datetime.date(2024, 1, 15)
    generate(evaluations=400, seed=5, today=today)
    assert Evaluation.objects.filter(year__gt=2024).count() == 0
    this_year = Evaluation.objects.filter(year=2024)
    assert this_year.exists()
    for e in this_year:
        assert e.month == 1 and (e.visit_end is None or e.visit_end <= today)
    from kompass.evaluations.services import Facts, facts_problems

    for e in Evaluation.objects.all():
        facts = Facts(year=e.year, status=e.status, month=e.month, visit_start=e.visit_start, visit_end=e.visit_end)
        assert facts_problems(facts, today=today) == []


def test_generated_evaluations_survive_the_dump_import(db):
    """The project's own import validates every field; a round trip gives the same document."""
    from kompass.dump.export import export_document
    from kompass.dump.importing import dump_import

    generate(evaluations=25, seed=9)
    document = json.loads(json.dumps(export_document(), default=str))
    Evaluation.objects.all().delete()
    report = dump_import(document)
    assert len(report.created) == 25
    assert json.loads(json.dumps(export_document(), default=str)) == document


# --- the command --------------------------------------------------------------------------------


def test_the_command_prints_one_summary_line(run_cli, db):
    code, out, err = run_cli("generate", "--evaluations", 30, "--seed", 4, "--published-share", 0.5)
    assert code == 0, err
    assert err == ""  # no terminal: no progress bar
    summary = out.splitlines()[-1]
    assert re.fullmatch(
        r"Skapade 30 syntetiska utvärderingar i \d+ kommuner \(15 publicerade, 15 planerade\) på \d+,\d s, frö 4\.", summary
    ), summary
    assert any(line.startswith("Sökindex: ") for line in out.splitlines()[:-1])
    assert Evaluation.objects.count() == 30


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--evaluations", "0"], "kompass: --evaluations ska vara ett heltal, minst 1, inte 0"),
        (["--evaluations", "-3"], "kompass: --evaluations ska vara ett heltal, minst 1, inte -3"),
        (["--evaluations", "5", "--published-share", "1.5"], "kompass: --published-share ska vara en andel mellan 0 och 1 (0.9 är 90 %), inte 1.5"),
        (["--evaluations", "5", "--published-share", "-0.1"], "kompass: --published-share ska vara en andel mellan 0 och 1 (0.9 är 90 %), inte -0.1"),
        (["--evaluations", "5", "--published-share", "nan"], "kompass: --published-share ska vara en andel mellan 0 och 1 (0.9 är 90 %), inte nan"),
        (["--evaluations", "100000"], "kompass: --evaluations 100000 är fler än de "),
        (["--evaluations", "many"], "kompass generate: argument --evaluations: invalid int value: 'many'"),
        ([], "kompass generate: the following arguments are required: --evaluations"),
    ],
)
def test_bad_input_is_refused_in_one_line_and_changes_nothing(run_cli, db, arguments, message):
    generate(evaluations=10, seed=2)
    before = snapshot()
    code, out, err = run_cli("generate", *arguments)
    assert code in (1, 2) and out == ""
    assert err.startswith(message) and err.count("\n") == 1, err
    assert snapshot() == before


def test_the_progress_bar_shows_on_a_terminal_only():
    from kompass.cli.progress import ProgressBar

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        bar = ProgressBar(stream)
        bar.update(100, 400)
        bar.update(400, 400)
        bar.finish()
    assert log.getvalue() == ""
    assert terminal.getvalue() == (
        "\r[#######.......................] 100/400 utvärderingar"
        "\r[##############################] 400/400 utvärderingar\n"
    )


def test_two_databases_with_one_seed_export_the_same(kompass_process, tmp_path):
    exports = []
    for name in ("a", "b"):
        database = tmp_path / f"{name}.sqlite3"
        assert kompass_process("init", database=database).returncode == 0
        run = kompass_process("generate", "--evaluations", 25, "--seed", 12, database=database)
        assert run.returncode == 0, run.stderr
        assert run.stderr == "" and "Skapade 25 syntetiska utvärderingar" in run.stdout
        output = tmp_path / f"{name}.json"
        assert kompass_process("export", "--output", output, database=database).returncode == 0
        exports.append(output.read_text(encoding="utf-8"))
    assert exports[0] == exports[1]
    assert len(json.loads(exports[0])["evaluations"]) == 25


def test_a_failing_hook_says_that_the_evaluations_are_saved(run_cli, db, monkeypatch):
    services = pytest.importorskip("kompass.search.services")

    def broken(progress=None):
        raise RuntimeError("indexet är trasigt")

    monkeypatch.setattr(services, "search_rebuild", broken)
    code, _out, err = run_cli("generate", "--evaluations", 5, "--seed", 1)
    assert code == 1
    assert err == (
        "kompass: 5 utvärderingar sparades (frö 1), men uppdateringen av det härledda misslyckades: indexet är trasigt\n"
    )
    assert Evaluation.objects.count() == 5
