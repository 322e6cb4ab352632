from django.contrib import admin

from kompass.notifications.models import AnswersDone, Notification
from kompass.readonly_admin import ReadOnlyAdminMixin


# Read-only: notifications are written by their services (tests/test_one_door.py).
@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "text", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "text"]


@admin.register(AnswersDone)
class AnswersDoneAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["evaluation", "by", "at"]
