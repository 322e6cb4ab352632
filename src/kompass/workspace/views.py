"""The workspace pages. Thin: access from ``access``, writes through ``services``,
reads through ``selectors``.

Every field saves in place: a form posted by htmx gets its own fragment back (saved,
refused with the reason, or in conflict with someone else's newer version); without
JavaScript the same form posts normally and the page comes back."""

from __future__ import annotations

import csv
import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompass import scoring, uploads
from kompass.actions.selectors import followup_get
from kompass.catalogue.models import Framework, Question
from kompass.evaluations.models import Evaluation, FindingKind, Status
from kompass.evaluations.selectors import evaluation_label
from kompass.municipalities.models import Municipality
from kompass.workspace import selectors, services, units
from kompass.workspace.access import Need, allowed, needs_of, role_of, workspace_evaluations
from kompass.workspace.models import Evidence, EvidenceKind, PrevisitAttachment, Role


def _evaluation(request, pk: int, need: Need) -> Evaluation:
    """The evaluation if the user may do ``need`` with it; otherwise 404, revealing nothing."""
    evaluation = Evaluation.objects.select_related("municipality", "framework").filter(pk=pk).first()
    if evaluation is None or not allowed(request.user, evaluation, need):
        raise Http404
    return evaluation


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _field(request, template: str, context: dict, *, anchor: str, evaluation: Evaluation, page: str):
    """Answer a field's save: its fragment for htmx; otherwise back to the page, or,
    when refused, a page with just that form so nothing typed is lost."""
    if _is_htmx(request):
        return render(request, template, {**context, "htmx": True}, status=200)
    if context.get("error") or context.get("conflict"):
        return render(request, "workspace/field_page.html", {**context, "fragment": template, "evaluation": evaluation, "back": page}, status=400 if context.get("error") else 409)
    return redirect(f"{page}#{anchor}")


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


# --- lists and overview --------------------------------------------------------------


@login_required
def dashboard(request):
    role = role_of(request.user)
    context = {"evaluations": workspace_evaluations(request.user).order_by("-year", "municipality__name"), "role": role}
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
    }


@login_required
@require_POST
def evaluation_create(request):
    if role_of(request.user) != Role.ADMIN:
        raise Http404
    data = request.POST
    errors = []
    municipality = Municipality.objects.filter(country="SE", code=data.get("municipality", "").strip()).first()
    if municipality is None:
        errors.append(_("kommun: okänd kommunkod %(code)r") % {"code": data.get("municipality", "")})
    framework = Framework.objects.filter(code=data.get("framework", "")).first()
    if framework is None:
        errors.append(_("version: okänd version %(code)r") % {"code": data.get("framework", "")})
    try:
        year = int(data.get("year", ""))
    except ValueError:
        errors.append(_("år: %(value)r är inget årtal") % {"value": data.get("year", "")})
        year = None
    User = get_user_model()
    chosen = list(User.objects.filter(pk__in=[v for v in data.getlist("evaluators") if v.isdigit()]))
    if not errors:
        try:
            evaluation = services.evaluation_new(municipality=municipality, framework=framework, year=year, evaluators=chosen, by=request.user)
            return redirect("workspace:overview", evaluation.pk)
        except ValidationError as exc:
            errors = _errors(exc)
    context = {"evaluations": workspace_evaluations(request.user).order_by("-year"), "role": Role.ADMIN, "errors": errors, "posted": data}
    context.update(_new_evaluation_form(request))
    return render(request, "workspace/dashboard.html", context, status=400)


@login_required
def overview(request, pk):
    evaluation = _evaluation(request, pk, Need.VIEW)
    needs = needs_of(request.user, evaluation)
    context = {"evaluation": evaluation, "needs": {n.value for n in needs}, "label": evaluation_label(evaluation)}
    if Need.MANAGE in needs or Need.SCORE in needs:  # the team sees where it stands; the lead and admins act
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
            }
        )
    return render(request, "workspace/overview.html", context)


@login_required
@require_POST
def status_change(request, pk):
    evaluation = _evaluation(request, pk, Need.MANAGE)
    try:
        services.status_set(evaluation=evaluation, status=request.POST.get("status", ""), by=request.user)
    except ValidationError as exc:
        return render(request, "workspace/refused.html", {"evaluation": evaluation, "errors": _errors(exc)}, status=400)
    return redirect("workspace:overview", pk)


