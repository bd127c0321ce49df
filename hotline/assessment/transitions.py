"""How an assessment or a media grade changes status: only from the status it was read in."""

from django.db import models

from hotline.assessment.errors import AlreadyDecided


def move_status(record: models.Model, from_status: str, refusal: str, **changes: object) -> None:
    """Apply `changes` (the new `status` among them) if nobody moved `record` on since it was read.

    One conditional UPDATE, so two analysts deciding at once cannot both succeed; the loser gets
    `refusal` and nothing changes.
    """
    rows = type(record)._default_manager.filter(pk=record.pk, status=from_status)
    if not rows.update(**changes):
        raise AlreadyDecided(refusal)
    for name, value in changes.items():
        setattr(record, name, value)
