"""Reads of evaluations. Every derived number comes from ``kompass.scoring``."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kompass import scoring
from kompass.catalogue.visibility import public_view
from kompass.comparison import Comparison, compare
from kompass.evaluations.models import AreaAssessment, Evaluation, Finding, QuestionAssessment, Status
from kompass.municipalities.services import municipality_get


def evaluation_label(evaluation: Evaluation) -> str:
    return _("%(municipality)s %(year)s (version %(version)s)") % {
        "municipality": evaluation.municipality.name,
        "year": evaluation.year,
        "version": evaluation.framework.code,
    }


def evaluation_get(
    *, code: str, year: int, framework: str | None = None, country: str | None = None, published_only: bool = False
) -> Evaluation:
    """The evaluation of a municipality in a year; ``framework`` picks one where a year has several."""
    municipality = municipality_get(code=code, country=country)
    matches = Evaluation.objects.filter(municipality=municipality, year=year).select_related(
        "municipality", "framework", "municipality__county"
    )
    if framework:
        matches = matches.filter(framework__code=str(framework))
    if published_only:
        matches = matches.filter(status=Status.PUBLISHED)
    found = list(matches[:3])
    if not found:
        version = _(" enligt version %(version)s") % {"version": framework} if framework else ""
        raise ValidationError(
            _("%(municipality)s har ingen utvärdering %(year)s%(version)s")
            % {"municipality": municipality.name, "year": year, "version": version}
        )
    if len(found) > 1:
        versions = ", ".join(sorted(e.framework.code for e in found))
        raise ValidationError(
            _("%(municipality)s har flera utvärderingar %(year)s (versionerna %(versions)s): ange --framework")
            % {"municipality": municipality.name, "year": year, "versions": versions}
        )
    return found[0]


def evaluation_scoresheets(evaluations) -> dict[int, scoring.Scoresheet]:
    """Each evaluation's recorded scores by its id, read for all of them at once (two
    queries); the evaluations need only ``pk`` and the total's fields loaded."""
    evaluations = list(evaluations)
    ids = [e.pk for e in evaluations]
    questions, areas, intervals = defaultdict(dict), defaultdict(dict), defaultdict(dict)
    for model, key, level, scores in (
        (QuestionAssessment, "question__code", "question", questions),
        (AreaAssessment, "area__number", "area", areas),
    ):
        rows = model.objects.filter(evaluation_id__in=ids, score__isnull=False).values_list("evaluation_id", key, "score", "score_low", "score_high")
        for evaluation_id, unit, score, low, high in rows:
            scores[evaluation_id][unit] = score
            if low is not None:
                intervals[evaluation_id][(level, unit)] = (low, high)
    sheets = {}
    for e in evaluations:
        if e.total_score is not None and e.total_low is not None:
            intervals[e.pk][("total",)] = (e.total_low, e.total_high)
        sheets[e.pk] = scoring.Scoresheet(questions=questions[e.pk], areas=areas[e.pk], total=e.total_score, intervals=intervals[e.pk])
    return sheets


def evaluation_scoresheet(evaluation: Evaluation) -> scoring.Scoresheet:
    return evaluation_scoresheets([evaluation])[evaluation.pk]


def evaluation_result(evaluation: Evaluation, *, public: bool = False) -> scoring.Result:
    """The evaluation's scores; ``public``: against the version as the public may see it
    (``catalogue.visibility``), for public pages, the API and reports."""
    definition = evaluation.framework.definition
    if public:
        definition = public_view(definition)
    return scoring.summarise(definition, evaluation_scoresheet(evaluation))


def evaluation_history(evaluation: Evaluation, *, published_only: bool = False) -> list[Evaluation]:
    """The municipality's evaluations on the same version (comparable ones), oldest first."""
    history = Evaluation.objects.filter(
        municipality=evaluation.municipality, framework=evaluation.framework
    ).select_related("framework", "municipality")
    if published_only:
        history = history.filter(status=Status.PUBLISHED)
    return list(history.order_by("year"))


def evaluation_comparison(earlier: Evaluation, later: Evaluation) -> Comparison:
    """Deltas from ``earlier`` to ``later``; raises ``NotComparable`` across versions."""
    return compare(evaluation_result(earlier), evaluation_result(later))


def evaluation_findings(evaluation: Evaluation) -> dict[tuple[int, str], list[Finding]]:
    """Strengths, improvement areas and good examples by (area number, kind), in order."""
    findings: dict[tuple[int, str], list[Finding]] = {}
    for finding in evaluation.findings.select_related("area", "question").order_by("area__number", "kind", "position", "id"):
        findings.setdefault((finding.area.number, finding.kind), []).append(finding)
    return findings
