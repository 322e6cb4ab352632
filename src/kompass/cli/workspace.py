"""The workspace from the command line: ``user add`` and ``evaluation new``."""

from __future__ import annotations

import json
import os
import sys

from kompass.cli.common import CommandError, require_database


def cmd_user_add(args) -> None:
    from kompass.i18n import _
    from kompass.municipalities.services import municipality_get
    from kompass.workspace.services import user_add

    require_database()
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

    require_database()
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
