"""Ranking matches as a reader expects: the title they typed comes first.

The index's relevance (BM25) counts words, so a title that mentions "BERT" twice in
passing outranks "BERT: Pre-training of Deep Bidirectional Transformers". A reader
typing words of a title expects that title first. So how a title matches decides
first: each query word found whole in it, then as the start of a title word, then
through a correction or another spelling; a bonus for a title that starts with the
query, and another for the whole title; the index's relevance orders what is left
alike. Pure: no database access.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from .query import MatchQuery, SearchHit, Term, query_words

__all__ = ["rerank", "title_relevance"]

WHOLE = 1.0  # the word is a word of the title
JOINED = 0.9  # two title words written together: "pretraining" for "Pre-training"
STARTS = 0.8  # the word starts a title word: "tra" for "Transformers"
SPELLED = 0.7  # a correction or another spelling of the word is in the title
TITLE_WEIGHT = 100.0  # how much of the query the title holds
STARTS_WITH_QUERY = 40.0  # the title starts with the query
WHOLE_TITLE = 40.0  # the title is the query
INDEX_WEIGHT = 20.0  # the index's relevance, which orders titles that match alike


def rerank(match: MatchQuery, hits: list[SearchHit], titles: dict[int, str]) -> list[SearchHit]:
    """``hits`` best first by how their titles match, then by the index's relevance.

    Args:
        match: What was looked for: ``match.words[i]`` are the spellings of ``match.meant[i]``.
        hits: The index's matches with its scores (0 when it did not rank them).
        titles: Each hit's title.
    """
    if not hits:
        return hits
    best = max(hit.score for hit in hits)
    scale = INDEX_WEIGHT / best if best > 0 else 0.0
    words = _Words(match)
    scored = [
        SearchHit(hit.id, words.title_relevance(titles.get(hit.id, "")) + scale * max(hit.score, 0))
        for hit in hits
    ]
    return sorted(scored, key=lambda hit: -hit.score)  # stable: ties keep the index's order


def title_relevance(match: MatchQuery, title: str) -> float:
    """How well ``title`` matches the query's words (0 to 180)."""
    return _Words(match).title_relevance(title)


class _Word:
    """One query word and its other spellings, ready to compare with title words."""

    __slots__ = ("exact", "prefixes", "word")

    def __init__(self, word: str, spelled: Sequence[Term]) -> None:
        self.word = word
        plain = [term for term in spelled if not term.split_at and term.text != word]
        self.exact = frozenset(term.text for term in plain)
        self.prefixes = tuple(term.text for term in plain if term.prefix)

    def quality(self, token: str) -> float:
        """How ``token``, one word of a title, matches this word (0 when it does not)."""
        if token == self.word:
            return WHOLE
        if token.startswith(self.word):
            return STARTS
        if token in self.exact or (self.prefixes and token.startswith(self.prefixes)):
            return SPELLED
        return 0.0

    def best_quality(self, tokens: tuple[str, ...], present: frozenset[str]) -> float:
        """How the title's closest word (or two written together) matches this word."""
        word = self.word
        if word in present:
            return WHOLE
        if len(word) >= 4:
            for first, second in pairwise(tokens):
                if word.startswith(first) and first + second == word:
                    return JOINED
        for token in tokens:
            if token.startswith(word):
                return STARTS
        if not self.exact.isdisjoint(present):
            return SPELLED
        if self.prefixes:
            for token in tokens:
                if token.startswith(self.prefixes):
                    return SPELLED
        return 0.0


class _Words:
    """The query's words, compared with titles."""

    def __init__(self, match: MatchQuery) -> None:
        self.words = [
            _Word(word, spelled) for word, spelled in zip(match.meant, match.words, strict=True)
        ]
        self.joined = "".join(match.meant)

    def title_relevance(self, title: str) -> float:
        words = self.words
        tokens, present = _title_words(title)
        if not words or not tokens:
            return 0.0
        found = sum(word.best_quality(tokens, present) for word in words)
        score = TITLE_WEIGHT * found / len(words)
        leading = [word.quality(token) for word, token in zip(words, tokens, strict=False)]
        if len(leading) == len(words) and all(leading):
            start = sum(leading) / len(words)
            whole = len(tokens) == len(words)
        else:  # the words written together: "bert pretraining" for "BERT: Pre-training"
            title_joined = "".join(tokens)
            start = JOINED if len(self.joined) >= 4 and title_joined.startswith(self.joined) else 0
            whole = title_joined == self.joined
        return score + STARTS_WITH_QUERY * start + WHOLE_TITLE * start * whole


@lru_cache(maxsize=8192)  # the next keystroke ranks mostly the same titles
def _title_words(title: str) -> tuple[tuple[str, ...], frozenset[str]]:
    tokens = tuple(query_words(title))
    return tokens, frozenset(tokens)
