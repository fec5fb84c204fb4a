"""Search relevance, on both backends: queries → the papers that must come in the top three,
and the papers that must not match at all.

The library is the three sample pages plus a small page of our own (``PAGE``): titles the
samples lack (an exact title, accents, organisations, "Expression" beside "Depression").
Typos, prefixes typed keystroke by keystroke, several words, filters with words and
accents are all here, with the typo vocabulary asked of the index (a CLI command) and
loaded whole (the app). A query that fails prints what it found instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readinglist.core.query import parse_query
from readinglist.core.service import ReadingList

BERT = "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
BERT_IN_PASSING = "Pre-training technique to localize medical BERT and enhance biomedical BERT"
AIAYN = "Attention Is All You Need"
KERNELS = "Efficient Attention Kernels for Accelerators"
VIDEO = "Scaling Multimodal Attention for Video"
EXPRESSION = "Expression Grounding for Facial Animation"
ONEREF = (
    "OneRef: Unified One-tower Expression Grounding and Segmentation with Mask Referring Modeling"
)
DEPRESSION = "Depression Screening from Speech with Self-Supervised Models"
MMFFORMER = "MMFformer: Multimodal Fusion Transformer Network for Depression Detection"
CAFE = "Café Society: Résumé Parsing in Crème Brûlée Kitchens"
SOUPS = "Model Soups Revisited"
DANIEL = (
    "DANIEL: A fast Document Attention Network for Information Extraction and Labelling of "
    "handwritten documents"
)
SPECULATIVE = "Speculative Decoding with Big Little Decoder"
TURKISH = "Fine-tuning Transformer-based Encoder for Turkish Language Understanding Tasks"
LONG_DOCUMENTS = "Hierarchical Transformers for Long Document Classification"
TROCR = "Spanish TrOCR: Leveraging Transfer Learning for Language Adaptation"

PAGE = f"""Daily Papers

{AIAYN}

The dominant sequence transduction models are based on complex recurrent or convolutional neural networks. We propose a new simple network architecture based solely on attention mechanisms.

google Google
·
Jun 12, 2017 120

{KERNELS}

Fused kernels make attention cheaper on accelerators, with a study of memory traffic.

google Google
·
Feb 2, 2024 10

{VIDEO}

Attention over long videos, scaled with sparse routing across many frames.

facebook Meta
·
Mar 9, 2024 30

{EXPRESSION}

We animate talking faces from speech audio and a reference image, with controllable facial motion.

  • 4 authors
·
Mar 3, 2024

{DEPRESSION}

We screen for depressive disorders from short speech recordings collected in clinics.

  • 3 authors
·
Apr 4, 2024

{CAFE}

Menus and résumés written with accents, parsed by a small network.

  • 2 authors
·
May 5, 2024

{SOUPS}

Averaging the weights of fine-tuned networks improves accuracy without extra inference cost.

  • 5 authors
