"""Finding every image and video a page names, and its links, in pages written to mislead."""

import time

import pytest

from hotline.capture.extraction import (
    MAX_URL_LENGTH,
    MediaKind,
    MediaReference,
    css_image_urls,
    extract_media,
    is_media_content_type,
    srcset_urls,
)

PAGE = "https://example.org/section/page.html"


def urls(html: str | bytes, **options) -> list[str]:
    return [reference.url for reference in extract_media(html, PAGE, **options).media]


def found(html: str) -> list[tuple[str, MediaKind, str]]:
    references = extract_media(html, PAGE, limit=100).media
    return [(reference.url, reference.kind, reference.found_in) for reference in references]


def test_images_are_listed_in_document_order_resolved_against_the_page() -> None:
    html = '<img src="b.png"><p>Neutral text.</p><img src="/top.gif"><img src="../up.webp">'

    assert urls(html, limit=10) == [
        "https://example.org/section/b.png",
        "https://example.org/top.gif",
        "https://example.org/up.webp",
    ]


def test_a_base_element_changes_what_relative_references_resolve_against() -> None:
    html = '<head><base href="https://cdn.example.net/m/"></head><img src="a.jpg"><a href="p">p</a>'

    extraction = extract_media(html, PAGE, limit=10)

    assert [reference.url for reference in extraction.media] == ["https://cdn.example.net/m/a.jpg"]
    assert extraction.links == ("https://cdn.example.net/m/p",)


def test_a_base_element_that_is_not_http_is_ignored() -> None:
    html = '<base href="javascript:alert(1)//"><img src="a.jpg">'

    assert urls(html, limit=10) == ["https://example.org/section/a.jpg"]


def test_every_srcset_candidate_is_listed_for_img_and_picture_sources() -> None:
    html = """
        <picture>
          <source srcset="wide.avif 1200w, narrow.avif 600w" media="(min-width: 600px)">
          <img src="fallback.jpg" srcset="small.jpg 1x, big.jpg 2x">
        </picture>"""

    assert found(html) == [
        ("https://example.org/section/wide.avif", MediaKind.IMAGE, "picture source srcset"),
        ("https://example.org/section/narrow.avif", MediaKind.IMAGE, "picture source srcset"),
        ("https://example.org/section/fallback.jpg", MediaKind.IMAGE, "img src"),
        ("https://example.org/section/small.jpg", MediaKind.IMAGE, "img srcset"),
        ("https://example.org/section/big.jpg", MediaKind.IMAGE, "img srcset"),
    ]


def test_videos_their_posters_and_sources_are_listed_but_audio_is_not() -> None:
    html = """
        <video src="clip.mp4" poster="still.png"><source src="clip.webm" type="video/webm"></video>
        <audio src="sound.mp3"><source src="sound.ogg"></audio>"""

    assert found(html) == [
        ("https://example.org/section/clip.mp4", MediaKind.VIDEO, "video src"),
        ("https://example.org/section/still.png", MediaKind.IMAGE, "video poster"),
        ("https://example.org/section/clip.webm", MediaKind.VIDEO, "video source src"),
    ]


def test_a_link_to_a_media_file_is_media_of_the_kind_its_extension_names() -> None:
    html = '<a href="/files/photo.JPEG?size=2">p</a><a href="movie.mov">m</a><a href="n.html">n</a>'

    assert found(html) == [
        ("https://example.org/files/photo.JPEG?size=2", MediaKind.IMAGE, "a href"),
        ("https://example.org/section/movie.mov", MediaKind.VIDEO, "a href"),
    ]


def test_links_are_http_only_resolved_without_fragments_and_listed_once() -> None:
    html = """
        <a href="next.html#part">n</a><a href="next.html">again</a><a href="mailto:a@example.org">
        <a href="javascript:void(0)">j</a><a href="//other.example.net/x">o</a><a href="">self</a>
        <a href="ftp://example.org/f">f</a><a>no href</a>"""

    assert extract_media(html, PAGE, limit=10).links == (
        "https://example.org/section/next.html",
        "https://other.example.net/x",
    )


