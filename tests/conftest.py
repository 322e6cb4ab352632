import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
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
