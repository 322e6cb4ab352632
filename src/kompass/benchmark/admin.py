from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from kompass import scoring
from kompass.benchmark.models import PublishedReference


class PublishedReferenceForm(forms.ModelForm):
    class Meta:
        model = PublishedReference
        fields = "__all__"

    def clean(self):
        data = super().clean()
        framework, area, value = data.get("framework"), data.get("area"), data.get("value")
        if framework and area and area.framework_id != framework.pk:
            self.add_error("area", _("%(area)s hör inte till version %(version)s.") % {"area": area, "version": framework.code})
        elif framework and value is not None:
            maximum = area.max_points if area else framework.max_points
            for problem in scoring.value_problems(value, maximum, str(area or framework)):
                self.add_error("value", str(problem))
        return data


@admin.register(PublishedReference)
class PublishedReferenceAdmin(admin.ModelAdmin):
    form = PublishedReferenceForm
    list_display = ["framework", "area", "value", "from_year", "to_year", "country", "source"]
    list_filter = ["framework"]
