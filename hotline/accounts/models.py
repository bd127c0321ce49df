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
