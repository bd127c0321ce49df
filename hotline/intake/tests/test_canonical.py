"""Every way of writing one page gives one canonical url; anything else is refused with a reason."""

import pytest

from hotline.intake.canonical import CanonicalUrl, InvalidUrl, canonicalise

SAME_PAGE = [
    # (typed, canonical)
    ("http://example.com/", "http://example.com/"),
    ("  http://example.com/page  ", "http://example.com/page"),
    ("\thttp://example.com/page\r\n", "http://example.com/page"),
    ("HTTP://EXAMPLE.COM/Page", "http://example.com/Page"),
    ("HtTpS://Example.Org/", "https://example.org/"),
    ("http://example.com", "http://example.com/"),
    ("www.example.com/page", "http://www.example.com/page"),
    ("example.com", "http://example.com/"),
    ("//example.com/page", "http://example.com/page"),
    ("example.com:8080/page", "http://example.com:8080/page"),
    ("localhost:8000/page", "http://localhost:8000/page"),
    ("127.0.0.1:8000/page", "http://127.0.0.1:8000/page"),
    ("http://example.com:80/", "http://example.com/"),
    ("https://example.com:443/", "https://example.com/"),
    ("http://example.com:443/", "http://example.com:443/"),
    ("https://example.com:80/", "https://example.com:80/"),
    ("http://example.com:/", "http://example.com/"),
    ("http://example.com:0080/", "http://example.com/"),
    ("http://example.com./", "http://example.com/"),
    ("http://user:secret@example.com/", "http://example.com/"),
    ("http://example.net@example.com/", "http://example.com/"),
    ("http://example.com/a/./b/../c", "http://example.com/a/c"),
    ("http://example.com/a/b/..", "http://example.com/a/"),
    ("http://example.com/../../a", "http://example.com/a"),
    ("http://example.com/a/%2e%2E/b", "http://example.com/b"),
    ("http://example.com/a//b", "http://example.com/a//b"),
    ("http://example.com/%7euser/%41", "http://example.com/~user/A"),
    ("http://example.com/a%2fb", "http://example.com/a%2Fb"),
    ("http://example.com/100%", "http://example.com/100%25"),
    ("http://example.com/%zz", "http://example.com/%25zz"),
    ("http://example.com/ü", "http://example.com/%C3%BC"),
    ('http://example.com/a|b"c<d>', "http://example.com/a%7Cb%22c%3Cd%3E"),
    ("http://example.com/?q=a+b&x=%2f", "http://example.com/?q=a+b&x=%2F"),
    ("http://example.com/page#section", "http://example.com/page"),
    ("http://example.com/page?#", "http://example.com/page"),
    ("http://example.com/?a=1&&b=2", "http://example.com/?a=1&b=2"),
    ("http://example.com/?b=2&a=1", "http://example.com/?b=2&a=1"),
    ("http://example.com/?utm_source=x&id=7&utm_medium=y", "http://example.com/?id=7"),
    ("http://example.com/?UTM_Campaign=x&id=7", "http://example.com/?id=7"),
    ("http://example.com/?fbclid=1&gclid=2&dclid=3&msclkid=4", "http://example.com/"),
    ("http://example.com/?mc_cid=1&mc_eid=2&igshid=3&_ga=4&yclid=5", "http://example.com/"),
    ("http://example.com/?%75tm_source=x&id=7", "http://example.com/?id=7"),
    ("http://example.com/?id=7#utm_source=x", "http://example.com/?id=7"),
    ("http://bücher.example/", "http://xn--bcher-kva.example/"),
    ("http://BÜCHER.example/", "http://xn--bcher-kva.example/"),
    ("http://例え.テスト/", "http://xn--r8jz45g.xn--zckzah/"),
    ("http://xn--bcher-kva.example/", "http://xn--bcher-kva.example/"),
    ("http://b%C3%BCcher.example/", "http://xn--bcher-kva.example/"),
    ("http://2130706433/", "http://127.0.0.1/"),
    ("http://0x7f.0.0.1/", "http://127.0.0.1/"),
    ("http://0177.0.0.1/", "http://127.0.0.1/"),
    ("http://127.1/", "http://127.0.0.1/"),
    ("http://[0:0:0:0:0:0:0:1]:8080/", "http://[::1]:8080/"),
    ("http://[2001:DB8::1]/", "http://[2001:db8::1]/"),
    ("http:\\\\example.com\\a\\b", "http://example.com/a/b"),
    ("http:example.com/page", "http://example.com/page"),
    ("https:///example.com/page", "https://example.com/page"),
    ("http://under_score.example.com/", "http://under_score.example.com/"),
]


