"""Result tables (CSV) into evaluations: ``kompass import-results``.

One row per evaluation under a header of ``COLUMNS`` (any case, spaces around ignored),
separated by commas or semicolons, with decimal point or decimal comma, in UTF-8 with or
without BOM, at most ``MAX_BYTES`` (5 MB) and ``MAX_ROWS`` rows. Empty cells are unknown.
A whole number is a published, rounded score and is reconstructed
(``kompass.reconstruction``); a number written with decimals (``73.9``, ``73,50``) is
exact.

parse (file → rows with their line numbers) → validate (rows → plans and problems; the
database only for lookups) → write (plans → evaluations through the services, in
transactions of half a second each, so the web's writes wait for one of them at most).
Any error saves nothing, unless ``skip_invalid`` saves the valid rows.
"""

from __future__ import annotations

import csv
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import ngettext

from kompass import scoring
from kompass.catalogue import definitions
from kompass.catalogue.models import Framework
from kompass.csv_files import CsvEncodingError, csv_decode, csv_delimiter, csv_reader
from kompass.evaluations import services
from kompass.evaluations.models import Evaluation, Status
from kompass.evaluations.summaries import summaries_refresh
from kompass.i18n import _
from kompass.municipalities.models import Country, Municipality
from kompass.municipalities.services import municipalities_remove, municipality_add
from kompass.reconstruction import Printed, PrintedScore, reconstruct

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
AREA_COLUMNS = tuple(f"area_{n}" for n in range(1, 9))
COLUMNS = ("country", "municipality_code", "municipality_name", "year", "framework", "total", *AREA_COLUMNS, "source")


