import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

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


def _var_directory() -> None:
    """Importing the settings writes nothing: like every kompass command, the suite makes
    the var directory (its static folder and secret key) first, then reads the key."""
    from django.conf import settings

    from kompass import var_dir

    var_dir.prepare()
    settings.SECRET_KEY = var_dir.secret_key(settings.VAR_DIR)


_var_directory()


def _quick_password_hashing() -> None:
    """Passwords hashed with the production algorithm (PBKDF2-SHA256) at a thousand rounds
    instead of a million: every test account is hashed once and logged in at least once,
    and a million rounds cost a second of CPU each. The installed command and the servers
    the browser tests start keep the real setting."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["conftest.QuickPBKDF2PasswordHasher"]


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000


_quick_password_hashing()

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
def demo(_demo_rows, db):
    """The demo data (Örebro 2010, 2012, 2015), as `demo_load` leaves it. Kept loaded
    between consecutive tests that ask for it (see SharedDemo); loaded afresh for a
    transactional test."""
    if not _demo_rows.held:
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
def _site_language():
    """Each test starts in the site's language: a request answered in another (``?lang=``,
    a cookie) leaves that language active in the thread, as every request activates its
    own; a test after it must not inherit it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_catalogue():
    """Each test reads the catalogue afresh: a version loaded in a rolled-back test must
    not stay cached (the registry rechecks its stamp only once a second)."""
    from kompass.catalogue import registry

    registry.clear()
    yield


# --- the demo data, loaded once for consecutive tests ------------------------------------


class SharedDemo:
    """The demo data loaded once, in a transaction held open, for as long as consecutive
    tests ask for it. Each test runs in its own transaction inside (pytest-django's, a
    savepoint here), which rolls back whatever the test changed, so every test starts from
    the rows `demo_load` leaves, as if it had loaded them itself. A test that uses the
    database without the demo data, or a transactional one, gets the held transaction
    rolled back first (pytest-django runs the non-transactional database tests first)."""

    def __init__(self):
        self.blocker = None  # pytest-django's django_db_blocker, once the test database exists
        self.atomic = None
        self.item = None  # the test about to run

    @property
    def held(self) -> bool:
        return self.atomic is not None

    def ready(self, blocker) -> None:
        """The test database exists (the first test that asks for the demo data)."""
        self.blocker = blocker
        self.before(self.item)

    def before(self, item) -> None:
        """Before ``item``'s fixtures, so before its own transaction begins."""
        self.item = item
        if self.blocker is None:
            return
        if "demo" in item.fixturenames and not _transactional(item):
            self._hold()
        elif _uses_database(item):
            self.release()

    def _hold(self) -> None:
        from django.db import transaction

        from kompass.demo import demo_load
        from kompass.evaluations import summaries

        if self.atomic is None:
            with self.blocker.unblock():
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                demo_load()
        # `demo_load` leaves the summaries to their first reader (they are rebuilt on
        # commit, and a test never commits); a test before may have rebuilt them in its
        # rolled-back transaction and cleared this process's note that they are missing.
        summaries._missing.possible = True

    def release(self) -> None:
        if self.atomic is not None:
            from django.db import transaction

            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
            self.atomic = None


_shared_demo = SharedDemo()


def _transactional(item) -> bool:
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, *_rest = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames))


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool({"db", "transactional_db"} & set(item.fixturenames))


@pytest.fixture(scope="session")
def _demo_rows(django_db_setup, django_db_blocker):
    """The SharedDemo; session-scoped, so that it is set up before the first test's own
    transaction begins (for the tests after, the hook below comes first)."""
    _shared_demo.ready(django_db_blocker)
    yield _shared_demo
    _shared_demo.release()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    _shared_demo.before(item)
    return (yield)


