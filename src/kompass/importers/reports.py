"""Importing published Kommunkompassen reports into evaluations.

file → text (``extract``) → what the report states (``report_text``) → scores
reconstructed from the rounded print (``kompass.reconstruction``) → evaluations as a
dump document → the same validation and writing as ``kompass import-dump``. A report
creates or completes every evaluation it describes: the evaluated one, the previous one
whose scores its chapter tables show (and whose texts its appendix holds), earlier ones
whose totals its text states, and the published average it quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from kompass.catalogue import definitions
from kompass.dump.importing import dump_import
from kompass.dump.reading import DumpError
from kompass.i18n import _
from kompass.importers.extract import IMAGE_SUFFIXES, Source, UnreadableFile, read_source
from kompass.importers.report_text import PHRASES, ReportText, Row, Wording, parse_report
from kompass.municipalities.models import Municipality
from kompass.reconstruction import Printed, PrintedScore, reconstruct
from kompass.scoring import format_points, round_half_up, total_label

SUFFIXES = {".txt", ".pdf", ".docx"} | IMAGE_SUFFIXES  # images: scanned pages


class ImportRefused(ValueError):
    """The report cannot be imported; the message names the file and the first place,
    ``problems`` lists every contradiction found."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


def _refuse(prefix: str, problems: list[str]) -> ImportRefused:
    more = _(" (och %(count)s problem till)") % {"count": len(problems) - 1} if len(problems) > 1 else ""
    return ImportRefused(f"{prefix}: {problems[0]}{more}", [f"{prefix}: {p}" for p in problems])


@dataclass
class ReportImport:
    file: str
    municipality: Municipality | None = None
    year: int | None = None
    framework: str | None = None
    total: Decimal | None = None
    areas: list[dict] = field(default_factory=list)
    questions_found: int = 0
    evaluations: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    exact: bool = False  # read from the data the project's own report carries

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "municipality": {"code": self.municipality.code, "name": self.municipality.name} if self.municipality else None,
            "year": self.year,
            "framework": self.framework,
            "total": format_points(self.total),
            "areas": self.areas,
            "questions_found": self.questions_found,
            "evaluations": self.evaluations,
            "warnings": self.warnings,
        }


def framework_for_year(year: int) -> str:
    return "2002" if year < 2010 else "2010" if year < 2016 else "2016" if year < 2020 else "2020"


def _municipality(name: str) -> Municipality:
    short = name.strip()
    for suffix in (" kommun", " kommune", " stad"):
        if short.lower().endswith(suffix):
            short = short[: -len(suffix)]
    matches = list(Municipality.objects.filter(Q(name__iexact=name.strip()) | Q(short_name__iexact=short) | Q(name__iexact=short)))
    if not matches:
        raise ImportRefused(_("okänd kommun %(name)r") % {"name": name})
    if len(matches) > 1:
        raise ImportRefused(_("kommunnamnet %(name)r finns i flera länder") % {"name": name})
    return matches[0]


def _score(value: Decimal | None, interval) -> dict:
    document = {"score": format_points(value)}
    if interval is not None:
        document["interval"] = [format_points(interval.low), format_points(interval.high)]
    return document


def _evaluation_document(
    municipality: Municipality, year: int, version: str, printed: Printed, *, status: str, source: str, where: str
) -> tuple[dict, list[str]]:
    framework = definitions.get(version)
    rec = reconstruct(framework, printed)
    if rec.problems:
        raise _refuse(f"{where} {year}", rec.problems)
    areas = []
    for area in framework.areas:
        entry: dict = {"number": area.number}
        questions = [
            {"id": q.id, **_score(rec.questions[q.id], rec.intervals.get(("question", q.id)))}
            for q in area.questions
            if q.id in rec.questions
        ]
        if questions:
            entry["questions"] = questions
        if area.number in rec.areas:
            entry.update(_score(rec.areas[area.number], rec.intervals.get(("area", area.number))))
        areas.append(entry)
    document = {
        "municipality": {"country": municipality.country, "code": municipality.code},
        "year": year,
        "framework": version,
        "status": status,
        "data_source": source,
        "areas": areas,
    }
    if rec.total is not None:
        document["total"] = _score(rec.total, rec.intervals.get(("total",)))
    return document, [f"{year}: {note}" for note in rec.notes]


