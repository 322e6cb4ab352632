"""Files the workspace hands out: the agreement between the evaluators as CSV."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from kompass.csv_files import csv_document
from kompass.evaluations.models import Evaluation
from kompass.workspace import selectors, units


def agreement_csv(evaluation: Evaluation) -> str:
    """Every unit's independent scores (each sub-question's, or each area's in a version
    without sub-questions), the agreed score, and the agreement measures over the units;
    the Swedish CSV variant (semicolons and decimal commas), as Swedish spreadsheets read it."""
    blocks = selectors.area_blocks(evaluation, with_scores=True)
    measures = selectors.evaluation_agreement(evaluation)
    names = [name for name, _s in blocks[0].units[0].scores] if blocks and blocks[0].units else []
    area_level = units.is_area_level(evaluation.framework.definition)
    header = [_("område") if area_level else _("delfråga"), _("max"), *names, _("avvikelse"), _("konsensus")]
    rows = [
        # normalize() alone prints 10 as "1E+1"; the fixed-point text does not
        [row.unit.key, Decimal(f"{row.unit.max_points.normalize():f}"), *[s.score if s else None for _n, s in row.scores],
         _("ja") if row.divergent else _("nej"), row.agreed.score if row.agreed else None]
        for block in blocks
        for row in block.units
    ]
    rows += [
        [],
        [_("områden med minst två poäng") if area_level else _("delfrågor med minst två poäng"), measures.units],
        [_("medelabsolutavvikelse"), measures.mean_absolute_difference],
        [_("Krippendorffs alfa (intervall)"), measures.alpha],
    ]
    return csv_document(header, rows, swedish=True)
