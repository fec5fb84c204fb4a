"""Searching a library: one ``Searcher`` plans every list and search question and owns
what they keep between keystrokes.

A question (``Searcher.answer``) is a parsed query, an order and a window. Without
words it is a list, read in the store's order. With words it is planned here: each
word as itself and as a prefix (results follow each keystroke), its accented
spellings, and, when it finds little by itself, what it probably meant
(``vocabulary.Vocabulary``); titles starting with the query join the index's matches,
and titles decide the order (``ranking.rerank``).

The Searcher is the one owner of what is kept: the typo vocabulary (loaded whole
once, in the app's background; until then, and in a one-shot command, each query's
words are asked of the index), and the list rows of recent answers (the next
keystroke's results are mostly the same papers). The full-text index itself lives in
the database (SQLite's FTS5, or PostgreSQL's ``tsvector``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import chain
from typing import TYPE_CHECKING

from .merge import title_key
from .query import (
    MatchQuery,
    ParsedQuery,
    SearchHit,
    Term,
    index_words,
    match_spans,
    parse_query,
    query_words,
    without_accents,
)
from .ranking import rerank
from .trash_terms import TrashTerms
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .models import PaperSummary
    from .storage.store import Store

__all__ = [
    "JOINABLE",
    "Found",
    "MatchQuery",
    "ParsedQuery",
    "SearchHit",
    "Searcher",
    "Term",
    "index_words",
    "match_query",
    "match_spans",
    "parse_query",
    "query_words",
    "without_accents",
]

RERANKED = 200  # how many of the index's best hits are re-ranked by how their titles match
TITLE_STARTS = 50  # titles starting with the query, ranked with them wherever the index put them
SHORT_WORD = 5  # shorter words: titles by their start, then anywhere whole (see _also_anywhere)
CACHED_SUMMARIES = 5000  # list rows kept between keystrokes (about 2 MB)


@dataclass(frozen=True, slots=True)
class Found:
    """One answer to a list or a search: a window of its rows, and how many there are."""

    rows: list[PaperSummary]
    """The papers of the window, in the view's order."""
    total: int | None
    """How many papers the view holds; None only when it was not to be counted
    (``count=False``) and the window did not reach the end."""
    ids: tuple[int, ...] = ()
    """Every paper of the view, in order, when asked for (``every_id``)."""
    offset: int = 0
    """Where ``rows`` start in the view."""
    change_token: int = 0
    """The library's change token, read before the answer: later writes are newer."""


# Often written joined or hyphenated: "pretraining" and "pre-training", "fine-tuning".
JOINABLE = frozenset(
    {
        "co",
        "cross",
        "end",
        "few",
        "fine",
        "hyper",
        "inter",
        "intra",
        "long",
        "meta",
        "multi",
        "non",
        "open",
        "post",
        "pre",
        "re",
        "real",
        "self",
        "semi",
        "sub",
        "super",
        "zero",
    }
)


def match_query(words: list[str], vocabulary: Vocabulary, *, any_word: bool = False) -> MatchQuery:
    """Every word (or any word), each as itself or a prefix, with its accented spellings.

    A word that finds little by itself also stands for what it probably meant: its
    corrections, each as a prefix too ("transfromer" finds what "transformer" finds),
    and, for a slip in the last letter or an abbreviation, itself less that letter
    ("docs" → "doc"*). A word often written hyphenated stands for both spellings:
    "pre training" finds "Pretraining" too, and "pretraining" finds a title with
    "Pre-training" (the title only: "pre" and "training" apart in an abstract say little).
    """
    meant: list[str] = []
    alternatives = []
    position = 0
    while position < len(words):
        word = words[position]
        split_at, in_title = _split_point(word, vocabulary), True
        following = words[position + 1] if position + 1 < len(words) else None
        if following is not None and word in JOINABLE:
            word, split_at, in_title = word + following, len(word), False
            position += 1
        position += 1
        prefix = len(word) >= 2
        terms = {Term(word, prefix=prefix)}
        if split_at:
            terms.add(Term(word, prefix=prefix, split_at=split_at, in_title=in_title))
        terms.update(Term(term) for term in vocabulary.accented(word, prefix=prefix))
        corrections = []
        if not split_at and vocabulary.needs_correction(word):
            terms.add(Term(word[:-1], prefix=True))
            corrections = vocabulary.similar(word)
            for correction in corrections:
                terms.add(Term(correction, prefix=True))
                terms.update(Term(term) for term in vocabulary.accented(correction, prefix=False))
        meant.append(corrections[0] if corrections else word)
        alternatives.append(tuple(sorted(terms, key=_term_order)))
    return MatchQuery(tuple(alternatives), any_word=any_word, meant=tuple(meant))


