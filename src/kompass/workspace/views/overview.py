"""The dashboard, an evaluation's overview with its lifecycle, its history, corrections
after publishing, and the report's preview."""

from __future__ import annotations

import datetime
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompass.catalogue.models import Framework
from kompass.converters import IdConverter
from kompass.evaluations.models import Status
from kompass.evaluations.selectors import evaluation_label
from kompass.workspace import municipality_picker, progress, selectors, services
from kompass.workspace.access import Need, needs_of, role_of, workspace_evaluations
from kompass.workspace.models import Role
from kompass.workspace.views.common import evaluation_or_404, refusal_items, refused


@login_required
def dashboard(request):
    role = role_of(request.user)
    # The work in progress first: an administrator's list also holds every published evaluation.
    published_last = Case(When(status=Status.PUBLISHED, then=Value(1)), default=Value(0), output_field=IntegerField())
    evaluations = (
        workspace_evaluations(request.user)
        # what each row's progress and next deadline read, in the list's own queries
        .select_related("municipality", "framework", "schedule", "answers_done")
        .prefetch_related("assignments")
        .order_by(published_last, "-year", "municipality__name")
    )
    context = {"evaluations": selectors.progress_lines(evaluations, request.user, role), "role": role}
    if role == Role.ADMIN:
        context.update(_new_evaluation_form(request))
    return render(request, "workspace/dashboard.html", context)


def _new_evaluation_form(request) -> dict:
    User = get_user_model()
    return {
        # Only active versions can be chosen; drafts and retired versions are refused anyway.
        "frameworks": [f for f in Framework.objects.all() if services.framework_inactive_problem(f) is None],
        "evaluators": User.objects.filter(profile__role=Role.EVALUATOR, is_active=True).order_by("username"),
        "this_year": datetime.date.today().year,
        "municipality_labels": [municipality_picker.label(m) for m in municipality_picker.every_municipality()],
    }


@login_required
@require_POST
def evaluation_create(request):
    """The dashboard's form. A refusal keeps what was typed and names each wrong field
    beside it; a name that fits several municipalities comes back as a choice."""
    if role_of(request.user) != Role.ADMIN:
        raise Http404
    data = request.POST
    problems: dict[str, str] = {}
    typed = data.get("municipality", "")
    # A candidate's radio button counts only while the field still holds the search that offered it.
    same_search = " ".join(typed.split()) == " ".join(data.get("municipality_searched", "").split())
    picked = municipality_picker.pick(typed, data.get("municipality_pick", "") if same_search else "")
    municipality = picked.municipality
    if municipality is None:
        problems["municipality"] = picked.problem
    framework = Framework.objects.filter(code=data.get("framework", "")).first()
    if framework is None:
        problems["framework"] = _("Välj en version i listan.")
    year = data.get("year", "").strip()
    if not re.fullmatch(r"\d{4}", year):
        problems["year"] = _("Skriv året med fyra siffror, till exempel %(year)s.") % {"year": datetime.date.today().year}
    User = get_user_model()
    chosen = list(User.objects.filter(pk__in=[v for v in data.getlist("evaluators") if v.isdigit()]))
    if not problems:
        try:
            evaluation = services.evaluation_new(municipality=municipality, framework=framework, year=int(year), evaluators=chosen, by=request.user)
            return redirect("workspace:overview", evaluation.pk)
        except ValidationError as exc:
            for message in exc.messages:  # "år: 2031 ligger i framtiden" belongs beside the year
                field = "year" if message.startswith(_("år")) else "form"
                problems[field] = f"{problems[field]} {message}" if field in problems else message
    anchors = {"municipality": "new-municipality", "framework": "new-framework", "year": "new-year", "form": "new-heading"}
    context = {
        # the dashboard's rows as dashboard() shows them (keep the two alike)
        "evaluations": selectors.progress_lines(
            workspace_evaluations(request.user).select_related("municipality", "framework").order_by("-year", "municipality__name"), request.user, Role.ADMIN),
        "role": Role.ADMIN,
        "errors": [(anchors[k], v) for k, v in problems.items()], "field_errors": problems, "posted": data,
        "candidates": [(municipality_picker.pick_value(m), municipality_picker.label(m)) for m in picked.candidates],
        "chosen_evaluators": {str(u.pk) for u in chosen},
        # once a candidate was taken, the field shows it, so the next try keeps it
        "municipality_text": municipality_picker.label(municipality) if municipality else data.get("municipality", ""),
    }
    context.update(_new_evaluation_form(request))
    return render(request, "workspace/dashboard.html", context, status=400)


