"""Action plans: the editor in the workspace and the public plan. Thin: who may edit from
``services.may_edit_plan``, every write through ``services``, the plan from
``selectors.plan_get``, files from ``exports``.

Every form posts normally and the page comes back (post, redirect, get), so the editor
works without JavaScript. A refused save changes nothing and answers 400 with the whole
page: the service's message beside the form, the form open with what was typed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kompass.actions import exports, services
from kompass.actions.forms import ActionForm, DeleteForm, NoteForm, PlanForm, PublishForm, StatusForm
from kompass.actions.models import Action, ActionStatus
from kompass.actions.selectors import Plan, plan_get
from kompass.municipalities.models import Country, Municipality
from kompass.workspace.access import role_of
from kompass.workspace.models import Role

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


# --- finding the plan ----------------------------------------------------------------------


def _municipality(country: str, code: str) -> Municipality | None:
    return Municipality.objects.select_related("county").filter(country=country.upper(), code=code).first()


def _editable(request, country: str, code: str) -> Plan:
    """The plan if the user may edit it; otherwise 404, whether the municipality exists
    or not, revealing nothing."""
    municipality = _municipality(country, code)
    if municipality is None or not services.may_edit_plan(request.user, municipality):
        raise Http404
    return plan_get(municipality)


def _public(country: str, code: str) -> Plan:
    municipality = _municipality(country, code)
    if municipality is None:
        raise Http404
    plan = plan_get(municipality)
    if not plan.public:
        raise Http404
    return plan


def _action_in(plan: Plan, action_id: int) -> Action:
    """An action of this plan (the improvement areas of the latest published evaluation);
    another plan's action, or none, is 404."""
    for action in plan.actions:
        if action.pk == action_id:
            return action
    raise Http404


def _editor_url(plan: Plan, anchor: str = "") -> str:
    m = plan.municipality
    return reverse("actions:edit", args=[m.country, m.code]) + (f"#{anchor}" if anchor else "")


# --- the forms -------------------------------------------------------------------------------


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _editor_context(request, plan: Plan, failed: PlanForm | None = None) -> dict:
    """The page's sections with a form for every form on it; the refused one (``failed``)
    as it was posted, with its messages."""
    today = plan.today.isoformat()

    def form(form_class: type[PlanForm], form_id: str, initial: dict | None = None) -> PlanForm:
        return failed if failed is not None and failed.id == form_id else form_class(form_id=form_id, initial=initial)

    sections = exports.sections(plan)
    for section in sections:
        for improvement in section.improvements:
            f = improvement.finding
            improvement.add = form(ActionForm, f"ny-{f.pk}")
            for item in improvement.actions:
                a = item.action
                item.update = form(ActionForm, f"andra-{a.pk}", {
                    "title": a.title, "owner": a.owner, "start": _iso(a.start), "due": _iso(a.due),
                    "indicator": a.indicator, "description": a.description,
                })
                item.status_form = form(StatusForm, f"status-{a.pk}", {"status": a.status, "date": today, "note": ""})
                item.note_form = form(NoteForm, f"anteckning-{a.pk}", {"date": today, "text": ""})
                item.delete_form = form(DeleteForm, f"ta-bort-{a.pk}")
    m = plan.municipality
    return {
        "plan": plan,
        "municipality": m,
        "sections": sections,
        "progress": plan.progress(),
        "totals": plan.totals(),
        "chart": exports.progress_svg(plan),
        "statuses": ActionStatus.choices,
        "chart_statuses": exports.CHART_ORDER,
        "failed": failed,
        "publish_form": form(PublishForm, "publicering"),
        "public_url": reverse("actions:public", args=[m.country, m.code]),
        "downloads": _downloads("actions:export", m),
    }


def _downloads(name: str, m: Municipality) -> list[tuple[str, str]]:
    """(label, address) of every file of the plan."""
    url = lambda fmt: reverse(name, args=[m.country, m.code, fmt])
    return [
        (_("Excel (XLSX)"), url("xlsx")),
        (_("CSV med semikolon (svenska)"), url("csv") + "?locale=sv"),
        (_("CSV med komma"), url("csv")),
        (_("PDF"), url("pdf")),
    ]


def _submit(request, plan: Plan, form: PlanForm, write, anchor) -> HttpResponse:
    """The form's values written through the service, then the editor at ``anchor`` (or
    ``anchor(result)``). Refused, by the form or the service, the whole editor again with
    the message beside the form: 400, nothing changed."""
    if form.is_valid():
        try:
            result = write(**form.cleaned_data)
        except ValidationError as exc:
            form.refuse(exc)
        else:
            return redirect(_editor_url(plan, anchor(result) if callable(anchor) else anchor))
    plan = plan_get(plan.municipality)  # as it is now: the refused write changed nothing
    return render(request, "actions/editor.html", _editor_context(request, plan, form), status=400)


