from django.urls import path

from hotline.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.csv", views.export, name="export"),
    path("removal/", views.removal, name="removal"),
    path("removal/export.csv", views.removal_export, name="removal_export"),
]
