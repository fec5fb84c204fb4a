"""Merging: a page keyed by title (what the parse worker hands the writer), merged into
existing rows (the import's rules; the SQL is the store's), and two readers' saves of one
note."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from .parse import ParsedPage, ParsedPaper, parse_or_error
from .storage.columns import MERGE_GROUPS
from .storage.values import encode_array
from .textclean import author_search_key, org_search_key

_NOT_WORD = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """The identity of a paper: its title, case- and punctuation-insensitive."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split()) or " ".join(folded.split())


# Fields merged as one (an organisation's handle and name, a date and how the page wrote
# it): the MERGED columns of storage/tables.py.
FIELD_GROUPS = MERGE_GROUPS
MERGED_FIELDS = tuple(name for group in FIELD_GROUPS for name in group)
_GROUP_READERS = tuple((group, attrgetter(*group), itemgetter(*group)) for group in FIELD_GROUPS)
_TRUNCATION_MARKS = ("...", "…")
# Carried from a saved web page or the API: gaps filled when a page lists a paper twice.
RICH_FIELDS = ParsedPaper._fields[ParsedPaper._fields.index("links") + 1 :]


ARXIV_KEY = "arxiv:"  # starts an identity key; a title key never holds a colon
_VERSION = re.compile(r"v[0-9]+$")


def arxiv_key(arxiv_id: str) -> str:
    """An arXiv id as identity: its version suffix (``v2``) ignored."""
    return _VERSION.sub("", arxiv_id.strip())


def identity_key(paper: ParsedPaper) -> str:
    """What makes two listings one paper: its arXiv id when known, else its title key."""
    return ARXIV_KEY + arxiv_key(paper.arxiv_id) if paper.arxiv_id else title_key(paper.title)


def paper_title_key(key: str, paper: ParsedPaper) -> str:
    """The title key of a paper keyed by ``identity_key`` (computed once for most papers)."""
    return title_key(paper.title) if key.startswith(ARXIV_KEY) else key


def distinct_title_key(key: str, arxiv_id: str) -> str:
    """The title key of a paper whose title another paper (another arXiv id) holds:
    both are kept, and title keys are unique. It starts with the title's, so a search
    by the title's start still finds it."""
    return f"{key} {ARXIV_KEY}{arxiv_id}"


def dedupe_by_key(papers: Sequence[ParsedPaper]) -> dict[str, ParsedPaper]:
    """A page that lists a paper twice (one arXiv id, or one title key without an id)
    yields one paper: the earlier listing, with what it lacks filled from the later one,
    and never a cut-off or emptier copy of either. Keyed by ``identity_key``."""
    merged: dict[str, ParsedPaper] = {}
    for paper in papers:
        key = identity_key(paper)
        if paper.arxiv_id and paper.arxiv_id != key[len(ARXIV_KEY) :]:
            paper = paper._replace(arxiv_id=key[len(ARXIV_KEY) :])
        earlier = merged.get(key)
        if earlier is None:
            merged[key] = paper
        elif paper[1:] != earlier[1:]:  # a listing that differs beyond the title
            changes = merged_fields(earlier._asdict(), paper, newer=False)
            if "abstract" in changes:
                changes["links"] = paper.links
            for name in RICH_FIELDS:  # what a saved page carries: gaps filled
                if _is_empty(getattr(earlier, name)) and not _is_empty(getattr(paper, name)):
                    changes[name] = getattr(paper, name)
            if changes:
                merged[key] = earlier._replace(**changes)
    return merged


def merged_fields(stored: Mapping[str, Any], paper: ParsedPaper, *, newer: bool) -> dict[str, Any]:
    """The fields of ``stored`` that ``paper`` replaces, a group of fields at a time.

    A value fills an empty one. A fuller copy (the stored text is a cut-off prefix of
    it, or the stored group lacks a field it has) replaces the stored one whatever its
    age; otherwise the newer listing wins, unless its copy is the cut-off or emptier
    one. So a merge never replaces text with a shorter prefix of itself, nor a value
    with an emptier one.
    """
    changes: dict[str, Any] = {}
    for group, of_paper, of_stored in _GROUP_READERS:
        incoming, current = of_paper(paper), of_stored(stored)
        if incoming == current:
            continue
        if len(group) == 1:
            incoming, current = (incoming,), (current,)
        replace = _replaces(incoming, current, newer)
        for name, new, old in zip(group, incoming, current, strict=True):
            if new != old and (replace or (_is_empty(old) and not _is_empty(new))):
                changes[name] = new
    return changes


def _replaces(incoming: tuple[Any, ...], current: tuple[Any, ...], newer: bool) -> bool:
    if all(_is_empty(value) for value in incoming):
        return False
    if any(_degrades(new, old) for new, old in zip(incoming, current, strict=True)):
        return False
    if any(_degrades(old, new) for new, old in zip(incoming, current, strict=True)):
        return True
    return newer


