import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def whole_minutes(duration: timedelta | None) -> int:
    """A pause rounded up to the minute, so the page never promises a time too early."""
    if duration is None:
        return 0
    return max(1, math.ceil(duration.total_seconds() / 60))
