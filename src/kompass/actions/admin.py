from django.contrib import admin

from kompass.actions.models import Action, ActionNote, ActionPlan
from kompass.readonly_admin import ReadOnlyAdminMixin


# Plans are written through the services, which validate and keep the audit trail.
ReadOnly = ReadOnlyAdminMixin


class NoteInline(ReadOnly, admin.TabularInline):
    model = ActionNote
    extra = 0


@admin.register(Action)
class ActionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "improvement", "owner", "due", "status"]
    list_filter = ["status"]
    search_fields = ["title", "owner", "improvement__evaluation__municipality__name"]
    raw_id_fields = ["improvement"]
    inlines = [NoteInline]


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["municipality", "public", "changed_at"]