@login_required
@require_POST
def share(request, pk):
    evaluation = _evaluation(request, pk, Need.MANAGE)
    services.share_set(evaluation=evaluation, shared=request.POST.get("shared") == "1", by=request.user)
    return redirect("workspace:overview", pk)


# --- evidence -------------------------------------------------------------------------


@login_required
def evidence(request, pk):
    evaluation = _evaluation(request, pk, Need.EVIDENCE)
    errors, posted = [], {}
    if request.method == "POST":
        posted = request.POST
        try:
            day = datetime.date.fromisoformat(posted.get("date", ""))
        except ValueError:
            day = None
            errors.append(_("datum: %(value)r är inget datum (ÅÅÅÅ-MM-DD)") % {"value": posted.get("date", "")})
        if not errors:
            try:
                services.evidence_add(
                    evaluation=evaluation, by=request.user, kind=posted.get("kind", ""), date=day,
                    title=posted.get("title", ""), interviewee=posted.get("interviewee", ""), url=posted.get("url", ""),
                    notes=posted.get("notes", ""), question_codes=posted.getlist("questions"), upload=request.FILES.get("file"),
                )
                return redirect(reverse("workspace:evidence", args=[pk]) + "#register")
            except ValidationError as exc:
                errors = _errors(exc)
    context = {
        "evaluation": evaluation,
        "items": Evidence.objects.filter(evaluation=evaluation).prefetch_related("questions", "areas"),
        "area_level": units.is_area_level(evaluation.framework.definition),
        "kinds": EvidenceKind.choices,
        "blocks": selectors.area_blocks(evaluation),
        "errors": errors,
        "posted": posted,
        "editable": evaluation.status != Status.PUBLISHED,
        "max_mb": uploads_max_mb(),
        "today": datetime.date.today().isoformat(),
    }
    return render(request, "workspace/evidence.html", context, status=400 if errors else 200)


def uploads_max_mb() -> int:
    from django.conf import settings

    return settings.KOMPASS_UPLOAD_MAX_BYTES // (1024 * 1024)


def _download(name: str, original: str, content_type: str):
    """A stored file, always as a download: an uploaded HTML page never runs in our origin."""
    try:
        path = uploads.open_stored(name)
    except (uploads.UploadError, FileNotFoundError):
        raise Http404 from None
    response = FileResponse(path.open("rb"), as_attachment=True, filename=original or path.name, content_type=content_type)
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
def evidence_file(request, pk, evidence_id):
    evaluation = _evaluation(request, pk, Need.EVIDENCE)
    item = Evidence.objects.filter(evaluation=evaluation, pk=evidence_id).exclude(file_name="").first()
    if item is None:
        raise Http404
    return _download(item.file_name, item.original_name, item.content_type)


@login_required
@require_POST
def evidence_remove(request, pk, evidence_id):
    evaluation = _evaluation(request, pk, Need.EVIDENCE)
    try:
        services.evidence_remove(evaluation=evaluation, evidence_id=evidence_id, by=request.user)
    except ValidationError as exc:
        return render(request, "workspace/refused.html", {"evaluation": evaluation, "errors": _errors(exc)}, status=400)
    return redirect(reverse("workspace:evidence", args=[pk]) + "#register")


# --- independent scoring ------------------------------------------------------------------


@login_required
def scoring_page(request, pk):
    evaluation = _evaluation(request, pk, Need.SCORE)
    assignment = evaluation.assignments.filter(user=request.user).first()
    context = {
        "evaluation": evaluation,
        "blocks": selectors.area_blocks(evaluation, user=request.user),
        "submitted": assignment.submitted_at if assignment else None,
        "open": evaluation.status in (Status.COLLECTING, Status.SCORING) and not (assignment and assignment.submitted_at),
        "area_level": units.is_area_level(evaluation.framework.definition),
    }
    return render(request, "workspace/scoring.html", context)


@login_required
@require_POST
def score_save(request, pk, code):
    evaluation = _evaluation(request, pk, Need.SCORE)
    data = request.POST
    assignment = evaluation.assignments.filter(user=request.user).first()
    unit = _unit_or_404(evaluation, code)
    context = {"evaluation": evaluation, "code": code, "score": data.get("score", ""), "note": data.get("note", ""),
               "base": data.get("base", ""), "mode": "independent", "unit": unit,
               "open": evaluation.status in (Status.COLLECTING, Status.SCORING) and not (assignment and assignment.submitted_at)}
    try:
        row = services.independent_score_set(
            evaluation=evaluation, user=request.user, **units.kwargs_of(unit.key), score=data.get("score"),
            justification=data.get("note", ""), base=data.get("base"),
        )
        context.update(saved=True, score=row.score if row.score is not None else "", note=row.justification, base=_score_base(row.score, row.justification))
    except services.Conflict as exc:
        context.update(conflict=exc.current, base=services.fingerprint(exc.current))
    except ValidationError as exc:
        context.update(error=" ".join(exc.messages))
    return _field(request, "workspace/_score_form.html", context, anchor=f"q-{code}", evaluation=evaluation, page=reverse("workspace:scoring", args=[pk]))


