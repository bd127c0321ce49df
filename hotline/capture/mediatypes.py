"""A media type named from a file's first bytes, since a server's Content-Type is often wrong.

Only informational: nothing decides what to do with a file from this.
"""

_PREFIXES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x1a\x45\xdf\xa3", "video/webm"),
]
_RIFF = {b"WEBP": "image/webp", b"AVI ": "video/x-msvideo"}
# ISO base media files (MP4, QuickTime, HEIF, AVIF) name their kind by a "brand" after "ftyp".
_BRANDS = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heif",
    b"avif": "image/avif",
    b"qt  ": "video/quicktime",
}


def sniff(data: bytes) -> str:
    """The media type the bytes start like, or "" when none of the known ones."""
    for prefix, media_type in _PREFIXES:
        if data.startswith(prefix):
            return media_type
    if data[:4] == b"RIFF":
        return _RIFF.get(data[8:12], "")
    if data[4:8] == b"ftyp":
        return _BRANDS.get(data[8:12], "video/mp4")
    return ""