def test_css_backgrounds_in_style_attributes_and_style_elements_are_images() -> None:
    html = """
        <style>
          .hero { color: red; background-image: url("hero.webp") }
          .band { background: #fff url(band.png) no-repeat; }
          @font-face { font-family: x; src: url(font.woff2) }
          @import url(more.css);
          .icon { list-style-image: url('dot.gif') }
        </style>
        <div style="margin: 0; BACKGROUND-IMAGE: url( 'inline.jpg' )">text</div>"""

    assert found(html) == [
        ("https://example.org/section/hero.webp", MediaKind.IMAGE, "style element"),
        ("https://example.org/section/band.png", MediaKind.IMAGE, "style element"),
        ("https://example.org/section/dot.gif", MediaKind.IMAGE, "style element"),
        ("https://example.org/section/inline.jpg", MediaKind.IMAGE, "style attribute"),
    ]


def test_social_preview_meta_and_image_src_links_are_listed() -> None:
    html = """
        <meta property="og:image" content="https://example.org/preview.png">
        <meta property="og:video" content="/preview.mp4">
        <meta name="twitter:image" content="card.jpg">
        <meta name="description" content="not media">
        <link rel="image_src" href="thumb.png"><link rel="stylesheet" href="site.css">"""

    assert found(html) == [
        ("https://example.org/preview.png", MediaKind.IMAGE, "meta og:image"),
        ("https://example.org/preview.mp4", MediaKind.VIDEO, "meta og:video"),
        ("https://example.org/section/card.jpg", MediaKind.IMAGE, "meta twitter:image"),
        ("https://example.org/section/thumb.png", MediaKind.IMAGE, "link image_src"),
    ]


def test_lazy_load_attributes_are_listed_with_the_kind_their_element_or_name_gives() -> None:
    html = """
        <img src="placeholder.gif" data-src="real.jpg" data-srcset="real-2x.jpg 2x">
        <div data-original="/lazy/photo.png"></div>
        <div data-src="/lazy/item/7"></div>"""

    assert found(html) == [
        ("https://example.org/section/placeholder.gif", MediaKind.IMAGE, "img src"),
        ("https://example.org/section/real.jpg", MediaKind.IMAGE, "img data-src"),
        ("https://example.org/section/real-2x.jpg", MediaKind.IMAGE, "img data-srcset"),
        ("https://example.org/lazy/photo.png", MediaKind.IMAGE, "div data-original"),
        ("https://example.org/lazy/item/7", MediaKind.UNKNOWN, "div data-src"),
    ]


def test_media_inside_noscript_is_listed_as_a_browser_without_scripts_shows_it() -> None:
    assert urls('<noscript><img src="shown.jpg"></noscript>', limit=5) == [
        "https://example.org/section/shown.jpg"
    ]


def test_a_reference_named_twice_is_listed_once_where_it_was_first_found() -> None:
    html = '<a href="pic.png">x</a><img src="pic.png"><img src="./pic.png#frag"><img src="o.png">'

    assert found(html) == [
        ("https://example.org/section/pic.png", MediaKind.IMAGE, "a href"),
        ("https://example.org/section/o.png", MediaKind.IMAGE, "img src"),
    ]


def test_data_javascript_and_blob_references_are_dropped_and_counted() -> None:
    html = """
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <img srcset="data:image/png;base64,iVBORw0KGgo= 1x, kept.png 2x">
        <img src="javascript:alert(1)"><video src="blob:https://example.org/0b7e"></video>
        <div style="background: url(data:image/png;base64,iVBO=)"></div>"""

    extraction = extract_media(html, PAGE, limit=10)

    assert [reference.url for reference in extraction.media] == [
        "https://example.org/section/kept.png"
    ]
    assert extraction.dropped == {"data:": 3, "javascript:": 1, "blob:": 1}


