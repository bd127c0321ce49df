from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ANALYST = "analyst", _("Analyst")
    SENIOR_ANALYST = "senior_analyst", _("Senior analyst")
    MANAGER = "manager", _("Manager")


class User(AbstractUser):
    """A member of the hotline's staff. Members of the public never have an account."""

    role = models.CharField(max_length=20, choices=Role.choices, blank=True)

    @property
    def is_analyst(self) -> bool:
        """Analysts and senior analysts may see case content and media."""
        return self.role in {Role.ANALYST, Role.SENIOR_ANALYST}

    @property
    def is_senior_analyst(self) -> bool:
        return self.role == Role.SENIOR_ANALYST

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def has_staff_role(self) -> bool:
        return self.role in Role.values

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The admin site (unlocking accounts, roles, the audit log) is for managers and for
        # whoever installed the hotline, so Django's staff flag follows the role.
        self.is_staff = self.is_manager or self.is_superuser
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"role", "is_superuser"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "is_staff"}
        super().save(*args, **kwargs)
