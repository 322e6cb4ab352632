"""Versions are loaded by their owner with ``kompass catalogue load``, which checks the
whole file and keeps frozen versions frozen; the admin only shows them."""

from django.contrib import admin

from kompass.catalogue.models import Area, CatalogueChange, Crosswalk, Framework, Question
from kompass.readonly_admin import ReadOnlyAdminMixin


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "owner", "status", "language", "public_questions", "revision", "max_points"]
    list_filter = ["status", "owner"]


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["framework", "number", "title", "max_points"]
    list_filter = ["framework"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["code", "text", "subarea", "max_points", "area"]
    list_filter = ["area__framework"]
    search_fields = ["text", "code"]


@admin.register(Crosswalk)
class CrosswalkAdmin(ReadOnlyAdmin):
    list_display = ["framework", "target", "note"]


@admin.register(CatalogueChange)
class CatalogueChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "framework", "by", "field", "old", "new"]
    list_filter = ["framework"]
