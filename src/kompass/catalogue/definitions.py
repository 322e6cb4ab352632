"""The framework catalogue: versions of Kommunkompassen as validated, immutable data.

Each version is a YAML file in ``versions/``. Loading validates it completely and names
the file and the entry at fault; nothing here touches the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import yaml

from kompass.i18n import _

VERSIONS_DIR = Path(__file__).parent / "versions"
QUESTION_ID = re.compile(r"^(?P<area>[1-9])\.(?P<number>[1-9][0-9]?)$")


class CatalogueError(ValueError):
    """A catalogue file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    short: str
    max_points: Decimal
    area_number: int

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


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    max_points: Decimal
    in_use: str = ""
    description: str = ""
    about: str = ""
    areas: tuple[Area, ...] = ()
    _questions: dict[str, Question] = field(default_factory=dict, compare=False, repr=False)

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


def _points(value, where: str) -> Decimal:
    try:
        points = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CatalogueError(_("%(where)s: max_points måste vara ett tal, inte %(value)r") % {"where": where, "value": value})
    if not points.is_finite() or points <= 0 or points != points.to_integral_value():
        raise CatalogueError(_("%(where)s: max_points måste vara ett positivt heltal, inte %(value)s") % {"where": where, "value": value})
    return points


def _text(entry: dict, key: str, where: str, required: bool = True) -> str:
    value = entry.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(_("%(where)s: %(key)s saknas eller är inte en text") % {"where": where, "key": key})
    return value.strip()


def _mapping(entry, where: str) -> dict:
    if not isinstance(entry, dict):
        raise CatalogueError(_("%(where)s: ska vara en mappning (nyckel: värde)") % {"where": where})
    return entry


def parse_framework(data, source: str) -> Framework:
    """Build a Framework from parsed YAML, checking every rule of the catalogue."""
    data = _mapping(data, source)
    version = str(data.get("id") or "").strip()
    if not re.fullmatch(r"\d{4}", version):
        raise CatalogueError(_("%(source)s: id måste vara ett versionsår med fyra siffror, inte %(value)r") % {"source": source, "value": data.get("id")})
    where = f"{source}: version {version}"
    areas_data = data.get("areas")
    if not isinstance(areas_data, list) or not areas_data:
        raise CatalogueError(_("%(where)s: areas saknas") % {"where": where})

    areas: list[Area] = []
    questions: dict[str, Question] = {}
    for index, area_data in enumerate(areas_data, start=1):
        area_where = f"{where}, areas[{index}]"
        area_data = _mapping(area_data, area_where)
        number = area_data.get("number")
        if not isinstance(number, int) or number < 1:
            raise CatalogueError(_("%(where)s: number måste vara ett positivt heltal") % {"where": area_where})
        area_where = f"{where}, område {number}"
        if any(a.number == number for a in areas):
            raise CatalogueError(_("%(where)s: områdesnumret förekommer två gånger") % {"where": area_where})
        area_max = _points(area_data.get("max_points"), area_where)
        headings = area_data.get("headings") or []
        if not isinstance(headings, list) or not all(isinstance(h, str) and h.strip() for h in headings):
            raise CatalogueError(_("%(where)s: headings ska vara en lista med texter") % {"where": area_where})

        area_questions: list[Question] = []
        for q_index, q_data in enumerate(area_data.get("questions") or [], start=1):
            q_where = f"{area_where}, questions[{q_index}]"
            q_data = _mapping(q_data, q_where)
            qid = str(q_data.get("id") or "")
            match = QUESTION_ID.match(qid)
            if not match or int(match["area"]) != number:
                raise CatalogueError(_("%(where)s: id %(id)r ska ha formen %(area)s.N") % {"where": q_where, "id": qid, "area": number})
            q_where = f"{area_where}, delfråga {qid}"
            if qid in questions:
                raise CatalogueError(_("%(where)s: id förekommer två gånger") % {"where": q_where})
            question = Question(
                id=qid,
                text=_text(q_data, "text", q_where),
                short=_text(q_data, "short", q_where, required=False),
                max_points=_points(q_data.get("max_points"), q_where),
                area_number=number,
            )
            questions[qid] = question
            area_questions.append(question)

        if area_questions:
            q_sum = sum(q.max_points for q in area_questions)
            if q_sum != area_max:
                raise CatalogueError(
                    _("%(where)s: delfrågornas max summerar till %(sum)s men områdets max är %(max)s")
                    % {"where": area_where, "sum": q_sum, "max": area_max}
                )
        areas.append(
            Area(
                number=number,
                title=_text(area_data, "title", area_where),
                max_points=area_max,
                headings=tuple(h.strip() for h in headings),
                questions=tuple(area_questions),
            )
        )

    numbers = sorted(a.number for a in areas)
    if numbers != list(range(1, len(areas) + 1)):
        raise CatalogueError(_("%(where)s: områdena ska numreras 1 till %(count)s") % {"where": where, "count": len(areas)})
    total = _points(data.get("max_points"), where)
    area_sum = sum(a.max_points for a in areas)
    if area_sum != total:
        raise CatalogueError(
            _("%(where)s: områdenas max summerar till %(sum)s men versionens max är %(max)s")
            % {"where": where, "sum": area_sum, "max": total}
        )
    return Framework(
        id=version,
        name=_text(data, "name", where),
        max_points=total,
        in_use=_text(data, "in_use", where, required=False),
        description=_text(data, "description", where, required=False),
        about=_text(data, "about", where, required=False),
        areas=tuple(sorted(areas, key=lambda a: a.number)),
        _questions=questions,
    )


def load_file(path: Path) -> Framework:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(_("%(file)s: kan inte läsas (%(error)s)") % {"file": path.name, "error": exc.strerror})
    except yaml.YAMLError as exc:
        raise CatalogueError(_("%(file)s: ogiltig YAML: %(error)s") % {"file": path.name, "error": str(exc).replace("\n", " ")})
    framework = parse_framework(data, path.name)
    if path.stem != framework.id:
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
def frameworks() -> dict[str, Framework]:
    """All versions shipped with the package, validated once per process."""
    return load_directory(VERSIONS_DIR)


def get(version: str) -> Framework:
    try:
        return frameworks()[str(version)]
    except KeyError:
        known = ", ".join(sorted(frameworks()))
        raise CatalogueError(_("okänd version %(version)r (kända: %(known)s)") % {"version": str(version), "known": known}) from None
