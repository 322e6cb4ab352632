"""The catalogue of versions: ``catalogue list``, ``show``, ``load``, ``export`` and ``status``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kompass.cli.common import CommandError, require_database


def cmd_catalogue_list(args) -> None:
    from kompass.catalogue.selectors import STATUS_WORDS, catalogue_list
    from kompass.i18n import _

    require_database()
    rows = catalogue_list()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print("\t".join([_("Version"), _("Namn"), _("Ägare"), _("Status"), _("Områden"), _("Delfrågor")]))
    for row in rows:
        print("\t".join([row["id"], row["name"], row["owner"], _(STATUS_WORDS[row["status"]]), str(row["areas"]), str(row["questions"])]))


def cmd_catalogue_show(args) -> None:
    from kompass.catalogue.selectors import catalogue_show, catalogue_text

    require_database()
    if args.json:
        print(json.dumps(catalogue_show(args.version), ensure_ascii=False, indent=2))
    else:
        print(catalogue_text(args.version))


def cmd_catalogue_load(args) -> None:
    from kompass.catalogue.definitions import CatalogueError
    from kompass.catalogue.services import catalogue_load
    from kompass.i18n import _

    require_database()
    try:
        result = catalogue_load(path=Path(args.file), as_id=args.as_id, dry_run=args.dry_run)
    except CatalogueError as exc:
        if len(exc.problems) > 1:  # every problem on a line of its own, then the verdict
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            raise CommandError(_("%(file)s: %(count)s fel; ingenting är inläst") % {"file": Path(args.file).name, "count": len(exc.problems)})
        raise
    framework = result.framework
    counts = {"id": framework.id, "areas": len(framework.areas), "questions": len(framework.questions)}
    if result.created:
        line = _("Version %(id)s: ny, %(areas)s områden och %(questions)s delfrågor") % counts
    elif result.unchanged:
        line = _("Version %(id)s: oförändrad") % counts
    else:
        line = _("Version %(id)s: %(count)s ändringar i formuleringar") % {**counts, "count": len(result.changes)}
    print(line + (_(" (provkörning: ingenting sparades)") if result.dry_run else _(", revision %(revision)s") % {"revision": result.revision}))
    for what, old, new in result.changes:
        print(f"  {what}: {' '.join(old.split())[:60] or '–'} → {' '.join(new.split())[:60] or '–'}")


def cmd_catalogue_export(args) -> None:
    from kompass.catalogue import definitions, files
    from kompass.i18n import _

    require_database()
    path = Path(args.output)
    if not path.parent.is_dir():
        raise CommandError(_("%(dir)s: mappen finns inte") % {"dir": path.parent})
    files.write(definitions.get(args.version), path, args.format)
    print(_("Skrev version %(id)s till %(file)s") % {"id": args.version, "file": path})


def cmd_catalogue_status(args) -> None:
    from kompass.catalogue.selectors import STATUS_WORDS
    from kompass.catalogue.services import catalogue_status
    from kompass.i18n import _

    require_database()
    framework = catalogue_status(code=args.version, status=args.status)
    print(_("Version %(id)s: %(status)s") % {"id": framework.code, "status": _(STATUS_WORDS[framework.status])})
