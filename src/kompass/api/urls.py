from django.urls import path

from kompass.api import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("municipalities", views.municipalities, name="municipalities"),
    path("evaluations", views.evaluations, name="evaluations"),
    path("evaluations/<id:pk>", views.evaluation_detail, name="evaluation"),
    path("benchmark", views.benchmark, name="benchmark"),
    path("search", views.search, name="search"),
]
