from django.urls import path

from hotline.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("advice/<slug:audience>/", views.advice, name="advice"),
]
