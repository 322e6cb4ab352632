"""Setting the site up and running it: ``init``, ``load-demo``, ``serve``, ``demo`` and ``manage``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kompass.cli.common import require_database


def cmd_init(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from kompass.i18n import _

    call_command("migrate", interactive=False, verbosity=0)
    _make_private()
    print(_("Databasen är klar (%(vendor)s): ramverk och kommuner är inlästa.") % {"vendor": connection.vendor})


def _make_private() -> None:
    """The var directory, the SQLite file and the uploads readable by this user only, also
    where an earlier version made them with the default modes."""
    from django.conf import settings
    from django.db import connection

    paths = [Path(settings.VAR_DIR), Path(settings.KOMPASS_UPLOAD_DIR)]
    if connection.vendor == "sqlite":
        paths.append(Path(settings.DATABASES["default"]["NAME"]))
    for path in paths:
        if path.exists() and path.stat().st_uid == os.getuid():
            path.chmod(0o700 if path.is_dir() else 0o600)


def _load_demo() -> None:
    from kompass.demo import demo_load
    from kompass.i18n import _

    report = demo_load()
    for label in report.created:
        print(_("Skapade utvärderingen %(label)s") % {"label": label})
    for label in report.skipped:
        print(_("Fanns redan: %(label)s") % {"label": label})


def cmd_load_demo(args) -> None:
    cmd_init(args)
    _load_demo()


def _serve(host: str, port: int) -> None:
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False)


def cmd_serve(args) -> None:
    """The site as production runs it: gunicorn with several worker processes."""
    require_database()
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    command = [sys.executable, "-m", "gunicorn", "kompass.wsgi:application", "--bind", f"{args.host}:{args.port}",
               "--workers", str(workers), "--timeout", "120"]
    if args.threads > 1:  # gunicorn's threaded workers, which also keep connections open
        command += ["--threads", str(args.threads)]
    if args.access_log:  # otherwise none at all: a log to /dev/null still formats every line
        command += ["--access-logfile", "-"]
    if Path("/dev/shm").is_dir():  # the workers' heartbeat files in memory, not on disk
        command += ["--worker-tmp-dir", "/dev/shm"]
    os.execv(sys.executable, command)


def cmd_demo(args) -> None:
    from kompass.evaluations.models import Evaluation

    from kompass.demo import DEMO_PASSWORD, demo_accounts
    from kompass.i18n import _

    cmd_init(args)
    if not Evaluation.objects.exists():
        _load_demo()
    created = demo_accounts()
    if created:
        print(
            _("Demokonton för arbetsytan (lösenord %(password)s): %(names)s")
            % {"password": DEMO_PASSWORD, "names": ", ".join(created)}
        )
    _serve(args.host, args.port)


def cmd_manage(args) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kompass manage", *args.arguments])
