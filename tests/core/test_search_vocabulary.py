"""The app's loaded typo vocabulary: compact in memory, and the same answers whatever
order the index yields its terms in (SQLite's in order, PostgreSQL's not)."""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Iterator

from readinglist.core.vocabulary import Vocabulary

TERMS = 60_000


def index_terms() -> Iterator[tuple[str, int]]:
    """Terms in the index's order, made as they are read (as a cursor yields them)."""
    for number in range(TERMS):
        yield f"term{number:06d}x", number % 50 + 1


def test_the_loaded_vocabulary_holds_no_object_per_term():
    """At 100,000 papers the index holds about 450,000 terms: as a dictionary of strings
    they cost 80 MB of the app's memory, read whole first 60 MB more."""
    tracemalloc.start()
    try:
        vocabulary = Vocabulary(index_terms(), documents=100_000)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 60 * TERMS, peak  # bytes: a term's letters and two numbers are 19 (it was 108)
    assert vocabulary.holders("term000123x") == 24
    assert vocabulary.finds("term0599") and not vocabulary.finds("term06")
    assert vocabulary.similar("term000123") == []  # a prefix of terms: being typed


def test_terms_out_of_order_answer_as_in_order():
    words = [
        "transformer",
        "transformers",
        "tranformer",
        "attention",
        "attentive",
        "café",
        "cafe",
        "naïve",
        "model",
        "mode",
        "modal",
        "言語モデル",
        "depression",
        "expression",
    ]
    terms = [(word, len(word) * 7 % 40 + 1) for word in words]
    terms += [(f"filler{number}", 1) for number in range(3000)]
    ordered = Vocabulary(sorted(terms), documents=1000)
    shuffled = list(terms)
    random.Random(20).shuffle(shuffled)
    unordered = Vocabulary(iter(shuffled), documents=1000)
    for word in [*words, "transfromer", "atention", "modle", "caf", "naive", "fill", "filler12"]:
        for question in ("holders", "finds", "finds_little", "similar", "needs_correction"):
            assert getattr(unordered, question)(word) == getattr(ordered, question)(word), (
                question,
                word,
            )
        assert unordered.accented(word, prefix=True) == ordered.accented(word, prefix=True)


def test_a_notes_words_join_the_loaded_terms():
    vocabulary = Vocabulary(index_terms(), documents=100_000)
    assert vocabulary.holders("zanzibarian") == 0
    vocabulary.add("Compare with the Zanzibarian benchmark")
    assert vocabulary.holders("zanzibarian") == 1
    assert vocabulary.similar("zanzibarain") == ["zanzibarian"]
    vocabulary.add("term000123x again")
    assert vocabulary.holders("term000123x") == 25