def test_urls_that_cannot_be_parsed_are_skipped_and_counted_without_failing_the_page() -> None:
    html = """
        <img src="http://[::1/broken.jpg"><img src="http://example.org:99999/port.jpg">
        <img src="http:///nohost.jpg"><img src="fine.jpg"><img src="   ">"""

    extraction = extract_media(html, PAGE, limit=10)

    assert [reference.url for reference in extraction.media] == [
        "https://example.org/section/fine.jpg"
    ]
    assert extraction.dropped == {"unparseable": 2, "no host": 1}


def test_urls_are_read_as_browsers_read_them_in_spaces_tabs_and_backslashes() -> None:
    html = '<img src="  \\\\cdn.example.net\\a.jpg  "><img src="sp\nlit\t.png">'

    assert urls(html, limit=5) == [
        "https://cdn.example.net/a.jpg",
        "https://example.org/section/split.png",
    ]


def test_broken_srcset_syntax_still_yields_every_url_in_it() -> None:
    assert list(srcset_urls("a.jpg 1x,, b.jpg 2x 3y (junk, more) , c.jpg, d.jpg,")) == [
        "a.jpg",
        "b.jpg",
        "c.jpg",
        "d.jpg",
    ]
    assert list(srcset_urls("one.jpg (unclosed, never.jpg")) == ["one.jpg"]
    assert list(srcset_urls(" , ,, ")) == []


def test_malformed_html_still_yields_the_references_a_browser_would_find() -> None:
    html = '<img src="a.png" <img src=b.png><table><img src="c.png"</td></p></zz><img src=d.png'

    assert urls(html, limit=10) == [
        "https://example.org/section/a.png",
        "https://example.org/section/c.png",
    ]


def test_a_meta_charset_decides_how_the_bytes_are_read() -> None:
    html = '<meta charset="windows-1251"><title>Пример</title><img src="/фото.jpg">'

    extraction = extract_media(html.encode("windows-1251"), PAGE, limit=5)

    assert extraction.title == "Пример"
    assert extraction.media[0].url == "https://example.org/фото.jpg"


def test_the_charset_of_the_content_type_is_used_when_the_caller_passes_it() -> None:
    html = '<title>Caf\xe9</title><img src="caf\xe9.png">'.encode("latin-1")

    extraction = extract_media(html, PAGE, limit=5, encoding="iso-8859-1")

    assert extraction.title == "Café"
    assert extraction.media[0].url == "https://example.org/section/café.png"


def test_an_unknown_charset_falls_back_to_detection() -> None:
    assert urls(b'<img src="x.png">', limit=5, encoding="no-such-charset") == [
        "https://example.org/section/x.png"
    ]


def test_bytes_that_are_not_valid_utf8_do_not_fail_the_page() -> None:
    html = b'<title>\xff\xfe broken \xc3</title><img src="ok.png"><img src="\xe9\xff.png">'

    extraction = extract_media(html, PAGE, limit=5)

    assert "broken" in extraction.title
    assert extraction.media[0].url == "https://example.org/section/ok.png"
    assert len(extraction.media) == 2


def test_a_url_longer_than_the_limit_is_dropped() -> None:
    html = f'<img src="/{"a" * MAX_URL_LENGTH}.jpg"><img src="short.jpg">'

    extraction = extract_media(html, PAGE, limit=5)

    assert [reference.url for reference in extraction.media] == [
        "https://example.org/section/short.jpg"
    ]
    assert extraction.dropped == {"too long": 1}


def test_commas_inside_a_srcset_url_belong_to_the_url_as_in_browsers() -> None:
    srcset = "https://img.example/w_100,h_100/a.jpg 1x, https://img.example/w_200,h_200/a.jpg 2x"

    assert list(srcset_urls(srcset)) == [
        "https://img.example/w_100,h_100/a.jpg",
        "https://img.example/w_200,h_200/a.jpg",
    ]


