"""The report's facts in the workspace: what chapter 2 and the title page say besides the
scores (month of the visit, the ordinal, the number interviewed, the sources, the
evaluators with their organisations, the publisher) and the summary texts.

Writes follow the workspace's rules (``workspace.guards``): one transaction, the
evaluation locked, every change in the audit trail, refused with ``ValidationError``
(keyed by field, each message naming the field) or with ``Conflict`` when someone else
saved since the form was shown. A refused save changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from kompass.evaluations import services as evaluation_services
from kompass.evaluations.models import Evaluation, Source
from kompass.i18n import _, gettext_noop
from kompass.municipalities.models import Municipality
from kompass.reports.wording import PUBLISHERS, evaluation_paragraph
from kompass.workspace import guards
from kompass.workspace.problems import Problem

MAX_NAME = 200  # Evaluator.name, Evaluator.organisation, Evaluation.publisher
MAX_COUNT = 10_000
FIELDS = ("month", "interviewees", "ordinal", "sources", "publisher", "evaluators", "evaluation_text")


@dataclass(frozen=True)
class ReportFacts:
    month: int | None = None
    interviewees: int | None = None
    interviewees_approximate: bool = False
    ordinal: int | None = None
    sources: tuple[str, ...] = ()
    publisher: str = ""
    evaluators: tuple[tuple[str, str], ...] = ()
    evaluation_text: str = ""

    def as_data(self) -> dict:
        data = asdict(self)
        data["sources"] = list(self.sources)
        data["evaluators"] = [list(e) for e in self.evaluators]
        return data


def report_facts_get(evaluation: Evaluation) -> ReportFacts:
    """What is stored."""
    return ReportFacts(
        month=evaluation.month,
        interviewees=evaluation.interviewees,
        interviewees_approximate=evaluation.interviewees_approximate,
        ordinal=evaluation.ordinal,
        sources=tuple(evaluation.sources or ()),
        publisher=evaluation.publisher,
        evaluators=tuple((e.name, e.organisation) for e in evaluation.evaluators.all()),
        evaluation_text=evaluation.evaluation_text,
    )


def report_facts_fingerprint(facts: ReportFacts) -> str:
    return guards.fingerprint(facts.as_data())


def ordinal_suggested(evaluation: Evaluation) -> int:
    """The evaluation's number among the municipality's evaluations, any version: one
    more than the earlier ones, counting on from an earlier recorded ordinal (Örebro's
    2015 evaluation was its fifth, though only three are in the database)."""
    earlier = Evaluation.objects.filter(municipality=evaluation.municipality, year__lt=evaluation.year).exclude(pk=evaluation.pk)
    by_year: dict[int, int | None] = {}
    for year, ordinal in earlier.values_list("year", "ordinal"):
        by_year[year] = max(filter(None, (by_year.get(year), ordinal)), default=None)
    count = 0
    for year in sorted(by_year):
        count = by_year[year] or count + 1
    return count + 1


def publisher_default(municipality: Municipality) -> str:
    return PUBLISHERS.get(municipality.country, "")


def evaluators_suggested(evaluation: Evaluation) -> tuple[tuple[str, str], ...]:
    """The assigned evaluators with their profile's organisation, in the order assigned."""
    rows = []
    for assignment in evaluation.assignments.select_related("user", "user__profile").order_by("id"):
        user = assignment.user
        profile = getattr(user, "profile", None)
        rows.append((user.get_full_name() or user.get_username(), getattr(profile, "organisation", "") or ""))
    return tuple(rows)


def report_facts_initial(evaluation: Evaluation) -> ReportFacts:
    """What the form shows: the stored facts, with the suggestions where nothing is stored
    yet (the computed ordinal, the country's publisher, the assigned evaluators)."""
    stored = report_facts_get(evaluation)
    return ReportFacts(
        month=stored.month,
        interviewees=stored.interviewees,
        interviewees_approximate=stored.interviewees_approximate,
        ordinal=stored.ordinal or ordinal_suggested(evaluation),
        sources=stored.sources,
        publisher=stored.publisher or publisher_default(evaluation.municipality),
        evaluators=stored.evaluators or evaluators_suggested(evaluation),
        evaluation_text=stored.evaluation_text,
    )


def evaluation_text_suggested(evaluation: Evaluation, facts: ReportFacts) -> str:
    """The generated "Utvärderingen" paragraph for these facts (used while the text is empty)."""
    return evaluation_paragraph(
        municipality=evaluation.municipality.name, year=evaluation.year, month=facts.month, ordinal=facts.ordinal,
        interviewees=facts.interviewees, approximate=facts.interviewees_approximate, sources=facts.sources,
    )


# --- reading typed input -----------------------------------------------------------------


def _count(typed, field: str, label: str, problems: dict, *, low: int, high: int) -> int | None:
    if typed is None or str(typed).strip() == "":
        return None
    text = str(typed).strip()
    if not text.isdigit() or not (low <= int(text) <= high):
        problems.setdefault(field, []).append(
            _("%(field)s: ”%(value)s” ska vara ett heltal %(low)s–%(high)s") % {"field": label, "value": text[:40], "low": low, "high": high}
        )
        return None
    return int(text)


def _name(value, label: str, problems: dict, field: str) -> str:
    value = " ".join((value or "").split())
    if len(value) > MAX_NAME:
        problems.setdefault(field, []).append(_("%(field)s: längre än %(max)s tecken") % {"field": label, "max": MAX_NAME})
    return value


