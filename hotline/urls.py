from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from hotline.api import api
from hotline.core.views import healthz

# The admin asks for the second factor like every other staff page.
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("hotline.intake.urls")),
    path("api/v1/", api.urls),
    path("staff/", include("hotline.accounts.urls")),
    path("staff/", include("hotline.assessment.urls")),
    path("staff/stats/", include("hotline.stats.urls")),
    path("staff/takedown/", include("hotline.takedown.urls")),
    path("staff/lists/", include("hotline.lists.urls")),
    path("staff/admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
]

# A refusal raised anywhere (the admin included) is audited like those of the role decorators.
handler403 = "hotline.accounts.views.permission_denied"
