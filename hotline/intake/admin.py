"""Admin pages for sources, their keys, reports and urls. Addresses show as plain text only."""

from django.contrib import admin
from django.http import HttpRequest

from hotline.intake.models import Report, ReportedUrl, ReportingSource, SourceApiKey, Url


class SourceApiKeyInline(admin.TabularInline[SourceApiKey, ReportingSource]):
    model = SourceApiKey
    extra = 0
    fields = ("prefix", "created_at", "revoked_at")
    readonly_fields = ("prefix", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: ReportingSource | None = None) -> bool:
        return False  # Keys are issued by `hotline create-source-key`, which shows them once.


@admin.register(ReportingSource)
class ReportingSourceAdmin(admin.ModelAdmin[ReportingSource]):
    list_display = ("name", "kind", "priority_weight", "active", "created_at")
    list_filter = ("kind", "active")
    search_fields = ("name",)
    inlines = (SourceApiKeyInline,)


@admin.register(SourceApiKey)
class SourceApiKeyAdmin(admin.ModelAdmin[SourceApiKey]):
    list_display = ("prefix", "source", "created_at", "revoked_at")
    list_filter = ("source",)
    search_fields = ("prefix", "source__name")
    fields = ("source", "prefix", "key_hash", "created_at", "revoked_at")
    readonly_fields = ("source", "prefix", "key_hash", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Keys are issued by `hotline create-source-key`, which shows them once.


class ReportedUrlInline(admin.TabularInline[ReportedUrl, Report]):
    model = ReportedUrl
    extra = 0
    fields = ("submitted", "url")
    readonly_fields = ("submitted", "url")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Report | None = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = ("reference", "received_at", "channel", "source", "where_seen", "content_kind")
    list_filter = ("channel", "where_seen", "content_kind", "source")
    search_fields = ("reference",)
    date_hierarchy = "received_at"
    readonly_fields = (
        "reference",
        "received_at",
        "where_seen",
        "content_kind",
        "description",
        "contact_email",
        "source",
        "channel",
        "submission_token",
        "language",
    )
    exclude = ("urls",)
    inlines = (ReportedUrlInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Reports arrive through the form and the API only.


@admin.register(Url)
class UrlAdmin(admin.ModelAdmin[Url]):
    list_display = ("canonical", "host", "state", "report_count", "source_count", "priority")
    list_filter = ("state",)
    search_fields = ("canonical", "host")
    readonly_fields = (
        "canonical",
        "canonical_hash",
        "host",
        "report_count",
        "source_count",
        "source_weight",
        "priority",
        "first_reported_at",
        "last_reported_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
