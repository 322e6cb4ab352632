from django.contrib import admin

from kompass.readonly_admin import ReadOnlyAdminMixin
from kompass.workspace.models import AuditEntry, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "municipality", "organisation"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["municipality"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail, to read: nobody adds, changes or deletes entries here."""

    list_display = ["at", "evaluation", "username", "field"]
    list_filter = ["evaluation__year"]
    search_fields = ["field", "username", "evaluation__municipality__name"]