def _degrades(new: Any, old: Any) -> bool:
    """Whether ``new`` in place of ``old`` loses something: it is empty where ``old`` is
    not, or it is ``old`` cut off (a shorter prefix of it, whitespace aside, maybe
    ending in an ellipsis), or it has more U+FFFD replacement characters."""
    if _is_empty(old):
        return False
    if _is_empty(new):
        return True
    if not isinstance(new, str) or not isinstance(old, str):
        return False
    if new.count("\ufffd") > old.count("\ufffd"):
        return True
    cut = " ".join(new.split())
    for mark in _TRUNCATION_MARKS:
        cut = cut.removesuffix(mark).rstrip()
    full = " ".join(old.split())
    return len(cut) < len(full) and full.startswith(cut)


def _is_empty(value: Any) -> bool:
    """No value: None, blank text, an empty list, or False (a text page cannot say a
    paper was withdrawn, so its False is "unknown", never news)."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value is False or value == ()


class KeyedPage(NamedTuple):
    """A parsed page with its papers deduplicated (``dedupe_by_key``), each with its
    title key, ready for the writer.

    Keyed beside the parse (in the worker process, for a large batch), so the one
    writer only writes: keying 100,000 titles takes about 0.3 s.
    """

    page: ParsedPage
    papers: list[tuple[str, ParsedPaper]]  # (title key, paper)


def key_page(page: ParsedPage) -> KeyedPage:
    papers = dedupe_by_key(page.papers)
    return KeyedPage(page, [(paper_title_key(key, paper), paper) for key, paper in papers.items()])


def read_keyed_or_error(path: Path, today: date) -> KeyedPage | str:
    """``parse_or_error``, keyed: what the parse worker returns."""
    parsed = parse_or_error(path, today)
    return parsed if isinstance(parsed, str) else key_page(parsed)


def merge(
    row: dict[str, Any], paper: ParsedPaper, listed_on: str, *, retitle: bool = False
) -> dict[str, Any]:
    """Field changes that merging ``paper`` into ``row`` makes (lists as tuples).

    A field one listing has and the other lacks is kept; where both have it, the newer
    listing wins, but never with a cut-off or emptier copy of what is stored (see
    ``merged_fields``). The reader's own fields (star, note, status) are never touched,
    and an arXiv id, once known, stays. With ``retitle`` (matched by arXiv id, and the
    new title's key free) the title follows the newer listing.
    """
    newer = row["listed_on"] is None or listed_on >= row["listed_on"]
    changes = merged_fields(row, paper, newer=newer)
    if row.get("arxiv_id"):
        changes.pop("arxiv_id", None)
    if retitle and newer and paper.title != row["title"]:
        changes["title"] = paper.title
        changes["title_key"] = title_key(paper.title)
    if changes.keys() & _LINK_SOURCES:
        changes.update(_merged_links(row, changes, paper))
    if "author_names" in changes:  # kept as ``author:`` compares them
        changes["author_key"] = author_search_key(encode_array(changes["author_names"]))
    if "org" in changes or "org_id" in changes:  # and as ``org:`` does
        merged = {**row, **changes}
        changes["org_key"] = org_search_key(merged["org"], merged["org_id"])
    if newer and changes and listed_on != row["listed_on"]:
        changes["listed_on"] = listed_on
    return changes


_LINK_SOURCES = {"abstract", "github_repo", "project_page"}


def _merged_links(
    row: Mapping[str, Any], changes: Mapping[str, Any], paper: ParsedPaper
) -> dict[str, Any]:
    """The links after a merge: the code repository and project page the merged row
    has, then the links of its abstract (the incoming one's, if that replaced ours).
    So a later text page, which knows no repository, never drops it."""
    merged = {**row, **changes}
    found = paper.links if "abstract" in changes else row["links"]
    links = tuple(
        dict.fromkeys(
            link for link in (merged["github_repo"], merged["project_page"], *found) if link
        )
    )
    return {} if links == row["links"] else {"links": links, "link_count": len(links)}


def merge_notes(mine: str, base: str | None, theirs: str, saved_at: str) -> str:
    """The note to store when ``mine`` was written over ``base`` and ``theirs`` is stored now.

    If another reader saved in between (``theirs`` is not ``base``), their text is kept
    under a marked line below ours instead of being overwritten: no save is lost.
    ``base`` None means a deliberate replace.
    """
    if base is None or theirs in (base, mine) or not theirs.strip():
        return mine
    if mine == base:  # we changed nothing; they did
        return theirs
    if _kept_already(mine, theirs):  # merged once, and we saved again over a stale base
        return mine
    marker = KEPT_MARKER.format(saved_at=saved_at)
    return f"{mine}\n\n{marker}\n{theirs}" if mine else f"{marker}\n{theirs}"


KEPT_MARKER = "--- kept from another reader's save (found at {saved_at}) ---"
_KEPT_LINE = re.compile(
    "^" + re.escape(KEPT_MARKER).replace(re.escape("{saved_at}"), r"[^\n]*") + "\n", re.MULTILINE
)


def _kept_already(mine: str, theirs: str) -> bool:
    """Whether ``theirs`` stands in ``mine`` right under a marker line: kept by an earlier
    merge. Their text merely occurring in ours (a word, a line we both wrote) is not that,
    and is kept again rather than lost."""
    return any(mine.startswith(theirs, line.end()) for line in _KEPT_LINE.finditer(mine))
