"""A Daily Papers listing as the Structs ``hf_items`` reads: only the fields it reads.

The listing is mostly furniture never read (ids, avatars, media links, the submitter).
msgspec decodes a saved page's listing straight into these Structs, skipping the rest
without making Python objects: in about a third of the time ``json.loads`` takes, and
the papers are read from them faster than from dicts. ``json.loads`` stays the
reference: a listing msgspec refuses (a raw control character, ``NaN``, a lone
surrogate escape, a field of a shape not declared here, an item without its paper,
broken JSON) is read again by ``hf_pages`` with ``json.loads``, and what that makes
becomes the same Structs by ``item_of``, so it reads exactly as before, errors included
(msgspec's messages are never shown). One difference, on purpose: an integer of more
than 4,300 digits in a field never read is skipped, where ``json.loads`` refuses the
whole page.

Every field is typed ``Any`` except the containers ``hf_items`` walks (and an item's
own copies of its paper's fields, kept undecoded: see ``Item``), so a value of the
wrong type reaches it as it would from ``json.loads`` and reads as missing there.
No Struct takes part in garbage collection (``gc=False``): JSON makes no cycles.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec

__all__ = [
    "Author",
    "Item",
    "Listing",
    "Organization",
    "Paper",
    "UndecodedField",
    "decode_listing",
    "item_of",
]


class Author(msgspec.Struct, gc=False):
    name: Any = None


class Organization(msgspec.Struct, gc=False):
    name: Any = None  # the handle
    fullname: Any = None


class Paper(msgspec.Struct, gc=False):
    """The fields ``hf_items.paper_from_item`` reads of an item's paper (or of a paper object)."""

    id: Any = None
    title: Any = None
    summary: Any = None
    ai_summary: Any = None
    ai_keywords: Any = None
    authors: list[Author] | None = None
    organization: Organization | None = None
    submittedOnDailyAt: Any = None
    githubRepo: Any = None
    githubStars: Any = None
    projectPage: Any = None
    upvotes: Any = None
    withdrawnAt: Any = None


_NULL = msgspec.Raw(b"null")


class Item(msgspec.Struct, gc=False):
    """An item: its paper, and the item's own copies of what the paper may lack.

    The copies are rarely read (only where the paper lacks the field), so the decoder
    keeps them undecoded (``msgspec.Raw``): an item's summary repeats its paper's, a
    quarter of the listing's text. ``item_of`` sets them as ``json.loads`` made them;
    the ``own_*`` methods read either.
    """

    paper: Paper
    title: msgspec.Raw = _NULL  # (or, made by ``item_of``, any value ``json.loads`` makes)
    summary: msgspec.Raw = _NULL
    organization: msgspec.Raw = _NULL

    def own_title(self) -> Any:
        return _decoded(self.title, _any_decoder())

    def own_summary(self) -> Any:
        return _decoded(self.summary, _any_decoder())

    def own_organization(self) -> Organization | None:
        value: Any = self.organization
        if type(value) is msgspec.Raw:
            decoded: Organization | None = _decoded(value, _organization_decoder())
            return decoded
        return _organization_of(value)


class UndecodedField(Exception):
    """An item's own copy of a field that msgspec refuses, found when it is read: the
    listing is then read by ``json.loads``, as one msgspec refuses whole is."""


class Listing(msgspec.Struct, gc=False):
    dailyPapers: list[Item]
    dateString: Any = None
    periodType: Any = None


@cache
def _decoder() -> msgspec.json.Decoder[Listing]:
    return msgspec.json.Decoder(Listing)


def decode_listing(props: bytes | bytearray | str) -> Listing | None:
    """The listing with only the fields read, or None where msgspec refuses it
    (``json.loads`` then decides)."""
    try:
        return _decoder().decode(props)
    except (msgspec.DecodeError, ValueError, RecursionError):
        return None


_PAPER_FIELDS = tuple(name for name in Paper.__struct_fields__ if name != "authors")


def item_of(value: Any) -> Item | None:
    """An item as ``json.loads`` made it (or a paper object), as the Structs the decoder
    makes; None for a value that is not a JSON object. What the decoder would refuse
    is made harmless instead: a field of the wrong shape reads as missing, an author
    that is not an object is left out, and an item without its paper is read as one."""
    if not isinstance(value, dict):
        return None
    paper = value.get("paper")
    if not isinstance(paper, dict):
        paper = value  # a paper object, or an item without its paper part
    fields = {name: paper.get(name) for name in _PAPER_FIELDS}
    fields["organization"] = _organization_of(fields["organization"])
    authors = paper.get("authors")
    if isinstance(authors, list):
        fields["authors"] = [
            Author(entry.get("name")) for entry in authors if isinstance(entry, dict)
        ]
    # the item's own copies as json.loads made them, where the decoder keeps them raw
    own: Any = (value.get("title"), value.get("summary"), value.get("organization"))
    return Item(Paper(**fields), *own)


def _decoded(value: Any, decoder: msgspec.json.Decoder[Any]) -> Any:
    """A field the decoder kept undecoded, decoded as the listing's decoder would have
    (an unread field of an organisation skipped); any other value as it is.

    Raises:
        UndecodedField: msgspec refuses it.
    """
    if type(value) is not msgspec.Raw:
        return value
    if value is _NULL:  # the item has no such field
        return None
    try:
        return decoder.decode(value)
    except (msgspec.DecodeError, ValueError, RecursionError) as error:
        raise UndecodedField from error


@cache
def _any_decoder() -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder()


@cache
def _organization_decoder() -> msgspec.json.Decoder[Organization | None]:
    return msgspec.json.Decoder(Organization | None)


def _organization_of(value: Any) -> Organization | None:
    if not isinstance(value, dict):
        return None
    return Organization(value.get("name"), value.get("fullname"))
