from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompass.evaluations import services
from kompass.evaluations.forms import EvaluationForm, ScoresheetForm
from kompass.evaluations.models import AreaAssessment, Evaluation, Evaluator, Finding, QuestionAssessment
from kompass.evaluations.selectors import evaluation_result, evaluation_scoresheet


class _SameFrameworkForm(forms.ModelForm):
    """Areas and sub-questions of an evaluation's rows must belong to its version."""

    def clean(self):
        data = super().clean()
        evaluation = self.instance.evaluation if self.instance.evaluation_id else getattr(self, "parent_evaluation", None)
        if evaluation is None or evaluation.framework_id is None:
            return data
        area, question = data.get("area"), data.get("question")
        if area is not None and area.framework_id != evaluation.framework_id:
            self.add_error("area", _("Området hör inte till version %(version)s.") % {"version": evaluation.framework.code})
        if question is not None:
            if question.area.framework_id != evaluation.framework_id:
                self.add_error("question", _("Delfrågan hör inte till version %(version)s.") % {"version": evaluation.framework.code})
            elif area is not None and question.area_id != area.pk:
                self.add_error("question", _("Delfrågan hör inte till område %(number)s.") % {"number": area.number})
        return data


class _ParentAwareInline(admin.TabularInline):
    form = _SameFrameworkForm

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.parent_evaluation = obj
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        evaluation = getattr(request, "_kompass_evaluation", None)
        if evaluation is not None and db_field.name == "area":
            field.queryset = field.queryset.filter(framework=evaluation.framework)
        if evaluation is not None and db_field.name == "question":
            field.queryset = field.queryset.filter(area__framework=evaluation.framework).select_related("area")
        return field


class EvaluatorInline(admin.TabularInline):
    model = Evaluator
    extra = 0
    fields = ["position", "name", "organisation"]


class AreaAssessmentInline(_ParentAwareInline):
    model = AreaAssessment
    extra = 0
    fields = ["area", "score", "general_text", "changes_text"]
    readonly_fields = ["score"]


class QuestionAssessmentInline(_ParentAwareInline):
    model = QuestionAssessment
    extra = 0
    fields = ["question", "score", "text"]
    readonly_fields = ["score"]


class FindingInline(_ParentAwareInline):
    model = Finding
    extra = 0
    fields = ["area", "kind", "position", "text", "question"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    form = EvaluationForm
    list_display = ["municipality", "year", "framework", "status", "total_display"]
    list_filter = ["status", "framework", "municipality__country", "year"]
    search_fields = ["municipality__name", "municipality__code"]
    list_select_related = ["municipality", "framework"]
    autocomplete_fields = ["municipality"]
    readonly_fields = ["scores_link", "total_score"]
    inlines = [EvaluatorInline, AreaAssessmentInline, QuestionAssessmentInline, FindingInline]
    fieldsets = [
        (None, {"fields": ["municipality", "framework", "year", "status", "scores_link", "total_score"]}),
        (gettext_lazy("Fakta"), {"fields": ["month", "visit_start", "visit_end", "ordinal", "interviewees", "interviewees_approximate", "sources", "publisher"]}),
        (gettext_lazy("Texter"), {"fields": ["evaluation_text", "summary_text"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        request._kompass_evaluation = obj
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=gettext_lazy("Totalpoäng"))
    def total_display(self, obj):
        total = evaluation_result(obj).total
        return "–" if total.rounded is None else total.rounded

    @admin.display(description=gettext_lazy("Poäng"))
    def scores_link(self, obj):
        if not obj or not obj.pk:
            return _("Spara utvärderingen först, sedan kan poängen fyllas i.")
        return format_html('<a href="{}">{}</a>', reverse("admin:evaluations_evaluation_scores", args=[obj.pk]), _("Fyll i poäng"))

    def get_urls(self):
        return [
            path("<int:pk>/poang/", self.admin_site.admin_view(self.scores_view), name="evaluations_evaluation_scores"),
            *super().get_urls(),
        ]

    def scores_view(self, request, pk):
        evaluation = get_object_or_404(Evaluation.objects.select_related("framework", "municipality"), pk=pk)
        if not self.has_change_permission(request, evaluation):
            return redirect("admin:index")
        if request.method == "POST":
            form = ScoresheetForm(request.POST, evaluation=evaluation)
            if form.is_valid():
                try:
                    services.scores_set(evaluation=evaluation, sheet=form.sheet())
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("Poängen är sparade."))
                    return redirect("admin:evaluations_evaluation_change", evaluation.pk)
        else:
            form = ScoresheetForm(initial=ScoresheetForm.initial_for(evaluation, evaluation_scoresheet(evaluation)), evaluation=evaluation)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Poäng: %(evaluation)s") % {"evaluation": evaluation},
            "form": form,
            "evaluation": evaluation,
            "result": evaluation_result(evaluation),
            "opts": self.model._meta,
        }
        return render(request, "admin/evaluations/scoresheet.html", context)
