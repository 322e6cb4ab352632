"""What every command shares: the one-line error, the parser that raises it, Django and the database."""

from __future__ import annotations

import argparse
import os

EXIT_ERROR = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A failure to report to the user as one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line instead of usage plus message
        raise CommandError(f"{self.prog}: {message} (se {self.prog} --help)")


def setup_django() -> None:
    """The var directory and its secret key made first: the settings only read them."""
    from kompass import var_dir

    var_dir.prepare()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompass.settings")
    import django

    django.setup()


def require_database() -> None:
    from django.db import connection
    from django.db.utils import OperationalError

    from kompass.i18n import _

    try:
        tables = connection.introspection.table_names()
    except OperationalError as exc:
        raise CommandError(_("kan inte ansluta till databasen: %(error)s") % {"error": str(exc).strip().splitlines()[0]})
    if "evaluations_evaluation" not in tables:
        raise CommandError(_("databasen är inte initierad: kör först kompass init"))


def evaluation_from_args(args):
    from kompass.evaluations.selectors import evaluation_get

    require_database()
    return evaluation_get(code=args.code, year=args.year, framework=args.framework, country=args.country)
