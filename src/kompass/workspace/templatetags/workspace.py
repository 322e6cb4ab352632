from django import template

from kompass.workspace.access import Need, needs_of

register = template.Library()

TABS = [
    (Need.VIEW, "workspace:overview", "Översikt"),
    (Need.PREVISIT_READ, "workspace:previsit", "Förfrågan"),
    (Need.EVIDENCE, "workspace:evidence", "Underlag"),
    (Need.SCORE, "workspace:scoring", "Mina poäng"),
    (Need.CONSENSUS, "workspace:consensus", "Konsensus"),
    (Need.TEXTS, "workspace:texts", "Texter"),
    (Need.REPORT_FACTS, "workspace:report_facts", "Rapportuppgifter"),
    (Need.GAPS, "workspace:gaps", "Självvärdering"),
    (Need.HISTORY, "workspace:history", "Historik"),
]


@register.inclusion_tag("workspace/_tabs.html", takes_context=True)
def workspace_tabs(context, evaluation):
    from django.utils.translation import gettext as _

    request = context["request"]
    needs = needs_of(request.user, evaluation)
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "tabs": [
            (name, _(label), name == current)
            for need, name, label in TABS
            # the comparison with the self-assessment exists once the evaluation is published
            if need in needs and (need != Need.GAPS or evaluation.is_published)
        ],
        "evaluation": evaluation,
    }
