"""The ``kompass`` command. Thin: parses arguments, calls services and selectors, prints.

Every error is one line on stderr and a non-zero exit, never a traceback
(``KOMPASS_TRACEBACK=1`` shows it, for developers).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_ERROR = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A failure to report to the user as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line instead of usage plus message
        raise CommandError(f"{self.prog}: {message} (se {self.prog} --help)")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompass.settings")
    import django

    django.setup()


def _require_database() -> None:
    from django.db import connection
    from django.db.utils import OperationalError

    from kompass.i18n import _

    try:
        tables = connection.introspection.table_names()
    except OperationalError as exc:
        raise CommandError(_("kan inte ansluta till databasen: %(error)s") % {"error": str(exc).strip().splitlines()[0]})
    if "evaluations_evaluation" not in tables:
        raise CommandError(_("databasen är inte initierad: kör först kompass init"))


# --- commands ------------------------------------------------------------------------


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
    _require_database()
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


def _evaluation(args):
    from kompass.evaluations.selectors import evaluation_get

    _require_database()
    return evaluation_get(code=args.code, year=args.year, framework=args.framework, country=args.country)


def cmd_show(args) -> None:
    from kompass.evaluations.documents import evaluation_document
    from kompass.evaluations.selectors import evaluation_result
    from kompass.reports.overview import overview_text

    evaluation = _evaluation(args)
    result = evaluation_result(evaluation)
    if args.json:
        print(json.dumps(evaluation_document(evaluation, result), ensure_ascii=False, indent=2))
    else:
        print(overview_text(evaluation, result))


def cmd_report(args) -> None:
    from kompass.i18n import _
    from kompass.reports.formats import render_report

    path = Path(args.output)
    if not path.parent.is_dir():
        raise CommandError(_("%(dir)s: mappen finns inte") % {"dir": path.parent})
    evaluation = _evaluation(args)
    rendered = render_report(evaluation, args.format)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(rendered.content)
    tmp.replace(path)
    print(_("Skrev %(file)s (%(size)s kB)") % {"file": path, "size": round(len(rendered.content) / 1024)})


def cmd_compare(args) -> None:
    from kompass.catalogue.definitions import VERSION_ID
    from kompass.comparison import NotComparable
    from kompass.evaluations.selectors import evaluation_comparison, evaluation_get
    from kompass.i18n import _
    from kompass.reports.overview import comparison_document, comparison_text

    _require_database()
    evaluations = []
    for spec in (args.earlier, args.later):
        year, _sep, version = spec.partition(":")
        if not year.isdigit():
            raise CommandError(_("ogiltigt år %(spec)r: ange ÅÅÅÅ eller ÅÅÅÅ:VERSION") % {"spec": spec})
        if version and not VERSION_ID.fullmatch(version):
            raise CommandError(_("ogiltig version %(spec)r: ange ÅÅÅÅ:VERSION, till exempel 2012:2010") % {"spec": spec})
        evaluations.append(evaluation_get(code=args.code, year=int(year), framework=version or None, country=args.country))
    earlier, later = evaluations
    try:
        comparison = evaluation_comparison(earlier, later)
    except NotComparable as exc:
        return _compare_across(args, earlier, later, exc)
    if args.json:
        print(json.dumps(comparison_document(earlier, later, comparison), ensure_ascii=False, indent=2))
    else:
        print(comparison_text(earlier, later, comparison))


def _compare_across(args, earlier, later, refusal) -> None:
    """Two versions: the pairs of their crosswalk, marked; without one the refusal stands."""
    from kompass.comparison import NotComparable, compare_across, crosswalk_document, crosswalk_text
    from kompass.evaluations.selectors import evaluation_label, evaluation_result
    from kompass.i18n import _

    try:
        comparison = compare_across(evaluation_result(earlier), evaluation_result(later))
    except NotComparable:
        raise CommandError(f"{earlier.municipality.name} {earlier.year} → {later.year}: {refusal}")
    if args.json:
        municipality = later.municipality
        document = {
            "municipality": {"code": municipality.code, "name": municipality.name, "country": municipality.country},
            "earlier": {"year": earlier.year, "label": evaluation_label(earlier)},
            "later": {"year": later.year, "label": evaluation_label(later)},
            **crosswalk_document(comparison),
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        heading = _("Jämförelse %(earlier)s → %(later)s, %(municipality)s (version %(a)s → %(b)s)") % {
            "earlier": earlier.year, "later": later.year, "municipality": later.municipality.name,
            "a": earlier.framework.code, "b": later.framework.code,
        }
        print(crosswalk_text(comparison, heading, str(earlier.year), str(later.year)))


# --- the catalogue -------------------------------------------------------------------


def cmd_catalogue_list(args) -> None:
    from kompass.catalogue.selectors import STATUS_WORDS, catalogue_list
    from kompass.i18n import _

    _require_database()
    rows = catalogue_list()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print("\t".join([_("Version"), _("Namn"), _("Ägare"), _("Status"), _("Områden"), _("Delfrågor")]))
    for row in rows:
        print("\t".join([row["id"], row["name"], row["owner"], _(STATUS_WORDS[row["status"]]), str(row["areas"]), str(row["questions"])]))


def cmd_catalogue_show(args) -> None:
    from kompass.catalogue.selectors import catalogue_show, catalogue_text

    _require_database()
    if args.json:
        print(json.dumps(catalogue_show(args.version), ensure_ascii=False, indent=2))
    else:
        print(catalogue_text(args.version))


def cmd_catalogue_load(args) -> None:
    from kompass.catalogue.definitions import CatalogueError
    from kompass.catalogue.services import catalogue_load
    from kompass.i18n import _

    _require_database()
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

    _require_database()
    path = Path(args.output)
    if not path.parent.is_dir():
        raise CommandError(_("%(dir)s: mappen finns inte") % {"dir": path.parent})
    files.write(definitions.get(args.version), path, args.format)
    print(_("Skrev version %(id)s till %(file)s") % {"id": args.version, "file": path})


def cmd_catalogue_status(args) -> None:
    from kompass.catalogue.selectors import STATUS_WORDS
    from kompass.catalogue.services import catalogue_status
    from kompass.i18n import _

    _require_database()
    framework = catalogue_status(code=args.version, status=args.status)
    print(_("Version %(id)s: %(status)s") % {"id": framework.code, "status": _(STATUS_WORDS[framework.status])})


def cmd_export(args) -> None:
    from kompass.evaluations.documents import dumps, export_document

    _require_database()
    text = dumps(export_document())
    if args.output:
        path = Path(args.output)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)  # never leave half a dump behind
    else:
        sys.stdout.write(text)


def cmd_import_dump(args) -> None:
    from kompass.evaluations.documents import dump_import, loads
    from kompass.i18n import _

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(_("%(file)s: kan inte läsas (%(error)s)") % {"file": args.file, "error": getattr(exc, "strerror", None) or exc})
    document = loads(text)
    cmd_init_quiet()
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


def cmd_import(args) -> None:
    """One report, or every report in a folder with a progress bar and a summary."""
    from kompass.i18n import _
    from kompass.importers.reports import SUFFIXES, ImportRefused, import_report

    _require_database()
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
    for index, path in enumerate(files, start=1):
        if not args.json:
            width = 30
            done = width * index // max(len(files), 1)
            print(f"\r[{'#' * done}{'.' * (width - done)}] {index}/{len(files)} {path.name[:40]:<40}", end="", file=sys.stderr, flush=True)
        try:
            results.append(import_report(path, **options))
        except ImportRefused as exc:
            failures.append((path.name, str(exc)))
    if not args.json:
        print(file=sys.stderr)
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


def cmd_init_quiet() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def cmd_import_results(args) -> None:
    from kompass.importers.results import import_results

    _require_database()
    outcome = import_results(args.file, dry_run=args.dry_run, skip_invalid=args.skip_invalid, draft=args.draft)
    print(json.dumps(outcome.document(), ensure_ascii=False, indent=2) if args.json else outcome.text())
    if outcome.refused:
        raise CommandError(outcome.refusal())


def cmd_add_municipality(args) -> None:
    from kompass.i18n import _
    from kompass.municipalities.services import municipality_add

    _require_database()
    municipality = municipality_add(country=args.country.upper(), code=args.code, name=args.name, short_name=args.short_name or "")
    print(_("Lade till %(country)s %(code)s %(name)s") % {"country": municipality.country, "code": municipality.code, "name": municipality.name})


def cmd_manage(args) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kompass manage", *args.arguments])


# --- parser ----------------------------------------------------------------------------


def cmd_user_add(args) -> None:
    from kompass.i18n import _
    from kompass.municipalities.services import municipality_get
    from kompass.workspace.services import user_add

    _require_database()
    if not args.password_stdin:
        raise CommandError(_("lösenordet läses bara från standard in: ange --password-stdin"))
    lines = sys.stdin.read().splitlines()
    password = lines[0] if lines else ""
    municipality = municipality_get(country=args.country, code=args.municipality) if args.municipality else None
    user = user_add(
        username=args.username, role=args.role, password=password, municipality=municipality,
        full_name=args.name or "", organisation=args.organisation or "", email=args.email or "",
    )
    print(_("Skapade kontot %(name)s (%(role)s)") % {"name": user.get_username(), "role": user.profile.get_role_display()})


def cmd_evaluation_new(args) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from kompass.catalogue.models import Framework
    from kompass.i18n import _
    from kompass.municipalities.services import municipality_get
    from kompass.workspace.services import evaluation_new

    _require_database()
    municipality = municipality_get(country=args.country, code=args.code)
    framework = Framework.objects.filter(code=args.framework).first()
    if framework is None:
        known = ", ".join(Framework.objects.values_list("code", flat=True))
        raise CommandError(_("okänd version %(version)s (kända: %(known)s)") % {"version": args.framework, "known": known})
    User = get_user_model()
    evaluators = []
    for name in args.evaluator or []:
        user = User.objects.filter(username=name).first()
        if user is None:
            raise CommandError(_("utvärderare: kontot %(name)s finns inte") % {"name": name})
        evaluators.append(user)
    lead = next((u for u in evaluators if u.get_username() == args.lead), None)
    if args.lead and lead is None:
        raise CommandError(_("--lead: %(name)s är inte en av utvärderarna (--evaluator)") % {"name": args.lead})
    evaluation = evaluation_new(municipality=municipality, framework=framework, year=args.year, evaluators=evaluators, lead=lead)
    url = os.environ.get("KOMPASS_BASE_URL", "http://127.0.0.1:8000").rstrip("/") + reverse("workspace:overview", args=[evaluation.pk])
    if args.json:
        print(json.dumps({"id": evaluation.pk, "url": url}))
    else:
        print(_("Skapade utvärderingen %(label)s: %(url)s") % {"label": str(evaluation), "url": url})


def cmd_generate(args) -> None:
    from kompass.generate import ProgressBar, generate

    _require_database()
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


def cmd_import_groups(args) -> None:
    from kompass.benchmark.groups import groups_import
    from kompass.i18n import _

    _require_database()
    result = groups_import(Path(args.file))
    print(_("Läste in %(members)s medlemskap; nya grupper: %(groups)s") % {"members": result.memberships, "groups": ", ".join(result.groups_created) or "inga"})


def cmd_import_population(args) -> None:
    from kompass.benchmark.groups import populations_import
    from kompass.i18n import _

    _require_database()
    print(_("Uppdaterade folkmängden för %(count)s kommuner") % {"count": populations_import(Path(args.file))})


def cmd_actions(args) -> None:
    from kompass.actions.selectors import plan_get, plan_json
    from kompass.i18n import _
    from kompass.municipalities.services import municipality_get

    _require_database()
    plan = plan_get(municipality_get(code=args.code, country=args.country))
    if args.json:
        print(json.dumps(plan_json(plan), ensure_ascii=False, indent=2))
        return
    if plan.evaluation is None:
        raise CommandError(_("%(municipality)s har ingen publicerad utvärdering") % {"municipality": plan.municipality.name})
    print(_("Handlingsplan för %(municipality)s, utvärderingen %(year)s") % {"municipality": plan.municipality.name, "year": plan.evaluation.year})
    for finding in plan.improvements:
        print(f"\n[{finding.pk}] {finding.area.number}. {finding.text}")
        for action in finding.actions.all():
            due = f", {action.due.isoformat()}" if action.due else ""
            owner = f", {action.owner}" if action.owner else ""
            print(f"    ({action.pk}) {action.title} – {action.get_status_display()}{owner}{due}")


def cmd_actions_add(args) -> None:
    from kompass.actions.services import action_add
    from kompass.i18n import _

    _require_database()
    action = action_add(
        improvement_id=args.improvement, title=args.title, owner=args.owner or "", start=args.start, due=args.due,
        description=args.description or "", indicator=args.indicator or "", status=args.status,
    )
    if args.json:
        from kompass.actions.selectors import action_json

        print(json.dumps(action_json(action), ensure_ascii=False))
    else:
        print(_("Lade till åtgärd %(id)s: %(title)s") % {"id": action.pk, "title": action.title})


def cmd_actions_set(args) -> None:
    from kompass.actions.services import action_status_set
    from kompass.i18n import _

    _require_database()
    action = action_status_set(action_id=args.action_id, status=args.status, note=args.note or "", date=args.date)
    print(_("Åtgärd %(id)s: %(status)s") % {"id": action.pk, "status": action.get_status_display()})


def cmd_followup(args) -> None:
    from kompass import scoring
    from kompass.actions.selectors import followup_get, followup_json
    from kompass.i18n import _

    followup = followup_get(_evaluation(args))
    if args.json:
        print(json.dumps(followup_json(followup), ensure_ascii=False, indent=2))
        return
    if followup.previous is None:
        raise CommandError(_("%(label)s har ingen tidigare publicerad utvärdering att följa upp") % {"label": str(followup.evaluation)})
    print(_("Uppföljning i %(year)s av förbättringsområdena från %(previous)s") % {"year": followup.evaluation.year, "previous": followup.previous.year})
    for item in followup.items:
        change = scoring.format_points(item.area_change)
        change = f" ({_('område')} {'+' if item.area_change and item.area_change > 0 else ''}{change})" if change else ""
        print(f"\n{item.improvement.area.number}. {item.improvement.text}{change}")
        for action in item.improvement.actions.all():
            print(f"    {action.title} – {action.get_status_display()}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kompass", description="Kommunkompassen: utvärderingar av hur kommuner styrs och leds.")
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)
    commands.required = True

    def add(name, handler, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("init", cmd_init, "Skapar eller migrerar databasen och läser in ramverk och kommuner.")
    add("load-demo", cmd_load_demo, "Som init, och läser in demodata (Örebro 2010, 2012, 2015). Kan köras flera gånger.")
    for name, handler, text in (
        ("serve", cmd_serve, "Startar webbplatsen som i produktion: gunicorn med flera arbetsprocesser."),
        ("demo", cmd_demo, "Initierar, läser in demodata om databasen är tom och startar webbplatsen (Djangos utvecklingsserver)."),
    ):
        sub = add(name, handler, text)
        sub.add_argument("--port", type=int, default=8000, help="port (standard 8000)")
        sub.add_argument("--host", default="127.0.0.1", help="adress (standard 127.0.0.1)")
        if name == "serve":
            sub.add_argument("--workers", type=int, metavar="N", help="antal arbetsprocesser (standard 2 × processorer + 1)")
            sub.add_argument("--threads", type=int, default=1, metavar="N", help="trådar per arbetsprocess (standard 1)")
            sub.add_argument("--access-log", action="store_true", help="skriv en rad per förfrågan på standard ut")

    def evaluation_args(sub):
        sub.add_argument("code", metavar="KOD", help="kommunkod, till exempel 1880")
        sub.add_argument("year", metavar="ÅR", type=int, help="utvärderingsår")
        sub.add_argument("--framework", metavar="VERSION", help="version, där kommunen har flera utvärderingar samma år")
        sub.add_argument("--country", metavar="LAND", type=str.upper, choices=["SE", "NO", "DK"], help="SE, NO eller DK, där koden finns i flera länder")

    sub = add("show", cmd_show, "Visar en utvärderings översikt av poängfördelning.")
    evaluation_args(sub)
    sub.add_argument("--json", action="store_true", help="som JSON")

    sub = add("report", cmd_report, "Skriver utvärderingens rapport som PDF, DOCX eller HTML.")
    evaluation_args(sub)
    sub.add_argument("--format", required=True, choices=["pdf", "docx", "html", "txt"])
    sub.add_argument("--output", "-o", required=True, metavar="FIL")

    sub = add("compare", cmd_compare, "Visar förändringen mellan två utvärderingar av samma kommun och version; mellan två versioner parvis där en korsreferens finns.")
    sub.add_argument("code", metavar="KOD")
    sub.add_argument("earlier", metavar="FRÅN", help="år, eller år:version (2012 eller 2012:2010)")
    sub.add_argument("later", metavar="TILL", help="år, eller år:version")
    sub.add_argument("--country", metavar="LAND", type=str.upper, choices=["SE", "NO", "DK"])
    sub.add_argument("--json", action="store_true", help="som JSON")

    catalogue = add("catalogue", None, "Katalogen: Kommunkompassens versioner, deras områden, delfrågor och vägledning.")
    catalogue_commands = catalogue.add_subparsers(dest="catalogue_command", metavar="KOMMANDO", parser_class=_Parser)
    catalogue_commands.required = True

    def catalogue_add(name, handler, help_text):
        sub = catalogue_commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    sub = catalogue_add("list", cmd_catalogue_list, "Listar versionerna: id, namn, ägare, status, antal områden och delfrågor.")
    sub.add_argument("--json", action="store_true", help="som JSON")
    sub = catalogue_add("show", cmd_catalogue_show, "Visar en version: områden, delområden, delfrågor, vägledning, korsreferenser och ändringar.")
    sub.add_argument("version", metavar="VERSION")
    sub.add_argument("--json", action="store_true", help="som JSON")
    sub = catalogue_add("load", cmd_catalogue_load, "Läser in en version från YAML eller XLSX; vid minsta fel läses ingenting in.")
    sub.add_argument("file", metavar="FIL")
    sub.add_argument("--as", dest="as_id", metavar="ID", help="läs in som en ny version med detta id (härled nästa version)")
    sub.add_argument("--dry-run", action="store_true", help="kontrollerar och visar ändringarna, men sparar ingenting")
    sub = catalogue_add("export", cmd_catalogue_export, "Skriver en version som YAML eller XLSX, som kan läsas in igen.")
    sub.add_argument("version", metavar="VERSION")
    sub.add_argument("--format", required=True, choices=["yaml", "xlsx"])
    sub.add_argument("--output", "-o", required=True, metavar="FIL")
    sub = catalogue_add("status", cmd_catalogue_status, "Ger en version ny status: draft → active → retired (aldrig tillbaka).")
    sub.add_argument("version", metavar="VERSION")
    sub.add_argument("status", choices=["draft", "active", "retired"])

    sub = add("export", cmd_export, "Skriver hela databasen som ett JSON-dokument.")
    sub.add_argument("--output", "-o", metavar="FIL", help="fil (standard: standard ut)")

    sub = add("import-dump", cmd_import_dump, "Läser in ett dokument från kompass export; vid minsta fel sparas ingenting.")
    sub.add_argument("file", metavar="FIL")

    sub = add("import-results", cmd_import_results, "Läser in en resultattabell (CSV, en utvärdering per rad); vid minsta fel sparas ingenting.")
    sub.add_argument("file", metavar="FIL")
    sub.add_argument("--dry-run", action="store_true", help="kontrollerar och rapporterar, men sparar ingenting")
    sub.add_argument("--json", action="store_true", help="rapporten som JSON")
    sub.add_argument("--skip-invalid", action="store_true", help="sparar de giltiga raderna och listar de andra")
    sub.add_argument("--draft", action="store_true", help="sparar utvärderingarna som utkast (annars publicerade)")

    sub = add("import", cmd_import, "Läser in publicerade rapporter (text, PDF, DOCX): en fil eller alla i en mapp.")
    sub.add_argument("path", metavar="FIL|MAPP")
    sub.add_argument("--dry-run", action="store_true", help="kontrollera och visa, men spara inget")
    sub.add_argument("--json", action="store_true", help="resultatet som JSON")
    sub.add_argument("--partial", action="store_true", help="läs in en rapport som saknar delar av översikten")
    sub.add_argument("--replace", action="store_true", help="ersätt utvärderingar som redan finns")
    sub.add_argument("--draft", action="store_true", help="spara som utkast i stället för publicerade")

    sub = add("add-municipality", cmd_add_municipality, "Lägger till en kommun (till exempel en norsk eller dansk).")
    sub.add_argument("--country", required=True, type=str.upper, choices=["SE", "NO", "DK"])
    sub.add_argument("--code", required=True, help="officiell kod med fyra siffror")
    sub.add_argument("--name", required=True)
    sub.add_argument("--short-name")

    user = add("user", None, "Konton i arbetsytan.")
    user_commands = user.add_subparsers(dest="user_command", metavar="KOMMANDO", parser_class=_Parser)
    user_commands.required = True
    sub = user_commands.add_parser("add", help="Skapar ett konto.", description="Skapar ett konto. Lösenordet läses från standard in.")
    sub.set_defaults(handler=cmd_user_add)
    sub.add_argument("username", metavar="ANVÄNDARNAMN")
    sub.add_argument("--role", required=True, choices=["admin", "evaluator", "municipality"])
    sub.add_argument("--municipality", metavar="KOD", help="kommunkod, för en kommuns kontaktperson")
    sub.add_argument("--country", metavar="LAND", type=str.upper, choices=["SE", "NO", "DK"])
    sub.add_argument("--password-stdin", action="store_true", help="läs lösenordet från första raden på standard in")
    sub.add_argument("--name", metavar="NAMN", help="för- och efternamn, som de står i rapporten")
    sub.add_argument("--organisation", metavar="ORG")
    sub.add_argument("--email", metavar="E-POST")

    evaluation = add("evaluation", None, "Utvärderingar i arbetsytan.")
    evaluation_commands = evaluation.add_subparsers(dest="evaluation_command", metavar="KOMMANDO", parser_class=_Parser)
    evaluation_commands.required = True
    sub = evaluation_commands.add_parser("new", help="Skapar en planerad utvärdering.", description="Skapar en planerad utvärdering och skriver dess id och adress.")
    sub.set_defaults(handler=cmd_evaluation_new)
    sub.add_argument("code", metavar="KOD", help="kommunkod, till exempel 1880")
    sub.add_argument("year", metavar="ÅR", type=int)
    sub.add_argument("--framework", required=True, metavar="VERSION")
    sub.add_argument("--evaluator", action="append", metavar="ANVÄNDARNAMN", help="kan anges flera gånger")
    sub.add_argument("--lead", metavar="ANVÄNDARNAMN", help="den ansvariga utvärderaren, som byter status, publicerar, delar och rättar (standard: den första)")
    sub.add_argument("--country", metavar="LAND", type=str.upper, choices=["SE", "NO", "DK"])
    sub.add_argument("--json", action="store_true", help="skriv {\"id\", \"url\"} som JSON")

    sub = add("generate", cmd_generate, "Fyller databasen med syntetiska utvärderingar för tester och prestandamätningar.")
    sub.add_argument("--evaluations", required=True, type=int, metavar="N", help="antal utvärderingar att skapa")
    sub.add_argument("--seed", type=int, metavar="S", help="slumpfrö: samma frö ger samma utvärderingar (standard: ett nytt, som skrivs ut)")
    sub.add_argument("--published-share", type=float, default=0.9, metavar="ANDEL", help="andel publicerade, 0–1 (standard 0.9); resten är planerade")

    def cmd_search_rebuild(args) -> None:
        from kompass.generate import ProgressBar
        from kompass.i18n import _
        from kompass.search.services import search_rebuild

        _require_database()
        bar = ProgressBar(sys.stderr, "utvärderingar i sökindexet")
        try:
            report = search_rebuild(progress=bar.update)
        finally:
            bar.finish()
        print(_("Sökindexet är ombyggt: %(entries)s passager från %(evaluations)s publicerade utvärderingar på %(seconds)s s.")
              % {"entries": report.entries, "evaluations": report.evaluations, "seconds": f"{report.seconds:.1f}".replace(".", ",")})

    add("search-rebuild", cmd_search_rebuild, "Bygger om sökindexet från de publicerade utvärderingarna (i en transaktion).")

    def cmd_backup(args) -> None:
        from kompass.backup import BackupError, backup_create
        from kompass.i18n import _

        _require_database()
        try:
            report = backup_create(output=Path(args.output))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        print(_("Säkerhetskopian %(path)s är skriven: databasen (%(vendor)s) och %(files)s filer, %(size)s byte.")
              % {"path": report.path, "vendor": report.database, "files": report.files, "size": report.bytes})
        for name in report.missing:
            print(_("Varning: filen %(name)s nämns i databasen men fanns inte i uppladdningsmappen.") % {"name": name}, file=sys.stderr)

    def cmd_restore(args) -> None:
        from kompass.backup import BackupError, backup_restore
        from kompass.i18n import _

        _require_database()
        try:
            report = backup_restore(path=Path(args.file))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        print(_("Återställt (%(vendor)s): %(evaluations)s utvärderingar, %(users)s konton, %(files)s filer.")
              % {"vendor": report.database, "evaluations": report.evaluations, "users": report.users, "files": report.files})

    def cmd_uploads_clean(args) -> None:
        from kompass.i18n import _
        from kompass.stored_files import orphans_remove

        _require_database()
        if args.min_age_minutes < 0:
            raise CommandError(_("--min-age-minutes: %(value)s är negativt") % {"value": args.min_age_minutes})
        cleanup = orphans_remove(min_age_seconds=args.min_age_minutes * 60, dry_run=args.dry_run)
        for name in cleanup.removed:
            print(name)
        verb = _("Skulle ta bort") if args.dry_run else _("Tog bort")
        print(_("%(verb)s %(count)s filer som ingen rad pekar på (%(size)s byte).") % {"verb": verb, "count": len(cleanup.removed), "size": cleanup.bytes}, file=sys.stderr)

    sub = add("uploads-clean", cmd_uploads_clean, "Tar bort uppladdade filer som ingen rad i databasen pekar på (efter ett avbrott).")
    sub.add_argument("--min-age-minutes", type=int, default=60, metavar="MINUTER", help="bara filer äldre än så (standard 60)")
    sub.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle tas bort")

    sub = add("backup", cmd_backup, "Säkerhetskopierar hela installationen: databasen, uppladdade filer och katalogfiler, i en fil.")
    sub.add_argument("--output", required=True, metavar="FIL")
    sub = add("restore", cmd_restore, "Återställer en säkerhetskopia till en tom installation (efter kompass init på en ny databas).")
    sub.add_argument("file", metavar="FIL")

    sub = add("import-groups", cmd_import_groups, "Läser in jämförelsegrupper (CSV: municipality_code;group[;scheme][;country]); ersätter gruppernas medlemmar.")
    sub.add_argument("file", metavar="FIL")
    sub = add("import-population", cmd_import_population, "Läser in folkmängd per kommun (CSV: municipality_code;population[;year][;country]).")
    sub.add_argument("file", metavar="FIL")

    actions = add("actions", None, "Handlingsplaner: kommunens åtgärder för förbättringsområdena.")
    actions_commands = actions.add_subparsers(dest="actions_command", metavar="KOMMANDO", parser_class=_Parser)
    actions_commands.required = True
    sub = actions_commands.add_parser(
        "show", help="Visar planen: förbättringsområdena i den senaste publicerade utvärderingen och deras åtgärder (kompass actions KOD).",
        description="Visar handlingsplanen. Kortform: kompass actions KOD.",
    )
    sub.set_defaults(handler=cmd_actions)
    sub.add_argument("code", metavar="KOD", help="kommunkod, till exempel 1880")
    sub.add_argument("--country", metavar="LAND", type=str.upper, choices=["SE", "NO", "DK"])
    sub.add_argument("--json", action="store_true", help="som JSON")
    sub = actions_commands.add_parser("add", help="Lägger till en åtgärd till ett förbättringsområde.", description="Lägger till en åtgärd till ett förbättringsområde.")
    sub.set_defaults(handler=cmd_actions_add)
    sub.add_argument("--improvement", required=True, metavar="ID", help="förbättringsområdets id (se kompass actions KOD)")
    sub.add_argument("--title", required=True, metavar="RUBRIK")
    sub.add_argument("--owner", metavar="ANSVARIG", help="ansvarig roll eller enhet")
    sub.add_argument("--start", metavar="ÅÅÅÅ-MM-DD")
    sub.add_argument("--due", metavar="ÅÅÅÅ-MM-DD", help="klar senast")
    sub.add_argument("--status", default="not_started", metavar="STATUS", help="not_started, in_progress, done, cancelled (eller ej påbörjad, pågår, klar, avbruten)")
    sub.add_argument("--description", metavar="TEXT")
    sub.add_argument("--indicator", metavar="INDIKATOR", help="nyckeltal i Kolada (N00945) eller fritext")
    sub.add_argument("--json", action="store_true", help="skriv åtgärden som JSON")
    sub = actions_commands.add_parser("set", help="Ger en åtgärd ny status, med en lägesanteckning.", description="Ger en åtgärd ny status, med en lägesanteckning.")
    sub.set_defaults(handler=cmd_actions_set)
    sub.add_argument("action_id", metavar="ÅTGÄRD_ID")
    sub.add_argument("--status", required=True, metavar="STATUS", help="not_started, in_progress, done, cancelled (eller ej påbörjad, pågår, klar, avbruten)")
    sub.add_argument("--note", metavar="TEXT", help="lägesanteckning")
    sub.add_argument("--date", metavar="ÅÅÅÅ-MM-DD", help="anteckningens datum (standard: i dag)")

    sub = add("followup", cmd_followup, "Visar förra utvärderingens förbättringsområden med åtgärder och poängförändring.")
    evaluation_args(sub)
    sub.add_argument("--json", action="store_true", help="som JSON")

    sub = add("manage", cmd_manage, "Kör ett av Djangos kommandon, till exempel createsuperuser.")
    sub.add_argument("arguments", nargs=argparse.REMAINDER)
    return parser


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
        _setup_django()
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

    from kompass.catalogue.definitions import CatalogueError
    from kompass.comparison import NotComparable
    from kompass.evaluations.documents import DumpError
    from kompass.benchmark.groups import GroupError
    from kompass.importers.reports import ImportRefused

    if isinstance(exc, (CommandError, ValidationError, DumpError, CatalogueError, NotComparable, ImportRefused, GroupError)):
        return _one_line(exc)
    if isinstance(exc, DatabaseError):
        return f"databasfel: {_one_line(exc)}"
    return f"oväntat fel ({type(exc).__name__}): {_one_line(exc)}"


if __name__ == "__main__":
    sys.exit(main())
