"""The full-text index's terms: how many papers hold each, typo corrections, accents.

Typo tolerance is ours, the same on both databases, and it must not turn a precise
query into one that matches everything. So a word is corrected only when it finds
little by itself: it is not a term of the index, and the terms it starts hold few
papers. A correction is a term one edit away (two for long words) that starts with
the same letter, or swaps the first two; stop words are neither corrected nor
corrections, and a very common term corrects only a long word, where one slip is
likely a typo of it ("transfromer" → "transformer") and not another word ("mole"), or
two letters swapped ("modle" → "model").

The terms are read one of two ways, behind the same questions: loaded whole (the
app, once, in the background: 100,000 terms cost a second at 100,000 papers), or
asked of the index a few at a time, only those a query needs (a one-shot command,
and the app until its load is done). No database access of its own: the index is
passed in.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from .loaded_terms import MAX_ACCENTED_TERMS, LoadedTerms, accented_spellings
from .query import without_accents

__all__ = ["MAX_CORRECTIONS", "STOP_WORDS", "TermIndex", "Vocabulary"]

MAX_CORRECTIONS = 6  # spellings a word may stand for
SHORTEST_CORRECTED = 4  # below this, one edit reaches too many other words
COMMON_CORRECTS_FROM = 6  # a word this long may be corrected to a very common term
LONG_WORD = 8  # from this length two edits are still one slip of the hand
FINDS_LITTLE = 3  # papers a word must find (at least) to be left as typed
CACHED_CORRECTIONS = 2048  # words whose corrections are kept (a few keystrokes' worth)
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


class TermIndex(Protocol):
    """The store, as an asked vocabulary reads it."""

    def index_terms(
        self, prefix: str, *, limit: int | None = None, lengths: tuple[int, int] | None = None
    ) -> list[tuple[str, int]] | None:
        """Terms starting with ``prefix`` in order, with how many papers hold each; None
        when the index cannot be asked so."""
        ...

    def vocabulary(self) -> Iterable[tuple[str, int]]:
        """Every term with how many papers hold it: what is asked when the index cannot
        answer a question a few terms at a time."""
        ...

    def index_accented(self, word: str, *, prefix: bool) -> list[str]:
        """Indexed spellings of ``word`` with accents (starting so, for a prefix); empty
        where the index drops accents itself (SQLite)."""
        ...


PapersHolding = Callable[[str, bool, int], int]
"""How many papers hold a word (or, second argument, a term it starts), counted up to
the third argument: what the index answers without reading any term."""


class _AskedTerms:
    """The index's terms, asked for a few at a time (``TermIndex``); where the index
    cannot be asked so (on PostgreSQL, the terms a letter starts are in nearly every
    paper), every term, loaded once."""

    def __init__(self, index: TermIndex) -> None:
        self._index = index
        self._every: LoadedTerms | None = None

    def _loaded(self) -> LoadedTerms:
        if self._every is None:
            self._every = LoadedTerms(self._index.vocabulary())
        return self._every

    def accented(self, word: str, prefix: bool) -> list[str]:
        if self._every is not None:
            return accented_spellings(self._every, word, prefix)
        return self._index.index_accented(word, prefix=prefix)[:MAX_ACCENTED_TERMS]

    def starting(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        if self._every is None:
            found = self._index.index_terms(prefix, limit=limit)
            if found is not None:
                return found
        return self._loaded().starting(prefix, limit)

    def shelf(self, start: str, lengths: range) -> list[tuple[str, int]]:
        if self._every is None:
            found = self._index.index_terms(start, lengths=(lengths.start, lengths.stop - 1))
            if found is not None:
                return found
        return self._loaded().shelf(start, lengths)


class Vocabulary:
    """The index's terms (without accents) and how many papers hold each."""

    def __init__(self, terms: Iterable[tuple[str, int]], *, documents: int = 0) -> None:
        """Every term of the index with its holders, loaded; ``documents`` papers in all."""
        self._loaded: LoadedTerms | None = LoadedTerms(terms)
        self._terms: LoadedTerms | _AskedTerms = self._loaded
        self._count_documents: Callable[[], int] = lambda: documents
        self._documents: int | None = None
        self._holding: PapersHolding | None = None
        self._cache: dict[str, tuple[bool, list[str]]] = {}
        # Terms papers in the trash hold (how many hold each), and the same sorted.
        self._trash: tuple[dict[str, int], list[str]] = ({}, [])
        self._trash_given: Mapping[str, int] | None = None

    @classmethod
    def asking(
        cls, index: TermIndex, documents: Callable[[], int], holding: PapersHolding
    ) -> Vocabulary:
        """A vocabulary that asks ``index`` for the terms each question needs, counts the
        papers (``documents``) only if a question needs that, and asks how many papers
        hold a word (``holding``) before reading terms: on PostgreSQL reading a common
        word's terms means reading every paper that holds it."""
        vocabulary = cls(())
        vocabulary._loaded = None
        vocabulary._terms = _AskedTerms(index)
        vocabulary._count_documents = documents
        vocabulary._holding = holding
        return vocabulary

    @property
    def _common(self) -> int:
        """Papers holding a term that make it very common."""
        return max(50, self._papers() // 20)

    @property
    def _little(self) -> int:
        """Papers a word finds below which it is corrected."""
        return max(FINDS_LITTLE, self._papers() // 2000)

    def _papers(self) -> int:
        if self._documents is None:
            self._documents = self._count_documents()
        return self._documents

    def add(self, text: str) -> None:
        """The words of a note just saved, without reloading every term of the index.

        Accented words are kept as spelled too: PostgreSQL's index holds them so. An
        asked vocabulary has nothing to add: the index holds the note already.
        """
        if self._loaded is not None:
            self._loaded.add(text)
        self._cache.clear()

    def leave_out(self, trash: Mapping[str, int]) -> None:
        """Leave out the terms papers in the trash hold (each with how many hold it): a
        word only they hold is neither found nor a correction. Given again whenever the
        trash changes; the terms themselves are not read again.
        """
        if trash is self._trash_given:
            return
        plain: dict[str, int] = {}
        for term, holders in trash.items():
            spelled = term if term.isascii() else without_accents(term)
            plain[spelled] = plain.get(spelled, 0) + holders
        self._trash, self._trash_given = (plain, sorted(plain)), trash
        self._cache.clear()

    def _starting(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """The terms starting with ``prefix`` that papers outside the trash hold."""
        trash, in_order = self._trash
        if not trash:
            return self._terms.starting(prefix, limit)
        at = bisect.bisect_left(in_order, prefix)
        end = bisect.bisect_left(in_order, prefix + "\U0010ffff", at)
        terms = self._terms.starting(prefix, limit + end - at)  # enough, whatever is left out
        return self._outside_trash(terms, trash)[:limit]

    def _shelf(self, start: str, lengths: range) -> list[tuple[str, int]]:
        return self._outside_trash(self._terms.shelf(start, lengths), self._trash[0])

    @staticmethod
    def _outside_trash(
        terms: list[tuple[str, int]], trash: dict[str, int]
    ) -> list[tuple[str, int]]:
        if not trash:
            return terms
        counted = ((term, holders - trash.get(term, 0)) for term, holders in terms)
        return [(term, holders) for term, holders in counted if holders > 0]

    def holders(self, word: str) -> int:
        """How many papers hold ``word`` as a whole term (any accents)."""
        [(term, holders)] = self._starting(word, 1) or [("", 0)]
        return holders if term == word else 0

    def finds(self, word: str) -> bool:
        """True when ``word`` is a term, or starts one."""
        return bool(self._starting(word, 1))

    def finds_little(self, word: str) -> bool:
        """True when ``word``, whole or as the start of a term, is held by few papers."""
        found = 0
        little = self._little
        if self._holding is not None and self._holds_enough(word, little):
            return False
        for term, holders in self._starting(word, little):
            if term == word:
                return False  # a term of the index: the reader may mean exactly it
            found += holders
            if found >= little:
                return False
        return True

    def _holds_enough(self, word: str, little: int) -> bool:
        """``word`` is a term (with or without accents), or enough papers hold the terms
        it starts: papers counted by the index, no term read (their terms hold at least
        as many)."""
        assert self._holding is not None
        if self._holding(word, False, 1) or self._holding(word, True, little) >= little:
            return True
        spellings = self.accented(word, prefix=True)  # PostgreSQL's index keeps accents
        if any(without_accents(spelling) == word for spelling in spellings):
            return True
        return sum(self._holding(spelling, False, little) for spelling in spellings) >= little

    def accented(self, word: str, *, prefix: bool) -> list[str]:
        """Indexed spellings of ``word`` with accents (those starting so, for a prefix).

        Empty on SQLite, whose index drops accents itself.
        """
        if isinstance(self._terms, _AskedTerms):
            return self._terms.accented(word, prefix)
        return accented_spellings(self._terms, word, prefix)

    def similar(self, word: str) -> list[str]:
        """What a word that finds little probably meant: the closest terms, most held first.

        Empty for a term of the index, a word many terms start with, a short word, a
        stop word and a word with digits (a version or a year is meant as typed).
        """
        return self._corrected(word)[1]

    def needs_correction(self, word: str) -> bool:
        """A word long enough to correct, of letters, not a stop word, that finds little."""
        return self._corrected(word)[0]

    def _corrected(self, word: str) -> tuple[bool, list[str]]:
        """Whether ``word`` needs correcting, and its corrections; asked once a word."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        needs = (
            len(word) >= SHORTEST_CORRECTED
            and word.isalpha()
            and word not in STOP_WORDS
            and self.finds_little(word)
        )
        found = (needs, self._corrections(word) if needs else [])
        if len(self._cache) > CACHED_CORRECTIONS:
            self._cache.clear()
        self._cache[word] = found
        return found

    def _corrections(self, word: str) -> list[str]:
        from rapidfuzz import process  # only a typo pays for it: ``list`` never imports it
        from rapidfuzz.distance import OSA

        reach = 2 if len(word) >= LONG_WORD else 1
        lengths = range(len(word) - reach, len(word) + reach + 1)
        holders = dict(self._shelf(word[0], lengths))
        if word[1] != word[0]:  # the first two letters swapped: "rtansformer"
            holders.update(self._shelf(word[1] + word[0], lengths))
        common = self._common
        allowed = [
            (term, distance)
            for term, distance, _index in process.extract(
                word, list(holders), scorer=OSA.distance, score_cutoff=reach, limit=None
            )
            if term not in STOP_WORDS
            and (
                holders[term] <= common
                or len(word) >= COMMON_CORRECTS_FROM
                or sorted(term) == sorted(word)  # two letters swapped: "modle" is "model"
            )
        ]
        if not allowed:
            return []
        closest = min(distance for _term, distance in allowed)
        nearest = [term for term, distance in allowed if distance == closest]
        nearest.sort(key=lambda term: (-holders[term], term))
        return nearest[:MAX_CORRECTIONS]
