"""The "Rapportuppgifter" page: the report's facts and chapter 2's summary.

Two plain POST forms on one address (``form=facts`` and ``form=summary``); both work
without JavaScript. A refused facts form comes back with an error summary whose links
lead to the fields, with everything typed kept; the summary saves in place like every
workspace text (htmx), falling back to the whole page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from kompass.evaluations.models import Evaluation, Source, Status
from kompass.evaluations.selectors import evaluation_label
from kompass.workspace import facts as facts_services
from kompass.workspace.access import Need
from kompass.workspace.guards import Conflict, fingerprint
from kompass.workspace.views.common import evaluation_or_404, is_htmx, save_into

EMPTY_ROWS = 2  # blank evaluator rows below the filled ones, to add evaluators


def _posted_facts(data) -> dict:
    count = data.get("evaluator_rows", "0")
    count = min(int(count), 50) if count.isdigit() else 0
    return {
        "month": data.get("month", ""),
        "interviewees": data.get("interviewees", ""),
        "interviewees_approximate": data.get("interviewees_approximate") == "1",
        "ordinal": data.get("ordinal", ""),
        "sources": data.getlist("sources"),
        "publisher": data.get("publisher", ""),
        "evaluators": [(data.get(f"evaluator-{n}-name", ""), data.get(f"evaluator-{n}-organisation", "")) for n in range(1, count + 1)],
        "evaluation_text": data.get("evaluation_text", ""),
    }


def _shown_facts(facts: facts_services.ReportFacts) -> dict:
    return {
        "month": str(facts.month or ""),
        "interviewees": str(facts.interviewees or ""),
        "interviewees_approximate": facts.interviewees_approximate,
        "ordinal": str(facts.ordinal or ""),
        "sources": list(facts.sources),
        "publisher": facts.publisher,
        "evaluators": list(facts.evaluators),
        "evaluation_text": facts.evaluation_text,
    }


# The id of the input each field's error links to.
ANCHORS = {"month": "f-month", "interviewees": "f-interviewees", "ordinal": "f-ordinal", "sources": "f-sources",
           "publisher": "f-publisher", "evaluation_text": "f-evaluation_text"}


def _anchor(field: str) -> str:
    if field.startswith("evaluator-"):
        return f"f-{field}-name"
    return ANCHORS.get(field, "uppgifter")


@login_required
def report_facts_page(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.REPORT_FACTS)
    editable = evaluation.status != Status.PUBLISHED
    stored = facts_services.report_facts_get(evaluation)
    context = {
        "evaluation": evaluation,
        "editable": editable,
        "base": facts_services.report_facts_fingerprint(stored),
        "values": _shown_facts(facts_services.report_facts_initial(evaluation)),
        "errors": [],
        "saved": request.GET.get("sparat") == "1",
        "summary": {"id": "sammanfattning", "action": request.path, "label": _("Sammanfattande kommentar"),
                    "text": evaluation.summary_text, "base": fingerprint(evaluation.summary_text), "open": editable,
                    "saved": False, "error": "", "conflict": None},
    }
    status = 200
    if request.method == "POST":
        if not editable:
            context["errors"] = [(None, _("%(evaluation)s är publicerad och kan inte ändras; en ändring görs som rättelse med skäl") % {"evaluation": evaluation_label(evaluation)})]
            status = 400
        elif "text" in request.POST:  # the summary's form (the facts form has no field "text")
            return _summary_save(request, evaluation, context)
        else:
            posted = _posted_facts(request.POST)
            # Shown again as typed, without the empty rows (the page adds its own).
            context["values"] = {**posted, "evaluators": [row for row in posted["evaluators"] if any(v.strip() for v in row)]}
            try:
                facts = facts_services.report_facts_parse(**posted)
                facts_services.report_facts_set(evaluation=evaluation, by=request.user, facts=facts, base=request.POST.get("base"))
                return redirect(reverse("workspace:report_facts", args=[pk]) + "?sparat=1#uppgifter")
            except Conflict as exc:
                context["conflict"] = _shown_facts(exc.current)
                context["base"] = facts_services.report_facts_fingerprint(exc.current)
                status = 409
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                context["errors"] = [(_anchor(field), message) for field, messages in errors.items() for message in messages]
                context["invalid"] = set(errors)
                status = 400
    _complete(context, evaluation)
    return render(request, "workspace/facts.html", context, status=status)


def _complete(context: dict, evaluation: Evaluation) -> None:
    """The parts of the page computed from the values shown."""
    values = context["values"]
    rows = [(n, name, organisation) for n, (name, organisation) in enumerate(values["evaluators"], start=1)]
    rows += [(n, "", "") for n in range(len(rows) + 1, len(rows) + 1 + (EMPTY_ROWS if context["editable"] else 0))]
    invalid = context.get("invalid", set())
    context.update(
        months=[(str(n), MONTHS[n]) for n in range(1, 13)],
        source_choices=Source.choices,
        evaluator_rows=[(n, name, organisation, f"evaluator-{n}" in invalid) for n, name, organisation in rows],
        invalid=invalid,
        ordinal_suggested=facts_services.ordinal_suggested(evaluation),
        publisher_default=facts_services.publisher_default(evaluation.municipality),
        text_suggested=_suggestion(evaluation, values),
        report_url=reverse("workspace:report", args=[evaluation.pk, "pdf"]),
        missing=facts_services.report_facts_problems(evaluation) if context["editable"] else [],
    )


def _suggestion(evaluation: Evaluation, values: dict) -> str:
    try:
        facts = facts_services.report_facts_parse(**values)
    except ValidationError:
        facts = facts_services.report_facts_get(evaluation)
    return facts_services.evaluation_text_suggested(evaluation, facts)


def _summary_save(request, evaluation: Evaluation, context: dict):
    text, base = request.POST.get("text", ""), request.POST.get("base")
    summary = {**context["summary"], "text": text, "base": base or ""}
    save_into(
        summary, lambda: facts_services.summary_text_set(evaluation=evaluation, by=request.user, text=text, base=base),
        lambda saved: {"text": saved.summary_text, "base": fingerprint(saved.summary_text)},
    )
    if is_htmx(request):
        return render(request, "workspace/_text_form.html", {**summary, "evaluation": evaluation, "htmx": True})
    if not summary.get("error") and summary.get("conflict") is None:
        return redirect(reverse("workspace:report_facts", args=[evaluation.pk]) + "#sammanfattning")
    context["summary"] = summary
    _complete(context, evaluation)
    return render(request, "workspace/facts.html", context, status=400 if summary.get("error") else 409)
