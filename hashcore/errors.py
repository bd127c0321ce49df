"""The one exception the hashing core raises for input it cannot hash."""


class HashingError(Exception):
    """A file could not be hashed; the message says why, in words fit for an operator."""
