from django.urls import path

from hotline.assessment import views

app_name = "assessment"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("confirmations/", views.confirmations, name="confirmations"),
    path("disputes/", views.disputes, name="disputes"),
]
