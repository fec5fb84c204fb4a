"""The search box's language: field filters, words as the index sees them, what to look for.

``parse_query`` splits ``is:starred is:unread has:code has:note has:arxiv org:NAME
author:NAME tag:NAME year:2024`` from the free text, once per question; ``query_words``
spells the text as the full-text index does; ``MatchQuery`` is what a store compiles to
its index's syntax (FTS5 or ``tsquery``). Pure: no database access, no vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .models import STATUSES
from .tags import tag_or_none

__all__ = [
    "FILTERS",
    "MatchQuery",
    "ParsedQuery",
    "SearchHit",
    "Term",
    "filter_examples",
    "filter_problem",
    "filter_summary",
    "index_words",
    "match_spans",
    "parse_query",
    "prepare_highlighting",
    "query_words",
    "without_accents",
]

FILTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("is", ("starred", *STATUSES)),
    ("has", ("code", "note", "arxiv")),
    ("tag", ("NAME",)),
    ("author", ("NAME",)),
    ("org", ("NAME",)),
    ("year", ("2024",)),
)
"""The field filters a query takes, each with the values it is shown with (NAME: any
text; 2024: any year): the search box's placeholder, the help and the parser read it."""

_FILTER = re.compile(
    rf"(?<!\S)({'|'.join(name for name, _values in FILTERS)}):(\"[^\"]*\"|\S*)", re.IGNORECASE
)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    text: str = ""
    starred: bool | None = None
    has_code: bool = False
    has_note: bool = False
    has_arxiv: bool = False
    org: str | None = None
    author: str | None = None
    year: str | None = None
    status: str | None = None  # is:unread, is:reading, is:read
    tags: tuple[str, ...] = ()  # tag:NAME, each (normalised by ``tag_name``) required
    problems: tuple[str, ...] = ()

    @property
    def has_filters(self) -> bool:
        return bool(
            self.starred is not None
            or self.has_code
            or self.has_note
            or self.has_arxiv
            or self.org
            or self.author
            or self.year
            or self.status
            or self.tags
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    score: float


def parse_query(query: str) -> ParsedQuery:
    """Split ``is:starred is:unread has:code has:note has:arxiv org:NAME author:NAME
    tag:NAME year:2024`` filters from free text."""
    values: dict[str, object] = {}
    problems: list[str] = []
    tags: list[str] = []
    for match in _FILTER.finditer(query):
        name, value = match.group(1).lower(), match.group(2).strip('"')
        lowered = value.lower()
        if name == "is" and lowered in {"starred", "unstarred"}:
            values["starred"] = lowered == "starred"
        elif name == "is" and lowered in STATUSES:
            values["status"] = lowered
        elif name == "tag" and (tag := tag_or_none(value)):
            tags.append(tag)
        elif name == "has" and lowered in {"code", "link", "links"}:
            values["has_code"] = True
        elif name == "has" and lowered in {"note", "notes"}:
            values["has_note"] = True
        elif name == "has" and lowered == "arxiv":
            values["has_arxiv"] = True
        elif name in {"org", "author"} and value.strip():
            values[name] = value
        elif name == "year" and re.fullmatch(r"\d{4}", value):
            values["year"] = value
        else:
            problems.append(match.group(0))
    text = " ".join(_FILTER.sub(" ", query).split())
    if tags:
        values["tags"] = tuple(dict.fromkeys(tags))
    return ParsedQuery(text=text, problems=tuple(problems), **values)  # type: ignore[arg-type]


def filter_problem(problem: str, *, quoted: bool = False) -> str:
    """How a filter the query ignores is named (``ParsedQuery.problems``): "unknown
    filter is:stared", or "empty filter author:" for one whose value is still to come."""
    empty = not problem.partition(":")[2].strip('" ')
    return f"{'empty' if empty else 'unknown'} filter {repr(problem) if quoted else problem}"


def filter_examples() -> list[str]:
    """Every filter as typed: ``is:starred``, ``is:unread``, … ``year:2024``."""
    return [f"{name}:{value}" for name, values in FILTERS for value in values]


def filter_summary() -> str:
    """Every filter in little room: ``is:starred|unread|reading|read has:code|note|arxiv
    tag:NAME …``."""
    return " ".join(f"{name}:{'|'.join(values)}" for name, values in FILTERS)


def query_words(text: str) -> list[str]:
    """Words as the index's tokenizer sees them: case-folded, without diacritics."""
    if text.isascii():  # most titles: no diacritics to strip (4x faster)
        return _WORD.findall(text.lower())
    return _WORD.findall(without_accents(text.casefold()))


def index_words(text: str) -> list[str]:
    """The words of ``text`` (runs of letters and digits), spelled as given."""
    return _WORD.findall(text)


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True, slots=True)
class Term:
    """One spelling to look for: the word itself, a near-miss, or a prefix.

    With ``split_at``, the two halves of ``text`` as two words ("pre" and "training"
    for "pretraining"), the second one a prefix when ``prefix`` is set; with
    ``in_title``, both in the title.
    """

    text: str
    prefix: bool = False
    split_at: int = 0
    in_title: bool = False

    @property
    def parts(self) -> tuple[str, ...]:
        if not self.split_at:
            return (self.text,)
        return (self.text[: self.split_at], self.text[self.split_at :])


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """Every word (or any word), each as one of its alternatives.

    ``meant[i]`` is the word the alternatives ``words[i]`` stand for: as typed, or its
    likeliest correction. Backend-neutral: the SQLite store compiles it to an FTS5
    expression, the PostgreSQL store to a ``tsquery``.
    """

    words: tuple[tuple[Term, ...], ...]
    any_word: bool = False
    title_only: bool = False
    meant: tuple[str, ...] = ()


def prepare_highlighting() -> None:
    """Import what ``match_spans`` needs for a word a title does not hold as typed
    (rapidfuzz: 40 ms) now, off the app's thread: not at import (``list`` and ``show``
    never need it), nor on a keystroke."""
    from rapidfuzz import fuzz  # noqa: F401


def match_spans(query: str | ParsedQuery, text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that match the query's words, for highlighting.

    A list highlighting many rows passes the query parsed once.
    """
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    if len(lowered) != len(text):
        return spans  # case folding changed the length; offsets would be wrong
    parsed = parse_query(query) if isinstance(query, str) else query
    for word in parsed.text.lower().split():
        start = lowered.find(word)
        if start >= 0:
            spans.append((start, start + len(word)))
            continue
        if len(word) < 3:
            continue
        from rapidfuzz import fuzz  # only for a word not found as typed (see above)

        alignment = fuzz.partial_ratio_alignment(word, lowered, score_cutoff=75)
        if alignment is not None and alignment.dest_end > alignment.dest_start:
            spans.append((alignment.dest_start, alignment.dest_end))
    return sorted(spans)
