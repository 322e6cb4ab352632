from django.urls import path

from kompass.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ny/", views.evaluation_create, name="create"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/status/", views.status_change, name="status"),
    path("<int:pk>/dela/", views.share, name="share"),
    path("<int:pk>/underlag/", views.evidence, name="evidence"),
    path("<int:pk>/underlag/<int:evidence_id>/fil", views.evidence_file, name="evidence_file"),
    path("<int:pk>/underlag/<int:evidence_id>/ta-bort/", views.evidence_remove, name="evidence_remove"),
    path("<int:pk>/poang/", views.scoring_page, name="scoring"),
    path("<int:pk>/poang/lamna-in/", views.scoring_submit, name="scoring_submit"),
    path("<int:pk>/poang/<str:code>/", views.score_save, name="score_save"),
    path("<int:pk>/konsensus/", views.consensus_page, name="consensus"),
    path("<int:pk>/konsensus/samstammiga/", views.consensus_unanimous, name="consensus_unanimous"),
    path("<int:pk>/konsensus.csv", views.consensus_csv, name="consensus_csv"),
    path("<int:pk>/konsensus/<str:code>/", views.consensus_save, name="consensus_save"),
    path("<int:pk>/texter/", views.texts_page, name="texts"),
    path("<int:pk>/texter/omrade/<int:number>/<str:field>/", views.area_text_save, name="area_text"),
    path("<int:pk>/texter/lista/<int:number>/<str:kind>/", views.list_save, name="list"),
    path("<int:pk>/texter/delfraga/<str:code>/", views.question_text_save, name="question_text"),
    path("<int:pk>/texter/uppfoljning/<int:item_id>/", views.follow_up_save, name="follow_up"),
    path("<int:pk>/forfragan/", views.previsit_page, name="previsit"),
    path("<int:pk>/forfragan/bilaga/<int:attachment_id>/", views.previsit_file, name="previsit_file"),
    path("<int:pk>/forfragan/<str:code>/", views.previsit_save, name="previsit_save"),
    path("<int:pk>/forfragan/<str:code>/sjalvskattning/", views.self_assessment_save, name="self_assessment"),
    path("<int:pk>/sjalvvardering/", views.gaps_page, name="gaps"),
    path("<int:pk>/historik/", views.history, name="history"),
    path("<int:pk>/rattelse/", views.correction, name="correction"),
    path("<int:pk>/rapport.<str:fmt>", views.report_preview, name="report"),
]