def report_facts_parse(
    *, month=None, interviewees=None, interviewees_approximate=False, ordinal=None, sources: Sequence[str] = (),
    publisher: str = "", evaluators: Sequence[tuple[str, str]] = (), evaluation_text: str = "",
) -> ReportFacts:
    """Typed values (from a form or the command line) as facts, or ``ValidationError``
    with every problem, keyed by field (``evaluator-N`` for the N:th evaluator's row)."""
    problems: dict[str, list[str]] = {}
    parsed_month = _count(month, "month", _("månad"), problems, low=1, high=12)
    parsed_interviewees = _count(interviewees, "interviewees", _("antal intervjuade"), problems, low=1, high=MAX_COUNT)
    parsed_ordinal = _count(ordinal, "ordinal", _("kommunens utvärdering nr"), problems, low=1, high=100)
    sources = [str(s) for s in sources]
    unknown = [s for s in sources if s not in Source.values]
    if unknown:
        problems.setdefault("sources", []).append(
            _("källor: okänd källa %(unknown)s (kända: %(known)s)") % {"unknown": ", ".join(unknown)[:80], "known": ", ".join(Source.values)}
        )
    ordered_sources = tuple(s for s in Source.values if s in sources)
    publisher = _name(publisher, _("utgivare"), problems, "publisher")
    rows = []
    for position, (name, organisation) in enumerate(evaluators, start=1):
        field = f"evaluator-{position}"
        label = _("utvärderare %(n)s") % {"n": position}
        name = _name(name, _("%(label)s, namn") % {"label": label}, problems, field)
        organisation = _name(organisation, _("%(label)s, organisation") % {"label": label}, problems, field)
        if not name and not organisation:
            continue  # an empty row of the form
        if not name:
            problems.setdefault(field, []).append(_("%(label)s: namnet saknas (organisation %(org)s)") % {"label": label, "org": organisation})
        rows.append((name, organisation))
    try:
        text = guards.clean_text(evaluation_text, _("Utvärderingen"))
    except ValidationError as exc:
        problems.setdefault("evaluation_text", []).extend(exc.messages)
        text = ""
    if problems:
        raise ValidationError(problems)
    return ReportFacts(
        month=parsed_month, interviewees=parsed_interviewees, interviewees_approximate=bool(interviewees_approximate) and parsed_interviewees is not None,
        ordinal=parsed_ordinal, sources=ordered_sources, publisher=publisher, evaluators=tuple(rows), evaluation_text=text,
    )


# --- writes --------------------------------------------------------------------------------


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, (tuple, list)):
        return [", ".join(filter(None, v)) if isinstance(v, (tuple, list)) else str(Source(v).label) for v in value]
    return "" if value is None else str(value)


LABELS = {
    "month": gettext_noop("månad"),
    "interviewees": gettext_noop("antal intervjuade"),
    "interviewees_approximate": gettext_noop("ungefärligt antal"),
    "ordinal": gettext_noop("kommunens utvärdering nr"),
    "sources": gettext_noop("källor"),
    "publisher": gettext_noop("utgivare"),
    "evaluators": gettext_noop("utvärderare"),
    "evaluation_text": gettext_noop("Utvärderingen"),
}


@transaction.atomic
def report_facts_set(*, evaluation: Evaluation, by, facts: ReportFacts, base: str | None = None) -> ReportFacts:
    """Save the report's facts (all of them, as one form shows them). Facts built in code
    are checked as typed ones are."""
    facts = report_facts_parse(**{**facts.as_data(), "evaluators": facts.evaluators})
    evaluation = guards.locked(evaluation)
    guards.refuse_unless(evaluation, guards.UNPUBLISHED, _("att ändra rapportuppgifterna"))
    current = report_facts_get(evaluation)
    if base is not None and report_facts_fingerprint(current) != base:
        raise guards.Conflict(_("Rapportuppgifterna"), current, facts)
    for name, label in LABELS.items():
        old, new = getattr(current, name), getattr(facts, name)
        if old != new:
            guards.audit(evaluation, by, _("rapportuppgifter · %(field)s") % {"field": _(label)}, _shown(old), _shown(new))
    if current.evaluators != facts.evaluators:
        evaluation_services.evaluators_set(evaluation=evaluation, evaluators=facts.evaluators)
    evaluation_services.evaluation_update(
        evaluation=evaluation, month=facts.month, interviewees=facts.interviewees, interviewees_approximate=facts.interviewees_approximate,
        ordinal=facts.ordinal, sources=list(facts.sources), publisher=facts.publisher, evaluation_text=facts.evaluation_text,
    )
    return report_facts_get(evaluation)


@transaction.atomic
def summary_text_set(*, evaluation: Evaluation, by, text: str, base: str | None = None) -> Evaluation:
    """Chapter 2's "Sammanfattande kommentar" (Markdown)."""
    evaluation = guards.locked(evaluation)
    guards.refuse_unless(evaluation, guards.UNPUBLISHED, _("att skriva texter"))
    label = _("Sammanfattande kommentar")
    text = guards.clean_text(text, label)
    guards.check_base(label, evaluation.summary_text, base, text)
    guards.audit(evaluation, by, label, evaluation.summary_text, text)
    return evaluation_services.evaluation_update(evaluation=evaluation, summary_text=text)


def report_facts_problems(evaluation: Evaluation) -> list[Problem]:
    """What publishing needs of the report's facts: the summary, the month, the evaluators
    (each with its field on the Rapportuppgifter page)."""
    problems = []
    if not evaluation.summary_text.strip():
        problems.append(Problem(_("rapporten: texten ”Sammanfattande kommentar” saknas (Rapportuppgifter)"), "report_facts", "sammanfattande-kommentar"))
    if not evaluation.month:
        problems.append(Problem(_("rapporten: besökets månad saknas (Rapportuppgifter)"), "report_facts", "f-month"))
    if not evaluation.evaluators.exists():
        problems.append(Problem(_("rapporten: utvärderarna saknas (Rapportuppgifter)"), "report_facts", "f-evaluator-1-name"))
    return problems

