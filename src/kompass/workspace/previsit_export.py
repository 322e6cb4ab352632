"""The municipality's own pre-visit answers as a Word document and a PDF, for its contact
persons and the evaluators, before and after the visit: per area and sub-question (or
area scored as a whole) the answer, the self-score with its comment and the attachments'
names. Built from the answers alone, so the evaluators' scores, evidence and texts can
never slip in."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kompass.catalogue.translations import text_of
from kompass.evaluations.models import Evaluation
from kompass.scoring import points_text
from kompass.workspace.models import PrevisitAnswer
from kompass.workspace.units import key_of, unit_heading, units

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass
class AnswerItem:
    heading: str
    max_points: Decimal
    text: str = ""
    self_score: Decimal | None = None
    self_comment: str = ""
    attachments: list[str] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        """Counted as the pre-visit page counts: a written answer (a self-score alone is not one)."""
        return bool(self.text.strip())

    @property
    def self_score_text(self) -> str:
        return _("%(score)s av %(max)s") % {"score": points_text(self.self_score), "max": points_text(self.max_points)}


@dataclass
class AnswerArea:
    number: int
    title: str
    items: list[AnswerItem]


@dataclass
class AnswerSet:
    title: str
    subtitle: str
    municipality: str
    printed: str
    areas: list[AnswerArea]
    language: str = "sv"  # the municipality's, the language of its answers

    @property
    def counts(self) -> tuple[int, int]:
        every = [item for area in self.areas for item in area.items]
        return sum(item.answered for item in every), len(every)

    @property
    def count_line(self) -> str:
        answered, total = self.counts
        return _("%(answered)s av %(total)s besvarade.") % {"answered": answered, "total": total}


def answer_set(evaluation: Evaluation) -> AnswerSet:
    """The answers in catalogue order, every unit present (an unanswered one says so)."""
    definition = evaluation.framework.definition
    stored = {
        key_of(a.question.code if a.question_id else None, a.area.number if a.area_id else None): a
        for a in PrevisitAnswer.objects.filter(evaluation=evaluation).select_related("question", "area").prefetch_related("attachments")
    }
    areas = {area.number: AnswerArea(area.number, text_of(area, "title"), []) for area in definition.areas}
    for unit in units(definition):
        item = AnswerItem(unit_heading(unit), unit.max_points)
        if (answer := stored.get(unit.key)) is not None:
            item.text, item.self_score, item.self_comment = answer.text, answer.self_score, answer.self_comment
            item.attachments = [a.original_name for a in answer.attachments.all()]
        areas[unit.area_number].items.append(item)
    name = evaluation.municipality.name
    return AnswerSet(
        title=_("Förfrågan inför besöket: %(name)s") % {"name": name},
        subtitle=_("Kommunkompassen %(year)s, version %(version)s") % {"year": evaluation.year, "version": evaluation.framework.code},
        municipality=name,
        printed=datetime.date.today().isoformat(),
        areas=list(areas.values()),
        language=evaluation.municipality.language,
    )


def filename(evaluation: Evaluation, fmt: str) -> str:
    """forfragan-1880-orebro-2026.docx: ASCII, so every browser and mailer keeps it."""
    municipality = evaluation.municipality
    return f"forfragan-{municipality.code}-{slugify(municipality.display_name)}-{evaluation.year}.{fmt}"


def render(evaluation: Evaluation, fmt: str) -> bytes:
    if fmt not in CONTENT_TYPES:
        raise ValueError(fmt)
    answers = answer_set(evaluation)
    return answers_docx(answers) if fmt == "docx" else answers_pdf(answers)


def answers_pdf(answers: AnswerSet) -> bytes:
    from kompass.reports.pdf import render_pdf

    return render_pdf(render_to_string("workspace/previsit_export.html", {"answers": answers}))


def answers_docx(answers: AnswerSet) -> bytes:
    """Built-in styles only, set up as the report's Word document is."""
    from docx import Document

    from kompass.reports.docx_markdown import markdown_add
    from kompass.reports.docx_setup import document_set_up

    document = Document()
    document_set_up(document, SimpleNamespace(title=answers.title, subtitle=answers.subtitle, author=answers.municipality))
    document.add_paragraph(answers.title, style="Title")
    document.add_paragraph(answers.subtitle, style="Subtitle")
    document.add_paragraph(_("Kommunens egna svar, självskattningar och bilagor. Utskrivet %(date)s. %(count)s")
                           % {"date": answers.printed, "count": answers.count_line})
    for area in answers.areas:
        document.add_heading(f"{area.number}. {area.title}", level=1)
        for item in area.items:
            document.add_heading(item.heading, level=2)
            if item.text.strip():
                markdown_add(document, item.text)
            else:
                document.add_paragraph(_("Inget svar.")).runs[0].italic = True
            if item.self_score is not None:
                line = document.add_paragraph()
                line.add_run(_("Självskattning: ")).bold = True
                line.add_run(item.self_score_text)
            if item.self_comment.strip():
                document.add_paragraph().add_run(_("Kommentar till självskattningen:")).bold = True
                markdown_add(document, item.self_comment)
            if item.attachments:
                line = document.add_paragraph()
                line.add_run(_("Bilagor: ")).bold = True
                line.add_run(", ".join(item.attachments))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
