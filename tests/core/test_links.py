"""Property tests: ``extract_links`` finds what matching its URL pattern at every character
finds (how it found links before it looked for "://" first), and ``is_web_link`` says
what ``urlsplit`` says (before it knew the plain links ``urlsplit`` accepts)."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from readinglist.core.links import _LONGEST_NETLOC, _URL, _trim, extract_links, is_web_link

# Pieces that make and break URLs: schemes in any case (ſ matches s case-blind), their
# separator, whole and cut, hosts, wrappers and the punctuation trimmed after a URL.
PIECES = (
    "http",
    "https",
    "HTTPS",
    "hTtP",
    "httpſ",
    "xhttp",
    "://",
    ":/",
    ":",
    "/",
    "//",
    "a",
    "K",
    "ſ",
    "example.org",
    "-",
    ".",
    ",",
    ")",
    "(",
    "{",
    "}",
    "<",
    ">",
    '"',
    " ",
    "\n",
    "?q=1",
    "#f",
    "é",
)


def links_by_scanning_every_character(text: str) -> tuple[str, ...]:
    links: dict[str, None] = {}
    for match in _URL.finditer(text):
        url = _trim(match.group(0))
        if is_web_link(url):
            links.setdefault(url, None)
    return tuple(links)


texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=40).map("".join)


@given(texts)
def test_links_found_are_those_the_pattern_finds_at_every_character(text):
    assert extract_links(text) == links_by_scanning_every_character(text)


def test_links_in_a_row_and_one_inside_another():
    text = "HTTPſ://a.org/x?u=http://b.org https://c.org,http://d.orghttps://e.org xhttp://f.org"
    assert extract_links(text) == links_by_scanning_every_character(text)
    assert extract_links(text) == (  # ſ matches, but no browser reads it as https
        "https://c.org,http://d.orghttps://e.org",
        "http://f.org",
    )


@given(texts)
def test_links_after_many_a_scheme_less_separator_are_those_the_pattern_finds(text):
    """Past a few "://" that start no URL, the pattern reads the rest: still the same."""
    text = "http://a.org/1 " + ":// x" * 20 + text + " HTTPS://b.org/2"
    assert extract_links(text) == links_by_scanning_every_character(text)


def web_link_by_urlsplit(url: str) -> bool:
    assert len(url) <= _LONGEST_NETLOC  # shorter than is_web_link's limit on hosts
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


@given(texts)
def test_a_web_link_is_what_urlsplit_reads_as_one(text):
    assert is_web_link(text) == web_link_by_urlsplit(text)
    for link in (f"https://{text}", f"http://a{text}", f"https://a.org/{text}"):
        assert is_web_link(link) == web_link_by_urlsplit(link)
