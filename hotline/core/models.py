from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """When a periodic job was last enqueued: the row every scheduler claims before enqueuing.

    One row per registered job name; a scheduler enqueues only after moving `last_enqueued_at`
    forward with a conditional UPDATE, so two schedulers never enqueue the same run.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name
