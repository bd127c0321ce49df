"""What assessment tells the rest of the platform, so that takedown and lists act on it."""

from django.dispatch import Signal

# Sent inside the transaction that makes an assessment count (a final outcome, a second
# analyst's confirmation, a senior analyst's decision), with `assessment`: the one that counts.
# Receivers that enqueue work do so with transaction.on_commit.
assessment_counted = Signal()
