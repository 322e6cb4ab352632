from django.urls import path

from kompass.actions import views

app_name = "actions"
urlpatterns = [
    # The workspace: administrators and the municipality's contacts.
    path("arbete/handlingsplan/", views.index, name="index"),
    path("arbete/handlingsplan/<str:country>/<str:code>/", views.edit, name="edit"),
    path("arbete/handlingsplan/<str:country>/<str:code>/publicera/", views.publish, name="publish"),
    path("arbete/handlingsplan/<str:country>/<str:code>/forbattringsomrade/<id:improvement_id>/ny/", views.action_add, name="add"),
    path("arbete/handlingsplan/<str:country>/<str:code>/atgard/<id:action_id>/", views.action_edit, name="update"),
    path("arbete/handlingsplan/<str:country>/<str:code>/atgard/<id:action_id>/status/", views.action_status, name="status"),
    path("arbete/handlingsplan/<str:country>/<str:code>/atgard/<id:action_id>/anteckning/", views.action_note, name="note"),
    path("arbete/handlingsplan/<str:country>/<str:code>/atgard/<id:action_id>/ta-bort/", views.action_delete, name="delete"),
    path("arbete/handlingsplan/<str:country>/<str:code>/plan.<str:fmt>", views.export, name="export"),
    # The public plan, once the municipality has published it.
    path("kommun/<str:country>/<str:code>/handlingsplan/", views.public, name="public"),
    path("kommun/<str:country>/<str:code>/handlingsplan.<str:fmt>", views.public_export, name="public_export"),
]
