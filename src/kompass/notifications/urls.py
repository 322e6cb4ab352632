from django.urls import path

from kompass.notifications import views

app_name = "notifications"
urlpatterns = [
    path("arbete/aviseringar/", views.notification_list, name="list"),
    path("arbete/aviseringar/lasta/", views.mark_read, name="mark_read"),
    path("arbete/aviseringar/installningar/", views.choices, name="choices"),
    path("arbete/aviseringar/<id:pk>/", views.notification_open, name="open"),
    # On the pre-visit page (before the workspace's own <id>/forfragan/<code>/ paths).
    path("arbete/<id:pk>/forfragan/klar/", views.previsit_done, name="previsit_done"),
]