@login_required
def overview(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.VIEW)
    needs = needs_of(request.user, evaluation)
    counts = selectors.step_counts([evaluation])[evaluation.pk]
    context = {"evaluation": evaluation, "needs": {n.value for n in needs}, "label": evaluation_label(evaluation), "counts": counts}
    if Need.MANAGE in needs or Need.SCORE in needs:  # the team sees where it stands; the lead and admins act
        context["scored"] = [(a, counts.scores.get(a.pk, 0)) for a in evaluation.assignments.select_related("user").order_by("id")]
        if evaluation.status == Status.CONSENSUS:  # the divergences still to settle
            context["divergent_left"] = progress.unit_progress(selectors.area_blocks(evaluation, with_scores=True), "consensus").divergent
        lifecycle = services.LIFECYCLE
        here = lifecycle.index(evaluation.status)
        context.update(
            {
                "lifecycle": [(s, Status(s).label, i < here, i == here) for i, s in enumerate(lifecycle)],
                "forward": lifecycle[here + 1] if here + 1 < len(lifecycle) else None,
                "back": lifecycle[here - 1] if 0 < here < len(lifecycle) - 1 else None,
                "assignments": evaluation.assignments.select_related("user"),
                "consensus_problems": services.consensus_problems(evaluation) if evaluation.status == Status.SCORING else [],
                "publish_problems": services.publish_problems(evaluation) if evaluation.status == Status.CONSENSUS else [],
                "revisions": evaluation.revisions.all(),
                "may_change_lead": Need.TEAM in needs,
            }
        )
    return render(request, "workspace/overview.html", context)


@login_required
@require_POST
def status_change(request, pk):
    if request.POST.get("status") == Status.PUBLISHED:  # publishing is confirmed on its own page
        from kompass.workspace.views.confirm import publish

        return publish(request, pk)
    evaluation = evaluation_or_404(request, pk, Need.MANAGE)
    try:
        services.status_set(evaluation=evaluation, status=request.POST.get("status", ""), by=request.user)
    except ValidationError as exc:
        return refused(request, evaluation, exc)
    return redirect("workspace:overview", pk)


@login_required
@require_POST
def share(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.MANAGE)
    services.share_set(evaluation=evaluation, shared=request.POST.get("shared") == "1", by=request.user)
    return redirect("workspace:overview", pk)


@login_required
@require_POST
def lead(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.TEAM)
    posted = request.POST.get("user", "")
    # an id no column can hold (or no number at all) chooses nobody, never a 500
    chosen = get_user_model().objects.filter(pk=posted).first() if re.fullmatch(IdConverter.regex, posted) else None
    try:
        services.lead_set(evaluation=evaluation, user=chosen, by=request.user)
    except ValidationError as exc:
        return refused(request, evaluation, exc)
    return redirect("workspace:overview", pk)


@login_required
def history(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.HISTORY)
    return render(request, "workspace/history.html", {"evaluation": evaluation, "entries": selectors.audit_entries(evaluation, request.user)})


@login_required
def correction(request, pk):
    evaluation = evaluation_or_404(request, pk, Need.MANAGE)
    if evaluation.status != Status.PUBLISHED:
        raise Http404
    blocks = selectors.area_blocks(evaluation, with_texts=True)
    errors = []
    if request.method == "POST":
        data = request.POST
        scores, texts = {}, {}
        for block in blocks:
            for field in ("general", "changes"):
                key = f"a{block.area.number}-{field}"
                if key in data:
                    texts[("area", block.area.number, field)] = data[key]
                    setattr(block, f"typed_{field}", data[key])  # shown again if refused
            for row in block.units:
                if f"s-{row.unit.key}" in data:
                    scores[row.unit.key] = row.typed_score = data[f"s-{row.unit.key}"]
            for row in block.questions:
                if f"t-{row.question.code}" in data:
                    texts[("question", row.question.code)] = row.typed_text = data[f"t-{row.question.code}"]
        try:
            services.correction_apply(evaluation=evaluation, by=request.user, reason=data.get("reason", ""), scores=scores, texts=texts)
            return redirect("workspace:overview", pk)
        except ValidationError as exc:
            errors = refusal_items(exc, prefixes={_("skäl") + ":": "reason"})
    context = {"evaluation": evaluation, "blocks": blocks, "errors": errors, "invalid": {e.anchor for e in errors}, "posted": request.POST}
    return render(request, "workspace/correction.html", context, status=400 if errors else 200)


@login_required
def report_preview(request, pk, fmt):
    """The report as it will be published, for the evaluators and administrators."""
    from kompass.reports.formats import FORMATS, report_response

    evaluation = evaluation_or_404(request, pk, Need.TEXTS)
    if fmt not in FORMATS:
        raise Http404
    return report_response(evaluation, fmt)
