"""Finding the code and project links inside an abstract, and deciding which links are safe."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

__all__ = ["extract_links", "is_web_link"]

# A URL runs until whitespace or a character that wraps it in LaTeX, Markdown or prose:
# braces (``\url{…}``, ``\href{…}{…}``), square brackets, angle brackets, quotes, pipes.
_URL = re.compile(r"""https?://[A-Za-z0-9][^\s<>"'`{}|\\^\[\]]*""", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?*~"
_NETLOC_END = re.compile("[/?#]")
_LONGEST_NETLOC = 512  # user, password, a host (at most 253) and a port
_MOST_MISSES = 16  # a "://" that starts no URL: after this many, the pattern reads the rest
# An http(s) link that ``urlsplit`` reads as one, in its commonest shape: a plain host
# name (no user, port or brackets, short enough), then a path, query or fragment.
_PLAIN_WEB_LINK = re.compile(r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})(?:[/?#]\S*)?")


def extract_links(text: str) -> tuple[str, ...]:
    """Every http(s) URL in ``text``, in order, without duplicates or wrappers."""
    links: dict[str, None] = {}
    for match in _urls(text):
        url = _trim(match.group(0))
        if is_web_link(url):
            links.setdefault(url, None)
    return tuple(links)


def _urls(text: str) -> Iterator[re.Match[str]]:
    """What ``_URL.finditer(text)`` finds, found faster.

    Tried at every character, the case-blind pattern costs a regex step each, while
    every URL holds "://" right after its four- or five-letter scheme, and those are
    found at memory speed. The pattern still decides (case, and the ſ that matches s),
    tried at the two places a scheme ending at a "://" can start: so the same URLs, in
    the same order. Text with many a "://" that starts no URL is left to the pattern
    (a Python step for each would cost more).
    """
    position = 0  # where the last URL ended: the next starts at or after it
    misses = 0
    # Every "://", searched for from the first ":" (rare in prose, and found by memchr:
    # a search for "://" takes twenty times as long).
    separator = text.find(":")
    if separator >= 0:
        separator = text.find("://", separator)
    while separator >= 0:
        match = _url_ending_scheme_at(text, separator, position)
        if match is None:
            misses += 1
            if misses > _MOST_MISSES:
                yield from _URL.finditer(text, position)
                return
            separator = text.find("://", separator + 1)
            continue
        yield match
        position = match.end()
        separator = text.find("://", position)


def _url_ending_scheme_at(text: str, separator: int, position: int) -> re.Match[str] | None:
    """The URL whose scheme ends at the "://" at ``separator``, starting at or after
    ``position``, if there is one."""
    for start in (separator - 5, separator - 4):  # "https", then "http"
        if start >= position:
            match = _URL.match(text, start)
            if match is not None:
                return match
    return None


def is_web_link(url: str) -> bool:
    """Only http(s) links with a host are ever opened or copied."""
    if _PLAIN_WEB_LINK.fullmatch(url):  # most links: no urlsplit, which takes longer
        return True
    if len(url) > _LONGEST_NETLOC:  # a host that long is no host, and urlsplit would NFKC it
        netloc = _NETLOC_END.split(url.partition("://")[2], maxsplit=1)[0]
        if len(netloc) > _LONGEST_NETLOC:
            return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def _trim(url: str) -> str:
    """Drop trailing punctuation and closing brackets that belong to the prose around a URL.

    A ``)`` is kept while the URL opens as many brackets as it closes, as in
    ``https://en.wikipedia.org/wiki/Foo_(bar)``; counted once, so linear in the URL.
    """
    if not url or (url[-1] not in _TRAILING_PUNCTUATION and url[-1] != ")"):
        return url  # most links
    unmatched = url.count(")") - url.count("(")
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING_PUNCTUATION:
            end -= 1
        elif last == ")" and unmatched > 0:
            end -= 1
            unmatched -= 1
        else:
            break
    return url[:end]
