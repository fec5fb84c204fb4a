"""The full-text index's terms: how many papers hold each, typo corrections, accents.

Typo tolerance is ours, the same on both databases, and it must not turn a precise
query into one that matches everything. So a word is corrected only when it finds
little by itself: it is not a term of the index, and the terms it starts hold few
papers. A correction is a term one edit away (two for long words) that starts with
the same letter, or swaps the first two; stop words are neither corrected nor
corrections, and a very common term corrects only a long word, where one slip is
likely a typo of it ("transfromer" → "transformer") and not another word ("mole"), or
two letters swapped ("modle" → "model").
Pure: no database access.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .search import index_words, without_accents

__all__ = ["MAX_CORRECTIONS", "STOP_WORDS", "Vocabulary"]

MAX_CORRECTIONS = 6  # spellings a word may stand for
MAX_ACCENTED_TERMS = 20  # accented spellings a typed prefix may stand for
SHORTEST_CORRECTED = 4  # below this, one edit reaches too many other words
COMMON_CORRECTS_FROM = 6  # a word this long may be corrected to a very common term
LONG_WORD = 8  # from this length two edits are still one slip of the hand
FINDS_LITTLE = 3  # papers a word must find (at least) to be left as typed
STOP_WORDS = frozenset(
    {
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "each",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "more",
        "most",
        "no",
        "nor",
        "not",
        "of",
        "on",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "same",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "you",
        "your",
    }
)


class Vocabulary:
    """The index's terms (without accents) and how many papers hold each."""

    def __init__(self, terms: Iterable[tuple[str, int]], *, documents: int = 0) -> None:
        self._common = max(50, documents // 20)
        self._little = max(FINDS_LITTLE, documents // 2000)
        self._holders: dict[str, int] = {}
        # (first letter, length) → terms: the only shelves a correction can come from.
        self._shelves: dict[tuple[str, int], list[str]] = {}
        # PostgreSQL's index keeps accents ("café"), typed words lose them ("cafe").
        self._accented: dict[str, list[str]] = {}
        for term, holders in terms:
            if term:
                self._count(self._plain_spelling(term), holders)
        self._sorted = sorted(self._holders)  # for the terms a prefix starts
        self._cache: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self._holders)

    def add(self, text: str) -> None:
        """The words of a note just saved, without reloading every term of the index.

        Accented words are kept as spelled too: PostgreSQL's index holds them so.
        """
        for word in index_words(text.lower()):
            plain = self._plain_spelling(word)
            if plain not in self._holders:
                bisect.insort(self._sorted, plain)
            self._count(plain, 1)
        self._cache.clear()

    def _count(self, plain: str, holders: int) -> None:
        if plain not in self._holders:
            self._shelves.setdefault((plain[0], len(plain)), []).append(plain)
        self._holders[plain] = self._holders.get(plain, 0) + holders

    def _plain_spelling(self, term: str) -> str:
        """``term`` without accents; an accented term is remembered under it, once."""
        if term.isascii() or (plain := without_accents(term)) == term:
            return term
        spellings = self._accented.setdefault(plain, [])
        if term not in spellings:
            spellings.append(term)
        return plain

    def holders(self, word: str) -> int:
        """How many papers hold ``word`` as a whole term (any accents)."""
        return self._holders.get(word, 0)

    def finds(self, word: str) -> bool:
        """True when ``word`` is a term, or starts one."""
        start = bisect.bisect_left(self._sorted, word)
        return start < len(self._sorted) and self._sorted[start].startswith(word)

    def finds_little(self, word: str) -> bool:
        """True when ``word``, whole or as the start of a term, is held by few papers."""
        found = self._holders.get(word, 0)
        if found:
            return False  # a term of the index: the reader may mean exactly it
        start = bisect.bisect_right(self._sorted, word)
        for term in self._sorted[start : start + self._little]:
            if not term.startswith(word):
                break
            found += self._holders[term]
            if found >= self._little:
                return False
        return True

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
        """What a word that finds little probably meant: the closest terms, most held first.

        Empty for a term of the index, a word many terms start with, a short word, a
        stop word and a word with digits (a version or a year is meant as typed).
        """
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        found = self._corrections(word) if self.needs_correction(word) else []
        if len(self._cache) > 2048:
            self._cache.clear()
        self._cache[word] = found
        return found

    def needs_correction(self, word: str) -> bool:
        """A word long enough to correct, of letters, not a stop word, that finds little."""
        return (
            len(word) >= SHORTEST_CORRECTED
            and word.isalpha()
            and word not in STOP_WORDS
            and self.finds_little(word)
        )

    def _corrections(self, word: str) -> list[str]:
        reach = 2 if len(word) >= LONG_WORD else 1
        lengths = range(len(word) - reach, len(word) + reach + 1)
        shelves = self._shelves
        candidates = [term for length in lengths for term in shelves.get((word[0], length), ())]
        candidates += [  # the first two letters swapped: "rtansformer"
            term
            for length in lengths
            for term in shelves.get((word[1], length), ())
            if term[1:2] == word[0]
        ]
        allowed = [
            (term, distance)
            for term, distance, _index in process.extract(
                word, candidates, scorer=OSA.distance, score_cutoff=reach, limit=None
            )
            if term not in STOP_WORDS
            and (
                self._holders[term] <= self._common
                or len(word) >= COMMON_CORRECTS_FROM
                or sorted(term) == sorted(word)  # two letters swapped: "modle" is "model"
            )
        ]
        if not allowed:
            return []
        closest = min(distance for _term, distance in allowed)
        nearest = [term for term, distance in allowed if distance == closest]
        nearest.sort(key=lambda term: (-self._holders[term], term))
        return nearest[:MAX_CORRECTIONS]