def _score_base(score, note, key="justification") -> str:
    return services.fingerprint({"score": scoring.format_points(score), key: note})


def _question_or_404(evaluation, code):
    question = Question.objects.filter(area__framework=evaluation.framework, code=code).first()
    if question is None:
        raise Http404
    return question


def _unit_or_404(evaluation, code) -> units.Unit:
    """The sub-question ("1.1") or the area scored as a whole ("3") a form's address names."""
    unit = units.unit_get(evaluation.framework.definition, code)
    if unit is None:
        raise Http404
    return unit


@login_required
@require_POST
def scoring_submit(request, pk):
    evaluation = _evaluation(request, pk, Need.SCORE)
    try:
        services.scoring_submit(evaluation=evaluation, user=request.user)
    except ValidationError as exc:
        return render(request, "workspace/refused.html", {"evaluation": evaluation, "errors": _errors(exc)}, status=400)
    return redirect("workspace:scoring", pk)


# --- consensus ----------------------------------------------------------------------------


@login_required
def consensus_page(request, pk):
    evaluation = _evaluation(request, pk, Need.CONSENSUS)
    started = evaluation.status in (Status.CONSENSUS, Status.PUBLISHED)
    context = {
        "evaluation": evaluation,
        "started": started,
        "open": evaluation.status == Status.CONSENSUS,
        "blocks": selectors.area_blocks(evaluation, with_scores=True) if started else [],
        "agreement": selectors.evaluation_agreement(evaluation) if started else None,
        "names": [a.user.get_full_name() or a.user.get_username() for a in evaluation.assignments.select_related("user").order_by("id")],
        "area_level": units.is_area_level(evaluation.framework.definition),
    }
    return render(request, "workspace/consensus.html", context)


@login_required
@require_POST
def consensus_save(request, pk, code):
    evaluation = _evaluation(request, pk, Need.CONSENSUS)
    data = request.POST
    unit = _unit_or_404(evaluation, code)
    context = {"evaluation": evaluation, "code": code, "score": data.get("score", ""), "note": data.get("note", ""),
               "base": data.get("base", ""), "mode": "consensus", "open": evaluation.status == Status.CONSENSUS, "unit": unit}
    try:
        row = services.consensus_set(
            evaluation=evaluation, by=request.user, **units.kwargs_of(unit.key), score=data.get("score"),
            rationale=data.get("note", ""), base=data.get("base"),
        )
        context.update(saved=True, score=row.score if row.score is not None else "", note=row.rationale, base=_score_base(row.score, row.rationale, "rationale"))
    except services.Conflict as exc:
        context.update(conflict=exc.current, base=services.fingerprint(exc.current))
    except ValidationError as exc:
        context.update(error=" ".join(exc.messages))
    return _field(request, "workspace/_score_form.html", context, anchor=f"q-{code}", evaluation=evaluation, page=reverse("workspace:consensus", args=[pk]))


@login_required
@require_POST
def consensus_unanimous(request, pk):
    evaluation = _evaluation(request, pk, Need.CONSENSUS)
    try:
        services.consensus_accept_unanimous(evaluation=evaluation, by=request.user)
    except ValidationError as exc:
        return render(request, "workspace/refused.html", {"evaluation": evaluation, "errors": _errors(exc)}, status=400)
    return redirect("workspace:consensus", pk)


