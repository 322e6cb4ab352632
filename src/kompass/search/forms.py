"""The search's filters and page as a Django form: what ``search()`` accepts.

Values come as a query string gives them (text) or from Python (numbers, a list of
kinds). A bad value is a ``SearchQueryError`` that names its parameter, the first bad
one in the order of the fields; a filter that must exist in the catalogue or the
database (an area, a sub-question, a municipality, a county) is checked there."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompass.catalogue import definitions
from kompass.evaluations.services import FIRST_YEAR
from kompass.municipalities.models import Country, County, Municipality
from kompass.search.engine import Filters
from kompass.search.indexer import LAST_YEAR
from kompass.search.models import EntryKind
from kompass.search.query import SearchQueryError

MAX_LIMIT = 100
MAX_OFFSET = 1000  # the deepest page a search shows: results are for reading, not for harvesting
DEFAULT_LIMIT = 20


def shown(value) -> str:
    """A value as a message may quote it: short, printable, encodable."""
    text = "".join(c if c.isprintable() and not "\ud800" <= c <= "\udfff" else "?" for c in str(value)[:41])
    return "”" + (text[:40] + "…" if len(text) > 40 else text) + "”"


class Filter(forms.Field):
    """An optional value: absent (None or "") is None, anything else goes to ``convert``."""

    def __init__(self, label=None, **settings):
        super().__init__(required=False, label=label)
        self.__dict__.update(settings)  # what ``convert`` checks against: minimum, pattern, …

    def to_python(self, value):
        return None if value is None or value == "" else self.convert(value)

    def convert(self, value):
        raise NotImplementedError


class Number(Filter):
    minimum: int
    maximum: int

    def convert(self, value):
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value, re.ASCII):
            number = int(value)
        else:
            number = None
        if number is None:
            raise ValidationError(_("%(label)s: %(value)s är inget heltal") % {"label": self.label, "value": shown(value)})
        if not self.minimum <= number <= self.maximum:
            raise ValidationError(
                _("%(label)s: %(value)s ska vara %(min)s–%(max)s") % {"label": self.label, "value": number, "min": self.minimum, "max": self.maximum}
            )
        return number


class Code(Filter):
    pattern: str
    example: str

    def convert(self, value):
        if not isinstance(value, str) or not re.fullmatch(self.pattern, value.strip(), re.ASCII):
            raise ValidationError(
                _("%(label)s: %(value)s är ingen giltig kod (till exempel %(example)s)") % {"label": self.label, "value": shown(value), "example": self.example}
            )
        return value.strip()


class FrameworkCode(Filter):
    def convert(self, value):
        frameworks = definitions.frameworks()
        code = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if code not in frameworks:
            raise ValidationError(
                _("version: %(value)s är ingen känd version (kända: %(known)s)") % {"value": shown(value), "known": ", ".join(sorted(frameworks))}
            )
        return code


class CountryCode(Filter):
    def convert(self, value):
        if not isinstance(value, str) or value.strip().upper() not in Country.values:
            raise ValidationError(_("land: %(value)s är inget känt land (kända: %(known)s)") % {"value": shown(value), "known": ", ".join(Country.values)})
        return value.strip().upper()


class Score(Filter):
    """An area's score in percent, 0–100; a decimal comma is fine."""

    def convert(self, value):
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(value.strip().replace(",", ".")) if isinstance(value, str) else Decimal(value)
            if not number.is_finite():
                raise InvalidOperation
        except (InvalidOperation, TypeError, ValueError):
            raise ValidationError(_("%(label)s: %(value)s är inget tal") % {"label": self.label, "value": shown(value)}) from None
        if not Decimal(0) <= number <= Decimal(100):
            raise ValidationError(_("%(label)s: %(value)s ska vara 0–100") % {"label": self.label, "value": number})
        return number


class Kinds(Filter):
    """EntryKind values, a list or comma-separated; each once, in the order given."""

    def convert(self, value):
        if isinstance(value, str):
            items = [v.strip() for v in value.split(",")]
        elif isinstance(value, Iterable):
            items = list(value)
        else:
            items = [value]
        kinds = []
        for item in items:
            if item not in EntryKind.values:
                raise ValidationError(_("slag: %(value)s är inget känt slag (kända: %(known)s)") % {"value": shown(item), "known": ", ".join(EntryKind.values)})
            if item not in kinds:
                kinds.append(item)
        return tuple(kinds) or None