# --- browsers and live servers ------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's, driven by Playwright); every test
    opens its own contexts, so cookies and pages never cross tests. While it is open,
    Playwright's event loop makes Django refuse database access in this process; no
    browser test uses the test database, and they run last (pytest_collection_finish)."""
    from browsing import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: sudo apt-get install -y chromium (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def contexts(browser):
    """A browser context per person (own cookies); all closed after the test."""
    opened = []

    def new():
        context = browser.new_context(locale="sv-SE", viewport={"width": 1200, "height": 900}, accept_downloads=True)
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """`kompass demo` from an empty folder, as `make run` starts it (migrations, the demo
    data, the demo accounts); for tests that only read, so one server serves the session.
    Its database, as it started, is kept for the servers of tests that write."""
    from browsing import database_copy, demo_server

    snapshot = tmp_path_factory.mktemp("demo-database") / "kompass.sqlite3"
    with demo_server(tmp_path_factory.mktemp("demo-site")) as site:
        database_copy(site.database, snapshot)
        site.snapshot = snapshot
        yield site


@pytest.fixture(scope="session")
def demo_database(demo_site) -> Path:
    """The SQLite file `kompass demo` starts with on an empty folder, made once a session."""
    return demo_site.snapshot


@pytest.fixture(scope="session")
def workspace_database(demo_database, tmp_path_factory) -> Path:
    """The demo database with the workspace tests' accounts, made once a session."""
    from browsing import Installation, accounts_add, database_copy

    installation = Installation.at(tmp_path_factory.mktemp("workspace-database"))
    installation.database.parent.mkdir(mode=0o700)
    database_copy(demo_database, installation.database)
    accounts_add(installation)
    return installation.database


@pytest.fixture(scope="module")
def site(tmp_path_factory, workspace_database):
    """`kompass demo` (Örebro 2010, 2012, 2015 published) with the workspace accounts, on
    a SQLite file of the test module's own: the tests in a module change its data, so no
    other module shares it."""
    from browsing import demo_server

    with demo_server(tmp_path_factory.mktemp("workspace-site"), database=workspace_database) as site:
        yield site


# --- markers ------------------------------------------------------------------------------

# `make test-fast` leaves out `browser` and `slow`. A test that drives Chromium is marked
# `browser`; one that starts the installed command in a subprocess (a fresh database, a
# server) is marked `slow` by its fixtures, and so are the tests below, which take seconds
# each (rendering and reading reports, thousands of requests, subprocesses of their own;
# measured with --durations). `postgres` is set by hand on tests that need PostgreSQL.
SLOW_FIXTURES = {"kompass_process", "demo_site", "demo_database", "workspace_database", "site"}
SLOW_TESTS = (  # node ids under tests/, or their beginnings
    "test_workspace_access.py::test_every_workspace_address_for_every_role",  # the access matrix
    "test_workspace_access.py::test_every_plan_address_for_every_role",
    "test_import_roundtrip.py::",
    "test_import_reports.py::test_our_own_reports_",
    "test_import_reports.py::test_data_",
    "test_backup.py::",
    "test_report_pdf.py::",
    "test_report_docx.py::",
    "test_generate.py::",
    "test_serve.py::",
    "test_no_outbound.py::",
    "test_settings.py::",
    "test_import_results_batches.py::test_a_write_during_a_long_import",
    "test_confidential_versions.py::",
    "test_example_version_journey.py::",
    "test_report_html.py::test_every_demo_evaluation_in_every_format",
    "test_report_html.py::test_download_links_on_the_evaluation_page",
    "test_self_assessment.py::test_the_benchmark_",
    "test_workspace_report.py::test_the_pdf_",
    "test_workspace_report.py::test_the_docx_",
    "test_workspace_report.py::test_an_area_level_version_gets_a_complete_report",
    "test_api.py::test_the_api_keeps_its_schema",
    "test_expensive_answers.py::test_renders_are_rate_limited",
)


def pytest_collection_finish(session):
    """The tests that drive Chromium go last (after pytest-django's ordering and -m's
    selection): once Playwright's event loop runs in this process, Django refuses
    database access here, even the catalogue's read of its versions in a test without
    the database."""
    items = session.items
    items[:] = [i for i in items if "browser" not in i.fixturenames] + [i for i in items if "browser" in i.fixturenames]


def pytest_collection_modifyitems(config, items):
    on_postgres = _database_vendor() == "postgresql"
    for item in items:
        names = set(item.fixturenames)
        if "browser" in names:
            item.add_marker(pytest.mark.browser)
        if names & SLOW_FIXTURES or item.nodeid.removeprefix("tests/").startswith(SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("postgres") and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://…)"))


def _database_vendor() -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return "postgresql" if "postgresql" in engine else engine.rsplit(".", 1)[-1]