@login_required
def consensus_csv(request, pk):
    """Every unit's independent scores (each sub-question's, or each area's in a version
    without sub-questions), the agreed score, and the agreement measures over the units."""
    evaluation = _evaluation(request, pk, Need.CONSENSUS)
    if evaluation.status not in (Status.CONSENSUS, Status.PUBLISHED):
        raise Http404
    blocks = selectors.area_blocks(evaluation, with_scores=True)
    measures = selectors.evaluation_agreement(evaluation)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="overensstammelse-{evaluation.municipality.code}-{evaluation.year}.csv"'
    writer = csv.writer(response, delimiter=";")
    names = [name for name, _s in blocks[0].units[0].scores] if blocks and blocks[0].units else []
    area_level = units.is_area_level(evaluation.framework.definition)
    writer.writerow([_("område") if area_level else _("delfråga"), _("max"), *names, _("avvikelse"), _("konsensus")])
    for block in blocks:
        for row in block.units:
            writer.writerow(
                [row.unit.key, _comma(f"{row.unit.max_points.normalize():f}"), *[_comma(s.score) if s else "" for _n, s in row.scores],
                 _("ja") if row.divergent else _("nej"), _comma(row.agreed.score) if row.agreed and row.agreed.score is not None else ""]
            )
    writer.writerow([])
    writer.writerow([_("områden med minst två poäng") if area_level else _("delfrågor med minst två poäng"), measures.units])
    writer.writerow([_("medelabsolutavvikelse"), _comma(measures.mean_absolute_difference)])
    writer.writerow([_("Krippendorffs alfa (intervall)"), _comma(measures.alpha)])
    return response


def _comma(value) -> str:
    return "" if value is None else str(value).replace(".", ",")


# --- texts --------------------------------------------------------------------------------


@login_required
def texts_page(request, pk):
    evaluation = _evaluation(request, pk, Need.TEXTS)
    previous = services.previous_evaluation(evaluation)
    blocks = selectors.area_blocks(evaluation, with_texts=True)
    followup = followup_get(evaluation)
    if followup.comparable:
        changes = {item.improvement.area.number: item.area_change for item in followup.items}
        for block in blocks:
            block.area_change = changes.get(block.area.number)
    context = {
        "evaluation": evaluation,
        "blocks": blocks,
        "previous": previous,
        "open": evaluation.status != Status.PUBLISHED,
        "list_kinds": selectors.LISTS,
    }
    return render(request, "workspace/texts.html", context)


@login_required
@require_POST
def area_text_save(request, pk, number, field):
    evaluation = _evaluation(request, pk, Need.TEXTS)
    if field not in ("general", "changes"):
        raise Http404
    return _text_save(
        request, evaluation, anchor=f"a{number}-{field}", action=request.path,
        save=lambda text, base: services.area_text_set(evaluation=evaluation, by=request.user, area_number=number, field=field, text=text, base=base),
        read=lambda row: getattr(row, f"{field}_text"),
        label=_area_text_label(evaluation, field), page=reverse("workspace:texts", args=[pk]),
    )


def _area_text_label(evaluation, field: str) -> str:
    previous = services.previous_evaluation(evaluation)
    if field == "changes" and previous is not None:
        return _("Vad har hänt efter %(year)s?") % {"year": previous.year}
    return _("Allmänt") if field == "general" else _("Vad har hänt?")


@login_required
@require_POST
def question_text_save(request, pk, code):
    evaluation = _evaluation(request, pk, Need.TEXTS)
    return _text_save(
        request, evaluation, anchor=f"t-{code}", action=request.path,
        save=lambda text, base: services.question_text_set(evaluation=evaluation, by=request.user, question_code=code, text=text, base=base),
        read=lambda row: row.text, label=f"{code} {_question_or_404(evaluation, code).text}", page=reverse("workspace:texts", args=[pk]),
    )


@login_required
@require_POST
def previsit_save(request, pk, code):
    evaluation = _evaluation(request, pk, Need.PREVISIT_ANSWER)
    unit = _unit_or_404(evaluation, code)
    return _text_save(
        request, evaluation, anchor=f"p-{code}", action=request.path,
        save=lambda text, base: services.previsit_answer_set(evaluation=evaluation, by=request.user, **units.kwargs_of(unit.key), text=text, base=base),
        read=lambda row: row.text, label=_("Kommunens svar"), page=reverse("workspace:previsit", args=[pk]),
    )


def _text_save(request, evaluation, *, anchor, action, save, read, label, page):
    text, base = request.POST.get("text", ""), request.POST.get("base")
    context = {"id": anchor, "action": action, "label": label, "text": text, "base": base or "", "open": True}
    try:
        row = save(text, base)
        context.update(saved=True, text=read(row), base=services.fingerprint(read(row)))
    except services.Conflict as exc:
        context.update(conflict=exc.current, base=services.fingerprint(exc.current))
    except ValidationError as exc:
        context.update(error=" ".join(exc.messages))
    return _field(request, "workspace/_text_form.html", context, anchor=anchor, evaluation=evaluation, page=page)


