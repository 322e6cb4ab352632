"""The values of a JSON document read by their place in it: each check that fails adds
a problem naming that place (``evaluations[0].year``) and gives a neutral value, so one
pass over a document finds every problem at once."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from kompass import scoring


class ValueReader:
    """Walks a document, collecting every problem with its path."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def mapping(self, value, path: str, allowed: set[str], required: set[str] = frozenset()) -> dict | None:
        if not isinstance(value, dict):
            self.problem(path, _("ska vara ett objekt"))
            return None
        for key in sorted(set(value) - allowed):
            self.problem(f"{path}.{key}", _("okänd nyckel"))
        for key in sorted(required - set(value)):
            self.problem(f"{path}.{key}", _("saknas"))
        return value

    def items(self, value, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, _("ska vara en lista"))
            return []
        return value

    def text(self, value, path: str, *, required: bool = False) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(path, _("ska vara en text") if not required else _("ska vara en text som inte är tom"))
            return ""
        return value

    def integer(self, value, path: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, _("%(value)r är inget heltal") % {"value": value})
            return None
        return value

    def points(self, value, path: str) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, (bool, list, dict)):
            self.problem(path, _("%(value)r är inget tal") % {"value": value})
            return None
        try:
            return scoring.parse_points(value)
        except ValueError as exc:
            self.problem(path, str(exc))
            return None

    def interval(self, data: dict, path: str, into: dict, key: tuple) -> None:
        value = data.get("interval")
        if value is None:
            return
        if not isinstance(value, list) or len(value) != 2:
            self.problem(f"{path}.interval", _("ska vara [lägst, högst]"))
            return
        low, high = self.points(value[0], f"{path}.interval[0]"), self.points(value[1], f"{path}.interval[1]")
        if low is not None and high is not None:
            into[key] = (low, high)

    def date(self, value, path: str) -> datetime.date | None:
        if value is None:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.problem(path, _("%(value)r är inget datum (ÅÅÅÅ-MM-DD)") % {"value": value})
            return None
