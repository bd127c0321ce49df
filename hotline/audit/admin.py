"""The audit log in the admin: readable by those allowed to view it, changeable by no one."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hotline.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("seq", "at", "actor_username", "action", "target")
    list_filter = ("action",)
    search_fields = ("=actor_username", "=object_id")
    ordering = ("-seq",)
    date_hierarchy = "at"
    # Counting millions of entries on every page load would make the list slow for no benefit.
    show_full_result_count = False
    list_per_page = 100

    @admin.display(description=_("object"))
    def target(self, entry: AuditEntry) -> str:
        return f"{entry.object_type} {entry.object_id}".strip()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