@login_required
@require_POST
def list_save(request, pk, number, kind):
    evaluation = _evaluation(request, pk, Need.TEXTS)
    if kind not in FindingKind.values:
        raise Http404
    typed = request.POST.get("items", "")
    items = [line.strip() for line in typed.splitlines() if line.strip()]
    context = {"id": f"a{number}-{kind}", "action": request.path, "label": str(FindingKind(kind).label).capitalize(), "items_text": typed,
               "base": request.POST.get("base", ""), "open": True, "list": True}
    try:
        saved = services.findings_list_set(evaluation=evaluation, by=request.user, area_number=number, kind=kind, items=items, base=request.POST.get("base"))
        context.update(saved=True, items=saved, items_text="\n".join(saved), base=services.fingerprint(saved))
    except services.Conflict as exc:
        context.update(conflict=exc.current, base=services.fingerprint(exc.current))
    except ValidationError as exc:
        context.update(error=" ".join(exc.messages))
    return _field(request, "workspace/_list_form.html", context, anchor=context["id"], evaluation=evaluation, page=reverse("workspace:texts", args=[pk]))


@login_required
@require_POST
def follow_up_save(request, pk, item_id):
    evaluation = _evaluation(request, pk, Need.TEXTS)
    try:
        item = services.follow_up_set(evaluation=evaluation, by=request.user, item_id=item_id, done=request.POST.get("done") == "1")
    except ValidationError as exc:
        return render(request, "workspace/refused.html", {"evaluation": evaluation, "errors": _errors(exc)}, status=400)
    if _is_htmx(request):
        return render(request, "workspace/_follow_up.html", {"item": item, "evaluation": evaluation, "open": True})
    return redirect(reverse("workspace:texts", args=[pk]) + f"#f-{item.pk}")


# --- the municipality's pre-visit answers ----------------------------------------------------------


@login_required
def previsit_page(request, pk):
    evaluation = _evaluation(request, pk, Need.PREVISIT_READ)
    may_answer = allowed(request.user, evaluation, Need.PREVISIT_ANSWER)
    errors = []
    if request.method == "POST" and may_answer:
        try:
            key = request.POST.get("question", "")
            services.previsit_attachment_add(
                evaluation=evaluation, by=request.user, upload=request.FILES.get("file"),
                **units.kwargs_of(key),  # an unknown one is refused by name
            )
            return redirect(reverse("workspace:previsit", args=[pk]) + f"#p-{request.POST.get('question', '')}")
        except ValidationError as exc:
            errors = _errors(exc)
    elif request.method == "POST":
        raise Http404
    blocks = selectors.area_blocks(evaluation)
    for block in blocks:
        for row in block.units:  # the self-assessment form's fingerprint, beside the answer's
            row.self_base = _self_base(row.answer.self_score if row.answer else None, row.answer.self_comment if row.answer else "")
    context = {
        "evaluation": evaluation,
        "blocks": blocks,
        "may_answer": may_answer,
        "open": may_answer and evaluation.status in services.PREVISIT_OPEN,
        "errors": errors,
        "max_mb": uploads_max_mb(),
        "area_level": units.is_area_level(evaluation.framework.definition),
    }
    return render(request, "workspace/previsit.html", context, status=400 if errors else 200)


def _self_base(score, comment) -> str:
    return services.fingerprint({"score": scoring.format_points(score), "comment": comment})


@login_required
@require_POST
def self_assessment_save(request, pk, code):
    """The municipality's self-score and comment for one sub-question (or area), saved in place."""
    evaluation = _evaluation(request, pk, Need.PREVISIT_ANSWER)
    unit = _unit_or_404(evaluation, code)
    data = request.POST
    context = {"evaluation": evaluation, "unit": unit, "code": code, "score": data.get("score", ""),
               "comment": data.get("comment", ""), "base": data.get("base", ""), "open": True}
    try:
        row = services.self_assessment_set(
            evaluation=evaluation, by=request.user, **units.kwargs_of(unit.key), score=data.get("score"),
            comment=data.get("comment", ""), base=data.get("base"),
        )
        context.update(saved=True, score=scoring.format_points(row.self_score) or "", comment=row.self_comment,
                       base=_self_base(row.self_score, row.self_comment))
    except services.Conflict as exc:
        context.update(conflict=exc.current, base=services.fingerprint(exc.current))
    except ValidationError as exc:
        context.update(error=" ".join(exc.messages))
    return _field(request, "workspace/_self_assessment_form.html", context, anchor=f"s-{code}", evaluation=evaluation,
                  page=reverse("workspace:previsit", args=[pk]))


