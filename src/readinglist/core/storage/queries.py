"""SQL both databases run alike: a query's filters, the sort orders, and a paper's new row.

Built from the column lists in ``columns.py`` with the driver's placeholder (``?`` for
sqlite3, ``%s`` for psycopg) put in as the text is made, never substituted afterwards.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from operator import attrgetter, itemgetter
from typing import Any

from ..parse import ParsedPaper
from ..query import ParsedQuery
from ..sorting import SORT_KEYS
from ..textclean import author_search_key, org_search_key, search_fold
from .columns import (
    ARRAY_COLUMNS,
    BOOL_COLUMNS,
    FETCH_COLUMNS,
    INSERT_COLUMNS,
    LISTING_COLUMNS,
    UPDATE_COLUMNS,
)
from .values import decode_array, encode_array

__all__ = [
    "SORT_KEYS",
    "Filters",
    "filter_sql",
    "insert_values",
    "limit_sql",
    "sort_sql",
    "stored_row",
    "update_sql",
    "update_values",
    "updated_columns",
]

Filters = tuple[str, list[Any]]  # SQL text and its parameters
_SORTS = {
    "date": "paper.date DESC NULLS LAST, paper.id DESC",
    "upvotes": "paper.upvotes DESC NULLS LAST, paper.date DESC NULLS LAST, paper.id",
    "title": "lower(paper.title), paper.id",
    "added": "paper.added_at DESC, paper.id DESC",
    "stars": "paper.github_stars DESC NULLS LAST, paper.date DESC NULLS LAST, paper.id",
    "starred": "paper.starred_at DESC NULLS LAST, paper.id DESC",
}
if tuple(_SORTS) != SORT_KEYS:  # the orders are named once, in core/sorting.py
    raise AssertionError(f"storage orders {tuple(_SORTS)} differ from {SORT_KEYS}")
_LIKE_ESCAPE = str.maketrans({"/": "//", "%": "/%", "_": "/_"})


def filter_sql(query: ParsedQuery | None, p: str) -> tuple[list[str], list[Any]]:
    """The field filters of a query (is:, has:, org:, author:, tag:, year:) as SQL conditions."""
    clauses: list[str] = []
    params: list[Any] = []
    if query is None:
        return clauses, params
    if query.starred is not None:
        clauses.append(f"paper.starred = {p}")
        params.append(query.starred)
    if query.status is not None:
        clauses.append(f"paper.status = {p}")
        params.append(query.status)
    for tag in query.tags:
        clauses.append(
            f"EXISTS (SELECT 1 FROM paper_tag WHERE paper_tag.paper_id = paper.id"
            f" AND paper_tag.tag = {p})"
        )
        params.append(tag)
    if query.has_code:
        clauses.append("paper.link_count > 0")
    if query.has_note:
        clauses.append("paper.note <> ''")
    if query.has_arxiv:
        clauses.append("paper.arxiv_id IS NOT NULL")
    if query.year:
        clauses.append(f"paper.date >= {p} AND paper.date < {p}")  # "2024-" up to "2024."
        params += [f"{query.year}-", f"{query.year}."]
    if query.org:  # its name or handle, folded: "ecole" finds "École normale supérieure"
        clauses.append(f"paper.org_key LIKE {p} ESCAPE '/'")
        params.append(f"%{search_fold(query.org).translate(_LIKE_ESCAPE)}%")
    if query.author:  # within the names, folded: "kaplan" finds "Jared Kaplan", "jorg" "Jörg"
        clauses.append(f"paper.author_key LIKE {p} ESCAPE '/'")
        params.append(f"%{search_fold(query.author).translate(_LIKE_ESCAPE)}%")
    return clauses, params


def sort_sql(sort: str) -> str:
    """ORDER BY for a sort key; missing values last on both databases."""
    try:
        return _SORTS[sort]
    except KeyError:
        raise ValueError(f"unknown sort {sort!r}; choose from {', '.join(_SORTS)}") from None


_NO_LIMIT = 1 << 62  # both databases take it; SQLite has no OFFSET without a LIMIT


def limit_sql(limit: int | None, p: str, offset: int = 0) -> Filters:
    """SQL for at most ``limit`` rows (all when None), skipping the first ``offset``."""
    if offset:
        return f" LIMIT {p} OFFSET {p}", [_NO_LIMIT if limit is None else int(limit), int(offset)]
    return ("", []) if limit is None else (f" LIMIT {p}", [int(limit)])


def insert_values(key: str, paper: ParsedPaper, listed_on: str, now: str) -> tuple[Any, ...]:
    """A new paper's row, in ``INSERT_COLUMNS`` order: the listing's fields (the
    ``LISTING`` columns, lists JSON-encoded) and what the import itself knows."""
    listed = list(_LISTED(paper))
    for at in _LISTED_ARRAYS:
        listed[at] = encode_array(listed[at])
    author_key = author_search_key(listed[_AUTHOR_NAMES_AT])
    org_key = org_search_key(paper.org, paper.org_id)
    row: tuple[Any, ...] = _IN_INSERT_ORDER(
        (*listed, key, listed_on, len(paper.links), now, now, author_key, org_key)
    )
    return row


# What the import knows of a new paper besides its listing: ``insert_values`` passes
# them after the listing's fields, in this order, and one itemgetter puts every value
# in its column's place: with the array encoding, 45 ms per 10,000 papers instead of 106.
_IMPORT_KNOWS = (
    *("title_key", "listed_on", "link_count", "added_at", "updated_at"),
    *("author_key", "org_key"),
)
_LISTED = attrgetter(*LISTING_COLUMNS)
_AUTHOR_NAMES_AT = LISTING_COLUMNS.index("author_names")
_LISTED_ARRAYS = [at for at, name in enumerate(LISTING_COLUMNS) if name in ARRAY_COLUMNS]
if _UNFILLED := set(INSERT_COLUMNS) - {*LISTING_COLUMNS, *_IMPORT_KNOWS}:
    raise AssertionError(f"insert_values has no value for {sorted(_UNFILLED)}")
_IN_INSERT_ORDER = itemgetter(
    *((*LISTING_COLUMNS, *_IMPORT_KNOWS).index(name) for name in INSERT_COLUMNS)
)


def stored_row(values: Sequence[Any]) -> dict[str, Any]:
    """A row of ``FETCH_COLUMNS`` as ``merge.merge`` compares it: lists as tuples."""
    row = dict(zip(FETCH_COLUMNS, values, strict=True))
    for name in _FETCHED_ARRAYS:
        row[name] = decode_array(row[name])
    for name in _FETCHED_BOOLS:
        row[name] = bool(row[name])
    return row


def updated_columns(changed: Collection[str]) -> tuple[str, ...]:
    """The ``UPDATE_COLUMNS`` among ``changed`` (a merge's changes), in their order."""
    return tuple(name for name in UPDATE_COLUMNS if name in changed)


def update_sql(columns: Sequence[str], p: str) -> str:
    """An UPDATE of only ``columns`` of one paper (its id the last parameter)."""
    assignments = ", ".join(f"{name} = {p}" for name in columns)
    return f"UPDATE paper SET {assignments} WHERE id = {p}"


def update_values(merged: dict[str, Any], columns: Sequence[str]) -> tuple[Any, ...]:
    """A merged row's ``columns`` (lists JSON-encoded), then its id: ``update_sql``'s
    parameters."""
    return (
        *(
            encode_array(merged[name]) if name in ARRAY_COLUMNS else merged[name]
            for name in columns
        ),
        merged["id"],
    )


_FETCHED_ARRAYS = [name for name in FETCH_COLUMNS if name in ARRAY_COLUMNS]
_FETCHED_BOOLS = [name for name in FETCH_COLUMNS if name in BOOL_COLUMNS]