@dataclass(frozen=True)
class Issue:
    """An error or a warning, with its physical line (header = 1) and column."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = [_("rad %(line)s") % {"line": self.line}] if self.line else []
        place += [_("kolumn %(column)s") % {"column": self.column}] if self.column else []
        return f"{', '.join(place)}: {self.message}" if place else self.message


class FileError(ValueError):
    """The file as a whole cannot be read; no row is looked at."""

    def __init__(self, problems: list[Issue]):
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


@dataclass
class Row:
    line: int
    cells: dict[str, str]


def parse(path: Path) -> list[Row]:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FileError([Issue(None, None, _("filen är %(size)s byte, mer än gränsen %(max)s byte") % {"size": size, "max": MAX_BYTES})])
        data = path.read_bytes()
    except OSError as exc:
        raise FileError([Issue(None, None, _("kan inte läsas (%(error)s)") % {"error": exc.strerror or exc})]) from None
    return parse_bytes(data)


def parse_bytes(data: bytes) -> list[Row]:
    try:
        text = csv_decode(data)
    except CsvEncodingError as exc:
        raise FileError([Issue(exc.line, None, exc.message)]) from None
    delimiter = csv_delimiter(text)
    reader = csv_reader(text, delimiter)
    records, previous = [], 0
    try:
        for record in reader:
            records.append((previous + 1, [c.strip() for c in record]))
            previous = reader.line_num
    except csv.Error as exc:
        raise FileError([Issue(reader.line_num, None, _("ogiltig CSV (%(error)s)") % {"error": exc})]) from None
    records = [(line, record) for line, record in records if any(record)]
    if not records:
        raise FileError([Issue(None, None, _("filen är tom"))])
    if len(records) > MAX_ROWS + 1:
        raise FileError([Issue(None, None, _("filen har %(count)s rader, mer än gränsen %(max)s") % {"count": len(records) - 1, "max": MAX_ROWS})])
    header_line, header = records[0]
    names = [name.strip().lower() for name in header]
    problems = [Issue(header_line, c, _("kolumnen saknas")) for c in COLUMNS if c not in names]
    problems += [Issue(header_line, c, _("okänd kolumn (kända: %(known)s)") % {"known": ", ".join(COLUMNS)}) for c in names if c and c not in COLUMNS]
    problems += [Issue(header_line, c, _("kolumnen förekommer två gånger")) for c in sorted({c for c in names if c in COLUMNS and names.count(c) > 1})]
    if problems:
        raise FileError(problems)
    if len(records) == 1:
        raise FileError([Issue(None, None, _("filen har bara en rubrikrad och inga resultat"))])
    rows = []
    for line, record in records[1:]:
        if len(record) != len(names):
            hint = _(" (ett decimalkomma i en kommaseparerad fil måste stå inom citattecken)") if delimiter == "," and len(record) > len(names) else ""
            raise FileError([Issue(line, None, _("raden har %(count)s fält men rubriken %(header)s%(hint)s") % {"count": len(record), "header": len(names), "hint": hint})])
        if any(value for name, value in zip(names, record) if not name):  # a trailing separator is fine, a value is not
            raise FileError([Issue(line, None, _("värde i en kolumn utan rubrik"))])
        rows.append(Row(line, {name: value for name, value in zip(names, record) if name}))
    return rows


@dataclass
class Plan:
    line: int
    country: str
    code: str
    name: str  # the name to add a municipality under, where it is new
    framework: definitions.Framework
    facts: services.Facts
    sheet: scoring.Scoresheet


@dataclass
class Validation:
    plans: list[Plan] = field(default_factory=list)
    invalid: list[Row] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)


def _points(row: Row, column: str, maximum: Decimal, errors: list[Issue]) -> PrintedScore | None:
    text = row.cells[column]
    if not text:
        return None
    try:
        value = scoring.parse_points(text)
    except ValueError as exc:
        errors.append(Issue(row.line, column, str(exc)))
        return None
    problems = scoring.value_problems(value, maximum, column)
    if problems:
        errors.append(Issue(row.line, column, problems[0].message))
        return None
    if value.as_tuple().exponent < 0:  # written with decimals: exact
        return PrintedScore(value=value)
    return PrintedScore(rounded=int(value))


def validate(rows: list[Row], *, draft: bool = False) -> Validation:
    result = Validation()
    municipalities = {(m.country, m.code): m for m in Municipality.objects.all()}
    existing = set(Evaluation.objects.values_list("municipality__country", "municipality__code", "year", "framework__code"))
    new_names: dict[tuple[str, str], tuple[str, int]] = {}
    seen: dict[tuple, list[Row]] = {}
    for row in rows:
        errors: list[Issue] = []
        plan, identity = _validate_row(row, draft, municipalities, new_names, existing, errors, result.warnings)
        if identity:
            seen.setdefault(identity, []).append(row)
        result.errors += errors
        if plan is None:
            result.invalid.append(row)
        else:
            result.plans.append(plan)
    twin_groups = [twins for twins in seen.values() if len(twins) > 1]
    for twins in twin_groups:
        for row in twins:
            # the first ten others at most: a file of one row repeated must not grow as its square
            named = [o.line for o in twins[:11] if o is not row][:10]
            others = ", ".join(map(str, named))
            others += _(" och %(count)s till") % {"count": len(twins) - 1 - len(named)} if len(twins) - 1 > len(named) else ""
            result.errors.append(Issue(row.line, None, _("samma kommun, år och version som rad %(lines)s") % {"lines": others}))
    twin_lines = {row.line for twins in twin_groups for row in twins}
    if twin_lines:
        invalid_lines = {row.line for row in result.invalid}
        result.plans = [p for p in result.plans if p.line not in twin_lines]
        result.invalid += [row for twins in twin_groups for row in twins if row.line not in invalid_lines]
    result.errors.sort(key=lambda issue: issue.line or 0)
    result.invalid.sort(key=lambda row: row.line)
    return result


def _validate_row(row, draft, municipalities, new_names, existing, errors, warnings):
    cells, line = row.cells, row.line
    country, code, name = cells["country"].upper(), cells["municipality_code"], cells["municipality_name"]
    municipality = None
    errors += [Issue(line, column, _("saknas")) for column in ("country", "municipality_code", "year", "framework") if not cells[column]]
    if country and country not in Country.values:
        errors.append(Issue(line, "country", _("%(value)r är inget av %(choices)s") % {"value": cells["country"], "choices": ", ".join(Country.values)}))
    if re.fullmatch(r"[0-9]{1,3}", code):
        warnings.append(Issue(line, None, _("kommunkoden %(code)s läses som %(padded)s") % {"code": code, "padded": code.zfill(4)}))
        code = code.zfill(4)
    if code and not re.fullmatch(r"[0-9]{4}", code):
        errors.append(Issue(line, "municipality_code", _("%(value)r är ingen kommunkod med fyra siffror") % {"value": code}))
    elif code and country in Country.values:
        municipality = municipalities.get((country, code))
        if municipality is None and country == Country.SE:
            errors.append(Issue(line, "municipality_code", _("okänd kommunkod %(country)s %(code)s") % {"country": country, "code": code}))
        elif municipality is None and not name:
            errors.append(Issue(line, "municipality_name", _("saknas; kommunen %(country)s %(code)s är ny och behöver ett namn") % {"country": country, "code": code}))
        elif municipality is None:
            first_name, first_line = new_names.setdefault((country, code), (name, line))
            if first_name.casefold() != name.casefold():
                errors.append(Issue(line, "municipality_name", _("%(name)r, men rad %(other)s ger kommunen %(code)s namnet %(first)r") % {"name": name, "other": first_line, "code": code, "first": first_name}))
            elif first_line == line:
                warnings.append(Issue(line, None, _("kommunen %(country)s %(code)s %(name)s finns inte och läggs till") % {"country": country, "code": code, "name": name}))
        elif name and name.casefold() not in {municipality.name.casefold(), municipality.short_name.casefold()}:
            errors.append(Issue(line, "municipality_name", _("%(name)r är inte namnet på kommun %(code)s (%(actual)s)") % {"name": name, "code": code, "actual": municipality.name}))
    year = int(cells["year"]) if re.fullmatch(r"[0-9]{1,4}", cells["year"]) else None
    facts = services.Facts(year=year, status=Status.PLANNED if draft else Status.PUBLISHED, data_source=cells["source"])
    if year is None and cells["year"]:
        errors.append(Issue(line, "year", _("%(value)r är inget årtal") % {"value": cells["year"]}))
    else:
        errors += [Issue(line, "year", message) for message in services.facts_problems(facts)]
    if len(cells["source"]) > Evaluation._meta.get_field("data_source").max_length:
        errors.append(Issue(line, "source", _("längre än %(max)s tecken") % {"max": Evaluation._meta.get_field("data_source").max_length}))
    try:
        framework = definitions.get(cells["framework"])
    except definitions.CatalogueError as exc:
        errors += [Issue(line, "framework", str(exc))] if cells["framework"] else []
        return None, None
    identity = (country, code, year, framework.id) if not any(e.column in {"country", "municipality_code", "year"} for e in errors) else None
    total = _points(row, "total", framework.max_points, errors)
    areas = {}
    for number, column in enumerate(AREA_COLUMNS, start=1):
        area = framework.area(number)
        if area is None and cells[column]:
            errors.append(Issue(line, column, _("område %(number)s finns inte i version %(version)s") % {"number": number, "version": framework.id}))
        elif area is not None and (score := _points(row, column, area.max_points, errors)) is not None:
            areas[number] = score
    if not cells["total"] and any(not cells[f"area_{a.number}"] for a in framework.areas):
        errors.append(Issue(line, "total", _("saknas; totalen får vara tom bara när alla %(count)s områden är ifyllda") % {"count": len(framework.areas)}))
    if errors:
        return None, identity
    rec = reconstruct(framework, Printed(questions={}, areas=areas, total=total))
    errors += [Issue(line, "total" if p.startswith(scoring.total_label()) else None, p) for p in rec.problems]
    warnings += [Issue(line, None, note) for note in rec.notes]
    if errors:
        return None, identity
    sheet = scoring.Scoresheet(questions={}, areas=rec.areas, total=rec.total, intervals={k: (iv.low, iv.high) for k, iv in rec.intervals.items()})
    errors += [Issue(line, None, str(p)) for p in scoring.check(framework, sheet)]
    if (country, code, year, framework.id) in existing:
        label = f"{municipality.name} ({country} {code})" if municipality else f"{country} {code}"
        errors.append(Issue(line, None, _("%(label)s %(year)s, version %(version)s, finns redan i databasen") % {"label": label, "year": year, "version": framework.id}))
    return (None if errors else Plan(line, country, code, name, framework, facts, sheet)), identity


# How long one transaction may hold the write lock: the web's writes (a text saved in
# the workspace, a login) wait for one batch, never for the whole import. Between batches
# the import leaves SQLite's lock free for longer than a waiting writer sleeps between
# its tries (SQLite's busy handler: at most 100 ms), so that writer does get in.
BATCH_SECONDS = 0.5
PAUSE_SECONDS = 0.12


@dataclass
class Written:
    records: list[dict] = field(default_factory=list)
    evaluation_ids: list[int] = field(default_factory=list)
    municipality_ids: list[int] = field(default_factory=list)  # added by this import


def write(plan: Plan, written: Written) -> None:
    """Create one planned evaluation (and its municipality, if new); call inside a transaction."""
    municipality = Municipality.objects.filter(country=plan.country, code=plan.code).first()
    if municipality is None:
        municipality = municipality_add(country=plan.country, code=plan.code, name=plan.name)
        written.municipality_ids.append(municipality.pk)
    evaluation = services.evaluation_create(municipality=municipality, framework=Framework.objects.get(code=plan.framework.id), facts=plan.facts)
    written.evaluation_ids.append(evaluation.pk)
    result = services.scores_set(evaluation=evaluation, sheet=plan.sheet)
    written.records.append({
        "line": plan.line,
        "municipality": {"code": municipality.code, "name": municipality.name, "country": municipality.country},
        "year": plan.facts.year,
        "framework": plan.framework.id,
        "total": scoring.format_points(result.total.score),
    })


def write_in_batches(plans: list[Plan], *, dry_run: bool = False) -> list[dict]:
    """Write the plans in transactions of about ``BATCH_SECONDS`` each, and still all or
    nothing: when a batch fails, what the earlier ones saved is removed again before the
    error goes on (Ctrl-C included). A dry run writes and rolls back each batch. Only a
    process killed part-way leaves the batches it committed; run the file again with
    ``--skip-invalid`` and those rows are skipped as already saved."""
    written, pending = Written(), list(reversed(plans))
    try:
        while pending:
            batch = Written()
            try:
                with transaction.atomic():
                    began = time.monotonic()
                    # at least one plan, however short the batch
                    while pending and (not batch.records or time.monotonic() - began < BATCH_SECONDS):
                        write(pending.pop(), batch)
                    # the batch's summaries in one go before its commit, not one
                    # transaction each after it
                    summaries_refresh(batch.evaluation_ids)
                    if dry_run:
                        raise _Rollback
            except _Rollback:
                pass
            written.records += batch.records
            if not dry_run:  # recorded before the pause, so a Ctrl-C in it still undoes this batch
                written.evaluation_ids += batch.evaluation_ids
                written.municipality_ids += batch.municipality_ids
            if pending and connection.vendor == "sqlite":
                time.sleep(PAUSE_SECONDS)
    except BaseException:
        with transaction.atomic():
            services.evaluations_remove(ids=written.evaluation_ids)
            municipalities_remove(ids=written.municipality_ids)
        raise
    return written.records


class _Rollback(Exception):
    pass


@dataclass
class Outcome:
    file: str
    dry_run: bool
    created: list[dict] = field(default_factory=list)
    skipped: list[Row] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    refused: bool = False

    def document(self) -> dict:
        return {
            "file": self.file,
            "dry_run": self.dry_run,
            "created": self.created,
            "skipped": [{"line": r.line, "municipality_code": r.cells["municipality_code"], "year": r.cells["year"]} for r in self.skipped],
            "warnings": [{"line": w.line, "message": w.message} for w in self.warnings],
            "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in self.errors],
        }

    def text(self) -> str:
        if self.refused:
            head = _("%(file)s: inget sparades, %(count)s fel") % {"file": self.file, "count": len(self.errors)}
        elif self.dry_run:
            head = ngettext("%(file)s (provkörning, inget sparades): %(count)s utvärdering skulle sparas", "%(file)s (provkörning, inget sparades): %(count)s utvärderingar skulle sparas", len(self.created)) % {"file": self.file, "count": len(self.created)}
        else:
            head = ngettext("%(file)s: %(count)s utvärdering sparades", "%(file)s: %(count)s utvärderingar sparades", len(self.created)) % {"file": self.file, "count": len(self.created)}
        if self.skipped:
            head += ngettext(", %(count)s rad hoppades över (%(lines)s)", ", %(count)s rader hoppades över (%(lines)s)", len(self.skipped)) % {"count": len(self.skipped), "lines": ", ".join(str(r.line) for r in self.skipped)}
        lines = [head]
        lines += [_("Varningar:")] + [str(w) for w in self.warnings] if self.warnings else []
        lines += [_("Fel:")] + [str(e) for e in self.errors] if self.errors else []
        return "\n".join(lines)

    def refusal(self) -> str:
        """One line: the file and the first place, for stderr."""
        first = self.errors[0]
        more = len(self.errors) - 1
        tail = _("och %(count)s fel till; inget sparades") % {"count": more} if more else _("inget sparades")
        return f"{self.file}{', ' if first.line or first.column else ': '}{first} ({tail})"


def import_results(path, *, dry_run: bool = False, skip_invalid: bool = False, draft: bool = False) -> Outcome:
    outcome = Outcome(str(path), dry_run)
    try:
        rows = parse(Path(path))
    except FileError as exc:
        outcome.errors, outcome.refused = exc.problems, True
        return outcome
    validation = validate(rows, draft=draft)
    outcome.warnings, outcome.errors = validation.warnings, validation.errors
    if validation.errors and not skip_invalid:
        outcome.refused = True
        return outcome
    outcome.skipped = validation.invalid
    try:
        outcome.created = write_in_batches(validation.plans, dry_run=dry_run)
    except ValidationError as exc:  # another process saved one of these evaluations meanwhile
        outcome.errors, outcome.refused = [Issue(None, None, message) for message in exc.messages], True
    return outcome