·
Jun 6, 2024
"""

FIRST = [  # the examples: the title typed comes first
    ("bert", BERT),
    ("BERT", BERT),
    ("attention is all you need", AIAYN),
    ("depression", DEPRESSION),
    ("expression", EXPRESSION),
    ("cafe", CAFE),
    ("café", CAFE),
]
TOP_THREE = [
    ("bert pretraining", BERT),  # written "Pre-training" in the title
    ("bert pre-training", BERT),
    ("bert pre training", BERT),
    ("BERT: Pre-training of Deep", BERT),
    ("bert", BERT_IN_PASSING),
    ("depression", MMFFORMER),
    ("expression", ONEREF),
    ("attention is all", AIAYN),
    ("atention is all you need", AIAYN),  # a typo
    ("handwriten documents", DANIEL),  # a typo
    ("handwritten docs", DANIEL),  # an abbreviation
    ("speculativ decodng", SPECULATIVE),  # two typos
    ("spanish trocr", TROCR),
    ("long document classification", LONG_DOCUMENTS),
    ("fine tuning turkish", TURKISH),  # written "Fine-tuning"
    ("finetuning turkish", TURKISH),
    ("creme brulee", CAFE),  # accents are optional
    ("Résumé parsing", CAFE),
    ("org:google attention", AIAYN),  # a filter with words
    ("org:google attention", KERNELS),
    ("org:meta attention", VIDEO),
    ("is:unstarred org:google attention need", AIAYN),
]
MUST_NOT_MATCH = [
    ("depression", EXPRESSION),  # one letter apart, but not a typo of it
    ("depression", ONEREF),
    ("expression", DEPRESSION),
    ("modal", SOUPS),  # a word of the index is meant as typed, not as "model"
    ("transfromer", DEPRESSION),  # a typo of "transformer" matches what "transformer" does
    ("hand", AIAYN),  # not "and"
    ("wiht", AIAYN),  # a typo of a stop word is not corrected to it
    ("bart", BERT),
    ("org:google attention", VIDEO),
    ("org:meta attention", AIAYN),
]


@pytest.fixture(params=["asked", "loaded"])
def library(loaded: ReadingList, tmp_path: Path, request: pytest.FixtureRequest) -> ReadingList:
    """The library, its typo vocabulary asked of the index a word at a time (a CLI
    command) or loaded whole (the app, in the background): they must answer alike.
    (PostgreSQL's index is not asked so: there both are the loaded one.)"""
    page = tmp_path / "relevance.txt"
    page.write_text(PAGE, encoding="utf-8")
    [report] = loaded.import_pages([page])
    assert report.ok and report.new == 7, report
    if request.param == "loaded":
        loaded.prepare_search()
    return loaded


def found(library: ReadingList, query: str, limit: int | None = 3) -> list[str]:
    hits = library.search(query, limit=limit)
    return [row.title for row in library.summaries([hit.id for hit in hits])]


def test_the_title_typed_comes_first(library: ReadingList):
    wrong = {query: top for query, title in FIRST if (top := found(library, query))[:1] != [title]}
    assert not wrong


def test_relevant_papers_come_in_the_top_three(library: ReadingList):
    missing = {
        query: (title, top)
        for query, title in TOP_THREE
        if title not in (top := found(library, query))
    }
    assert not missing


def test_near_misses_do_not_match(library: ReadingList):
    matched = [
        (query, title) for query, title in MUST_NOT_MATCH if title in found(library, query, None)
    ]
    assert not matched


@pytest.mark.parametrize(
    "typed", ["t", "tr", "tra", "tran", "trans", "transf", "transfo", "transform"]
)
def test_each_keystroke_of_a_word_puts_titles_starting_with_it_first(
    library: ReadingList, typed: str
):
    top = found(library, typed)
    assert len(top) == 3 and all(title.lower().startswith(typed) for title in top), top


def test_each_keystroke_of_a_title_keeps_it_in_the_top_three(library: ReadingList):
    for title, after in ((AIAYN, len("attention is")), (SPECULATIVE, len("specu"))):
        for end in range(after, len(title) + 1):
            assert title in found(library, title[:end].lower()), title[:end]


def test_a_typo_matches_what_the_word_matches_not_the_whole_library(library: ReadingList):
    for typo, word in [
        ("transfromer", "transformer"),
        ("rtansformer", "transformer"),
        ("atention", "attention"),
        ("handwriten", "handwritten"),
        ("depresion", "depression"),
    ]:
        typed = {hit.id for hit in library.search(typo, limit=None)}
        meant = {hit.id for hit in library.search(word, limit=None)}
        assert typed == meant, (typo, len(typed), word, len(meant))
    assert len(meant) < library.count()


def test_a_precise_word_matches_only_papers_holding_it(library: ReadingList):
    for query, word in [
        ("depression", "depression"),
        ("expression", "expression"),
        ("bert", "bert"),
        ("modal", "modal"),
        ("accelerators", "accelerators"),
        ("transfromer", "transformer"),
    ]:
        hits = library.search(query, limit=None)
        assert hits, word
        for record in library.records([hit.id for hit in hits]):
            text = " ".join((record.title, record.abstract, record.org or "", record.note))
            assert word in text.lower(), (word, record.title)


@pytest.mark.sqlite_only
def test_a_title_starting_with_the_query_comes_first_however_few_the_index_ranks(
    service: ReadingList, sample_pages: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from readinglist.core import search as search_module
    from readinglist.core.storage import sqlite as sqlite_store

    page = tmp_path / "relevance.txt"
    page.write_text(PAGE, encoding="utf-8")
    service.import_pages([page, *sample_pages])  # "Attention Is All You Need" is the oldest
    monkeypatch.setattr(sqlite_store, "RANK_WINDOW", 1)  # as at 100,000 papers, in small
    monkeypatch.setattr(search_module, "RERANKED", 3)
    assert found(service, "attention", 1) == [AIAYN]
    assert found(service, "atention", 1) == [AIAYN]  # and as it was meant


def test_corrections_are_tried_only_for_words_that_find_little():
    from readinglist.core.vocabulary import Vocabulary

    vocabulary = Vocabulary(
        [
            ("transformer", 900),
            ("tranformer", 1),
            ("depression", 3),
            ("expression", 40),
            ("with", 990),
            ("gpt4", 5),
            ("model", 800),
            ("mode", 30),
            ("modal", 2),
        ],
        documents=1000,
    )
    assert vocabulary.similar("transfromer") == ["transformer"]
    assert vocabulary.similar("rtansformer") == ["transformer"]  # the first two swapped
    assert vocabulary.similar("tranformer") == []  # a word of the index is meant as typed
    assert vocabulary.similar("modal") == []
    assert vocabulary.similar("depresion") == ["depression"]  # not "expression"
    assert vocabulary.similar("wiht") == []  # a stop word is no correction
    assert vocabulary.similar("gpt5") == []  # a version is meant as typed
    assert vocabulary.similar("transf") == []  # terms start with it: it is being typed
    assert vocabulary.similar("modek") == ["mode"]  # a short slip is not the very common "model"
    assert vocabulary.similar("modle") == ["model", "mode"]  # unless two letters are swapped


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # searching changes nothing
)
@given(
    query=st.text(max_size=40)
    | st.lists(
        st.sampled_from(["bert", "pre", "-", "training", "t", "café", "org:google", "ß"])
    ).map(" ".join)
)
def test_any_query_searches_without_error(library: ReadingList, query: str):
    hits = library.search(query, limit=None)
    ids = [hit.id for hit in hits]
    assert len(ids) == len(set(ids))  # each paper once
    assert len(library.summaries(ids)) == len(ids)  # and every one exists


def _holds_short_word(record, word: str) -> bool:
    """The title has a word starting with ``word``, or some field has it whole."""
    title_words = re.findall(r"[^\W_]+", record.title.lower())
    words = set(re.findall(r"[^\W_]+", record.abstract.lower())) | set(title_words)
    return word in words or any(title_word.startswith(word) for title_word in title_words)


def test_four_letters_are_a_short_word_too(library: ReadingList):
    """Up to four letters a word is a word's first keystrokes: titles by prefix and
    other fields whole come first ("mask"), then, while those do not fill a page,
    papers whose abstracts only say "masked" or "masking" (five letters on, those are
    ranked with the rest)."""
    records = library.records([hit.id for hit in library.search("mask", limit=None)])
    assert any("mask" not in record.title.lower() for record in records)
    held = [_holds_short_word(record, "mask") for record in records]
    assert False in held, "an abstract's 'masked' is found too"
    assert not any(held[held.index(False) :]), "after every paper holding 'mask' itself"
    five = library.records([hit.id for hit in library.search("maske", limit=None)])
    assert any(not _holds_short_word(record, "mask") for record in five)


def test_a_short_word_found_in_a_page_of_titles_stays_there(
    library: ReadingList, monkeypatch: pytest.MonkeyPatch
):
    """Where titles starting so (or fields holding it whole) fill a page, a short word
    goes no further: every term it starts, in every abstract, is too many for a
    keystroke at 100,000 papers. The count agrees with the list."""
    from readinglist.core import search

    monkeypatch.setattr(search, "RERANKED", 1)  # a page of one paper
    hits = library.search("mask", limit=None)
    assert all(
        _holds_short_word(record, "mask") for record in library.records([h.id for h in hits])
    )
    found = library.search_rows(parse_query("mask"), limit=5, every_id=True)
    assert found.total == len(found.ids) == len(hits)
    more = library.search("mask", limit=50)  # a limit above a page looks no further
    assert {hit.id for hit in more} == {hit.id for hit in hits[:50]}


def test_a_short_word_no_title_starts_with_is_found_anywhere(library: ReadingList):
    """A short word no title holds ("agen" of an abstract's "agents") still finds the
    papers saying it: a search never comes back empty for want of a title."""
    hits = library.search("agen", limit=None)
    assert hits, "an abstract's 'agent...' is found"
    for record in library.records([hit.id for hit in hits]):
        assert "agen" in record.abstract.lower() or "agen" in record.title.lower()
    found = library.search_rows(parse_query("agen"), limit=20, every_id=True)
    assert found.total == len(found.ids) == len(hits)


@pytest.mark.parametrize(("typo", "meant"), [("msak", "mask"), ("tnue", "tune")])
def test_a_four_letter_typo_finds_what_the_word_finds(library: ReadingList, typo, meant):
    """Four letters are a short word, and a typo of one is still read as it was meant:
    in titles and, whole, in every other field."""
    expected = {hit.id for hit in library.search(meant, limit=None)}
    assert len(expected) > 1
    assert {hit.id for hit in library.search(typo, limit=None)} == expected


def test_a_short_word_finds_papers_holding_it_whole_anywhere(library: ReadingList):
    """Three letters search titles by prefix, and every field for the whole word: "vit"
    finds the papers whose abstracts say ViT (it found none), titles starting so first,
    and only then those saying "vital"."""
    hits = library.search("vit", limit=None)
    records = library.records([hit.id for hit in hits])
    assert any("vit" not in record.title.lower() for record in records)
    held = [_holds_short_word(record, "vit") for record in records]
    if False in held:
        assert not any(held[held.index(False) :])
    assert "ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models" in [
        record.title for record in records
    ]