REPORT_LANGUAGES = ("sv", "nb", "da", "en")


def wording() -> Wording:
    """The report template's phrases in every language a report is written in, the months'
    names and every version's printed name: what a report in any of them says."""
    from django.utils import translation
    from django.utils.dates import MONTHS

    phrases: dict[str, list[str]] = {key: [text] for key, text in PHRASES.items()}
    months = []
    for language in REPORT_LANGUAGES:
        with translation.override(language):
            for key, text in PHRASES.items():
                phrases[key].append(translation.gettext(text))
            months.append(tuple(str(MONTHS[m]).lower() for m in range(1, 13)))
    versions = {}
    for framework in definitions.frameworks().values():
        versions[framework.name] = framework.id
        for texts in framework.translations.values():
            if texts.get("name"):
                versions[texts["name"]] = framework.id
    return Wording({key: tuple(texts) for key, texts in phrases.items()}, tuple(months), versions)


def _where(row: Row) -> str:
    """Where a person finds the number: the printed page and its line, where the source
    has pages; otherwise the line of the text."""
    if row.page and row.page_line:
        return _("sida %(page)s, rad %(line)s") % {"page": row.page, "line": row.page_line}
    return _("rad %(line)s") % {"line": row.line}


def _printed(row: Row | None, where: str) -> PrintedScore | None:
    return None if row is None else PrintedScore(row.rounded, row.percent, where=_where(row) if row.line else where)


def _main_printed(report: ReportText, framework, *, partial: bool, name: str, scanned: bool = False, warnings: list | None = None) -> Printed:
    """The evaluated year's printed scores. From a scan, where chapter 3's table (large
    type, no percentage) and the overview (a percentage beside every number) disagree,
    the overview's reading is kept and the other named: it is the one the consistency
    rules check."""
    problems = []
    questions = {}
    for qid, row in report.overview_questions.items():
        question = framework.question(qid)
        if question is not None and row.max is not None and row.max != question.max_points:
            problems.append(_("delfråga %(id)s (%(where)s): max %(printed)s, men %(max)s i version %(version)s") % {"id": qid, "where": _where(row), "printed": row.max, "max": question.max_points, "version": framework.id})
        questions[qid] = _printed(row, "")
    areas = {}
    for area in framework.areas:
        overview = report.overview_areas.get(area.number)
        chapter = report.areas.get(area.number)
        heading = chapter.scores_by_year.get(report.year) if chapter else None
        if overview and heading and overview.rounded != heading.rounded and scanned and overview.percent is not None:
            warnings.append(
                _("område %(n)s: kapitel 3 (%(a)s) lästes som %(x)s, översikten (%(b)s) som %(y)s; översiktens tal används")
                % {"n": area.number, "a": _where(heading), "x": heading.rounded, "b": _where(overview), "y": overview.rounded}
            )
        elif overview and heading and overview.rounded != heading.rounded:
            problems.append(
                _("område %(n)s: kapitel 3 (%(a)s) visar %(x)s, översikten (%(b)s) %(y)s")
                % {"n": area.number, "a": _where(heading), "x": heading.rounded, "b": _where(overview), "y": overview.rounded}
            )
        if overview or heading:
            areas[area.number] = _printed(overview or heading, "")
    if problems:
        raise _refuse(name, problems)
    if framework.has_questions and not partial:
        missing = [q.id for q in framework.questions if q.id not in report.overview_questions]
        if not report.has_overview:
            raise ImportRefused(_("%(file)s: rapporten saknar Översikt av poängfördelning (importera ändå med --partial)") % {"file": name})
        if missing:
            raise ImportRefused(
                _("%(file)s: översikten är avbruten: delfråga %(first)s–%(last)s saknas (%(count)s av %(all)s; importera ändå med --partial)")
                % {"file": name, "first": missing[0], "last": missing[-1], "count": len(missing), "all": len(framework.questions)}
            )
    return Printed(questions, areas, _printed(report.total, ""))


