"""Admin pages for the directory, partners and templates; notices are read-only records."""

from django.contrib import admin
from django.http import HttpRequest

from hotline.takedown.models import Notice, NoticeTemplate, Partner, Provider, ProviderRule


class ProviderRuleInline(admin.TabularInline[ProviderRule, Provider]):
    model = ProviderRule
    extra = 1


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin[Provider]):
    list_display = ("name", "abuse_email", "contact_status", "country_code", "language")
    list_filter = ("contact_status", "country_code")
    search_fields = ("name", "abuse_email", "rules__value")
    inlines = (ProviderRuleInline,)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin[Partner]):
    list_display = ("name", "kind", "country_code", "email", "language", "active")
    list_filter = ("kind", "active")


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(admin.ModelAdmin[NoticeTemplate]):
    list_display = ("kind", "language", "subject", "updated_at")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ("pk", "kind", "recipient", "status", "created_at", "sent_at")
    list_filter = ("kind", "status")
    search_fields = ("recipient",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # What was sent is a record: only the sender writes it.

    def has_change_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False
