from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from kompass.converters import IdConverter

register_converter(IdConverter, "id")  # before the includes below, which use it

urlpatterns = [
    path("admin/", admin.site.urls),
    path(".well-known/security.txt", lambda request: security_txt(request)),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password change and reset: Django's own views with the site's templates (named
    # accounts/…, since the admin's registration/… ones would win); a reset sends an
    # e-mail, so its requests are rate-limited per client.
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(template_name="accounts/password_change_form.html"), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"), name="password_change_done"),
    path("accounts/password_reset/", lambda request: password_reset(request), name="password_reset"),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(template_name="accounts/password_reset_confirm.html"), name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
    path("", include("kompass.actions.urls")),  # /arbete/handlingsplan/… and /kommun/…/handlingsplan/
    path("", include("kompass.notifications.urls")),  # /arbete/aviseringar/…, before the workspace's own paths
    path("arbete/", include("kompass.workspace.urls")),
    path("api/", lambda request: api_index(request), name="api_index"),
    path("api/", include("kompass.api.urls")),
    path("", include("kompass.web.urls")),
]


def security_txt(request):
    """RFC 9116: where to report a vulnerability, when KOMPASS_SECURITY_CONTACT says so."""
    import datetime

    from django.conf import settings
    from django.http import Http404, HttpResponse

    contact = settings.KOMPASS_SECURITY_CONTACT
    if not contact:
        raise Http404
    expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=365)).strftime("%Y-%m-%dT00:00:00Z")
    lines = [f"Contact: {contact}", f"Expires: {expires}", "Preferred-Languages: sv, en",
             f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def password_reset(request):
    from kompass.page_cache import rate_limited, too_many

    if request.method == "POST" and (wait := rate_limited(request, "mail")):
        return too_many(wait)
    return auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html", email_template_name="accounts/password_reset_email.html",
        subject_template_name="accounts/password_reset_subject.txt",
    )(request)


API_DOCUMENTATION = "/api/dokumentation/"


def _api_error(message: str, status: int):
    """The API answers in JSON, also where Django refuses a request, and says where its
    documentation is."""
    from django.http import JsonResponse

    return JsonResponse(
        {"error": message, "documentation": API_DOCUMENTATION}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _error_page(request, status: int, context: dict | None = None):
    """An error in Swedish with the site around it and a way on. Rendered with the request
    (navigation, the account bar); should that fail too (a database gone), without it."""
    from django.http import HttpResponse
    from django.template import Context, loader

    names = [f"{status}.html", "web/error.html"]
    context = {"status": status, **(context or {})}
    try:
        return HttpResponse(loader.select_template(names).render(context, request), status=status)
    except Exception:  # noqa: BLE001 - the error page itself must not fail
        return HttpResponse(loader.select_template(names).template.render(Context(context)), status=status)


def not_found(request, exception):
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        return _api_error(_("finns inte"), 404)
    return _error_page(request, 404)


def forbidden(request, exception):
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        return _api_error(_("åtkomst nekad"), 403)
    return _error_page(request, 403)


def server_error(request):
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        return _api_error(_("ett fel uppstod på servern; försök igen senare"), 500)
    return _error_page(request, 500)


def bad_request(request, exception):
    """A request Django refused (too large, malformed): said in Swedish, with the limit."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    max_mb = settings.KOMPASS_UPLOAD_MAX_BYTES // 2**20
    if request.path.startswith("/api/"):
        return _api_error(_("förfrågan var felaktig eller för stor"), 400)
    return _error_page(request, 400, {"max_mb": max_mb})


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (mostly one left open too long, or cookies
    off): the 403 page, saying what to do."""
    return _error_page(request, 403, {"csrf": True})


handler400 = bad_request
handler403 = forbidden
handler404 = not_found
handler500 = server_error


def api_index(request):
    """/api/: the API's operations, from its OpenAPI schema, and where they are explained."""
    from django.http import JsonResponse

    from kompass.api.views import schema_data

    schema = schema_data()
    endpoints = [
        {"path": path, "summary": operation["get"].get("summary", "")}
        for path, operation in schema["paths"].items()
        if "get" in operation
    ]
    body = {
        "title": schema["info"]["title"],
        "documentation": API_DOCUMENTATION,
        "openapi": "/api/openapi.json",
        "data": "/data/",
        "endpoints": endpoints,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
