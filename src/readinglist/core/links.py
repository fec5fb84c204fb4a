"""Finding the code and project links inside an abstract, and deciding which links are safe."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["extract_links", "is_web_link"]

# A URL runs until whitespace or a character that wraps it in LaTeX, Markdown or prose:
# braces (``\url{…}``, ``\href{…}{…}``), square brackets, angle brackets, quotes, pipes.
_URL = re.compile(r"""https?://[A-Za-z0-9][^\s<>"'`{}|\\^\[\]]*""", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?*~"
_NETLOC_END = re.compile("[/?#]")
_LONGEST_NETLOC = 512  # user, password, a host (at most 253) and a port


def extract_links(text: str) -> tuple[str, ...]:
    """Every http(s) URL in ``text``, in order, without duplicates or wrappers."""
    if "://" not in text:
        return ()
    links: dict[str, None] = {}
    for match in _URL.finditer(text):
        url = _trim(match.group(0))
        if is_web_link(url):
            links.setdefault(url, None)
    return tuple(links)


def is_web_link(url: str) -> bool:
    """Only http(s) links with a host are ever opened or copied."""
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
