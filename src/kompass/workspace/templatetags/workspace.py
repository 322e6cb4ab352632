from django import template
from django.utils.translation import gettext_noop

from kompass.workspace.access import Need, needs_of

register = template.Library()

TABS = [
    (Need.VIEW, "workspace:overview", gettext_noop("Översikt")),
    (Need.PREVISIT_READ, "workspace:previsit", gettext_noop("Förfrågan")),
    (Need.EVIDENCE, "workspace:evidence", gettext_noop("Underlag")),
    (Need.SCORE, "workspace:scoring", gettext_noop("Mina poäng")),
    (Need.CONSENSUS, "workspace:consensus", gettext_noop("Konsensus")),
    (Need.TEXTS, "workspace:texts", gettext_noop("Texter")),
    (Need.REPORT_FACTS, "workspace:report_facts", gettext_noop("Rapportuppgifter")),
    (Need.GAPS, "workspace:gaps", gettext_noop("Självvärdering")),
    (Need.HISTORY, "workspace:history", gettext_noop("Historik")),
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
