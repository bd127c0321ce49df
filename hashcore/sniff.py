"""Telling videos from images by their first bytes: a file's name and declared type may lie."""

# Enough for every signature below, including the second MPEG-TS sync byte at offset 188.
HEAD_SIZE = 512

# ISO base media files (MP4, MOV, HEIC, AVIF) share the `ftyp` box; these brands are still images.
_IMAGE_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
)

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x1a\x45\xdf\xa3", "Matroska"),  # also WebM
    (b"FLV", "FLV"),
    (b"OggS", "Ogg"),
    (b"\x00\x00\x01\xba", "MPEG-PS"),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "ASF"),  # WMV
)


def video_format(head: bytes) -> str | None:
    """The container format if `head` (a file's first HEAD_SIZE bytes) starts a video, else None."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _IMAGE_BRANDS:
            return None
        return "QuickTime" if brand == b"qt  " else "MP4"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "AVI"
    if len(head) > 188 and head[0] == head[188] == 0x47:
        return "MPEG-TS"
    return next((name for signature, name in _SIGNATURES if head.startswith(signature)), None)
