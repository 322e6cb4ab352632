"""Evaluations in the admin, to read. Every write goes through the workspace, the command
line or the importers, whose services keep the lifecycle, the audit trail, the published
revisions and the search index: the admin once bypassed all four (a published evaluation
set back to planned there silently left the public site, with no trace)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompass.evaluations.models import AreaAssessment, Evaluation, Evaluator, Finding, QuestionAssessment
from kompass.evaluations.selectors import evaluation_result
from kompass.readonly_admin import ReadOnlyAdminMixin, ReadOnlyInline


class EvaluatorInline(ReadOnlyInline):
    model = Evaluator
    fields = ["position", "name", "organisation"]


class AreaAssessmentInline(ReadOnlyInline):
    model = AreaAssessment
    fields = ["area", "score", "general_text", "changes_text"]


class QuestionAssessmentInline(ReadOnlyInline):
    model = QuestionAssessment
    fields = ["question", "score", "text"]


class FindingInline(ReadOnlyInline):
    model = Finding
    fields = ["area", "kind", "position", "text", "question"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["municipality", "year", "framework", "status", "total_display"]
    list_filter = ["status", "framework", "municipality__country", "year"]
    search_fields = ["municipality__name", "municipality__code"]
    list_select_related = ["municipality", "framework"]
    inlines = [EvaluatorInline, AreaAssessmentInline, QuestionAssessmentInline, FindingInline]
    fieldsets = [
        (None, {"fields": ["workspace_link", "municipality", "framework", "year", "status", "total_score"]}),
        (gettext_lazy("Fakta"), {"fields": ["month", "visit_start", "visit_end", "ordinal", "interviewees", "interviewees_approximate", "sources", "publisher"]}),
        (gettext_lazy("Texter"), {"fields": ["evaluation_text", "summary_text"]}),
    ]
    readonly_fields = ["workspace_link"]

    @admin.display(description=gettext_lazy("Totalpoäng"))
    def total_display(self, obj):
        total = evaluation_result(obj).total
        return "–" if total.rounded is None else total.rounded

    @admin.display(description=gettext_lazy("Ändra"))
    def workspace_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("workspace:overview", args=[obj.pk]),
            _("Öppna i arbetsytan: där ändras utvärderingar, med historik och revisioner."),
        )
