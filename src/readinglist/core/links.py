"""Finding the code and project links inside an abstract, and deciding which links are safe."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["extract_links", "is_web_link"]

# A URL runs until whitespace or a character that wraps it in LaTeX, Markdown or prose:
# braces (``\url{…}``, ``\href{…}{…}``), square brackets, angle brackets, quotes, pipes.
_URL = re.compile(r"""https?://[A-Za-z0-9][^\s<>"'`{}|\\^\[\]]*""", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?*~"


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
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def _trim(url: str) -> str:
    """Drop trailing punctuation and closing brackets that belong to the prose around a URL."""
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCTUATION or (last == ")" and url.count("(") < url.count(")")):
            url = url[:-1]
        else:
            break
    return url
