"""Keeping an installation: ``generate``, ``search-rebuild``, ``backup``, ``restore`` and ``uploads-clean``."""

from __future__ import annotations

import sys
from pathlib import Path

from kompass.i18n import decimal_text
from kompass.cli.common import CommandError, require_database


def cmd_generate(args) -> None:
    from kompass.cli.progress import ProgressBar
    from kompass.generate import generate

    require_database()
    bar, index_bar = ProgressBar(sys.stderr), ProgressBar(sys.stderr, "utvärderingar i sökindexet")
    try:
        report = generate(
            evaluations=args.evaluations, seed=args.seed, published_share=args.published_share,
            progress=bar.update, written=bar.finish, hook_progress=index_bar.update,
        )
    finally:  # an error message starts on a line of its own
        bar.finish()
        index_bar.finish()
    for note in report.notes:
        print(note)
    print(report.summary())


def cmd_search_rebuild(args) -> None:
    from kompass.cli.progress import ProgressBar
    from kompass.i18n import _
    from kompass.search.services import search_rebuild

    require_database()
    bar = ProgressBar(sys.stderr, "utvärderingar i sökindexet")
    try:
        report = search_rebuild(progress=bar.update)
    finally:
        bar.finish()
    print(_("Sökindexet är ombyggt: %(entries)s passager från %(evaluations)s publicerade utvärderingar på %(seconds)s s.")
          % {"entries": report.entries, "evaluations": report.evaluations, "seconds": decimal_text(f"{report.seconds:.1f}")})


def _backup_run(run, **kwargs):
    """A backup or a restore; its refusal as the command's one-line error."""
    from kompass.backup import BackupError

    require_database()
    try:
        return run(**kwargs)
    except BackupError as exc:
        raise CommandError(str(exc)) from None


def cmd_backup(args) -> None:
    from kompass.backup import backup_create
    from kompass.i18n import _

    report = _backup_run(backup_create, output=Path(args.output))
    print(_("Säkerhetskopian %(path)s är skriven: databasen (%(vendor)s) och %(files)s filer, %(size)s byte.")
          % {"path": report.path, "vendor": report.database, "files": report.files, "size": report.bytes})
    for name in report.missing:
        print(_("Varning: filen %(name)s nämns i databasen men fanns inte i uppladdningsmappen.") % {"name": name}, file=sys.stderr)


def cmd_restore(args) -> None:
    from kompass.backup import backup_restore
    from kompass.i18n import _

    report = _backup_run(backup_restore, path=Path(args.file))
    print(_("Återställt (%(vendor)s): %(evaluations)s utvärderingar, %(users)s konton, %(files)s filer.")
          % {"vendor": report.database, "evaluations": report.evaluations, "users": report.users, "files": report.files})


def cmd_uploads_clean(args) -> None:
    from kompass.i18n import _
    from kompass.stored_files import orphans_remove

    require_database()
    if args.min_age_minutes < 0:
        raise CommandError(_("--min-age-minutes: %(value)s är negativt") % {"value": args.min_age_minutes})
    cleanup = orphans_remove(min_age_seconds=args.min_age_minutes * 60, dry_run=args.dry_run)
    for name in cleanup.removed:
        print(name)
    verb = _("Skulle ta bort") if args.dry_run else _("Tog bort")
    print(_("%(verb)s %(count)s filer som ingen rad pekar på (%(size)s byte).") % {"verb": verb, "count": len(cleanup.removed), "size": cleanup.bytes}, file=sys.stderr)
