"""The public pages' query parameters as Django forms. A page never refuses a filter: an
invalid value is named in a problem and left out."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from kompass.benchmark.groups import GroupError, group_filter
from kompass.catalogue import definitions
from kompass.i18n import _
from kompass.municipalities.models import Country


class Stripped(forms.Field):
    """Text with the spaces around it dropped; absent or blank is ``empty``."""

    def __init__(self, *, empty=None, strip: bool = True):
        super().__init__(required=False)
        self.empty, self.strip = empty, strip
        self.parameter = ""  # set by the form: the problem names the parameter

    def to_python(self, value):
        value = (value or "").strip() if self.strip else value
        if value and "\x00" in value:  # PostgreSQL refuses it in a query; a page would echo it
            raise ValidationError(_("%(name)s: tecknet NUL är inte tillåtet") % {"name": self.parameter})
        return value or self.empty


class Year(Stripped):
    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        if value.isascii() and value.isdigit() and 1900 <= int(value) <= 2100:
            return int(value)
        raise ValidationError(_("%(name)s: %(value)r är inget årtal") % {"name": self.parameter, "value": value[:20]})


class PortalFiltersForm(forms.Form):
    """The lists' and the benchmark's filters; ``values()`` and ``problems()`` read it."""

    country = Stripped()
    framework = Stripped()
    group = Stripped()
    year = Year()
    from_year = Year()
    to_year = Year()
    sort = Stripped(strip=False)

    def __init__(self, query):
        super().__init__(query)
        for name, field in self.fields.items():
            field.parameter = name

    def clean_country(self):
        country = self.cleaned_data["country"]
        if country and country not in Country.values:
            raise ValidationError(_("land: okänt land %(value)r") % {"value": country[:20]})
        return country

    def clean_framework(self):
        framework = self.cleaned_data["framework"]
        if framework and framework not in definitions.frameworks():
            raise ValidationError(_("version: okänd version %(value)r") % {"value": framework[:20]})
        return framework

    def clean_group(self):
        group = self.cleaned_data["group"]
        if group:
            try:
                group_filter(group)
            except GroupError as exc:
                raise ValidationError(str(exc)[:200]) from None
        return group

    def clean_sort(self):
        return self.cleaned_data["sort"] if self.cleaned_data["sort"] in ("name", "total") else "name"

    def values(self) -> dict:
        """Every filter's value; an invalid one is None."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields}

    def problems(self) -> tuple[str, ...]:
        """What was wrong, one line per invalid filter, in the order of the fields."""
        errors = self.errors
        return tuple(errors[name][0] for name in self.fields if name in errors)


SCOPE_EVALUATED, SCOPE_ALL = "utvarderade", "alla"  # the list's "visa": evaluated municipalities by default


class ListFiltersForm(PortalFiltersForm):
    """The municipality list: the portal's filters, a name search ("q"), which
    municipalities ("visa") and the page ("sida")."""

    q = Stripped(empty="")
    visa = Stripped(empty=SCOPE_EVALUATED)
    sida = Stripped(empty="1")

    def clean_q(self):
        from kompass.municipalities.names import MAX_QUERY

        query = self.cleaned_data["q"]
        if len(query) > MAX_QUERY:
            raise ValidationError(_("sök: högst %(n)s tecken") % {"n": MAX_QUERY})
        return query

    def clean_visa(self):
        return self.cleaned_data["visa"] if self.cleaned_data["visa"] in (SCOPE_EVALUATED, SCOPE_ALL) else SCOPE_EVALUATED

    def clean_sida(self):
        page = self.cleaned_data["sida"]
        # A page past the last shows the last (Paginator.get_page); no number is the first.
        return int(page) if page.isascii() and page.isdigit() and len(page) <= 6 and int(page) > 0 else 1

    def values(self) -> dict:
        values = super().values()
        values["q"] = values["q"] or ""  # an invalid (too long) query searches nothing
        values["visa"] = values["visa"] or SCOPE_EVALUATED
        values["sida"] = values["sida"] or 1
        return values


SEARCH_FILTERS = ("area", "framework", "county", "from_year", "to_year", "min_score")
SEARCH_PAGES = 50  # the last page offered; the search counts at most 1000 matches


class SearchPageForm(forms.Form):
    """The search page: the query as typed, the filters (checked by the search) and the
    page number ("sida"), 1 when it is no page number."""

    q = Stripped(empty="", strip=False)
    area = Stripped(empty="")
    framework = Stripped(empty="")
    county = Stripped(empty="")
    from_year = Stripped(empty="")
    to_year = Stripped(empty="")
    min_score = Stripped(empty="")
    sida = Stripped(empty="1", strip=False)

    def clean_sida(self):
        page = self.cleaned_data["sida"]
        return int(page) if page.isascii() and page.isdigit() and 0 < int(page) <= SEARCH_PAGES else 1

    def values(self) -> tuple[str, dict[str, str], int]:
        """The query, the filters by name and the page."""
        self.is_valid()
        data = self.cleaned_data
        return data["q"], {name: data[name] for name in SEARCH_FILTERS}, data["sida"]