class SearchForm(forms.Form):
    """The filters, then the page (``limit`` hits from ``offset``)."""

    framework = FrameworkCode()
    area = Number(gettext_lazy("område"), minimum=1, maximum=99)
    question = Code(gettext_lazy("delfråga"), pattern=r"\d{1,2}\.\d{1,2}", example="3.2")
    country = CountryCode()
    municipality = Code(gettext_lazy("kommun"), pattern=r"\d{4}", example="1880")
    county = Code(gettext_lazy("län"), pattern=r"\d{2}", example="18")
    year = Number(gettext_lazy("år"), minimum=FIRST_YEAR, maximum=LAST_YEAR)
    from_year = Number(gettext_lazy("från år"), minimum=FIRST_YEAR, maximum=LAST_YEAR)
    to_year = Number(gettext_lazy("till år"), minimum=FIRST_YEAR, maximum=LAST_YEAR)
    min_score = Score(gettext_lazy("lägsta poäng"))
    kinds = Kinds()
    limit = Number(gettext_lazy("antal"), minimum=1, maximum=MAX_LIMIT)
    offset = Number(gettext_lazy("från träff"), minimum=0, maximum=MAX_OFFSET)

    def _versions(self):
        frameworks = definitions.frameworks()
        framework = self.cleaned_data.get("framework")
        return [frameworks[framework]] if framework else list(frameworks.values())

    def clean_area(self):
        area = self.cleaned_data["area"]
        if area is not None and not any(a.number == area for v in self._versions() for a in v.areas):
            raise ValidationError(_("område: %(value)s finns inte") % {"value": area})
        return area

    def clean_question(self):
        question = self.cleaned_data["question"]
        if question is not None and not any(q.id == question for v in self._versions() for a in v.areas for q in a.questions):
            raise ValidationError(_("delfråga: %(value)s finns inte") % {"value": question})
        return question

    def _known(self, model, code: str) -> bool:
        """A municipality or a county with this code, in the country asked for if any."""
        known, country = model.objects.filter(code=code), self.cleaned_data.get("country")
        return (known.filter(country=country) if country else known).exists()

    def clean_municipality(self):
        code = self.cleaned_data["municipality"]
        if code is not None and not self._known(Municipality, code):
            raise ValidationError(_("kommun: okänd kommunkod %(value)s") % {"value": code})
        return code

    def clean_county(self):
        code = self.cleaned_data["county"]
        if code is not None and not self._known(County, code):
            raise ValidationError(_("län: okänd länskod %(value)s") % {"value": code})
        return code

    def clean_to_year(self):
        """``year`` narrows ``from_year``–``to_year`` to itself."""
        to_year = self.cleaned_data["to_year"]
        if "year" in self._errors or "from_year" in self._errors:
            return to_year
        year, from_year = self.cleaned_data["year"], self.cleaned_data["from_year"]
        if year is not None:
            from_year = year if from_year is None else max(from_year, year)
            to_year = year if to_year is None else min(to_year, year)
        if from_year is not None and to_year is not None and from_year > to_year:
            if year is not None:
                self.add_error("year", _("år: %(year)s ligger utanför %(from)s–%(to)s") % {"year": year, "from": from_year, "to": to_year})
            else:
                self.add_error("from_year", _("från år: %(from)s ligger efter till år %(to)s") % {"from": from_year, "to": to_year})
            return to_year
        self.cleaned_data["from_year"] = from_year
        return to_year

    def checked(self) -> tuple[Filters, int, int]:
        """The filters, the limit and the offset; SearchQueryError for the first bad value."""
        if not self.is_valid():
            errors = self.errors.as_data()
            name = next(name for name in self.fields if name in errors)
            raise SearchQueryError(errors[name][0].messages[0], parameter=name)
        data = self.cleaned_data
        filters = Filters(
            area=data["area"], question=data["question"], municipality=data["municipality"], country=data["country"],
            county=data["county"], from_year=data["from_year"], to_year=data["to_year"], framework=data["framework"],
            min_score=data["min_score"], kinds=data["kinds"],
        )
        limit = DEFAULT_LIMIT if data["limit"] is None else data["limit"]
        return filters, limit, data["offset"] or 0