def _check_year(report: ReportText, name: str) -> None:
    """The title's year is the first year of every chapter's score table."""
    tables = [(max(part.scores_by_year), part) for _n, part in sorted(report.areas.items()) if part.scores_by_year]
    wrong = [(year, part) for year, part in tables if year != report.year]
    if wrong:
        year, part = wrong[0]
        raise ImportRefused(
            _("%(file)s: titeln säger %(year)s, men tabellen i område %(area)s (%(where)s) gäller %(table)s")
            % {"file": name, "year": report.year, "area": part.number, "where": _where(part.scores_by_year[year]), "table": year}
        )


def _unchecked_in_a_scan(report: ReportText) -> list[str]:
    """What OCR read that no other number of the report can confirm is left out, named
    with its place: an earlier year's area scores without that year's total, a total or
    an average stated once in the text. (A misread score with a percentage, an area
    total or the total beside it is caught by the consistency rules and refuses the
    import instead.)"""
    warnings = []
    for part in report.areas.values():
        for year in [y for y in part.scores_by_year if y < (report.year or 0) and y not in report.earlier_totals]:
            row = part.scores_by_year.pop(year)
            warnings.append(
                _("%(year)s: område %(area)s visar %(value)s (%(where)s) i en inskannad rapport, och inget annat tal i rapporten bekräftar det; det sparas inte")
                % {"year": year, "area": part.number, "value": row.rounded, "where": _where(row)}
            )
    for year in [y for y in report.earlier_totals if not any(y in part.scores_by_year for part in report.areas.values())]:
        row = report.earlier_totals.pop(year)
        warnings.append(
            _("%(year)s: totalen %(value)s (%(where)s) står bara på ett ställe i en inskannad rapport; den sparas inte")
            % {"year": year, "value": row.rounded, "where": _where(row)}
        )
    if report.average:
        value, since, line = report.average
        report.average = None
        warnings.append(_("medelvärdet %(value)s (rad %(line)s) står bara på ett ställe i en inskannad rapport; det sparas inte") % {"value": value, "line": line})
    return warnings