# --- the editor ------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """Where the dashboard's link leads: a contact to their own plan, an administrator to
    a choice of municipality (``?country=SE&code=1880`` opens that plan)."""
    role = role_of(request.user)
    if role == Role.MUNICIPALITY:
        m = request.user.profile.municipality
        return redirect("actions:edit", m.country, m.code)
    if role != Role.ADMIN:
        raise Http404
    errors = []
    country, code = request.GET.get("country", "SE"), request.GET.get("code", "").strip()
    if code:
        municipality = _municipality(country, code)
        if municipality is not None:
            return redirect("actions:edit", municipality.country, municipality.code)
        errors.append(_("kommunkod: okänd kommun %(code)r") % {"code": code})
    planned = (
        Municipality.objects.filter(Q(action_plan__public=True) | Q(evaluations__findings__actions__isnull=False))
        .distinct().order_by("country", "name")
    )
    context = {"planned": planned, "countries": Country.choices, "country": country, "code": code, "errors": errors}
    return render(request, "actions/index.html", context, status=400 if errors else 200)


@login_required
@require_GET
def edit(request, country, code):
    plan = _editable(request, country, code)
    return render(request, "actions/editor.html", _editor_context(request, plan))


@login_required
@require_POST
def publish(request, country, code):
    plan = _editable(request, country, code)
    form = PublishForm(request.POST, form_id="publicering")
    write = lambda public: services.plan_publish_set(municipality=plan.municipality, by=request.user, public=public)
    return _submit(request, plan, form, write, "publicering")


@login_required
@require_POST
def action_add(request, country, code, improvement_id):
    plan = _editable(request, country, code)
    if not any(f.pk == improvement_id for f in plan.improvements):
        raise Http404
    form = ActionForm(request.POST, form_id=f"ny-{improvement_id}")
    write = lambda **values: services.action_add(improvement_id=improvement_id, by=request.user, **values)
    return _submit(request, plan, form, write, lambda action: f"atgard-{action.pk}")


def _action_submit(request, country, code, action_id, form_class: type[PlanForm], form_id: str, service):
    """A change of one of this plan's actions: ``service(action_id=, by=, **values)``."""
    plan = _editable(request, country, code)
    _action_in(plan, action_id)
    form = form_class(request.POST, form_id=f"{form_id}-{action_id}")
    write = lambda **values: service(action_id=action_id, by=request.user, **values)
    return _submit(request, plan, form, write, f"atgard-{action_id}")


@login_required
@require_POST
def action_edit(request, country, code, action_id):
    return _action_submit(request, country, code, action_id, ActionForm, "andra", services.action_update)


@login_required
@require_POST
def action_status(request, country, code, action_id):
    return _action_submit(request, country, code, action_id, StatusForm, "status", services.action_status_set)


@login_required
@require_POST
def action_note(request, country, code, action_id):
    return _action_submit(request, country, code, action_id, NoteForm, "anteckning", services.action_note_add)


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request, country, code, action_id):
    """GET (or a POST without ``confirm``) asks; a POST with ``confirm=yes`` deletes."""
    plan = _editable(request, country, code)
    action = _action_in(plan, action_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        form = DeleteForm(request.POST, form_id=f"ta-bort-{action_id}")
        write = lambda: services.action_delete(action_id=action_id, by=request.user)
        return _submit(request, plan, form, write, f"forbattring-{action.improvement_id}")
    return render(request, "actions/confirm_delete.html", {"plan": plan, "municipality": plan.municipality, "action": action,
                                                           "notes": len(action.notes.all()), "back": _editor_url(plan, f"atgard-{action_id}")})


# --- files -----------------------------------------------------------------------------------


def _file(plan: Plan, fmt: str, request) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    if fmt == "xlsx":
        content = exports.plan_xlsx(plan)
    elif fmt == "csv":
        locale = request.GET.get("locale", "")
        if locale not in ("", "sv", "en"):
            return HttpResponse(_("locale: välj sv eller en, inte %(value)r") % {"value": locale}, status=400, content_type="text/plain; charset=utf-8")
        content = exports.plan_csv(plan, swedish=locale == "sv")
    else:
        content = exports.plan_pdf(plan)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(plan, fmt)}"'
    return response


@login_required
@require_GET
def export(request, country, code, fmt):
    return _file(_editable(request, country, code), fmt, request)


# --- the public plan -------------------------------------------------------------------------


@require_GET
def public(request, country, code):
    """Not cached like the other public pages: every save shows at once."""
    plan = _public(country, code)
    m = plan.municipality
    context = {
        "plan": plan, "municipality": m, "sections": exports.sections(plan), "progress": plan.progress(), "totals": plan.totals(),
        "chart": exports.progress_svg(plan), "chart_statuses": exports.CHART_ORDER,
        "downloads": _downloads("actions:public_export", m),
    }
    return render(request, "actions/public.html", context)


@require_GET
def public_export(request, country, code, fmt):
    return _file(_public(country, code), fmt, request)
