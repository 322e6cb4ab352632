"""Importing a dump: what ``kompass.dump.reading`` read, checked against the database
and written through the services of each app, all of it in one transaction or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kompass import scoring
from kompass.benchmark.services import published_reference_ensure
from kompass.catalogue.models import Framework
from kompass.dump.reading import DumpError, EvaluationPlan, dump_read
from kompass.evaluations import services
from kompass.evaluations.models import Evaluation
from kompass.evaluations.selectors import evaluation_scoresheet
from kompass.municipalities.models import Municipality
from kompass.municipalities.services import municipality_ensure
from kompass.search.services import search_index_evaluation


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    municipalities_created: list[str] = field(default_factory=list)
    references_created: int = 0


def dump_import(document, *, on_existing: str = "refuse") -> ImportReport:
    """Load a dump into the database: all of it, or nothing and a DumpError.

    An evaluation already in the database (same municipality, year and version) is a
    problem (``on_existing="refuse"``), left alone (``"skip"``: the demo data is loaded
    that way, so loading it twice changes nothing), completed with what it lacks
    (``"complete"``: importing reports) or replaced (``"replace"``).
    """
    contents = dump_read(document, municipalities_known=set(Municipality.objects.values_list("country", "code")))
    existing = {
        ((country, code), year, version)
        for country, code, year, version in Evaluation.objects.values_list(
            "municipality__country", "municipality__code", "year", "framework__code"
        )
    }
    # An evaluation made in the workspace keeps its history; an import cannot replace it.
    with_history = {
        ((country, code), year, version)
        for country, code, year, version in Evaluation.objects.filter(audit_entries__isnull=False).values_list(
            "municipality__country", "municipality__code", "year", "framework__code"
        ).distinct()
    }
    # A municipality's action plan hangs on the improvement areas; replacing them would drop it.
    with_actions = {
        ((country, code), year, version)
        for country, code, year, version in Evaluation.objects.filter(findings__actions__isnull=False).values_list(
            "municipality__country", "municipality__code", "year", "framework__code"
        ).distinct()
    }
    report = ImportReport()
    to_create, to_complete = [], []
    for plan in contents.plans:
        identity = (plan.municipality_key, plan.facts.year, plan.framework.id)
        label = f"{plan.municipality_key[1]} {plan.facts.year} ({plan.framework.id})"
        if identity in existing:
            if on_existing == "skip":
                report.skipped.append(label)
                continue
            if on_existing == "complete":
                to_complete.append((plan, label))
                continue
            if on_existing != "replace":
                contents.problem(plan.path, _("utvärderingen %(label)s finns redan i databasen") % {"label": label})
            elif identity in with_history:
                contents.problem(
                    plan.path,
                    _("utvärderingen %(label)s har en historik i arbetsytan och kan inte ersättas; rätta den där") % {"label": label},
                )
            elif identity in with_actions:
                contents.problem(
                    plan.path,
                    _("utvärderingen %(label)s har en handlingsplan med åtgärder och kan inte ersättas") % {"label": label},
                )
        to_create.append((plan, label, identity in existing))
    if contents.problems:
        raise DumpError(contents.problems)

    with transaction.atomic():
        report.municipalities_created = _write_municipalities(contents.municipalities)
        report.references_created = _write_references(contents.references)
        for plan, label in to_complete:
            changed, warnings = _complete_evaluation(plan)
            (report.completed if changed else report.skipped).append(label)
            report.warnings += [f"{label}: {w}" for w in warnings]
        for plan, label, replacing in to_create:
            if replacing:
                for evaluation in _stored(plan):
                    services.evaluation_delete(evaluation=evaluation)
                report.replaced.append(label)
            else:
                report.created.append(label)
            _write_evaluation(plan)
        _reindex([plan for plan, _label in to_complete] + [plan for plan, _label, _replacing in to_create])
    return report


def _stored(plan: EvaluationPlan):
    """The stored evaluation a plan names (same municipality, year and version)."""
    country, code = plan.municipality_key
    return Evaluation.objects.filter(
        municipality__country=country, municipality__code=code, year=plan.facts.year, framework__code=plan.framework.id
    )


def _reindex(plans: list[EvaluationPlan]) -> None:
    """The search index follows every evaluation an import wrote (published ones only)."""
    for plan in plans:
        for evaluation in _stored(plan):
            search_index_evaluation(evaluation)


def _write_municipalities(rows: list[dict]) -> list[str]:
    created = []
    for row in rows:
        county = (row["county"]["code"], row["county"]["name"]) if row["county"] else None
        if municipality_ensure(country=row["country"], code=row["code"], name=row["name"], short_name=row["short_name"], county=county):
            created.append(f"{row['country']} {row['code']}")
    return created


def _write_references(rows: list[dict]) -> int:
    created = 0
    for row in rows:
        framework = Framework.objects.get(code=row["framework"])
        area = framework.areas.get(number=row["area"]) if row["area"] is not None else None
        created += published_reference_ensure(**{**row, "framework": framework, "area": area})
    return created


def _write_evaluation(plan: EvaluationPlan) -> Evaluation:
    country, code = plan.municipality_key
    evaluation = services.evaluation_create(
        municipality=Municipality.objects.get(country=country, code=code),
        framework=Framework.objects.get(code=plan.framework.id),
        facts=plan.facts,
    )
    services.scores_set(evaluation=evaluation, sheet=plan.sheet)
    services.evaluators_set(evaluation=evaluation, evaluators=plan.evaluators)
    for number, (general, changes) in plan.area_texts.items():
        if general or changes:
            services.area_texts_set(evaluation=evaluation, area_number=number, general=general, changes=changes)
    for code_, text in plan.question_texts.items():
        if text:
            services.question_text_set(evaluation=evaluation, question_code=code_, text=text)
    for (number, kind), items in plan.findings.items():
        services.findings_set(evaluation=evaluation, area_number=number, kind=kind, items=items)
    return evaluation


def _range(score: scoring.Score) -> tuple[Decimal, Decimal] | None:
    if not score.known:
        return None
    return (score.low, score.high) if score.reconstructed else (score.score, score.score)


def _conflicts(stored: scoring.Result, incoming: scoring.Result) -> list[str]:
    """Scores known to both whose ranges do not meet: the two sources disagree."""
    pairs = [(scoring.total_label(), stored.total, incoming.total)]
    for old_area, new_area in zip(stored.areas, incoming.areas):
        pairs.append((scoring.area_label(old_area.area.number), old_area.score, new_area.score))
        pairs += [
            (scoring.question_label(o.question.id), o.score, n.score) for o, n in zip(old_area.questions, new_area.questions)
        ]
    conflicts = []
    for label, old, new in pairs:
        a, b = _range(old), _range(new)
        if a and b and (a[1] < b[0] or b[1] < a[0]):
            conflicts.append(
                _("%(what)s: %(old)s i databasen, %(new)s i det inlästa; databasens behålls (--replace ersätter)")
                % {"what": label, "old": scoring.format_points(old.score), "new": scoring.format_points(new.score)}
            )
    return conflicts


def _known_count(result: scoring.Result) -> int:
    return sum(q.score.known for a in result.areas for q in a.questions) * 100 + sum(a.score.known for a in result.areas) * 10 + result.total.known


def _complete_evaluation(plan: EvaluationPlan) -> tuple[bool, list[str]]:
    """Fill in what an existing evaluation lacks: finer scores that agree with its own,
    empty texts and lists, missing facts. Nothing it holds is overwritten."""
    evaluation = _stored(plan).get()
    stored = scoring.summarise(plan.framework, evaluation_scoresheet(evaluation))
    incoming = scoring.summarise(plan.framework, plan.sheet)
    warnings = _conflicts(stored, incoming)
    changed = False
    if not warnings and _known_count(incoming) > _known_count(stored):
        services.scores_set(evaluation=evaluation, sheet=plan.sheet)
        changed = True
    if services.evaluation_facts_fill(evaluation=evaluation, facts=plan.facts):
        changed = True
    if plan.evaluators and not evaluation.evaluators.exists():
        services.evaluators_set(evaluation=evaluation, evaluators=plan.evaluators)
        changed = True
    texts = {a.area.number: a for a in evaluation.area_assessments.select_related("area")}
    for number, (general, changes) in plan.area_texts.items():
        current = texts.get(number)
        fill_general = general and not (current and current.general_text)
        fill_changes = changes and not (current and current.changes_text)
        if fill_general or fill_changes:
            services.area_texts_set(
                evaluation=evaluation, area_number=number,
                general=general if fill_general else None, changes=changes if fill_changes else None,
            )
            changed = True
    have = set(evaluation.question_assessments.exclude(text="").values_list("question__code", flat=True))
    for question_code, text in plan.question_texts.items():
        if text and question_code not in have:
            services.question_text_set(evaluation=evaluation, question_code=question_code, text=text)
            changed = True
    present = {(f.area.number, f.kind) for f in evaluation.findings.select_related("area")}
    for (number, kind), items in plan.findings.items():
        if (number, kind) not in present:
            services.findings_set(evaluation=evaluation, area_number=number, kind=kind, items=items)
            changed = True
    return changed, warnings

