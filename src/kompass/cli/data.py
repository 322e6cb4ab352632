"""Data in and out: the whole-database dump, published reports, result tables, comparison
groups, population and municipalities."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kompass.cli.common import EXIT_ERROR, CommandError, require_database
from kompass.cli.progress import ProgressBar
from kompass.output_files import written_whole


def cmd_export(args) -> None:
    from kompass.dump.export import dumps, export_document

    require_database()
    text = dumps(export_document())
    if args.output:
        path = Path(args.output)
        with written_whole(path) as target:  # never leave half a dump behind
            target.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def cmd_import_dump(args) -> None:
    from kompass.dump.importing import dump_import
    from kompass.dump.reading import loads
    from kompass.i18n import _

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(_("%(file)s: kan inte läsas (%(error)s)") % {"file": args.file, "error": getattr(exc, "strerror", None) or exc})
    document = loads(text)
    _migrate_quietly()
    report = dump_import(document)
    print(
        _("Läste in %(evaluations)s utvärderingar, %(municipalities)s nya kommuner och %(references)s jämförelsevärden från %(file)s")
        % {
            "evaluations": len(report.created),
            "municipalities": len(report.municipalities_created),
            "references": report.references_created,
            "file": args.file,
        }
    )


def _migrate_quietly() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def cmd_import(args) -> None:
    """One report, or every report in a folder with a progress bar and a summary."""
    from kompass.i18n import _
    from kompass.importers.reports import SUFFIXES, ImportRefused, import_report

    require_database()
    target = Path(args.path)
    if not target.exists():
        raise CommandError(_("%(path)s: finns inte") % {"path": target})
    options = {"dry_run": args.dry_run, "replace": args.replace, "partial": args.partial, "draft": args.draft}
    if target.is_file():
        try:
            result = import_report(target, **options)
        except ImportRefused as exc:
            if len(exc.problems) > 1:  # the whole consistency report; stderr gets one line
                print("\n".join(exc.problems))
            raise
        if args.json:
            print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        else:
            print(_import_summary(result, args.dry_run))
        return
    files = sorted(p for p in target.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    results, failures = [], []
    bar = None if args.json else ProgressBar(sys.stderr, always=True)  # drawn in logs too
    for index, path in enumerate(files, start=1):
        if bar:
            bar.update(index, len(files), f"{path.name[:40]:<40}")
        try:
            results.append(import_report(path, **options))
        except ImportRefused as exc:
            failures.append((path.name, str(exc)))
    if bar:
        bar.finish()
    if args.json:
        print(json.dumps({"imported": [r.as_json() for r in results], "failed": [{"file": f, "error": e} for f, e in failures]}, ensure_ascii=False, indent=2))
    else:
        print(_("%(file)-40s %(what)-28s %(year)5s %(total)6s  %(result)s") % {"file": _("Fil"), "what": _("Kommun"), "year": _("År"), "total": _("Poäng"), "result": _("Resultat")})
        for result in results:
            actions = ", ".join(f"{e['year']} {_action_word(e['action'])}" for e in result.evaluations)
            total = "–" if result.total is None else str(round(result.total))
            print(f"{result.file[:40]:<40} {result.municipality.name[:28]:<28} {result.year:>5} {total:>6}  {actions}")
        for name, error in failures:
            print(f"{name[:40]:<40} {_('FEL')}: {error}")
        print(_("%(ok)s av %(all)s filer importerade, %(failed)s med fel.") % {"ok": len(results), "all": len(files), "failed": len(failures)})
    return EXIT_ERROR if failures else 0


def _action_word(action: str) -> str:
    from kompass.i18n import _

    return {"created": _("skapad"), "updated": _("uppdaterad"), "unchanged": _("fanns redan, oförändrad")}[action]


def _import_summary(result, dry_run: bool) -> str:
    from kompass.i18n import _

    lines = []
    head = _("%(file)s: %(municipality)s %(year)s, version %(version)s") % {
        "file": result.file, "municipality": result.municipality.name, "year": result.year, "version": result.framework,
    }
    if result.total is not None:
        head += _(", %(total)s poäng") % {"total": round(result.total)}
    lines.append(head + (_(" (exakt, från rapportens inbäddade data)") if result.exact else ""))
    for entry in result.evaluations:
        lines.append(f"  {entry['year']} ({entry['framework']}): {_action_word(entry['action'])}")
    for warning in result.warnings:
        lines.append(_("  obs: %(warning)s") % {"warning": warning})
    if dry_run:
        lines.append(_("Provkörning: ingenting sparades."))
    return "\n".join(lines)


def cmd_import_results(args) -> None:
    from kompass.importers.results import import_results

    require_database()
    outcome = import_results(args.file, dry_run=args.dry_run, skip_invalid=args.skip_invalid, draft=args.draft)
    print(json.dumps(outcome.document(), ensure_ascii=False, indent=2) if args.json else outcome.text())
    if outcome.refused:
        raise CommandError(outcome.refusal())


def cmd_import_groups(args) -> None:
    from kompass.benchmark.groups import groups_import
    from kompass.i18n import _

    require_database()
    result = groups_import(Path(args.file))
    print(_("Läste in %(members)s medlemskap; nya grupper: %(groups)s") % {"members": result.memberships, "groups": ", ".join(result.groups_created) or "inga"})


def cmd_import_population(args) -> None:
    from kompass.benchmark.groups import populations_import
    from kompass.i18n import _

    require_database()
    print(_("Uppdaterade folkmängden för %(count)s kommuner") % {"count": populations_import(Path(args.file))})


def cmd_add_municipality(args) -> None:
    from kompass.i18n import _
    from kompass.municipalities.services import municipality_add

    require_database()
    municipality = municipality_add(country=args.country.upper(), code=args.code, name=args.name, short_name=args.short_name or "")
    print(_("Lade till %(country)s %(code)s %(name)s") % {"country": municipality.country, "code": municipality.code, "name": municipality.name})
