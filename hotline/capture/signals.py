"""What capture tells the rest of the platform."""

from django.dispatch import Signal

# Sent inside the transaction that records a fetched capture and its media links, with
# `capture`: work done by receivers (pre-grading) commits, or is retried, with the capture.
capture_recorded = Signal()
