"""Search queries: field filters, typo-tolerant word expansion, and the full-text expression.

The text index itself lives in the database (SQLite's FTS5, or PostgreSQL's
``tsvector``), so nothing the size of the library is held in memory. Typo tolerance
is ours, the same on both: each query word is expanded with rapidfuzz against the
index's vocabulary, the way a trigram index tolerates typos, and the last word is
also matched as a prefix so results follow each keystroke. Pure: no database access.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

__all__ = [
    "MatchQuery",
    "ParsedQuery",
    "SearchHit",
    "Term",
    "Vocabulary",
    "match_query",
    "match_spans",
    "parse_query",
    "query_words",
    "rerank",
    "title_match",
]

_FILTER = re.compile(r"(?<!\S)(is|has|org|year):(\"[^\"]*\"|\S*)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
MAX_FUZZY_TERMS = 6
MAX_ACCENTED_TERMS = 20  # accented spellings a typed prefix may stand for
COMMON_CORRECTS_FROM = 6  # a word this long may be corrected to a very common term


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


def query_words(text: str) -> list[str]:
    """Words as the index's tokenizer sees them: case-folded, without diacritics."""
    if text.isascii():  # most titles: no diacritics to strip (4x faster)
        return _WORD.findall(text.lower())
    return _WORD.findall(_without_accents(text.casefold()))


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Vocabulary:
    """The index's terms, for prefix and typo expansion of query words."""

    def __init__(self, terms: Iterable[tuple[str, int]], *, documents: int = 0) -> None:
        # A short near-miss held by a large share of papers ("hand" → "and") matches
        # everything and tells nothing, so such terms correct only long words, where
        # one slip is a typo of the common word ("transfromer" → "transformer").
        common = max(50, documents // 20)
        self._by_length: dict[int, list[str]] = {}
        self._common_by_length: dict[int, list[str]] = {}
        # PostgreSQL's index keeps accents ("café"), typed words lose them ("cafe").
        self._accented: dict[str, list[str]] = {}
        self._size = 0
        for term, holders in terms:
            self._size += 1
            self._plain_spelling(term)
            shelf = self._common_by_length if holders > common else self._by_length
            shelf.setdefault(len(term), []).append(term)
        self._fuzzy_cache: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return self._size

    def add(self, text: str) -> None:
        """The words of a note just saved, without reloading every term of the index.

        Accented words are kept as spelled too: PostgreSQL's index holds them so. A word
        already known is listed twice, which ``similar`` folds away.
        """
        for word in _WORD.findall(text.lower()):
            plain = self._plain_spelling(word)
            self._by_length.setdefault(len(plain), []).append(plain)
        self._fuzzy_cache.clear()

    def _plain_spelling(self, term: str) -> str:
        """``term`` without accents; an accented term is remembered under it, once."""
        if term.isascii() or (plain := _without_accents(term)) == term:
            return term
        spellings = self._accented.setdefault(plain, [])
        if term not in spellings:
            spellings.append(term)
        return plain

    def accented(self, word: str, *, prefix: bool) -> list[str]:
        """Indexed spellings of ``word`` with accents (those starting so, for a prefix).

        Empty on SQLite, whose index drops accents itself.
        """
        if not self._accented:
            return []
        if not prefix:
            return self._accented.get(word, [])[:MAX_ACCENTED_TERMS]
        found = [
            term
            for plain, terms in self._accented.items()
            if plain.startswith(word)
            for term in terms
        ]
        return found[:MAX_ACCENTED_TERMS]

    def similar(self, word: str) -> list[str]:
        """Terms within about one typo (two for long words) of ``word``."""
        if len(word) < 4:
            return []
        cached = self._fuzzy_cache.get(word)
        if cached is not None:
            return cached
        cutoff = 80 if len(word) < 8 else 75
        shelves = [self._by_length]
        if len(word) >= COMMON_CORRECTS_FROM:
            shelves.append(self._common_by_length)
        candidates = [
            term
            for shelf in shelves
            for length in range(len(word) - 2, len(word) + 3)
            for term in shelf.get(length, ())
        ]
        matches = process.extract(
            word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff, limit=MAX_FUZZY_TERMS
        )
        found = list(dict.fromkeys(term for term, _score, _index in matches if term != word))
        if len(self._fuzzy_cache) > 2048:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[word] = found
        return found


@dataclass(frozen=True, slots=True)
class Term:
    """One spelling to look for: the word itself, a near-miss, or a prefix."""

    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """Every word (or any word), each as one of its alternatives.

    Backend-neutral: the SQLite store compiles it to an FTS5 expression, the
    PostgreSQL store to a ``tsquery``.
    """

    words: tuple[tuple[Term, ...], ...]
    any_word: bool = False
    title_only: bool = False


def match_query(words: list[str], vocabulary: Vocabulary, *, any_word: bool = False) -> MatchQuery:
    """Every word (or any word), each as itself, a prefix, or a near-miss in the index."""
    alternatives = []
    for word in words:
        terms = {Term(word, prefix=len(word) >= 2)}
        if len(word) >= 4:  # a slip in the last letter, or an abbreviation: "docs" → "doc"*
            terms.add(Term(word[:-1], prefix=True))
        terms.update(Term(term) for term in vocabulary.similar(word))
        terms.update(Term(term) for term in vocabulary.accented(word, prefix=len(word) >= 2))
        alternatives.append(tuple(sorted(terms, key=lambda term: (term.text, term.prefix))))
    return MatchQuery(tuple(alternatives), any_word=any_word)


def rerank(words: list[str], hits: list[SearchHit], titles: dict[int, str]) -> list[SearchHit]:
    """Blend the index's relevance with how many query words the title itself matches.

    BM25 alone favours abstracts that repeat a word; a reader typing words of a title
    expects that title first.
    """
    if not hits:
        return hits
    best = max(hit.score for hit in hits) or 1.0
    scored = [
        SearchHit(
            hit.id,
            0.6 * title_match(words, titles.get(hit.id, "")) + 40.0 * max(hit.score, 0.0) / best,
        )
        for hit in hits
    ]
    return sorted(scored, key=lambda hit: -hit.score)


def title_match(words: list[str], title: str) -> float:
    """0-100: for each query word, how well the title's closest word matches it."""
    tokens = query_words(title)
    if not words or not tokens:
        return 0.0
    total = 0.0
    for word in words:
        if any(token.startswith(word) for token in tokens):
            total += 100.0
        else:
            best = max(max(fuzz.ratio(word, token), _prefix_share(word, token)) for token in tokens)
            total += best if best >= 75 else 0.0
    return total / len(words)


def _prefix_share(word: str, token: str) -> float:
    """How much of ``word`` starts ``token`` ("docs" and "documents" share 75%)."""
    shared = 0
    for mine, theirs in zip(word, token, strict=False):
        if mine != theirs:
            break
        shared += 1
    return 100.0 * shared / len(word) if shared >= 3 else 0.0


def match_spans(query: str, text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that match the query's words, for highlighting."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    if len(lowered) != len(text):
        return spans  # case folding changed the length; offsets would be wrong
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
