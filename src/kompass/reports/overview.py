"""The seed's "Översikt av poängfördelning" and comparisons, as plain text."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompass import scoring
from kompass.catalogue.translations import text_of
from kompass.comparison import Comparison
from kompass.evaluations.models import Evaluation
from kompass.evaluations.selectors import evaluation_label

MISSING = "–"


def _cells(score: scoring.Score) -> list[str]:
    if not score.known:
        return [MISSING, str(int(score.max)), MISSING]
    return [str(score.rounded), str(int(score.max)), f"{score.percent}%"]


def overview_text(evaluation: Evaluation, result: scoring.Result) -> str:
    """Tab-separated rows as the seed prints them: per area its sub-questions, then its total."""
    lines = [
        _("%(municipality)s %(year)s – Kommunkompassen, version %(version)s (%(status)s)")
        % {
            "municipality": evaluation.municipality.name,
            "year": evaluation.year,
            "version": evaluation.framework.code,
            "status": evaluation.get_status_display(),
        },
        "",
    ]
    header = [_("Uppnått"), _("Max"), _("Procent")]
    if result.has_question_scores:
        for area in result.areas:
            lines.append("\t".join([f"{area.area.number}.", text_of(area.area, "title"), *header]))
            for q in area.questions:
                lines.append("\t".join([q.question.id, text_of(q.question, "text"), *_cells(q.score)]))
            lines.append("\t".join(["", "", *_cells(area.score)]))
            lines.append("")
    else:
        lines.append("\t".join([_("Område"), "", *header]))
        for area in result.areas:
            lines.append("\t".join([f"{area.area.number}.", text_of(area.area, "title"), *_cells(area.score)]))
        lines.append("")
        if result.framework.has_questions:
            lines.append(_("Poäng per delfråga finns inte registrerade för den här utvärderingen."))
            lines.append("")
    lines.append("\t".join([_("Totalt"), "", *_cells(result.total)]))
    return "\n".join(lines)


def _signed(value: int | None) -> str:
    return MISSING if value is None else f"{value:+d}"


def comparison_text(earlier: Evaluation, later: Evaluation, comparison: Comparison) -> str:
    lines = [
        _("Förändring %(earlier)s → %(later)s, %(municipality)s (version %(version)s)")
        % {"earlier": earlier.year, "later": later.year, "municipality": later.municipality.name, "version": comparison.framework_id},
        "",
        "\t".join([_("Område"), "", str(earlier.year), str(later.year), _("Förändring")]),
    ]
    definition = later.framework.definition
    for number, delta in comparison.areas.items():
        lines.append(
            "\t".join(
                [
                    f"{number}.",
                    text_of(definition.area(number), "title"),
                    MISSING if delta.earlier is None else str(scoring.round_half_up(delta.earlier)),
                    MISSING if delta.later is None else str(scoring.round_half_up(delta.later)),
                    _signed(delta.rounded),
                ]
            )
        )
    total = comparison.total
    lines.append(
        "\t".join(
            [
                _("Totalt"),
                "",
                MISSING if total.earlier is None else str(scoring.round_half_up(total.earlier)),
                MISSING if total.later is None else str(scoring.round_half_up(total.later)),
                _signed(total.rounded),
            ]
        )
    )
    return "\n".join(lines)


def _delta_document(delta) -> dict:
    return {
        "earlier": scoring.format_points(delta.earlier),
        "later": scoring.format_points(delta.later),
        "delta": scoring.format_points(delta.value),
        "rounded": delta.rounded,
    }


def comparison_document(earlier: Evaluation, later: Evaluation, comparison: Comparison) -> dict:
    return {
        "municipality": {"code": later.municipality.code, "name": later.municipality.name, "country": later.municipality.country},
        "framework": comparison.framework_id,
        "earlier": {"year": earlier.year, "label": evaluation_label(earlier)},
        "later": {"year": later.year, "label": evaluation_label(later)},
        "total": _delta_document(comparison.total),
        "areas": [{"number": number, **_delta_document(delta)} for number, delta in comparison.areas.items()],
    }
