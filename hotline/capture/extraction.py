"""Every image and video a captured page names, and the pages it links to.

The page is written by whoever reported it or hosts it, so nothing here trusts it: the HTML is
parsed as a browser would (lexbor, through selectolax), each reference that cannot be read as an
http or https URL is skipped and counted, and the lists are capped, so that a page with a million
tags costs its parse and no more. Nothing is fetched here: the caller fetches what is listed.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from django.conf import settings
from selectolax.lexbor import LexborHTMLParser, LexborNode


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    # Named where media is expected (a lazy-load attribute) but nothing says which kind: the
    # content type of the response tells.
    UNKNOWN = "unknown-media-link"


@dataclass(frozen=True)
class MediaReference:
    url: str
    kind: MediaKind
    found_in: str


@dataclass(frozen=True)
class MediaExtraction:
    """What one page names, in document order, each URL once.

    `media_total` and `links_total` count every distinct URL seen, listed or past the cap.
    `dropped` counts the media references that were skipped, by reason: their scheme ("data:",
    "javascript:", "blob:"...), "unparseable", "no host" or "too long".
    """

    title: str
    media: tuple[MediaReference, ...]
    media_total: int
    links: tuple[str, ...]
    links_total: int
    dropped: dict[str, int]

    @property
    def truncated(self) -> bool:
        return self.media_total > len(self.media)

    @property
    def links_truncated(self) -> bool:
        return self.links_total > len(self.links)


_COMMON_IMAGES = ("jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "svg")
_RARER_IMAGES = ("jpe", "jfif", "apng", "heic", "heif", "tif", "tiff", "jxl")
IMAGE_EXTENSIONS = frozenset((*_COMMON_IMAGES, *_RARER_IMAGES))
VIDEO_EXTENSIONS = frozenset(
    ("mp4", "m4v", "webm", "mov", "mkv", "avi", "wmv", "flv", "mpg", "mpeg", "3gp", "ogv")
)

# Browsers accept far longer URLs, but nothing longer is worth fetching as evidence.
MAX_URL_LENGTH = 8192
MAX_TITLE_LENGTH = 1000

_META_MEDIA = {
    "og:image": MediaKind.IMAGE,
    "og:image:url": MediaKind.IMAGE,
    "og:image:secure_url": MediaKind.IMAGE,
    "og:video": MediaKind.VIDEO,
    "og:video:url": MediaKind.VIDEO,
    "og:video:secure_url": MediaKind.VIDEO,
    "twitter:image": MediaKind.IMAGE,
    "twitter:image:src": MediaKind.IMAGE,
}
_LAZY_ATTRIBUTES = ("data-src", "data-srcset", "data-original")
_SELECTOR = "img, source, video, a[href], meta[content], link[href], style, [style], " + ", ".join(
    f"[{name}]" for name in _LAZY_ATTRIBUTES
)

# A srcset candidate's URL; descriptors up to the next comma outside parentheses (HTML Standard).
_SRCSET_URL = re.compile(r"[\s,]*([^\s,]\S*)")
_SRCSET_DESCRIPTORS = re.compile(r"(?:[^,(]|\([^)]*\)?)*,?")
# One CSS declaration. Each alternative starts with a different character, and a name cannot
# start inside a word, so a hostile style sheet is scanned in linear time.
_CSS_DECLARATION = re.compile(
    r"""(?<![-\w])([-\w]+)\s*:((?:"[^"]*"|'[^']*'|\((?:"[^"]*"|'[^']*'|[^()"'])*\)|[^;{}"'()])*)"""
)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^()"'\s]*))\s*\)""", re.IGNORECASE)
_URL_STRIPPED = "".join(chr(code) for code in range(0x21))
_URL_REMOVED = re.compile(r"[\t\n\r]")
_SPACES = re.compile(r"\s+")
_BOMS = (b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe")


def extract_media(
    html: bytes | str,
    base_url: str,
    *,
    limit: int | None = None,
    link_limit: int | None = None,
    encoding: str | None = None,
) -> MediaExtraction:
    """The media and links of the page `html`, fetched from `base_url`.

    `encoding` is the charset the response's Content-Type named, if any; without it a byte
    order mark or a `<meta charset>` decides, and UTF-8 otherwise.
    """
    document = _parse(html, encoding)
    collector = _Collector(
        _base(document, base_url),
        limit if limit is not None else settings.HOTLINE_CAPTURE_MAX_MEDIA_PER_PAGE,
        link_limit if link_limit is not None else settings.HOTLINE_CAPTURE_MAX_LINKS_PER_PAGE,
    )
    for node in _elements(document):
        _HANDLERS.get(node.tag or "", _other)(node, collector)
        collector.add_css(node.attrs.get("style"), "style attribute")
    return collector.extraction(_title(document))


def is_media_content_type(content_type: str) -> MediaKind | None:
    """The kind of media a response's Content-Type announces, or None for anything else."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type.startswith("image/"):
        return MediaKind.IMAGE
    if media_type.startswith("video/"):
        return MediaKind.VIDEO
    return None


def kind_from_extension(url: str) -> MediaKind | None:
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in IMAGE_EXTENSIONS:
        return MediaKind.IMAGE
    if extension in VIDEO_EXTENSIONS:
        return MediaKind.VIDEO
    return None


def resolve(base: str, reference: str) -> tuple[str, str]:
    """(absolute http(s) URL, "") for `reference`, or ("", why it is not one)."""
    reference = _URL_REMOVED.sub("", reference.strip(_URL_STRIPPED))
    if not reference:
        return "", "empty"
    if len(reference) > MAX_URL_LENGTH:
        return "", "too long"
    try:
        parts = urlsplit(urldefrag(urljoin(base, _slashes(reference))).url)
        _ = parts.port  # a port out of range is only noticed when asked for
    except ValueError:
        return "", "unparseable"
    if parts.scheme not in ("http", "https"):
        return "", f"{parts.scheme}:" if parts.scheme else "unparseable"
    if not parts.hostname:
        return "", "no host"
    return urlunsplit(parts), ""


def srcset_urls(value: str) -> Iterator[str]:
    """The URL of every candidate in a srcset attribute, even one whose descriptors are broken."""
    position = 0
    while match := _SRCSET_URL.match(value, position):
        url = match.group(1)
        position = match.end()
        if url.endswith(","):
            yield url.rstrip(",")
        else:
            yield url
            descriptors = _SRCSET_DESCRIPTORS.match(value, position)
            position = descriptors.end() if descriptors else len(value)


def css_image_urls(css: str) -> Iterator[str]:
    """Every url() in a background or *-image declaration: others name fonts and style sheets."""
    for declaration in _CSS_DECLARATION.finditer(css):
        name = declaration.group(1).lower()
        if name == "background" or name.endswith("-image"):
            for url in _CSS_URL.finditer(declaration.group(2)):
                yield url.group(1) or url.group(2) or url.group(3) or ""


class _Collector:
    def __init__(self, base: str, media_limit: int, link_limit: int) -> None:
        self.base = base
        self.media_limit = media_limit
        self.link_limit = link_limit
        self.media: list[MediaReference] = []
        self.media_seen: set[str] = set()
        self.links: list[str] = []
        self.links_seen: set[str] = set()
        self.dropped: Counter[str] = Counter()
        self.resolved: dict[str, tuple[str, str]] = {}

    def resolve(self, reference: str) -> tuple[str, str]:
        """`resolve`, once for each text: pages repeat the same reference thousands of times."""
        known = self.resolved.get(reference)
        if known is None:
            known = self.resolved[reference] = resolve(self.base, reference)
        return known

    def add_media(self, reference: str | None, kind: MediaKind | None, found_in: str) -> None:
        url, problem = self.resolve(reference or "")
        if problem == "empty":
            return
        if problem:
            self.dropped[problem] += 1
        elif url not in self.media_seen:
            self.media_seen.add(url)
            if len(self.media) < self.media_limit:
                kind = kind or kind_from_extension(url) or MediaKind.UNKNOWN
                self.media.append(MediaReference(url, kind, found_in))

    def add_srcset(self, value: str | None, kind: MediaKind | None, found_in: str) -> None:
        for url in srcset_urls(value or ""):
            self.add_media(url, kind, found_in)

    def add_css(self, css: str | None, found_in: str) -> None:
        for url in css_image_urls(css or ""):
            self.add_media(url, MediaKind.IMAGE, found_in)

    def add_link(self, reference: str) -> str:
        """The link's URL once resolved ("" if it is not http or https)."""
        url, _ = self.resolve(reference)
        if url and url not in self.links_seen:
            self.links_seen.add(url)
            if len(self.links) < self.link_limit:
                self.links.append(url)
        return url

    def extraction(self, title: str) -> MediaExtraction:
        return MediaExtraction(
            title=title,
            media=tuple(self.media),
            media_total=len(self.media_seen),
            links=tuple(self.links),
            links_total=len(self.links_seen),
            dropped=dict(self.dropped),
        )


def _parse(html: bytes | str, encoding: str | None) -> LexborHTMLParser:
    if isinstance(html, bytes) and encoding and not html.startswith(_BOMS):
        try:
            return LexborHTMLParser(html.decode(encoding, errors="replace"))
        except LookupError:
            pass  # a charset Python does not know: detect it as if none were named
    return LexborHTMLParser(html, encoding=isinstance(html, bytes))


def _elements(document: LexborHTMLParser) -> Iterator[LexborNode]:
    """Each element that may name media or a link, once, in document order."""
    seen: set[int] = set()
    # lexbor lists an element once for every selector of the list that it matches.
    for node in document.css(_SELECTOR):
        if node.mem_id not in seen:
            seen.add(node.mem_id)
            yield node


def _base(document: LexborHTMLParser, page_url: str) -> str:
    base = document.css_first("base[href]")
    if base is None:
        return page_url
    url, _ = resolve(page_url, base.attrs.sget("href"))
    return url or page_url


def _title(document: LexborHTMLParser) -> str:
    title = document.css_first("title")
    text = title.text() if title is not None else ""
    return _SPACES.sub(" ", text).strip()[:MAX_TITLE_LENGTH]


def _slashes(reference: str) -> str:
    """Backslashes as browsers read them in http(s) URLs: slashes, before any query."""
    path, query = reference.split("?", 1) if "?" in reference else (reference, None)
    path = path.replace("\\", "/")
    return path if query is None else f"{path}?{query}"


def _img(node: LexborNode, collector: _Collector) -> None:
    collector.add_media(node.attrs.get("src"), MediaKind.IMAGE, "img src")
    collector.add_srcset(node.attrs.get("srcset"), MediaKind.IMAGE, "img srcset")
    _lazy(node, collector, MediaKind.IMAGE, "img")


def _video(node: LexborNode, collector: _Collector) -> None:
    collector.add_media(node.attrs.get("src"), MediaKind.VIDEO, "video src")
    collector.add_media(node.attrs.get("poster"), MediaKind.IMAGE, "video poster")
    _lazy(node, collector, MediaKind.VIDEO, "video")


def _source(node: LexborNode, collector: _Collector) -> None:
    parent = node.parent.tag if node.parent is not None else ""
    if parent == "picture":
        collector.add_srcset(node.attrs.get("srcset"), MediaKind.IMAGE, "picture source srcset")
        _lazy(node, collector, MediaKind.IMAGE, "picture source")
    elif parent == "video":
        collector.add_media(node.attrs.get("src"), MediaKind.VIDEO, "video source src")
        _lazy(node, collector, MediaKind.VIDEO, "video source")


def _anchor(node: LexborNode, collector: _Collector) -> None:
    url = collector.add_link(node.attrs.sget("href"))
    kind = kind_from_extension(url) if url else None
    if kind is not None:
        collector.add_media(url, kind, "a href")
    _lazy(node, collector, None, "a")


def _meta(node: LexborNode, collector: _Collector) -> None:
    name = (node.attrs.get("property") or node.attrs.get("name") or "").strip().lower()
    if name in _META_MEDIA:
        collector.add_media(node.attrs.get("content"), _META_MEDIA[name], f"meta {name}")


def _link(node: LexborNode, collector: _Collector) -> None:
    if "image_src" in node.attrs.sget("rel").lower().split():
        collector.add_media(node.attrs.get("href"), MediaKind.IMAGE, "link image_src")


def _style(node: LexborNode, collector: _Collector) -> None:
    collector.add_css(node.text(), "style element")


def _other(node: LexborNode, collector: _Collector) -> None:
    _lazy(node, collector, None, node.tag or "element")


def _lazy(node: LexborNode, collector: _Collector, kind: MediaKind | None, where: str) -> None:
    """The attributes lazy-loading scripts move into src or srcset once the page is scrolled."""
    for name in _LAZY_ATTRIBUTES:
        value = node.attrs.get(name)
        if value is None:
            continue
        if name.endswith("srcset"):
            collector.add_srcset(value, kind, f"{where} {name}")
        else:
            collector.add_media(value, kind, f"{where} {name}")


_HANDLERS: dict[str, Callable[[LexborNode, _Collector], None]] = {
    "img": _img,
    "video": _video,
    "source": _source,
    "a": _anchor,
    "meta": _meta,
    "link": _link,
    "style": _style,
}
