"""Action plans: ``actions show``, ``add`` and ``set``, and ``followup``."""

from __future__ import annotations

import json

from kompass.cli.common import CommandError, evaluation_from_args, require_database


def cmd_actions(args) -> None:
    from kompass.actions.selectors import plan_get, plan_json
    from kompass.i18n import _
    from kompass.municipalities.services import municipality_get

    require_database()
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

    require_database()
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

    require_database()
    action = action_status_set(action_id=args.action_id, status=args.status, note=args.note or "", date=args.date)
    print(_("Åtgärd %(id)s: %(status)s") % {"id": action.pk, "status": action.get_status_display()})


def cmd_followup(args) -> None:
    from kompass import scoring
    from kompass.actions.selectors import followup_get, followup_json
    from kompass.i18n import _

    followup = followup_get(evaluation_from_args(args))
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
