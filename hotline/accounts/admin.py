"""Staff accounts in the admin. Managers edit roles; the permission fields are left to the
superusers who install the hotline, so that no manager can widen their own rights."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from hotline.accounts.models import User
from hotline.audit.log import record

ACCOUNT_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    (_("Person"), {"fields": ("first_name", "last_name", "email")}),
    (_("Hotline role"), {"fields": ("role", "is_active")}),
    (_("Dates"), {"fields": ("last_login", "date_joined")}),
)
SUPERUSER_FIELDSETS = (
    *ACCOUNT_FIELDSETS,
    (_("Django permissions"), {"fields": ("is_superuser", "groups", "user_permissions")}),
)


@admin.register(User)
class StaffAccountAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "role", "email", "is_active", "last_login")
    list_filter = ("role", "is_active")
    readonly_fields = ("last_login", "date_joined")
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "password1", "password2")}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        return SUPERUSER_FIELDSETS if request.user.is_superuser else ACCOUNT_FIELDSETS

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A manager must not be able to take over the account of whoever installed the hotline.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def log_addition(self, request: HttpRequest, obj: User, message: Any) -> LogEntry:
        record(
            "account.created", actor=request.user, target=obj, detail=change_detail(obj, message)
        )
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: User, message: Any) -> LogEntry:
        # Also called by the separate password page, so a reset password is audited too.
        record(
            "account.changed", actor=request.user, target=obj, detail=change_detail(obj, message)
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[User]) -> Any:
        for account in queryset:
            record("account.deleted", actor=request.user, target=account)
        return super().log_deletions(request, queryset)


def change_detail(account: User, message: Any) -> dict[str, Any]:
    """The admin's own description of the change (field names only, never values) and the role."""
    return {"role": account.role, "change": message}