def _split_point(word: str, vocabulary: Vocabulary) -> int:
    """Where a joined word splits into a joinable start and a known word; 0 if it does not."""
    for split_at in range(2, min(len(word) - 3, 6)):
        if word[:split_at] in JOINABLE and vocabulary.finds(word[split_at:]):
            return split_at
    return 0


def _term_order(term: Term) -> tuple[str, bool, int, bool]:
    return term.text, term.prefix, term.split_at, term.in_title


def _whole_words(words: list[str], any_word: bool) -> MatchQuery | None:
    """Short words as whole words (not prefixes), in any field; None if one is a letter."""
    if any(len(word) < 2 for word in words):
        return None
    return MatchQuery(tuple((Term(word),) for word in words), any_word=any_word)


@dataclass(frozen=True, slots=True)
class _Countable:
    """What a search found, as the index can count it: papers that any of ``matches``
    match, and ``starts``, the titles starting with the query."""

    matches: tuple[MatchQuery, ...]
    starts: tuple[int, ...]


class Searcher:
    """Answers list and search questions about one store. Thread-safe."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._loaded: Vocabulary | None = None  # every term, once the app has loaded them
        self._loaded_newest = 0  # the newest paper when they were read
        self._asked: Vocabulary | None = None  # asks the index, until they are loaded
        self._asked_token: int | None = None
        self._index_answers: bool | None = None
        self._vocabulary_lock = threading.Lock()
        self._loading_lock = threading.Lock()
        self._trash = TrashTerms(store)
        self._rows: dict[int, PaperSummary] = {}
        self._rows_token: int | None = None
        self._rows_lock = threading.Lock()

    # -- questions ------------------------------------------------------------------------------

    def answer(
        self,
        query: ParsedQuery,
        *,
        sort: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        around: int | None = None,
        every_id: bool = False,
        count: bool = True,
    ) -> Found:
        """The rows of a list (a query without words) or a search, and how many match.

        Args:
            query: Words and filters; without words, every paper passing the filters.
            sort: A sort key (``store.SORT_KEYS``); None for best match first, or for a
                list, newest first.
            limit: At most this many rows (None: every one).
            offset: The first row's place in the view.
            around: A paper to centre the window on, when the view holds it.
            every_id: Also every paper's id in order (a front end holding the whole view).
            count: Count the papers even when the window does not reach the end. Without
                it, a search in best-match order finds only as many as the window needs.
        """
        token = self._store.change_token()
        if not query.text:
            if every_id or around is not None:
                ids = tuple(self._store.ids(sort=sort or "date", filters=query))
                return self._window(ids, token, limit, offset, around, every_id)
            rows = self._store.summaries(
                sort=sort or "date", filters=query, limit=limit, offset=offset
            )
            reached_end = limit is None or len(rows) < limit
            if reached_end and (rows or not offset):
                total: int | None = offset + len(rows)
            else:
                total = self._store.count(query) if count else None
            return Found(rows, total, offset=offset, change_token=token)
        wanted = None if limit is None else offset + limit
        if sort is None and not every_id and around is None and wanted:  # best first
            best, tail, countable = self._best(query, wanted, token)
            page = (*(hit.id for hit in best), *(paper_id for paper_id, _score in tail))
            total = len(page) if len(page) < wanted else None
            if total is None and count and countable is not None:
                total = self._count(query, countable)  # counted, not read: 50,000 ids cost
            if total is not None or not count:
                return replace(self._window(page, token, limit, offset, None, False), total=total)
        best, tail, _countable = self._best(query, None, token)  # ids only: no hit objects
        ids = (*(hit.id for hit in best), *(paper_id for paper_id, _score in tail))
        if sort is not None and ids:
            ids = tuple(self._store.ids(sort=sort, among=ids))
        return self._window(ids, token, limit, offset, around, every_id)

    def _window(
        self,
        ids: tuple[int, ...],
        token: int,
        limit: int | None,
        offset: int,
        around: int | None,
        every_id: bool,
    ) -> Found:
        if around is not None and around in ids:
            offset = max(0, ids.index(around) - (limit or 0) // 2)
        end = None if limit is None else offset + limit
        rows = self.rows(ids[offset:end], token=token)
        return Found(rows, len(ids), ids if every_id else (), offset, token)

    def hits(
        self, query: ParsedQuery, *, limit: int | None = 50, token: int | None = None
    ) -> list[SearchHit]:
        """Best matches first; typo-tolerant; with only filters, every match newest first.

        All the words must match (in any field), the last one as a prefix; if no paper
        has them all, papers with any of them are returned, still best first. Titles
        that start with the query match too, and come first with the titles that hold
        its words (``ranking``). ``token`` is the change token already read, if any.
        """
        best, tail, _countable = self._best(query, limit, token)
        return best + [SearchHit(paper_id, score) for paper_id, score in tail]

    def _best(
        self, query: ParsedQuery, limit: int | None, token: int | None
    ) -> tuple[list[SearchHit], list[tuple[int, float]], _Countable | None]:
        """``hits``: the ranked head, then the tail as the index yields it (ids and
        scores: a broad prefix's 90,000 matches at 100,000 papers are not made hits
        when only their ids are wanted); and how to count every match without reading
        them (None when the titles starting with the query were not all read: a lone
        letter)."""
        words = query_words(query.text)
        if not words:
            if not query.has_filters and query.text:
                return [], [], None  # only punctuation: nothing to look for
            return [], self._store.search_ids(None, query, limit=limit), None
        if token is None:
            token = self._store.change_token()
        fetch = None if limit is None else max(limit, RERANKED)
        lone_letter = len(words) == 1 and len(words[0]) == 1  # only titles starting so match
        starts_wanted = fetch if lone_letter else TITLE_STARTS
        starts = self._store.title_prefix_ids(title_key(query.text), query, limit=starts_wanted)
        if len(words) > 1 and len(words[-1]) == 1:
            words = words[:-1]  # a word's first keystroke: every term it starts is too many
        vocabulary = self._vocabulary(token)
        # A word's first keystrokes: BM25 over the titles holding "tran"* (a third of
        # them at 100,000 papers) cost more than the rest of the keystroke, and ordered
        # by how often a title repeats it; titles matching alike come newest first.
        short = all(len(word) < SHORT_WORD for word in words)
        for any_word in (False, True):
            match = match_query(words, vocabulary, any_word=any_word)
            if short:
                titled = replace(match, title_only=True)
                found = self._store.search_ids(titled, query, limit=fetch, ranked=False)
                whole = _whole_words(list(match.meant), any_word)  # a typo as it was meant
                found += self._also_anywhere(whole, query, fetch, found)
                matched: tuple[MatchQuery, ...] = (titled, whole) if whole else (titled,)
                if whole is not None and len(found) < RERANKED:  # a page unfilled, any limit
                    found += self._also_anywhere(match, query, fetch, found)  # "agen": agents
                    matched = (*matched, match)
            else:
                found = self._ranked_matches(match, query, fetch)
                matched = (match,)
            if found or starts or len(words) == 1:
                break
        if list(match.meant) != words:  # a typo corrected: titles starting as it was meant
            known = set(starts)
            meant = self._store.title_prefix_ids(" ".join(match.meant), query, limit=TITLE_STARTS)
            starts += [paper_id for paper_id in meant if paper_id not in known]
        head = [SearchHit(paper_id, score) for paper_id, score in found[:RERANKED]]
        ranked = {hit.id for hit in head}
        head += [SearchHit(pid, 0.0) for pid in starts[:RERANKED] if pid not in ranked]
        ranked.update(starts[:RERANKED])
        tail: list[tuple[int, float]] = []
        for found_id, score in chain(found[RERANKED:], ((pid, 0.0) for pid in starts[RERANKED:])):
            if found_id not in ranked:  # each paper once, where it first comes
                ranked.add(found_id)
                tail.append((found_id, score))
        rows = self.rows([hit.id for hit in head], token=token)  # kept for the list
        titles = {row.id: row.title for row in rows}
        best = rerank(match, head, titles)
        if limit is not None:
            best, tail = best[:limit], tail[: max(0, limit - len(best))]
        return best, tail, None if lone_letter else _Countable(matched, tuple(starts))

    def _count(self, query: ParsedQuery, countable: _Countable) -> int:
        """How many papers ``hits`` would find without a limit: every match, and the
        titles starting with the query that are not matches."""
        found = self._store.count_matches(countable.matches, query)
        if not countable.starts:
            return found
        among = countable.starts
        return found + len(among) - self._store.count_matches(countable.matches, query, among=among)

    def _also_anywhere(
        self,
        match: MatchQuery | None,
        query: ParsedQuery,
        fetch: int | None,
        found: list[tuple[int, float]],
    ) -> list[tuple[int, float]]:
        """Papers ``match`` finds in any field, unranked, after those ``found`` already.

        Short words come first as the start of a title, then whole in any field ("vit"
        for a ViT abstract), and as the start of a word in any field only when those
        do not fill a page (``RERANKED``, as many as a first page: "agen" for an
        abstract's agents): every term "tra" starts, in every abstract, is a keystroke's
        time at 100,000 papers, and the whole list's four times, where titles alone
        fill the page. The first page, the whole list and the count agree.
        """
        if match is None:
            return []
        seen = {paper_id for paper_id, _score in found}
        extra = None if fetch is None else fetch + len(seen)
        anywhere = self._store.search_ids(match, query, limit=extra, ranked=False)
        return [(paper_id, 0.0) for paper_id, _score in anywhere if paper_id not in seen]

    def _ranked_matches(
        self, match: MatchQuery, query: ParsedQuery, fetch: int | None
    ) -> list[tuple[int, float]]:
        """Title matches ranked by BM25, then other matches newest first.

        Ranking every abstract that mentions "transformer" costs hundreds of
        milliseconds at 100,000 papers; titles are what a reader types, so only they
        are ranked, and the rest follow in the order the index yields them.
        """
        titled = self._store.search_ids(replace(match, title_only=True), query, limit=fetch)
        if fetch is not None and len(titled) >= fetch:
            return titled
        seen = {paper_id for paper_id, _score in titled}
        extra = None if fetch is None else fetch + len(seen)
        rest = self._store.search_ids(match, query, limit=extra, ranked=False)
        return titled + [(pid, 0.0) for pid, _score in rest if pid not in seen]

    # -- the rows of recent answers -----------------------------------------------------------

    def rows(self, ids: Sequence[int], *, token: int | None = None) -> list[PaperSummary]:
        """Summaries for ``ids`` in the order given; unknown ids are skipped.

        Rows are kept between calls: the next keystroke's results are mostly the same
        papers, and reading 1,000 rows again costs 5 ms. Any write, ours or another
        instance's, changes the store's change token, which empties the cache.
        ``token`` is the change token already read, if any.
        """
        if not ids:
            return []
        if token is None:
            token = self._store.change_token()
        with self._rows_lock:
            if token != self._rows_token:
                self._rows.clear()
                self._rows_token = token
            known = {pid: self._rows[pid] for pid in ids if pid in self._rows}
        missing = [pid for pid in ids if pid not in known]
        if missing:
            fetched = self._store.summaries_of(missing)
            known.update(fetched)
            with self._rows_lock:
                if self._rows_token == token:
                    if len(self._rows) + len(fetched) > CACHED_SUMMARIES:
                        self._rows.clear()
                    self._rows.update(fetched)
        return [known[pid] for pid in ids if pid in known]

    # -- the typo vocabulary ------------------------------------------------------------------

    def load_vocabulary(self) -> None:
        """Load every term of the index now (a worker's job), not on a keystroke.

        Called again after another instance wrote, it reloads only if papers were added
        meanwhile, so their words are corrected toward too. Searches meanwhile ask the
        index for their words, where it can be asked so.
        """
        with self._loading_lock:
            newest = self._store.newest_id()  # before the terms: later papers show next time
            with self._vocabulary_lock:
                if self._loaded is not None and newest <= self._loaded_newest:
                    return
            loaded = Vocabulary(self._store.vocabulary(), documents=self._store.count())
            with self._vocabulary_lock:
                self._loaded, self._loaded_newest = loaded, newest

    def papers_added(self) -> None:
        """Papers were imported here: the loaded terms are out of date."""
        with self._vocabulary_lock:
            self._loaded = None

    def note_saved(self, note: str) -> None:
        """A note was saved here: its words join the loaded terms (a reload costs a second
        at 100,000 papers)."""
        with self._vocabulary_lock:
            if self._loaded is not None:
                self._loaded.add(note)

    def _vocabulary(self, token: int) -> Vocabulary:
        """The loaded terms; until they are, the index asked for each word's; where it
        cannot be asked so, every term, loaded now. Either way without the terms only
        papers in the trash hold."""
        trash = self._trash.terms(token, gone_for_good=self.papers_added)
        vocabulary = self._terms_read(token)
        vocabulary.leave_out(trash)
        return vocabulary

    def _terms_read(self, token: int) -> Vocabulary:
        with self._vocabulary_lock:
            if self._loaded is not None:
                return self._loaded
            if self._asks_index():
                if self._asked is None or self._asked_token != token:
                    self._asked = Vocabulary.asking(
                        self._store, self._store.count, self._papers_holding
                    )
                    self._asked_token = token
                return self._asked
        self.load_vocabulary()
        with self._vocabulary_lock:
            return self._loaded or Vocabulary(())

    def _papers_holding(self, word: str, prefix: bool, at_most: int) -> int:
        """How many papers hold ``word`` (or a term it starts), counted up to ``at_most``:
        the index's own lookup, no term read (``Vocabulary.asking``). Titles are asked
        first: when enough of them hold it, the abstracts need not be read (for "tran"*
        at 100,000 papers, 2 ms instead of 15)."""
        match = MatchQuery(((Term(word, prefix=prefix),),))
        for where in (replace(match, title_only=True), match):
            found = len(self._store.search_ids(where, ParsedQuery(), limit=at_most, ranked=False))
            if found >= at_most:
                break
        return found

    def _asks_index(self) -> bool:
        """Whether the index answers for a few terms (``Store.index_terms``); asked once."""
        if self._index_answers is None:
            self._index_answers = self._store.index_terms("", limit=0) is not None
        return self._index_answers
