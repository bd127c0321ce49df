from django.urls import path

from hotline.takedown import views

app_name = "takedown"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("run/", views.run_now, name="run"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/provider/", views.assign_provider, name="assign"),
    path("cases/<int:pk>/release/", views.release, name="release"),
    path("cases/<int:pk>/recheck/", views.recheck, name="recheck"),
    path("notices/<int:pk>/bounced/", views.notice_bounced, name="bounced"),
    path("providers/", views.providers, name="providers"),
    path("providers/new/", views.provider_edit, name="provider_new"),
    path("providers/<int:pk>/", views.provider_edit, name="provider"),
    path("providers/<int:pk>/rules/", views.provider_rule, name="provider_rule"),
    path("providers/<int:pk>/bouncing/", views.provider_bouncing, name="provider_bouncing"),
    path("partners/", views.partners, name="partners"),
    path("partners/<int:pk>/", views.partner_edit, name="partner"),
    path("templates/", views.templates, name="templates"),
    path("templates/<int:pk>/", views.template_edit, name="template"),
]