def _documents_from_text(source: Source, name: str, *, partial: bool, status: str) -> tuple[dict, ReportImport]:
    probe = parse_report(source.text, {}, wording())
    if not probe.municipality or not probe.year:
        raise ImportRefused(_("%(file)s: ingen Kommunkompassen-rapport (hittar inte ”Analys av <kommun> <år>”)") % {"file": name})
    version = probe.version or framework_for_year(probe.year)
    framework = definitions.get(version)
    report = parse_report(source.text, {a.number: [q.short or q.text for q in a.questions] for a in framework.areas}, wording())
    municipality = _municipality(report.municipality)
    title = _("Kommunkompassen – Analys av %(name)s %(year)s") % {"name": municipality.name, "year": report.year}
    result = ReportImport(file=name, municipality=municipality, year=report.year, framework=version)
    _check_year(report, name)
    scanned_warnings = []
    if source.kind == "scan":
        # The consistency rules check every number OCR read; nothing checks its letters.
        scanned_warnings = [_("texter och namn är lästa med OCR ur en inskannad rapport och kan ha fel bokstäver (ö som o): läs igenom dem")]
        scanned_warnings += _unchecked_in_a_scan(report)

    main, warnings = _evaluation_document(
        municipality, report.year, version,
        _main_printed(report, framework, partial=partial, name=name, scanned=source.kind == "scan", warnings=scanned_warnings),
        status=status, source=title, where=name,
    )
    main.update(
        {
            "ordinal": report.ordinal,
            "month": report.month,
            "interviewees": report.interviewees,
            "interviewees_approximate": report.interviewees_approximate,
            "publisher": report.publisher,
            "evaluators": [{"name": n, "organisation": o} for n, o in report.evaluators],
            "texts": {"evaluation": report.evaluation_text, "summary": report.summary_text},
        }
    )
    for entry in main["areas"]:
        part = report.areas.get(entry["number"])
        if part:
            entry["texts"] = {"general": part.general, "changes": part.changes}
            for key in ("strengths", "improvements", "good_examples"):
                entry[key] = [{"text": text} for text in getattr(part, key)]
    documents = [main]

    # Earlier evaluations: from the chapters' score tables, the appendix and the text.
    years = sorted({y for part in report.areas.values() for y in part.scores_by_year if y < report.year} | set(report.earlier_totals))
    for year in years:
        areas = {
            n: _printed(part.scores_by_year[year], "")
            for n, part in report.areas.items()
            if year in part.scores_by_year and framework.area(n)
        }
        try:
            earlier, notes = _evaluation_document(
                municipality, year, version, Printed({}, areas, _printed(report.earlier_totals.get(year), "")),
                status=status, source=title, where=name,
            )
        except ImportRefused as refused:
            if source.kind != "scan":
                raise
            # What OCR read of an earlier year contradicts itself: left out, every reason named.
            scanned_warnings.extend(_("%(problem)s; %(year)s sparas inte") % {"problem": p, "year": year} for p in refused.problems)
            continue
        if year == report.appendix_year:
            for entry in earlier["areas"]:
                area = framework.area(entry["number"])
                sections = report.appendix.get(entry["number"], [])
                entry["texts"] = {"questions": {q.id: text for q, (_h, text) in zip(area.questions, sections) if text}}
        documents.append(earlier)
        warnings += notes

    references = []
    if report.average:
        value, since, _line = report.average
        references.append(
            {
                "framework": version, "area": None, "value": str(value), "from_year": since, "country": municipality.country,
                "description": _("Medelvärde av kommuner som utvärderats sedan %(year)s") % {"year": since}, "source": title,
            }
        )
    result.warnings = scanned_warnings + warnings
    result.questions_found = len(report.overview_questions)
    return {"format": "kompass-dump", "version": 1, "benchmark_references": references, "evaluations": documents}, result


def _documents_from_embedded(source: Source, name: str, *, status: str | None) -> tuple[dict, ReportImport]:
    evaluation = dict(source.embedded, status=status) if status else source.embedded
    municipality_data = evaluation.get("municipality") or {}
    municipalities = []
    if not Municipality.objects.filter(country=municipality_data.get("country"), code=municipality_data.get("code")).exists():
        municipalities.append({**municipality_data, "short_name": "", "county": None})
    document = {"format": "kompass-dump", "version": 1, "municipalities": municipalities, "evaluations": [evaluation]}
    result = ReportImport(file=name, year=evaluation.get("year"), framework=evaluation.get("framework"), exact=True)
    result.questions_found = sum(1 for a in evaluation.get("areas", []) for q in a.get("questions", []) if q.get("score") is not None)
    return document, result


def _printed_value(document: dict | None) -> int | None:
    """The embedded score as the report would print it, rounded half-up; None where the
    data has none (or none that reads as a number: the dump import names that itself)."""
    try:
        return round_half_up(Decimal(document["score"])) if document and document.get("score") is not None else None
    except (ArithmeticError, TypeError, ValueError):
        return None


