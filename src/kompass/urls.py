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
    path("arbete/", include("kompass.workspace.urls")),
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


def not_found(request, exception):
    """The API answers 404 in JSON, as its schema says; the site keeps Django's page."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"error": "finns inte"}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


handler404 = not_found


def bad_request(request, exception):
    """A request Django refused (too large, malformed): said in Swedish, with the limit."""
    from django.conf import settings
    from django.shortcuts import render

    return render(request, "400.html", {"max_mb": settings.KOMPASS_UPLOAD_MAX_BYTES // 2**20}, status=400)


handler400 = bad_request
