"""Whether a text without a Daily Papers listing's header and metadata can still be a
piece of one, and if not, why: so a README, notes or other Markdown beside the pages
never becomes papers.

Every saved page has one or the other: a page copied whole starts with the listing's
header ("Daily Papers", "Subscribe"), and in the spaced layout each paper ends with its
metadata ("3 authors", "Jul 7 12"). Without either, the text can only be a piece of the
compact layout: titles and abstracts on alternate lines, no blank lines, no Markdown.
"""

from __future__ import annotations

import re

__all__ = ["why_not_a_listing"]

_NO_LISTING_MARKS = 'no listing header ("Daily Papers") or paper metadata ("3 authors")'
_MARKDOWN_HEADING = re.compile(r"#{1,6}(?:\s|$)")
_LIST_ITEM = re.compile(r"(?:[-*+•]|\d{1,9}[.)])\s")


def why_not_a_listing(
    body: list[str], start: int, layout: str, *, reads_as_papers: bool
) -> str | None:
    """Why ``body`` (stripped lines, the text's from index ``start`` on), a text without
    the listing's header and metadata, is not a piece of a listing; None if it may be.

    ``layout`` is the parser's ("spaced" when blank lines separate the lines), and
    ``reads_as_papers`` whether its titles read as titles and its abstracts as abstracts.
    One pass over the lines: linear time.
    """
    for number, line in enumerate(body, start=start + 1):
        kind = _markdown_kind(line)
        if kind:
            return f"line {number} is {kind}, and there is {_NO_LISTING_MARKS}"
    if layout == "spaced":
        return f"prose in paragraphs, with {_NO_LISTING_MARKS}"
    if not reads_as_papers:
        return f"{_NO_LISTING_MARKS}, and the lines do not read as titles and abstracts"
    return None


def _markdown_kind(line: str) -> str | None:
    """What Markdown structure ``line`` (stripped) is, if it is one a listing never has."""
    if _MARKDOWN_HEADING.match(line):
        return "a Markdown heading"
    if line.startswith(("```", "~~~")):
        return "a code fence"
    if _LIST_ITEM.match(line):
        return "a list item"
    if len(line) > 1 and line.startswith("|") and line.endswith("|"):
        return "a table row"
    if line.startswith("> "):
        return "a quotation"
    return None