def test_megabytes_of_hostile_attributes_and_css_are_read_in_well_under_a_second() -> None:
    hostile = [
        "url(" * 250_000,
        "a" * 1_000_000,
        "(" * 1_000_000,
        "background:" + '("' * 300_000,
        "background:" + "url(x.png) " * 100_000,
    ]
    html = "".join(f"<div style='{css}'></div>" for css in hostile)
    html += f'<img srcset="{"a " * 400_000}"><img srcset="x.jpg ({"," * 1_000_000}">'

    # CPU time, not wall time: a busy machine must not fail it, a runaway regex always will.
    started = time.process_time()
    extraction = extract_media(html, PAGE, limit=5)

    assert time.process_time() - started < 1.5
    assert extraction.media[0].url == "https://example.org/section/x.png"


def test_a_page_with_ten_thousand_images_is_capped_fast_and_says_so() -> None:
    html = "<title>Many</title>" + "".join(
        f'<p>Item {n}</p><img src="/i/{n}.jpg" alt="neutral">' for n in range(10_000)
    )

    started = time.process_time()
    extraction = extract_media(html.encode(), PAGE, limit=2000)

    assert time.process_time() - started < 1
    assert len(extraction.media) == 2000
    assert extraction.media[-1].url == "https://example.org/i/1999.jpg"
    assert extraction.media_total == 10_000
    assert extraction.truncated


def test_the_cap_comes_from_the_settings_unless_given(settings) -> None:
    settings.HOTLINE_CAPTURE_MAX_MEDIA_PER_PAGE = 2
    settings.HOTLINE_CAPTURE_MAX_LINKS_PER_PAGE = 1
    html = '<img src="1.png"><img src="2.png"><img src="3.png"><a href="a">a</a><a href="b">b</a>'

    extraction = extract_media(html, PAGE)

    assert (len(extraction.media), extraction.media_total, extraction.truncated) == (2, 3, True)
    assert (extraction.links, extraction.links_total) == (("https://example.org/section/a",), 2)
    assert extraction.links_truncated


def test_a_page_under_the_cap_is_not_truncated() -> None:
    extraction = extract_media('<img src="1.png"><a href="x">x</a>', PAGE, limit=1, link_limit=1)

    assert not extraction.truncated
    assert not extraction.links_truncated


def test_the_title_is_the_first_title_with_its_whitespace_collapsed_and_capped() -> None:
    html = "<title>\n  A   neutral\n title </title><svg><title>not this</title></svg>"

    assert extract_media(html, PAGE, limit=1).title == "A neutral title"
    assert len(extract_media(f"<title>{'x' * 5000}</title>", PAGE, limit=1).title) == 1000
    assert extract_media("<p>untitled</p>", PAGE, limit=1).title == ""


def test_only_background_and_image_declarations_count_as_css_images() -> None:
    css = "a:hover{cursor:url(c)} b{background:url('q.png'), url(\"r.png\")} i{mask-image:url(m)}"

    assert list(css_image_urls(css)) == ["q.png", "r.png", "m"]


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("image/jpeg", MediaKind.IMAGE),
        ("IMAGE/PNG; charset=binary", MediaKind.IMAGE),
        ("video/mp4", MediaKind.VIDEO),
        (" video/webm ;codecs=vp9", MediaKind.VIDEO),
        ("text/html; charset=utf-8", None),
        ("application/octet-stream", None),
        ("", None),
    ],
)
def test_a_response_content_type_says_whether_a_direct_link_is_media(content_type, kind) -> None:
    assert is_media_content_type(content_type) == kind


def test_each_reference_says_what_it_is_and_where_it_was_found() -> None:
    [reference] = extract_media('<video poster="p.png"></video>', PAGE, limit=1).media

    assert reference == MediaReference(
        url="https://example.org/section/p.png", kind=MediaKind.IMAGE, found_in="video poster"
    )
