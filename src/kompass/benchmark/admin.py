from django.contrib import admin

from kompass.benchmark.models import PublishedReference


@admin.register(PublishedReference)
class PublishedReferenceAdmin(admin.ModelAdmin):
    list_display = ["framework", "area", "value", "from_year", "to_year", "country", "source"]
    list_filter = ["framework"]
