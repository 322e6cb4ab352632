from django.urls import path

from kompass.workspace import facts_views, views

app_name = "workspace"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ny/", views.evaluation_create, name="create"),
    path("<id:pk>/", views.overview, name="overview"),
    path("<id:pk>/status/", views.status_change, name="status"),
    path("<id:pk>/dela/", views.share, name="share"),
    path("<id:pk>/underlag/", views.evidence, name="evidence"),
    path("<id:pk>/underlag/<id:evidence_id>/fil", views.evidence_file, name="evidence_file"),
    path("<id:pk>/underlag/<id:evidence_id>/ta-bort/", views.evidence_remove, name="evidence_remove"),
    path("<id:pk>/poang/", views.scoring_page, name="scoring"),
    path("<id:pk>/poang/lamna-in/", views.scoring_submit, name="scoring_submit"),
    path("<id:pk>/poang/<str:code>/", views.score_save, name="score_save"),
    path("<id:pk>/konsensus/", views.consensus_page, name="consensus"),
    path("<id:pk>/konsensus/samstammiga/", views.consensus_unanimous, name="consensus_unanimous"),
    path("<id:pk>/konsensus.csv", views.consensus_csv, name="consensus_csv"),
    path("<id:pk>/konsensus/<str:code>/", views.consensus_save, name="consensus_save"),
    path("<id:pk>/texter/", views.texts_page, name="texts"),
    path("<id:pk>/texter/omrade/<id:number>/<str:field>/", views.area_text_save, name="area_text"),
    path("<id:pk>/texter/lista/<id:number>/<str:kind>/", views.list_save, name="list"),
    path("<id:pk>/texter/delfraga/<str:code>/", views.question_text_save, name="question_text"),
    path("<id:pk>/texter/uppfoljning/<id:item_id>/", views.follow_up_save, name="follow_up"),
    path("<id:pk>/forfragan/", views.previsit_page, name="previsit"),
    path("<id:pk>/forfragan/bilaga/<id:attachment_id>/", views.previsit_file, name="previsit_file"),
    path("<id:pk>/forfragan/<str:code>/", views.previsit_save, name="previsit_save"),
    path("<id:pk>/forfragan/<str:code>/sjalvskattning/", views.self_assessment_save, name="self_assessment"),
    path("<id:pk>/sjalvvardering/", views.gaps_page, name="gaps"),
    path("<id:pk>/historik/", views.history, name="history"),
    path("<id:pk>/rattelse/", views.correction, name="correction"),
    path("<id:pk>/rapportuppgifter/", facts_views.report_facts_page, name="report_facts"),
    path("<id:pk>/rapport.<str:fmt>", views.report_preview, name="report"),
]