@login_required
def gaps_page(request, pk):
    """After publication: the municipality's self-assessment against the evaluators'
    scores, per area and sub-question, the largest gap first. Before publication the
    page says when it will be shown (to those who may see it; 404 to everyone else)."""
    from kompass.workspace.gaps import evaluation_gaps

    evaluation = _evaluation(request, pk, Need.GAPS)
    context = {"evaluation": evaluation, "published": evaluation.status == Status.PUBLISHED}
    if context["published"]:
        result = evaluation_gaps(evaluation)
        context.update(gaps=result, chart=_gap_chart(result) if result.areas else None)
    return render(request, "workspace/gaps.html", context)


def _gap_chart(result) -> dict:
    """Per area, self-assessment and evaluators side by side in percent of the compared
    sub-questions' maxima, largest gap first; an SVG with a title, a description and its
    data as a table (the page's template shows both)."""
    from xml.sax.saxutils import escape

    from kompass.reports.charts import chart_svg
    from kompass.reports.context import ChartData, Series

    data = ChartData(
        key="gaps",
        title=_("Självskattning och utvärderarnas poäng per område"),
        categories=tuple(f"{a.number}. {a.title}" for a in result.areas),
        series=(
            Series(_("Kommunens självskattning"), tuple(a.self_percent for a in result.areas)),
            Series(_("Utvärderarnas poäng"), tuple(a.evaluators_percent for a in result.areas)),
        ),
        max_value=100,
        value_label=_("Procent av områdets max") if result.area_level else _("Procent av max för de jämförda delfrågorna"),
        note=_("Störst skillnad först. Bara områden med både självskattning och utvärderarnas poäng räknas.") if result.area_level
        else _("Störst skillnad först. Bara delfrågor med både självskattning och utvärderarnas poäng räknas."),
    )
    description = _("Per område kommunens självskattning och utvärderarnas poäng i procent av max, störst skillnad först: %(areas)s.") % {
        "areas": "; ".join(
            _("område %(number)s: självskattning %(own)s %%, utvärderarna %(theirs)s %%")
            % {"number": a.number, "own": scoring.round_half_up(a.self_percent), "theirs": scoring.round_half_up(a.evaluators_percent)}
            for a in result.areas
        )
    }
    svg = chart_svg(data)
    end = svg.index("</title>") + len("</title>")
    svg = f"{svg[:end]}<desc>{escape(description)}</desc>{svg[end:]}"
    return {"data": data, "svg": svg, "description": description}


@login_required
def previsit_file(request, pk, attachment_id):
    evaluation = _evaluation(request, pk, Need.PREVISIT_READ)
    item = PrevisitAttachment.objects.filter(answer__evaluation=evaluation, pk=attachment_id).first()
    if item is None:
        raise Http404
    return _download(item.file_name, item.original_name, item.content_type)


# --- history and corrections ------------------------------------------------------------------


@login_required
def history(request, pk):
    evaluation = _evaluation(request, pk, Need.HISTORY)
    return render(request, "workspace/history.html", {"evaluation": evaluation, "entries": selectors.audit_entries(evaluation, request.user)})


@login_required
def correction(request, pk):
    evaluation = _evaluation(request, pk, Need.MANAGE)
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
            for row in block.units:
                if f"s-{row.unit.key}" in data:
                    scores[row.unit.key] = data[f"s-{row.unit.key}"]
            for row in block.questions:
                if f"t-{row.question.code}" in data:
                    texts[("question", row.question.code)] = data[f"t-{row.question.code}"]
        try:
            services.correction_apply(evaluation=evaluation, by=request.user, reason=data.get("reason", ""), scores=scores, texts=texts)
            return redirect("workspace:overview", pk)
        except ValidationError as exc:
            errors = _errors(exc)
    return render(request, "workspace/correction.html", {"evaluation": evaluation, "blocks": blocks, "errors": errors, "posted": request.POST}, status=400 if errors else 200)


@login_required
def report_preview(request, pk, fmt):
    """The report as it will be published, for the evaluators and administrators."""
    from kompass.reports.formats import FORMATS, render_report, report_filename

    evaluation = _evaluation(request, pk, Need.TEXTS)
    if fmt not in FORMATS:
        raise Http404
    rendered = render_report(evaluation, fmt)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report_filename(evaluation, fmt)}"'
    return response
