from django.urls import path

from hotline.assessment import evidence_views, views

app_name = "assessment"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("queue/next/", views.claim_next, name="claim_next"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/claim/", views.claim, name="claim"),
    path("cases/<int:pk>/release/", views.release, name="release"),
    path("cases/<int:pk>/assess/", views.assess, name="assess"),
    path("cases/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("cases/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("cases/<int:pk>/media/<int:item>/grade/", views.grade_item, name="grade_item"),
    path("cases/<int:pk>/media/<int:item>/preview/", evidence_views.preview, name="preview"),
    path("cases/<int:pk>/media/<int:item>/", evidence_views.reveal, name="reveal"),
    path("cases/<int:pk>/captures/<int:capture>/warc/", evidence_views.warc, name="warc"),
    path("exposure/hide/", evidence_views.hide, name="hide"),
    path("exposure/team/", views.team_exposure, name="team_exposure"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path("disputes/", views.disputes, name="disputes"),
]
