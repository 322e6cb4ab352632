"""The site's global navigation and footer links, each marked current where the page is
under it. Plain paths, not reversed names: a link whose page is missing must not break
every page (and an error page renders without the database)."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _nav():
    # (label, path, further prefixes that count as under it)
    return [
        (_("Kommuner"), "/kommuner/", ("/kommun/", "/utvardering/")),
        (_("Jämför"), "/jamfor/", ()),
        (_("Sök"), "/sok/", ()),
        (_("Jämförelser"), "/jamforelse/", ()),
        (_("Karta"), "/karta/", ()),
        (_("Öppna data"), "/data/", ("/api/",)),
        (_("Om"), "/om/", ()),
    ]


def _footer():
    return [
        (_("Om Kommunkompassen"), "/om/"),
        (_("Om webbplatsen"), "/om/webbplatsen/"),
        (_("Tillgänglighetsredogörelse"), "/om/tillganglighet/"),
        (_("Personuppgifter"), "/om/personuppgifter/"),
        (_("Öppna data"), "/data/"),
        (_("API"), "/api/dokumentation/"),
    ]


def _current(path: str, link: str, prefixes=()) -> str:
    """"page" for the link's own page, "true" for a page under it, else ""."""
    if path == link:
        return "page"
    if any(path.startswith(p) for p in (link, *prefixes)):
        return "true"
    return ""


@register.inclusion_tag("web/_site_nav.html", takes_context=True)
def site_nav(context):
    request = context.get("request")
    path = getattr(request, "path", "") or ""
    return {"links": [(label, link, _current(path, link, more)) for label, link, more in _nav()]}


@register.inclusion_tag("web/_site_footer.html", takes_context=True)
def site_footer(context):
    request = context.get("request")
    path = getattr(request, "path", "") or ""
    return {"links": [(label, link, "page" if path == link else "") for label, link in _footer()]}


@register.inclusion_tag("web/_language_switch.html", takes_context=True)
def language_switch(context):
    """The same page in each language (kompass.web.languages); none on an error page
    rendered without a request."""
    from kompass.web.languages import switch_links

    request = context.get("request")
    if request is None:
        return {"links": []}
    links = switch_links(request, kept=getattr(request, "kept_params", None))
    if context.get("status"):  # an error page: the other languages' start pages, not the failed address
        links = [{**link, "href": f"/?lang={link['code']}", "back": "/"} for link in links]
    return {"links": links, "user": request.user}
