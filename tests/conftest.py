import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]



def _own_cache_directory() -> None:
    """Each run its own file cache: two runs at once, or a developer's `make run` beside
    the tests, never clear each other's entries. pytest-django has loaded the settings by
    now, but no cache has been opened yet, so the location can still change."""
    import tempfile

    from django.conf import settings

    default = dict(settings.CACHES["default"], LOCATION=tempfile.mkdtemp(prefix="kompass-test-cache-"))
    settings.CACHES = {**settings.CACHES, "default": default}


_own_cache_directory()

# The suite renders reports and searches far faster than any visitor; the rate limits
# have their own test (tests/test_expensive_answers.py), which sets them itself.
for _name in ("KOMPASS_RATE_LIMIT_REPORTS", "KOMPASS_RATE_LIMIT_SEARCH", "KOMPASS_RATE_LIMIT_API"):
    os.environ.setdefault(_name, "1000000/60")
SEED = REPO.parent / "shared" / "seed" / "000_6d41023fb3f89d2a.txt"


@dataclass(frozen=True)
class SeedRow:
    id: str
    text: str
    rounded: int
    max: int
    percent: int


@dataclass(frozen=True)
class SeedOverview:
    questions: list[SeedRow]
    areas: dict[int, tuple[str, int, int]]  # number -> (title, rounded, percent)


def read_seed_overview() -> SeedOverview:
    """Section 4 of the seed, "Översikt av poängfördelning", as printed in the report."""
    if not SEED.exists():
        pytest.fail(f"the seed is missing: {SEED} (tests read ../shared beside the checkout)")
    text = SEED.read_text(encoding="utf-8")
    section = text[text.index("4. Översikt av poängfördelning") : text.index("2012 års Kommunkompass utvärdering")]
    questions, areas, current = [], {}, None
    for line in section.splitlines():
        if m := re.match(r"^(\d)\.\t(.*)\tUppnått\tMax\tProcent$", line):
            current = (int(m[1]), m[2])
        elif m := re.match(r"^(\d\.\d)\t(.*)\t(\d+)\t(\d+)\t(\d+)%$", line):
            questions.append(SeedRow(m[1], m[2], int(m[3]), int(m[4]), int(m[5])))
        elif m := re.match(r"^\t\t(\d+)\t100\t(\d+)%$", line):
            areas[current[0]] = (current[1], int(m[1]), int(m[2]))
    assert len(questions) == 45 and len(areas) == 8, "the seed's section 4 could not be read"
    return SeedOverview(questions, areas)


@pytest.fixture(scope="session")
def seed_overview() -> SeedOverview:
    return read_seed_overview()


@pytest.fixture
def demo(db):
    from kompass.demo import demo_load

    demo_load()


@pytest.fixture
def run_cli(capsys):
    """Run the kompass command in this process, against the test database."""
    from kompass.cli import main

    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


KOMPASS = Path(sys.executable).with_name("kompass")


@pytest.fixture
def kompass_process(tmp_path):
    """Run the installed kompass command as a user would, on its own SQLite file."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}

    def run(*args, database: Path | None = None, cwd: Path | None = None):
        run_env = dict(env, KOMPASS_VAR_DIR=str(tmp_path / "var"))
        if database is not None:
            run_env["DATABASE_URL"] = f"sqlite:///{database}"
        return subprocess.run(
            [str(KOMPASS), *map(str, args)], capture_output=True, text=True, env=run_env, cwd=cwd or tmp_path, timeout=120
        )

    return run


# --- the workspace ------------------------------------------------------------------------

PASSWORD = "Kompass-test-2026!"


@dataclass
class Team:
    """Örebro 2026 (version 2010) in the workspace, with one account of every kind."""

    evaluation: object
    admin: object
    anna: object        # assigned evaluator
    bo: object          # assigned evaluator
    carl: object        # evaluator not assigned to this evaluation
    contact: object     # Örebro's contact person
    stranger: object    # another municipality's contact person

    def refresh(self):
        self.evaluation.refresh_from_db()
        return self.evaluation


@pytest.fixture
def team(demo):
    from kompass.catalogue.models import Framework
    from kompass.municipalities.models import Municipality
    from kompass.workspace import services

    def user(name, role, full_name, municipality=None):
        return services.user_add(username=name, role=role, password=PASSWORD, full_name=full_name, municipality=municipality)

    orebro = Municipality.objects.get(country="SE", code="1880")
    stockholm = Municipality.objects.get(country="SE", code="0180")
    admin = user("admin", "admin", "Ada Admin")
    anna, bo, carl = user("anna", "evaluator", "Anna Berg"), user("bo", "evaluator", "Bo Ek"), user("carl", "evaluator", "Carl Ros")
    contact = user("kontakt", "municipality", "Karin Kontakt", orebro)
    stranger = user("stockholm", "municipality", "Sten Holm", stockholm)
    evaluation = services.evaluation_new(
        municipality=orebro, framework=Framework.objects.get(code="2010"), year=2026, evaluators=[anna, bo], by=admin
    )
    return Team(evaluation, admin, anna, bo, carl, contact, stranger)


def score_everything(team, user, score_of=lambda question: question.max_points / 2):
    """Every sub-question scored and justified by one evaluator, through the services."""
    from kompass.catalogue.models import Question
    from kompass.workspace import services

    for question in Question.objects.filter(area__framework=team.evaluation.framework):
        services.independent_score_set(
            evaluation=team.evaluation, user=user, question_code=question.code,
            score=str(score_of(question)), justification=f"Motivering {question.code}",
        )


def bring_to_consensus(team, anna_score=None, bo_score=None):
    """Collecting → scoring, both evaluators score and submit, → consensus."""
    from kompass.workspace import services

    services.status_set(evaluation=team.evaluation, status="collecting", by=team.admin)
    services.status_set(evaluation=team.evaluation, status="scoring", by=team.admin)
    score_everything(team, team.anna, *([anna_score] if anna_score else []))
    score_everything(team, team.bo, *([bo_score] if bo_score else []))
    services.scoring_submit(evaluation=team.evaluation, user=team.anna)
    services.scoring_submit(evaluation=team.evaluation, user=team.bo)
    services.status_set(evaluation=team.evaluation, status="consensus", by=team.anna)
    return team.refresh()


def write_all_texts(team):
    from kompass.workspace import services

    for area in team.evaluation.framework.definition.areas:
        services.area_text_set(evaluation=team.evaluation, by=team.anna, area_number=area.number, field="general", text=f"Allmänt om område {area.number}.")
        services.area_text_set(evaluation=team.evaluation, by=team.anna, area_number=area.number, field="changes", text=f"Sedan 2015 i område {area.number}.")
    write_report_facts(team.evaluation, team.anna)


def write_report_facts(evaluation, by, *, summary="Kommunen har kommit långt.", month=10):
    """What publishing needs besides scores and area texts: the month of the visit and
    chapter 2's "Sammanfattande kommentar" (the evaluators are there since assignment)."""
    import dataclasses

    from kompass.workspace import facts

    stored = facts.report_facts_initial(evaluation)
    facts.report_facts_set(evaluation=evaluation, by=by, facts=dataclasses.replace(stored, month=month))
    facts.summary_text_set(evaluation=evaluation, by=by, text=summary)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts without cached figures from another test's data."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_catalogue():
    """Each test reads the catalogue afresh: a version loaded in a rolled-back test must
    not stay cached (the registry rechecks its stamp only once a second)."""
    from kompass.catalogue import registry

    registry.clear()
    yield
