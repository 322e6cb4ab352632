from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("kompass.actions.urls")),  # /arbete/handlingsplan/… and /kommun/…/handlingsplan/
    path("arbete/", include("kompass.workspace.urls")),
    path("api/", include("kompass.api.urls")),
    path("", include("kompass.web.urls")),
]


def not_found(request, exception):
    """The API answers 404 in JSON, as its schema says; the site keeps Django's page."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"error": "finns inte"}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


handler404 = not_found
