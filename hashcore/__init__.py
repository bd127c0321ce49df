"""The hotline's hashing core: MD5, SHA-1, SHA-256, PDQ and vPDQ, with no Django in sight.

    >>> from hashcore import hash_file
    >>> hashes = hash_file("photo.jpg")
    >>> hashes.pdq, hashes.pdq_quality, hashes.dihedral.rotate_90

Every failure is a HashingError whose message can be shown to an operator as it is.
"""

from .errors import HashingError
from .hashing import FileHashes, FrameHash, hash_bytes, hash_file
from .index import IndexMatch, PDQIndex
from .limits import DEFAULT_LIMITS, Limits
from .pdq import Dihedral, hamming_distance
from .video import VideoFrameHash
from .video_index import VideoIndex, VideoMatch

__all__ = [
    "DEFAULT_LIMITS",
    "Dihedral",
    "FileHashes",
    "FrameHash",
    "HashingError",
    "IndexMatch",
    "Limits",
    "PDQIndex",
    "VideoFrameHash",
    "VideoIndex",
    "VideoMatch",
    "hamming_distance",
    "hash_bytes",
    "hash_file",
]
