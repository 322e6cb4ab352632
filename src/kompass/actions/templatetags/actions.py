"""Links to action plans from pages that are not the plan's own: the workspace dashboard
and the municipality's public page (whose views know nothing of plans)."""

from django import template

from kompass.actions.selectors import plan_is_public
from kompass.workspace.access import role_of
from kompass.workspace.models import Role

register = template.Library()


@register.inclusion_tag("actions/_dashboard_link.html", takes_context=True)
def plan_dashboard_link(context):
    """A contact's own plan, or for an administrator every plan."""
    user = context["request"].user
    role = role_of(user)
    municipality = user.profile.municipality if role == Role.MUNICIPALITY else None
    return {"role": role, "municipality": municipality}


@register.inclusion_tag("actions/_public_link.html")
def public_plan_link(municipality):
    """The link to the public plan, only while the municipality publishes it."""
    return {"municipality": municipality, "public": municipality is not None and plan_is_public(municipality)}
