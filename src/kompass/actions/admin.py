from django.contrib import admin

from kompass.actions.models import Action, ActionNote, ActionPlan


class NoteInline(admin.TabularInline):
    model = ActionNote
    extra = 0


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "improvement", "owner", "due", "status"]
    list_filter = ["status"]
    search_fields = ["title", "owner", "improvement__evaluation__municipality__name"]
    raw_id_fields = ["improvement"]
    inlines = [NoteInline]


admin.site.register(ActionPlan)