def embedded_disagreements(source: Source) -> list[str]:
    """Where the data a PDF or DOCX carries contradicts the report's own printed text.

    The data is what makes an import exact, so it is believed only when the text the
    reader sees says the same: municipality, year and every printed score the text shows
    (the total, and the overview's areas and sub-questions where it has one). A file whose
    text shows none of it (a blank page with an attachment) cannot be checked."""
    evaluation = source.embedded
    probe = parse_report(source.text, {}, wording())
    if not probe.municipality or not probe.year:
        return [_("rapportens text saknar ”Analys av <kommun> <år>”, så den inbäddade datan kan inte kontrolleras")]
    municipality = evaluation.get("municipality") or {}
    names = {str(municipality.get(key) or "").casefold() for key in ("name", "short_name")} - {""}
    printed_name = probe.municipality.strip().casefold()
    problems = []
    if printed_name not in names and printed_name.removesuffix(" kommun").removesuffix(" kommune") not in names:
        problems.append(_("kommunen: texten säger %(text)s, datan %(data)s") % {"text": probe.municipality, "data": municipality.get("name")})
    if probe.year != evaluation.get("year"):
        problems.append(_("året: texten säger %(text)s, datan %(data)s") % {"text": probe.year, "data": evaluation.get("year")})
    try:
        framework = definitions.get(str(evaluation.get("framework")))
    except definitions.CatalogueError as exc:
        return problems + [str(exc)]
    report = parse_report(source.text, {a.number: [q.short or q.text for q in a.questions] for a in framework.areas}, wording())
    areas = {a.get("number"): a for a in evaluation.get("areas") or [] if isinstance(a, dict)}
    questions = {q.get("id"): q for a in areas.values() for q in a.get("questions") or [] if isinstance(q, dict)}
    printed = [(total_label(), report.total, evaluation.get("total"))]
    printed += [(_("område %(number)s") % {"number": n}, row, areas.get(n)) for n, row in sorted(report.overview_areas.items())]
    printed += [(_("delfråga %(id)s") % {"id": q}, row, questions.get(q)) for q, row in report.overview_questions.items()]
    compared = 0
    for label, row, data in printed:
        if row is None:
            continue
        compared += 1
        value = _printed_value(data)
        if value != row.rounded:
            problems.append(_("%(what)s: texten visar %(text)s, datan ger %(data)s") % {"what": label, "text": row.rounded, "data": "–" if value is None else value})
    if not compared:
        problems.append(_("rapportens text visar inga poäng att jämföra den inbäddade datan med"))
    return problems


def import_report(path: Path, *, dry_run: bool = False, replace: bool = False, partial: bool = False, draft: bool = False) -> ReportImport:
    """Import one report; ImportRefused (and nothing saved) when it cannot be."""
    name = path.name
    try:
        source = read_source(path)
    except UnreadableFile as exc:
        raise ImportRefused(f"{name}: {exc}") from None
    if source.embedded is not None:
        disagreements = embedded_disagreements(source)
        if disagreements and not draft:
            raise _refuse(name, [_("den inbäddade datan stämmer inte med rapportens text (importera den som utkast med --draft): %(problem)s") % {"problem": p} for p in disagreements])
        document, result = _documents_from_embedded(source, name, status="planned" if draft else None)
        result.warnings += [_("den inbäddade datan stämmer inte med rapportens text: %(problem)s") % {"problem": p} for p in disagreements]
    else:
        document, result = _documents_from_text(source, name, partial=partial, status="planned" if draft else "published")
    try:
        with transaction.atomic():
            report = dump_import(document, on_existing="replace" if replace else "complete")
            _summarise(result, document)  # inside: a dry run is rolled back below
            if dry_run:
                transaction.set_rollback(True)
    except DumpError as exc:
        raise _refuse(name, exc.problems) from None
    result.warnings += report.warnings
    for action, labels in (
        ("created", report.created), ("updated", report.replaced), ("updated", report.completed), ("unchanged", report.skipped),
    ):
        for label in labels:
            year, version = label.split()[1], label.split("(")[1].rstrip(")")
            result.evaluations.append({"year": int(year), "framework": version, "action": action})
    result.evaluations.sort(key=lambda e: -e["year"])
    return result


def _summarise(result: ReportImport, document: dict) -> None:
    """The evaluated evaluation's total and areas as imported, for the report to the user."""
    from kompass.evaluations.selectors import evaluation_get

    main = document["evaluations"][0]
    code = main["municipality"]["code"]
    result.municipality = result.municipality or Municipality.objects.get(country=main["municipality"]["country"], code=code)
    from kompass.evaluations.selectors import evaluation_result

    evaluation = evaluation_get(code=code, year=main["year"], framework=main["framework"], country=main["municipality"]["country"])
    outcome = evaluation_result(evaluation)
    result.total = outcome.total.score
    result.areas = [
        {"number": a.area.number, "score": format_points(a.score.score), "rounded": a.score.rounded}
        for a in outcome.areas
    ]

