from django.urls import path

from kompass.workspace.views import confirm, evidence, facts, overview, previsit, scoring, texts
from kompass.workspace.views import schedule  # the plan and deadlines
from kompass.workspace.views import downloads  # the municipality's own answers as DOCX and PDF

app_name = "workspace"
urlpatterns = [
    path("", overview.dashboard, name="dashboard"),
    path("ny/", overview.evaluation_create, name="create"),
    path("<id:pk>/", overview.overview, name="overview"),
    path("<id:pk>/status/", overview.status_change, name="status"),
    path("<id:pk>/publicera/", confirm.publish, name="publish"),
    path("<id:pk>/dela/", overview.share, name="share"),
    path("<id:pk>/ansvarig/", overview.lead, name="lead"),
    path("<id:pk>/plan/", schedule.schedule_page, name="schedule"),
    path("<id:pk>/underlag/", evidence.evidence, name="evidence"),
    path("<id:pk>/underlag/<id:evidence_id>/fil", evidence.evidence_file, name="evidence_file"),
    path("<id:pk>/underlag/<id:evidence_id>/ta-bort/", evidence.evidence_remove, name="evidence_remove"),
    path("<id:pk>/underlag/<id:evidence_id>/andra/", evidence.evidence_edit, name="evidence_edit"),
    path("<id:pk>/forfragan/svar.<str:fmt>", downloads.previsit_download, name="previsit_download"),
    path("<id:pk>/poang/", scoring.scoring_page, name="scoring"),
    path("<id:pk>/poang/lamna-in/", scoring.scoring_submit, name="scoring_submit"),
    path("<id:pk>/poang/<str:code>/", scoring.score_save, name="score_save"),
    path("<id:pk>/konsensus/", scoring.consensus_page, name="consensus"),
    path("<id:pk>/konsensus/samstammiga/", scoring.consensus_unanimous, name="consensus_unanimous"),
    path("<id:pk>/konsensus.csv", scoring.consensus_csv, name="consensus_csv"),
    path("<id:pk>/konsensus/<str:code>/", scoring.consensus_save, name="consensus_save"),
    path("<id:pk>/texter/", texts.texts_page, name="texts"),
    path("<id:pk>/texter/omrade/<id:number>/<str:field>/", texts.area_text_save, name="area_text"),
    path("<id:pk>/texter/lista/<id:number>/<str:kind>/", texts.list_save, name="list"),
    path("<id:pk>/texter/delfraga/<str:code>/", texts.question_text_save, name="question_text"),
    path("<id:pk>/texter/uppfoljning/<id:item_id>/", texts.follow_up_save, name="follow_up"),
    path("<id:pk>/forfragan/", previsit.previsit_page, name="previsit"),
    path("<id:pk>/forfragan/bilaga/<id:attachment_id>/", previsit.previsit_file, name="previsit_file"),
    path("<id:pk>/forfragan/<str:code>/", previsit.previsit_save, name="previsit_save"),
    path("<id:pk>/forfragan/<str:code>/sjalvskattning/", previsit.self_assessment_save, name="self_assessment"),
    path("<id:pk>/sjalvvardering/", previsit.gaps_page, name="gaps"),
    path("<id:pk>/historik/", overview.history, name="history"),
    path("<id:pk>/rattelse/", overview.correction, name="correction"),
    path("<id:pk>/rapportuppgifter/", facts.report_facts_page, name="report_facts"),
    path("<id:pk>/rapport.<str:fmt>", overview.report_preview, name="report"),
]
