from django.urls import path

from kompass.web import about, languages, map_page, open_data, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("sprak/", languages.choose, name="language"),
    path("kommuner/", views.municipality_list, name="municipalities"),
    path("kommun/<str:country>/<str:code>/", views.municipality_detail, name="municipality"),
    path("jamfor/", views.compare, name="compare"),
    path("karta/", map_page.map_view, name="map"),
    path("sok/", views.search, name="search"),
    path("jamforelse/", about.benchmarks, name="benchmarks"),
    path("jamforelse/<str:framework>/", views.benchmark, name="benchmark"),
    path("om/", about.about, name="about"),
    path("om/webbplatsen/", about.site_info, name="site_info"),
    path("om/tillganglighet/", about.accessibility, name="accessibility"),
    path("om/personuppgifter/", about.privacy, name="privacy"),
    path("data/", open_data.data_page, name="data"),
    path("data/<path:name>", open_data.data_file, name="data_file"),
    path("api/dokumentation/", open_data.api_docs, name="api_docs"),
    path("api/dokumentation/referens/", open_data.api_reference, name="api_reference"),
    path("utvardering/<id:pk>/", views.evaluation_detail, name="evaluation"),
    path("utvardering/<id:pk>/rapport.<str:fmt>", views.evaluation_report, name="evaluation_report"),
    path("utvardering/<id:pk>/revision/<id:number>/", views.evaluation_revision, name="evaluation_revision"),
]
