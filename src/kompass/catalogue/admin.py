from django.contrib import admin

from kompass.catalogue.models import Area, Framework, Question


class ReadOnlyAdmin(admin.ModelAdmin):
    """The catalogue comes from the YAML files in the package; here it is only shown."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "in_use", "max_points"]


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["framework", "number", "title", "max_points"]
    list_filter = ["framework"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["code", "text", "max_points", "area"]
    list_filter = ["area__framework"]
    search_fields = ["text", "code"]
