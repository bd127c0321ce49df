"""Why a piece of evidence could not be read back. Each message names the blob's SHA-256."""


class EvidenceError(Exception):
    """Evidence that cannot be given back as it was stored; `str(error)` says why."""


class EvidenceCorrupt(EvidenceError):
    """The ciphertext, its wrapped key or its plaintext failed an integrity check: tampering or
    damage, never a configuration problem."""


class EvidenceDeleted(EvidenceError):
    """The retention policy deleted the blob's content; its hashes and the row remain."""


class EvidenceMissing(EvidenceError):
    """The blob's row says its ciphertext is stored, but the storage has no such file."""


class MasterKeyMissing(EvidenceError):
    """The blob's data key was wrapped by a master key that is not configured."""
