"""The framework catalogue: versions of Kommunkompassen as validated, immutable data.

A version is plain data (these frozen dataclasses). Its owner loads it from a YAML or
XLSX file (``kompass catalogue load``); the database holds every loaded version and is
what ``get`` and ``frameworks`` answer from once Django runs (``catalogue.registry``).
The versions shipped in ``versions/`` are loaded on every migrate. Without a database
(plain Python, or before the database is reachable) the shipped files answer.

Validation (``parse_framework``, in ``catalogue.parsing``) is pure and names every
problem with its place; nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from kompass.i18n import _

VERSIONS_DIR = Path(__file__).parent / "versions"
VERSION_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,19}")
QUESTION_ID = re.compile(r"^(?P<area>[1-9])\.(?P<number>[1-9][0-9]?)$")
STATUSES = ("draft", "active", "retired")
SOURCES = ("interview", "document", "website")


class CatalogueError(ValueError):
    """A catalogue file is missing, malformed or inconsistent; ``problems`` names each
    problem on a line of its own (``str`` is all of them, one per line)."""

    def __init__(self, problems: str | list[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Guidance:
    """What the evaluators score against: what is looked for, what gives full, partial
    and no points, and the usual sources (a subset of ``SOURCES``)."""

    looked_for: str = ""
    full: str = ""
    partial: str = ""
    none: str = ""
    sources: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.looked_for or self.full or self.partial or self.none or self.sources)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    short: str
    max_points: Decimal
    area_number: int
    subarea: str = ""
    guidance: Guidance | None = None
    # Translations of its texts, by language ("nb": {"text": …, "short": …}; see
    # ``catalogue.translations``), and the language its own texts are written in.
    translations: dict = field(default_factory=dict, hash=False)
    source_language: str = field(default="sv", compare=False)

    @property
    def number(self) -> int:
        return int(self.id.split(".")[1])


@dataclass(frozen=True)
class Area:
    number: int
    title: str
    max_points: Decimal
    headings: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    guidance: Guidance | None = None
    translations: dict = field(default_factory=dict, hash=False)
    source_language: str = field(default="sv", compare=False)

    @property
    def subareas(self) -> tuple[str, ...]:
        """The sub-areas ("delområden") of its questions, in order of appearance."""
        return tuple(dict.fromkeys(q.subarea for q in self.questions if q.subarea))


@dataclass(frozen=True)
class Crosswalk:
    """Which areas and sub-questions of this version correspond to which of version
    ``to``: pairs (this version's, the other's); the results stay not fully comparable."""

    to: str
    note: str = ""
    areas: tuple[tuple[int, int], ...] = ()
    questions: tuple[tuple[str, str], ...] = ()
    at: str = field(default="", compare=False, repr=False)  # where it was declared, for messages


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    max_points: Decimal
    in_use: str = ""
    description: str = ""
    about: str = ""
    areas: tuple[Area, ...] = ()
    owner: str = ""
    language: str = "sv"
    status: str = "draft"
    public_questions: bool = False
    crosswalks: tuple[Crosswalk, ...] = ()
    translations: dict = field(default_factory=dict, hash=False)
    _questions: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        if not self._questions:
            object.__setattr__(self, "_questions", {q.id: q for a in self.areas for q in a.questions})

    @property
    def source_language(self) -> str:
        return self.language

    def area(self, number: int) -> Area | None:
        return next((a for a in self.areas if a.number == number), None)

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for a in self.areas for q in a.questions)

    @property
    def has_questions(self) -> bool:
        return any(a.questions for a in self.areas)

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def crosswalk(self, other: str) -> Crosswalk | None:
        return next((c for c in self.crosswalks if c.to == other), None)


def load_file(path: Path, *, check_name: bool = True) -> Framework:
    """One YAML file, validated completely; ``check_name``: the file must be named after
    the version (as in a directory of versions)."""
    from kompass.catalogue.parsing import parse_framework, read_yaml

    framework = parse_framework(read_yaml(path), path.name)
    if check_name and path.stem != framework.id:
        raise CatalogueError(_("%(file)s: filen ska heta %(id)s.yaml") % {"file": path.name, "id": framework.id})
    return framework


def load_directory(directory: Path) -> dict[str, Framework]:
    frameworks = {}
    for path in sorted(directory.glob("*.yaml")):
        framework = load_file(path)
        frameworks[framework.id] = framework
    if not frameworks:
        raise CatalogueError(_("%(dir)s: inga versionsfiler") % {"dir": directory})
    return frameworks


@cache
def shipped() -> dict[str, Framework]:
    """The versions shipped with the package, validated once per process."""
    return load_directory(VERSIONS_DIR)


# Where ``frameworks`` looks first: set by the catalogue app to the database registry.
# It returns None when the database cannot be read, and the shipped files answer.
_source: Callable[[], dict[str, Framework] | None] | None = None


def use_source(source: Callable[[], dict[str, Framework] | None] | None) -> None:
    global _source
    _source = source


def frameworks() -> dict[str, Framework]:
    """Every known version: the database's (all loaded versions), else the shipped ones."""
    if _source is not None:
        found = _source()
        if found is not None:
            return found
    return shipped()


def get(version: str) -> Framework:
    known = frameworks()
    try:
        return known[str(version)]
    except KeyError:
        raise CatalogueError(
            _("okänd version %(version)r (kända: %(known)s)") % {"version": str(version), "known": ", ".join(sorted(known))}
        ) from None


def __getattr__(name):  # the validator lives in parsing; importable from here as before
    if name == "parse_framework":
        from kompass.catalogue.parsing import parse_framework

        return parse_framework
    raise AttributeError(name)
