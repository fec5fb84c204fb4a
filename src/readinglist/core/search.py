"""Fuzzy, typo-tolerant search over the library, with field filters.

Pure and in memory: the index holds one small tuple per paper and never touches the
database, so the TUI can run it in a worker on every keystroke. Titles weigh most,
then organisation and notes, then abstracts.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

__all__ = ["ParsedQuery", "SearchHit", "SearchIndex", "SearchRow", "match_spans", "parse_query"]

# id, title, org, org_id, abstract, note, starred, link_count, date
SearchRow = tuple[int, str, str | None, str | None, str, str, bool, int, str | None]

_FILTER = re.compile(r"(?<!\S)(is|has|org|year):(\"[^\"]*\"|\S*)", re.IGNORECASE)
_WEIGHTS = {"title": 1.0, "org": 0.9, "note": 0.85, "abstract": 0.75}
_CUTOFF = {"title": 60, "org": 75, "note": 75, "abstract": 80}
MIN_SCORE = 60.0


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    text: str = ""
    starred: bool | None = None
    has_code: bool = False
    has_note: bool = False
    org: str | None = None
    year: str | None = None
    problems: tuple[str, ...] = ()

    @property
    def has_filters(self) -> bool:
        return bool(
            self.starred is not None or self.has_code or self.has_note or self.org or self.year
        )


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    score: float


def parse_query(query: str) -> ParsedQuery:
    """Split ``is:starred has:code has:note org:NAME year:2024`` filters from free text."""
    values: dict[str, object] = {}
    problems: list[str] = []
    for match in _FILTER.finditer(query):
        name, value = match.group(1).lower(), match.group(2).strip('"')
        lowered = value.lower()
        if name == "is" and lowered in {"starred", "unstarred"}:
            values["starred"] = lowered == "starred"
        elif name == "has" and lowered in {"code", "link", "links"}:
            values["has_code"] = True
        elif name == "has" and lowered in {"note", "notes"}:
            values["has_note"] = True
        elif name == "org" and value:
            values["org"] = value
        elif name == "year" and re.fullmatch(r"\d{4}", value):
            values["year"] = value
        else:
            problems.append(match.group(0))
    text = " ".join(_FILTER.sub(" ", query).split())
    return ParsedQuery(text=text, problems=tuple(problems), **values)  # type: ignore[arg-type]


class SearchIndex:
    """All papers' searchable text, kept in columns; updated in place on writes."""

    def __init__(self, rows: Iterable[SearchRow] = ()) -> None:
        self._lock = threading.Lock()
        self._rows: dict[int, SearchRow] = {}
        self._titles: dict[int, str] = {}
        self._orgs: dict[int, str] = {}
        self.replace_all(rows)

    def __len__(self) -> int:
        return len(self._rows)

    def replace_all(self, rows: Iterable[SearchRow]) -> None:
        with self._lock:
            self._rows.clear()
            self._titles.clear()
            self._orgs.clear()
            for row in rows:
                self._put(row)

    def upsert(self, rows: Iterable[SearchRow]) -> None:
        with self._lock:
            for row in rows:
                self._put(row)

    def _put(self, row: SearchRow) -> None:
        paper_id, title, org, org_id = row[0], row[1], row[2], row[3]
        self._rows[paper_id] = row
        self._titles[paper_id] = utils.default_process(title)
        self._orgs[paper_id] = utils.default_process(f"{org or ''} {org_id or ''}")

    def search(self, query: str | ParsedQuery, *, limit: int | None = 50) -> list[SearchHit]:
        """Best matches first; with only filters, every matching paper in id order."""
        parsed = parse_query(query) if isinstance(query, str) else query
        with self._lock:
            candidates = [pid for pid, row in self._rows.items() if _passes(row, parsed)]
            if not parsed.text:
                return [SearchHit(pid, 100.0) for pid in candidates][:limit]
            scores = self._score(utils.default_process(parsed.text), candidates)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [SearchHit(pid, score) for pid, score in ranked[:limit]]

    def _score(self, text: str, candidates: Sequence[int]) -> dict[int, float]:
        if not text:
            return {}
        scores: dict[int, float] = {}
        fields = {
            "title": {pid: self._titles[pid] for pid in candidates},
            "org": {pid: self._orgs[pid] for pid in candidates if self._orgs[pid]},
            "note": {pid: self._rows[pid][5] for pid in candidates if self._rows[pid][5]},
            "abstract": {pid: self._rows[pid][4] for pid in candidates},
        }
        for name, choices in fields.items():
            scorer = fuzz.WRatio if name in {"title", "org"} else fuzz.partial_ratio
            processor = None if name in {"title", "org"} else utils.default_process
            for _choice, score, pid in process.extract(
                text,
                choices,
                scorer=scorer,
                processor=processor,
                score_cutoff=_CUTOFF[name],
                limit=None,
            ):
                weighted = score * _WEIGHTS[name]
                if weighted > scores.get(pid, 0.0):
                    scores[pid] = weighted
        return {pid: score for pid, score in scores.items() if score >= MIN_SCORE}


def _passes(row: SearchRow, query: ParsedQuery) -> bool:
    _id, _title, org, org_id, _abstract, note, starred, link_count, date = row
    if query.starred is not None and bool(starred) != query.starred:
        return False
    if query.has_code and not link_count:
        return False
    if query.has_note and not note:
        return False
    if query.year and not (date or "").startswith(query.year):
        return False
    if query.org:
        wanted = query.org.casefold()
        names = f"{org or ''} {org_id or ''}".casefold()
        if wanted not in names:
            return False
    return True


def match_spans(query: str, text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that match the query's words, for highlighting."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for word in parse_query(query).text.lower().split():
        start = lowered.find(word)
        if start >= 0:
            spans.append((start, start + len(word)))
            continue
        if len(word) < 3:
            continue
        alignment = fuzz.partial_ratio_alignment(word, lowered, score_cutoff=75)
        if alignment is not None and alignment.dest_end > alignment.dest_start:
            spans.append((alignment.dest_start, alignment.dest_end))
    return sorted(spans)
