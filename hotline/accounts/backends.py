"""Admin permissions that come with a role, so that a new manager needs no setup by hand."""

from typing import Any

from django.contrib.auth.backends import BaseBackend

# Managers look after staff accounts: roles, lifting a sign-in pause (deleting axes' record of
# failed attempts), resetting a lost authenticator (deleting the device, after which the person
# enrols a new one), and reading the audit log.
MANAGER_PERMISSIONS = frozenset(
    {
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "audit.view_auditentry",
    }
)


class RolePermissionBackend(BaseBackend):
    """Grants permissions only; signing in is left to the backends before it."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if obj is not None or not user_obj.is_active:
            return set()
        return set(MANAGER_PERMISSIONS) if getattr(user_obj, "is_manager", False) else set()

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        prefix = f"{app_label}."
        return any(perm.startswith(prefix) for perm in self.get_all_permissions(user_obj))
