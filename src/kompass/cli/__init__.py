"""The ``kompass`` command. Thin: parses arguments, calls services and selectors, prints.

Every error is one line on stderr and a non-zero exit, never a traceback
(``KOMPASS_TRACEBACK=1`` shows it, for developers). The parser is in ``parser``, the
handlers in a module per command group.
"""

from __future__ import annotations

import os
import sys

from kompass.cli.common import EXIT_ERROR, EXIT_USAGE, CommandError, setup_django
from kompass.cli.parser import build_parser


def _one_line(exc: BaseException) -> str:
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError):
        text = "; ".join(exc.messages)
    else:
        text = str(exc)
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # "kompass actions 1880" is short for "kompass actions show 1880".
    if len(argv) >= 2 and argv[0] == "actions" and argv[1] not in ("show", "add", "set", "-h", "--help"):
        argv = ["actions", "show", *argv[1:]]
    try:
        args = build_parser().parse_args(argv)
    except CommandError as exc:
        print(_one_line(exc), file=sys.stderr)
        return EXIT_USAGE
    try:
        setup_django()
        code = args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader left (kompass actions 1880 | head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except SystemExit:
        raise
    except Exception as exc:  # every failure is one line; the type tells the unexpected ones
        if os.environ.get("KOMPASS_TRACEBACK") == "1":
            raise
        print(f"kompass: {_describe(exc)}", file=sys.stderr)
        return EXIT_ERROR
    return code or 0


def _describe(exc: Exception) -> str:
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError

    from kompass.benchmark.groups import GroupError
    from kompass.catalogue.definitions import CatalogueError
    from kompass.comparison import NotComparable
    from kompass.dump.reading import DumpError
    from kompass.importers.reports import ImportRefused

    if isinstance(exc, (CommandError, ValidationError, DumpError, CatalogueError, NotComparable, ImportRefused, GroupError)):
        return _one_line(exc)
    if isinstance(exc, DatabaseError):
        return f"databasfel: {_one_line(exc)}"
    return f"oväntat fel ({type(exc).__name__}): {_one_line(exc)}"
