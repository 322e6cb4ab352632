"""The open data API's query parameters as Django forms, one per operation.

Each field names its parameter in its message ("year: 'x' är inget heltal"). A bad
parameter is a 400 that names the first bad one in the order of the fields; the checks
that need several parameters (``clean_together``) come once every field is valid. A parameter
that is absent is None; one that is present but empty is a value, checked like any."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from kompass.benchmark.groups import GroupError, group_filter
from kompass.catalogue import definitions
from kompass.catalogue.translations import LANGUAGES
from kompass.i18n import _
from kompass.municipalities.models import Country

MAX_PAGE_SIZE = 100


class InvalidParameter(Exception):
    def __init__(self, message: str, parameter: str):
        super().__init__(message)
        self.message, self.parameter = message, parameter


class Text(forms.Field):
    """A parameter as given: at most ``max_length`` characters and no NUL."""

    def __init__(self, *, max_length: int = 200, default=None, **kwargs):
        super().__init__(required=False, **kwargs)
        self.max_length, self.default = max_length, default
        self.parameter = ""  # set by the form: messages name the parameter

    def to_python(self, value):
        if value is None:
            return None
        if len(value) > self.max_length or "\x00" in value:
            raise ValidationError(_("%(name)s: ogiltigt värde") % {"name": self.parameter})
        return value

    def clean(self, value):
        value = super().clean(value)
        return self.default if value is None else value


class Integer(Text):
    def __init__(self, *, minimum: int, maximum: int, default: int | None = None):
        super().__init__(max_length=12, default=default)
        self.minimum, self.maximum = minimum, maximum

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        if not value.isascii() or not value.lstrip("-").isdigit():
            raise ValidationError(_("%(name)s: %(value)r är inget heltal") % {"name": self.parameter, "value": value})
        number = int(value)
        if not self.minimum <= number <= self.maximum:
            raise ValidationError(
                _("%(name)s: %(value)s ligger utanför %(min)s–%(max)s")
                % {"name": self.parameter, "value": number, "min": self.minimum, "max": self.maximum}
            )
        return number


class Choice(Text):
    def __init__(self, choices, *, default=None):
        super().__init__(default=default)
        self.allowed = list(choices)

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and value not in self.allowed:
            raise ValidationError(
                _("%(name)s: %(value)r är inte en av %(choices)s") % {"name": self.parameter, "value": value, "choices": ", ".join(self.allowed)}
            )
        return value


class Framework(Text):
    """A version's id; ``required``: the operation answers nothing without one."""

    def __init__(self, *, required: bool):
        super().__init__(max_length=20)
        self.needed = required

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            if self.needed:
                raise ValidationError(_("framework: parametern krävs"))
            return None
        if value not in definitions.frameworks():
            known = ", ".join(sorted(definitions.frameworks()))
            raise ValidationError(_("framework: okänd version %(value)r (kända: %(known)s)") % {"value": value, "known": known})
        return value


class ApiForm(forms.Form):
    format = Choice(["json", "csv"], default="json")
    locale = Choice(["sv", "en"], default="en")
    # The language of catalogue texts; activated before the view (``views.api_view``).
    lang = Choice(LANGUAGES)

    def __init__(self, query):
        super().__init__(query)
        for name, field in self.fields.items():
            field.parameter = name

    def clean(self):
        if not self._errors:  # what needs several parameters, once each one is valid
            self.clean_together()
        return self.cleaned_data

    def clean_together(self) -> None:
        """Checks of several parameters; ``add_error`` names the parameter at fault."""

    def checked(self) -> dict:
        """The parameters' values (``swedish`` for the locale), or InvalidParameter for the
        first bad one."""
        if not self.is_valid():
            errors = self.errors.as_data()
            for name in self.fields:
                if name in errors:
                    raise InvalidParameter(errors[name][0].messages[0], name)
            error = errors[forms.forms.NON_FIELD_ERRORS][0]
            raise InvalidParameter(error.messages[0], error.code)
        values = dict(self.cleaned_data)
        values["swedish"] = values.pop("locale") == "sv"
        values.pop("lang", None)
        return values

    def check_group(self) -> None:
        """A peer group (``group``) must be known; its filter is ``group_filter``."""
        group = self.cleaned_data.get("group")
        if group:
            try:
                self.cleaned_data["group_filter"] = group_filter(group)
            except GroupError as exc:
                self.add_error("group", f"group: {exc}")


# The operations' forms. Field order is the order of the checks; the format comes last.


class MunicipalitiesForm(ApiForm):
    q = Text(max_length=100)  # a name search, as the list page's (kompass.municipalities.names)
    country = Choice(Country.values)
    group = Text(max_length=120)
    field_order = ["q", "country", "group", "format", "locale"]

    def clean_together(self):
        self.check_group()


class EvaluationsForm(ApiForm):
    municipality = Text(max_length=4)
    country = Choice(Country.values)
    framework = Framework(required=False)
    year = Integer(minimum=1900, maximum=2100)
    page = Integer(minimum=1, maximum=1_000_000, default=1)
    page_size = Integer(minimum=1, maximum=MAX_PAGE_SIZE, default=50)
    field_order = ["municipality", "country", "framework", "year", "page", "page_size", "format", "locale"]

    def clean_together(self):
        code = self.cleaned_data["municipality"]
        if code is not None and not (code.isascii() and code.isdigit() and len(code) == 4):
            self.add_error("municipality", _("municipality: %(value)r är ingen kommunkod med fyra siffror") % {"value": code})


class BenchmarkForm(ApiForm):
    framework = Framework(required=True)
    country = Choice(Country.values)
    group = Text(max_length=120)
    from_year = Integer(minimum=1900, maximum=2100)
    to_year = Integer(minimum=1900, maximum=2100)
    field_order = ["framework", "country", "group", "from_year", "to_year", "format", "locale"]

    def clean_to_year(self):
        from_year, to_year = self.cleaned_data.get("from_year"), self.cleaned_data["to_year"]
        if from_year and to_year and from_year > to_year:
            self.add_error("from_year", _("from_year: %(from)s ligger efter to_year %(to)s") % {"from": from_year, "to": to_year})
        return to_year

    def clean_together(self):
        self.check_group()


class SearchForm(ApiForm):
    """The format, any NUL and ``q`` here; every filter is checked by the search itself."""

    def clean_together(self):
        for name, value in self.data.items():
            if "\x00" in value:  # no database stores it; PostgreSQL refuses it outright
                self.add_error(None, ValidationError(_("%(name)s: ogiltigt värde") % {"name": name}, code=name))
                return
        if self.data.get("q") is None:
            self.add_error(None, ValidationError(_("q: parametern krävs"), code="q"))