@pytest.mark.parametrize(("typed", "canonical"), SAME_PAGE)
def test_typed_address_becomes_its_canonical_url(typed, canonical):
    assert canonicalise(typed).url == canonical


@pytest.mark.parametrize(("typed", "canonical"), SAME_PAGE)
def test_canonical_url_is_its_own_canonical_form(typed, canonical):
    assert canonicalise(canonical).url == canonical


def test_canonical_url_names_its_host():
    assert canonicalise("https://Sub.Example.com:8443/x") == CanonicalUrl(
        url="https://sub.example.com:8443/x", host="sub.example.com"
    )


REFUSED = [
    # (typed, words the message must contain)
    ("", "Enter a web address"),
    ("   ", "Enter a web address"),
    ("javascript:alert(1)", "http:// or https://"),
    ("JavaScript:alert(document.cookie)", "http:// or https://"),
    ("data:text/html,<script>alert(1)</script>", "http:// or https://"),
    ("file:///etc/passwd", "http:// or https://"),
    ("ftp://example.com/file", "http:// or https://"),
    ("mailto:someone@example.com", "http:// or https://"),
    ("vbscript:msgbox", "http:// or https://"),
    ("http://exa mple.com/", "spaces or invisible control characters"),
    ("http://example.com/a b", "spaces or invisible control characters"),
    ("http://example.com/\x00", "spaces or invisible control characters"),
    ("http://example.com/\x1b[31m", "spaces or invisible control characters"),
    ("http://example.com/\x7f", "spaces or invisible control characters"),
    ("java\tscript:alert(1)", "spaces or invisible control characters"),
    ("http://example.com/\u200b", "spaces or invisible control characters"),
    ("http://example.com/\u202egpj.exe", "spaces or invisible control characters"),
    ("http://example.com/a\u00a0b", "spaces or invisible control characters"),
    ("http://example.com/\ud800", "spaces or invisible control characters"),
    ("http://", "no site name"),
    ("http:///", "no site name"),
    ("http://user@/page", "no site name"),
    ("http://?q=1", "no site name"),
    ("http://exa<mple.com/", "site name in this address is not valid"),
    ("http://a..b.example/", "site name in this address is not valid"),
    ("http://.example.com/", "site name in this address is not valid"),
    ("http://-/", "site name in this address is not valid"),
    ("http://" + "a" * 64 + ".example/", "site name in this address is not valid"),
    ("http://example.999/", "site name in this address is not valid"),
    ("http://256.0.0.1/", "site name in this address is not valid"),
    ("http://1.2.3.4.5/", "site name in this address is not valid"),
    ("http://08.0.0.1/", "site name in this address is not valid"),
    ("http://[::1/", "site name in this address is not valid"),
    ("http://[::g]/", "site name in this address is not valid"),
    ("http://[fe80::1%25eth0]/", "site name in this address is not valid"),
    ("http://[::1]x/", "site name in this address is not valid"),
    ("http://%FF.example/", "site name in this address is not valid"),
    ("http://example.com:99999/", "port number"),
    ("http://example.com:8o/", "port number"),
    ("http://example.com:-1/", "port number"),
    ("http://example.com:٨٠/", "port number"),
]


@pytest.mark.parametrize(("typed", "reason"), REFUSED)
def test_address_that_is_not_a_web_page_is_refused_with_a_reason(typed, reason):
    with pytest.raises(InvalidUrl) as refused:
        canonicalise(typed)
    assert reason in str(refused.value.message)


def test_refusal_is_a_value_error():
    with pytest.raises(ValueError, match="http:// or https://"):
        canonicalise("javascript:void(0)")


def test_address_longer_than_the_limit_is_refused():
    typed = "http://example.com/" + "a" * (2048 - len("http://example.com/") + 1)
    with pytest.raises(InvalidUrl, match="longer than 2048 characters"):
        canonicalise(typed, max_length=2048)


def test_address_at_the_limit_is_accepted():
    typed = "http://example.com/" + "a" * (2048 - len("http://example.com/"))
    assert canonicalise(typed, max_length=2048).url == typed


def test_address_that_grows_past_the_limit_when_encoded_is_refused():
    typed = "http://example.com/" + "ü" * 700
    with pytest.raises(InvalidUrl, match="longer than 2048 characters"):
        canonicalise(typed, max_length=2048)
