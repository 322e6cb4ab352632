from django.urls import path

from kompass.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("kommuner/", views.municipality_list, name="municipalities"),
    path("kommun/<str:country>/<str:code>/", views.municipality_detail, name="municipality"),
    path("jamfor/", views.compare, name="compare"),
    path("sok/", views.search, name="search"),
    path("jamforelse/<str:framework>/", views.benchmark, name="benchmark"),
    path("utvardering/<id:pk>/", views.evaluation_detail, name="evaluation"),
    path("utvardering/<id:pk>/rapport.<str:fmt>", views.evaluation_report, name="evaluation_report"),
    path("utvardering/<id:pk>/revision/<id:number>/", views.evaluation_revision, name="evaluation_revision"),
]
