"""The ``kompass`` command line: every subcommand, its options and help, and the handler it runs.

One place for the whole tree, in the order ``kompass --help`` lists it; the handlers live
in a module per command group.
"""

from __future__ import annotations

import argparse

from kompass.cli.actions import cmd_actions, cmd_actions_add, cmd_actions_set, cmd_followup
from kompass.cli.catalogue import (
    cmd_catalogue_export,
    cmd_catalogue_list,
    cmd_catalogue_load,
    cmd_catalogue_show,
    cmd_catalogue_status,
)
from kompass.cli.common import Parser
from kompass.cli.data import (
    cmd_add_municipality,
    cmd_export,
    cmd_import,
    cmd_import_dump,
    cmd_import_groups,
    cmd_import_population,
    cmd_import_results,
)
from kompass.cli.evaluations import cmd_compare, cmd_report, cmd_show
from kompass.cli.installation import cmd_demo, cmd_init, cmd_load_demo, cmd_manage, cmd_serve
from kompass.cli.maintenance import cmd_backup, cmd_generate, cmd_restore, cmd_search_rebuild, cmd_uploads_clean
from kompass.cli.workspace import cmd_evaluation_new, cmd_user_add


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="kompass", description="Kommunkompassen: utvärderingar av hur kommuner styrs och leds.")
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=Parser)
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
    sub.add_argument(
        "--language", choices=["sv", "nb", "da", "en"], metavar="SPRÅK",
        help="rapportens språk: sv, nb, da eller en (standard: installationens språk); utvärderarnas texter står som de skrevs",
    )

    sub = add("compare", cmd_compare, "Visar förändringen mellan två utvärderingar av samma kommun och version; mellan två versioner parvis där en korsreferens finns.")
    sub.add_argument("code", metavar="KOD")
    sub.add_argument("earlier", metavar="FRÅN", help="år, eller år:version (2012 eller 2012:2010)")
    sub.add_argument("later", metavar="TILL", help="år, eller år:version")
    sub.add_argument("--country", metavar="LAND", type=str.upper, choices=["SE", "NO", "DK"])
    sub.add_argument("--json", action="store_true", help="som JSON")

    catalogue = add("catalogue", None, "Katalogen: Kommunkompassens versioner, deras områden, delfrågor och vägledning.")
    catalogue_commands = catalogue.add_subparsers(dest="catalogue_command", metavar="KOMMANDO", parser_class=Parser)
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

    sub = add("import", cmd_import, "Läser in publicerade rapporter (text, PDF, DOCX, inskannade sidor med OCR): en fil eller alla i en mapp.")
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
    user_commands = user.add_subparsers(dest="user_command", metavar="KOMMANDO", parser_class=Parser)
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
    evaluation_commands = evaluation.add_subparsers(dest="evaluation_command", metavar="KOMMANDO", parser_class=Parser)
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

    add("search-rebuild", cmd_search_rebuild, "Bygger om sökindexet från de publicerade utvärderingarna (i en transaktion).")

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
    actions_commands = actions.add_subparsers(dest="actions_command", metavar="KOMMANDO", parser_class=Parser)
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
