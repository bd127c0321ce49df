from django.urls import path

from hotline.assessment import views

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
    path("confirmations/", views.confirmations, name="confirmations"),
    path("disputes/", views.disputes, name="disputes"),
]
