"""Which language a request is answered in, and how a visitor changes it.

In order: ``?lang=`` on the address (a link to the same page in another language, an API
call, a report download), the visitor's earlier choice (the ``kompass_language`` cookie),
a workspace user's saved setting (``workspace.Profile``), the browser's Accept-Language,
Swedish. Django's LocaleMiddleware reads the cookie and Accept-Language; this middleware,
placed after it and after authentication, adds the address and the profile.

The switch on every page is a plain link to the same address with ``?lang=``: it works
without JavaScript, needs no form (so it fits cached pages), and the answer remembers the
choice in the cookie. A logged-in user's switch is a form instead (their pages are never
cached), which also saves the choice in their profile: a GET never writes.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

QUERY_PARAMETER = "lang"


def codes() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def chosen_in_address(request) -> str | None:
    """The language the address asks for, when it is one of ours."""
    asked = request.GET.get(QUERY_PARAMETER, "").strip().lower()
    return asked if asked in codes() else None


def saved_for(user) -> str | None:
    """A workspace user's saved language, or None."""
    if not user.is_authenticated:
        return None
    from kompass.workspace.models import Profile

    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    return language if language in codes() else None


def remember(response, language: str) -> None:
    """Keep the visitor's choice in the language cookie."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )


class RequestLanguage:
    """Activate the address's or the profile's language (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked = chosen_in_address(request)
        language = asked
        if language is None and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = saved_for(request.user)
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language is not None:
            response.headers["Content-Language"] = language
        # A page asked for in another language remembers it; a download or an API
        # answer in one does not change the visitor's site language.
        if asked is not None and response.get("Content-Type", "").startswith("text/html"):
            remember(response, asked)
        return response


def switch_links(request, kept=None) -> list[dict]:
    """The language switch: for each language, the same address with ``?lang=``.
    ``kept`` names the query parameters worth keeping (a cached page's own ones, so a
    stranger's parameter never reaches the links others receive); None keeps all."""
    current = translation.get_language()
    query = [
        (name, value)
        for name, values in request.GET.lists()
        if name != QUERY_PARAMETER and (kept is None or name in kept)
        for value in values
    ]
    return [
        {
            "code": code,
            "name": name,
            "href": f"{request.path}?{urlencode([*query, (QUERY_PARAMETER, code)])}",
            "back": f"{request.path}?{urlencode(query)}" if query else request.path,
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@require_POST
def choose(request):
    """The switch of a logged-in user (a form, so the choice can be saved): remember it
    in the cookie and the profile, and go back to the page."""
    from kompass.workspace.services import accounts

    language = request.POST.get("language", "")
    if language not in codes():
        return HttpResponseBadRequest(_("Okänt språk: %(language)s") % {"language": language[:20]})
    if request.user.is_authenticated:
        accounts.language_set(request.user, language)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    response = HttpResponseRedirect(back)
    remember(response, language)
    return response
