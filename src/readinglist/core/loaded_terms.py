"""Every term of the full-text index, loaded into memory compactly (``LoadedTerms``):
what ``vocabulary.Vocabulary`` asks when the terms are loaded whole, not asked of the
index a few at a time."""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate, islice

from .query import index_words, without_accents

BATCH = 4096  # terms read and stored at a time
MOST_OUT_OF_ORDER = 1000  # terms kept aside, out of the index's order, before sorting them all
MAX_ACCENTED_TERMS = 20  # accented spellings a typed prefix may stand for


class LoadedTerms:
    """Every term of the index, in memory (without accents, accented spellings aside).

    Kept compact: the terms in order as one UTF-8 buffer, with arrays of where each
    ends and how many papers hold it. At 100,000 papers the index holds
    about 450,000 terms: 8 MB so, 80 MB as a dictionary of strings. Words of notes saved
    since the load are kept beside them (``add``).
    """

    def __init__(self, terms: Iterable[tuple[str, int]]) -> None:
        # PostgreSQL's index keeps accents ("café"), typed words lose them ("cafe").
        self.accented: dict[str, list[str]] = {}
        self._added: dict[str, int] = {}  # out of order: notes' words saved since the load
        self._buffer = b""
        self._ends = array("I", [0])  # term i is buffer[ends[i]:ends[i + 1]]
        self._holders = array("I")
        self._store(iter(terms))
        if len(self._added) > MOST_OUT_OF_ORDER:  # not an index's order: sort them all
            counts = dict(self._stored())
            for term, holders in self._added.items():
                counts[term] = counts.get(term, 0) + holders
            self._added, self._ends, self._holders = {}, array("I", [0]), array("I")
            self._store(iter(sorted(counts.items())))

    def _store(self, rows: Iterator[tuple[str, int]]) -> None:
        """Keep the plain spellings of ``rows`` a batch at a time, as they come (a list of
        450,000 would cost 60 MB). SQLite's index yields its terms in order, once each;
        the few whose plain spelling is out of order join ``_added``."""
        buffer = bytearray()
        previous = ""
        while batch := list(islice(rows, BATCH)):
            if len(self._added) > MOST_OUT_OF_ORDER:  # not an index's order: counted, sorted later
                for term, holders in batch:
                    if plain := self._plain_spelling(term) if term else "":
                        self._added[plain] = self._added.get(plain, 0) + holders
                continue
            terms = [term for term, _holders in batch]
            if "".join(terms).isascii() and previous < terms[0] and terms == sorted(set(terms)):
                kept: list[tuple[str, int]] = batch
            else:
                kept = []
                for term, holders in batch:
                    plain = self._plain_spelling(term) if term else ""
                    if plain > previous:
                        kept.append((plain, holders))
                        previous = plain
                    elif plain:
                        self._added[plain] = self._added.get(plain, 0) + holders
                terms = [term for term, _holders in kept]
                if not kept:
                    continue
            previous = terms[-1]
            encoded = [term.encode() for term in terms]
            self._ends.extend(accumulate(map(len, encoded), initial=len(buffer)))
            self._ends.pop(-len(encoded) - 1)  # the batch's start: the last one's end
            buffer += b"".join(encoded)
            self._holders.extend(holders for _term, holders in kept)
        self._buffer = bytes(buffer)

    def _stored(self) -> Iterator[tuple[str, int]]:
        for index, holders in enumerate(self._holders):
            yield self._term(index).decode(), holders

    def _term(self, index: int) -> bytes:
        return self._buffer[self._ends[index] : self._ends[index + 1]]

    def _first_starting(self, prefix: bytes) -> int:
        return bisect.bisect_left(range(len(self._holders)), prefix, key=self._term)

    def add(self, text: str) -> None:
        for word in index_words(text.lower()):
            plain = self._plain_spelling(word)
            self._added[plain] = self._added.get(plain, 0) + 1

    def _plain_spelling(self, term: str) -> str:
        """``term`` without accents; an accented term is remembered under it, once."""
        if term.isascii() or (plain := without_accents(term)) == term:
            return term
        spellings = self.accented.setdefault(plain, [])
        if term not in spellings:
            spellings.append(term)
        return plain

    def _with_added(
        self, found: list[tuple[str, int]], wanted: Callable[[str], bool]
    ) -> list[tuple[str, int]]:
        """``found`` (in order) with the words added since the load that are ``wanted``."""
        added = [(word, holders) for word, holders in self._added.items() if wanted(word)]
        if not added:
            return found
        counts = dict(found)
        for word, holders in added:
            counts[word] = counts.get(word, 0) + holders
        return sorted(counts.items())

    def starting(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        key = prefix.encode()
        index, count = self._first_starting(key), len(self._holders)
        found: list[tuple[str, int]] = []
        while index < count and len(found) < limit:
            term = self._term(index)
            if not term.startswith(key):
                break
            found.append((term.decode(), self._holders[index]))
            index += 1
        return self._with_added(found, lambda word: word.startswith(prefix))[:limit]

    def shelf(self, start: str, lengths: range) -> list[tuple[str, int]]:
        key = start.encode()
        index, count = self._first_starting(key), len(self._holders)
        found: list[tuple[str, int]] = []
        while index < count:
            term = self._term(index)
            if not term.startswith(key):
                break
            # a term's UTF-8 is at least as long as the term: most are ruled out undecoded
            if len(term) >= lengths.start and len(plain := term.decode()) in lengths:
                found.append((plain, self._holders[index]))
            index += 1
        return self._with_added(found, lambda word: word.startswith(start) and len(word) in lengths)


def accented_spellings(terms: LoadedTerms, word: str, prefix: bool) -> list[str]:
    """``Vocabulary.accented``, from every term."""
    if not terms.accented:
        return []
    if not prefix:
        return terms.accented.get(word, [])[:MAX_ACCENTED_TERMS]
    found = [
        term
        for plain, spellings in terms.accented.items()
        if plain.startswith(word)
        for term in spellings
    ]
    return found[:MAX_ACCENTED_TERMS]
