"""Merging: a page keyed by title (what the parse worker hands the writer), merged into
existing rows (the import's rules and bulk SQL), and two readers' saves of one note."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from .parse import ParsedPage, ParsedPaper, parse_or_error

_NOT_WORD = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """The identity of a paper: its title, case- and punctuation-insensitive."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split()) or " ".join(folded.split())


MERGED_FIELDS = ("abstract", "authors", "org", "org_id", "date", "date_text", "upvotes")
# Carried from a saved web page or the API, not stored yet: kept when a page lists a paper twice.
RICH_FIELDS = ParsedPaper._fields[ParsedPaper._fields.index("links") + 1 :]


def dedupe_by_key(papers: Sequence[ParsedPaper]) -> dict[str, ParsedPaper]:
    """A page that lists a paper twice yields one paper, the later listing filling gaps."""
    merged: dict[str, ParsedPaper] = {}
    for paper in papers:
        key = title_key(paper.title)
        earlier = merged.get(key)
        if earlier is None:
            merged[key] = paper
        else:
            filled = {
                name: getattr(earlier, name)
                if getattr(earlier, name) not in (None, "", ())
                else getattr(paper, name)
                for name in (*MERGED_FIELDS, *RICH_FIELDS)
            }
            merged[key] = earlier._replace(**filled)
    return merged


class KeyedPage(NamedTuple):
    """A parsed page with its papers deduplicated by title key, ready for the writer.

    Keyed beside the parse (in the worker process, for a large batch), so the one
    writer only writes: keying 100,000 titles takes about 0.3 s.
    """

    page: ParsedPage
    papers: dict[str, ParsedPaper]


def key_page(page: ParsedPage) -> KeyedPage:
    return KeyedPage(page, dedupe_by_key(page.papers))


def read_keyed_or_error(path: Path, today: date) -> KeyedPage | str:
    """``parse_or_error``, keyed: what the parse worker returns."""
    parsed = parse_or_error(path, today)
    return parsed if isinstance(parsed, str) else key_page(parsed)


FETCHED_COLUMNS = ("id", "title_key", "listed_on", "links", "link_count", *MERGED_FIELDS)
NEW_ROW_COLUMNS = (
    "id",
    "title_key",
    "title",
    "abstract",
    "authors",
    "org",
    "org_id",
    "date",
    "date_text",
    "upvotes",
    "listed_on",
    "links",
    "link_count",
    "starred",
    "note",
    "status",
    "added_at",
    "updated_at",
)
INDEX_NEW_SQL = (
    "INSERT INTO paper_fts (rowid, title, org, note, abstract) "
    "SELECT id, title, org, note, abstract FROM paper WHERE id >= ?"
)
UPDATED_COLUMNS = (*MERGED_FIELDS, "links", "link_count", "listed_on", "updated_at")
INSERT_SQL = (
    f"INSERT INTO paper ({', '.join(NEW_ROW_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(NEW_ROW_COLUMNS))})"
)
UPDATE_SQL = "UPDATE paper SET {} WHERE id = ?".format(
    ", ".join(f"{name} = ?" for name in UPDATED_COLUMNS)
)


def fetch_by_keys(raw: Any, keys: list[str]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    select_sql = f"SELECT {', '.join(FETCHED_COLUMNS)} FROM paper WHERE title_key IN "
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for row in raw.execute(select_sql + f"({', '.join('?' * len(chunk))})", chunk):
            values = dict(zip(FETCHED_COLUMNS, row, strict=True))
            rows[values["title_key"]] = values
    return rows


def new_row(paper_id: int, key: str, paper: ParsedPaper, listed_on: str, now: str) -> tuple:
    return (
        paper_id,
        key,
        paper.title,
        paper.abstract,
        paper.authors,
        paper.org,
        paper.org_id,
        paper.date,
        paper.date_text,
        paper.upvotes,
        listed_on,
        encode_links(paper.links),
        len(paper.links),
        False,
        "",
        "unread",
        now,
        now,
    )


def encode_links(links: tuple[str, ...]) -> str:
    """The ``links`` column (``PaperRecord.decode_links`` reads it back)."""
    return json.dumps(list(links)) if links else "[]"  # most papers: skip the encoder


def merge(row: dict[str, Any], paper: ParsedPaper, listed_on: str) -> dict[str, Any]:
    """Field changes that merging ``paper`` into ``row`` makes.

    A field one listing has and the other lacks is kept; where both have it, the newer
    listing wins. The reader's own fields (star, note, status) are never touched.
    """
    newer = row["listed_on"] is None or listed_on >= row["listed_on"]
    changes: dict[str, Any] = {}
    for name in MERGED_FIELDS:
        incoming, stored = getattr(paper, name), row[name]
        if incoming in (None, "") or incoming == stored:
            continue
        if stored in (None, "") or newer:
            changes[name] = incoming
    if "abstract" in changes:
        links = paper.links
        changes["links"] = encode_links(links)
        changes["link_count"] = len(links)
    if newer and changes and listed_on != row["listed_on"]:
        changes["listed_on"] = listed_on
    return changes


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
    return f"{mine}\n\n{marker}\n{theirs}" if mine.strip() else f"{marker}\n{theirs}"


KEPT_MARKER = "--- kept from another reader's save (found at {saved_at}) ---"
_KEPT_LINE = re.compile(
    "^" + re.escape(KEPT_MARKER).replace(re.escape("{saved_at}"), r"[^\n]*") + "\n", re.MULTILINE
)


def _kept_already(mine: str, theirs: str) -> bool:
    """Whether ``theirs`` stands in ``mine`` right under a marker line: kept by an earlier
    merge. Their text merely occurring in ours (a word, a line we both wrote) is not that,
    and is kept again rather than lost."""
    return any(mine.startswith(theirs, line.end()) for line in _KEPT_LINE.finditer(mine))
