"""Issue 18's query fields: ``author:NAME``, ``has:arxiv``, words of author names and
keywords found by search, and the ``stars`` order; on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from readinglist.cli import cli
from readinglist.core.query import parse_query
from readinglist.core.service import ReadingList
from readinglist.core.storage.migrations import MIGRATIONS
from readinglist.core.textclean import search_fold
from tests.conftest import TODAY, undo_statements
from tests.hf_builder import item, write


def person(name: str) -> dict[str, object]:
    return {"name": name, "hidden": False}


PAPERS = [
    item(
        id="2601.00001",
        title="Scaling Laws for Neural Language Models",
        authors=[person("Jared Kaplan"), person("Sam McCandlish")],
        ai_keywords=["power laws", "compute budget"],
        githubStars=120,
    ),
    item(
        id="2601.00002",
        title="Attention Is All You Need Again",
        authors=[person("Ashish Vaswani"), person("Noam Shazeer")],
        ai_keywords=["transformers", "self-attention"],
        githubStars=None,
    ),
    item(
        id="2601.00003",
        title="Über Residual Streams",
        authors=[person("Jürgen Müller")],
        ai_keywords=["interpretability"],
        githubStars=7,
    ),
]
TEXT_ONLY = "A Paper From a Text Page"


@pytest.fixture
def papers(service: ReadingList, tmp_path: Path) -> ReadingList:
    service.import_pages([write(tmp_path, "day.json", json.dumps(PAPERS))])
    page = f"Daily Papers\n\n{TEXT_ONLY}\n\nAn abstract about kaplan meier curves.\n"
    service.import_pages([write(tmp_path, "text.txt", page)])
    return service


def titles(service: ReadingList, query: str, **options: object) -> list[str]:
    return [row.title for row in service.search_rows(query, **options).rows]  # type: ignore[arg-type]


def test_the_new_filters_are_parsed_with_quotes_and_any_case():
    parsed = parse_query('AUTHOR:"Jared Kaplan" Has:arXiv scaling')
    assert (parsed.author, parsed.has_arxiv, parsed.text) == ("Jared Kaplan", True, "scaling")
    assert parsed.has_filters and not parsed.problems
    assert parse_query("author:").problems == ("author:",)  # no name: said, not ignored


def test_author_filter_finds_part_of_a_name_in_any_case(papers: ReadingList):
    assert titles(papers, "author:kaplan") == ["Scaling Laws for Neural Language Models"]
    assert titles(papers, 'author:"noam shazeer"') == ["Attention Is All You Need Again"]
    assert titles(papers, "author:Müller") == ["Über Residual Streams"]
    assert titles(papers, "author:nobody") == []


NAMES_BEYOND_ASCII = [
    item(id="2601.00011", title="Lattice One", authors=[person("Łukasz Kaiser")]),
    item(id="2601.00012", title="Lattice Two", authors=[person("Ömer Çağlar")]),
    item(id="2601.00013", title="Lattice Three", authors=[person("Zoe\u0301 Park")]),  # decomposed
    item(id="2601.00014", title="Lattice Four", authors=[person("Jörg Ørsted")]),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Łukasz", ["Lattice One"]),
        ("łukasz", ["Lattice One"]),
        ("lukasz", ["Lattice One"]),
        ("Ömer", ["Lattice Two"]),
        ("çağlar", ["Lattice Two"]),
        ("Zoé", ["Lattice Three"]),  # typed composed, stored decomposed
        ("zoe park", ["Lattice Three"]),
        ("jorg", ["Lattice Four"]),
        ("ØRSTED", ["Lattice Four"]),
    ],
)
def test_author_filter_folds_case_and_accents_beyond_ascii(
    service: ReadingList, tmp_path: Path, name: str, expected: list[str]
):
    service.import_pages([write(tmp_path, "names.json", json.dumps(NAMES_BEYOND_ASCII))])
    assert titles(service, f'author:"{name}"') == expected


@given(st.text())
def test_folded_names_hold_no_ascii_capitals(text: str):
    """SQLite's LIKE ignores ASCII case and PostgreSQL's does not: a folded name holds
    none, so both find the same (a compatibility letter such as ℌ decomposes to one)."""
    assert not any("A" <= char <= "Z" for char in search_fold(text))
    assert search_fold("ℌilbert Gauß") == "hilbert gauss"


def undo_since(location: str, migration: str) -> None:
    """The library as it was before ``migration``: what it and every later one did,
    undone (``UNDO``), and the library's version set back."""
    names = [name for name, _step in MIGRATIONS]
    before = names.index(migration)
    if location.startswith("postgresql"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            for statement in undo_statements(migration):
                conn.execute(statement)
            conn.execute("DELETE FROM schema_migration WHERE name = ANY(%s)", (names[before:],))
        return
    with sqlite3.connect(location) as conn:
        for statement in undo_statements(migration):
            conn.execute(statement)
        conn.execute("DELETE FROM schema_migration WHERE name >= ?", (migration,))
        conn.execute(f"PRAGMA user_version = {before}")


ORGANISATIONS = [
    item(
        id="2601.00041",
        title="Lattice Six",
        organization={"name": "ens-ulm", "fullname": "École normale supérieure"},
    ),
    item(id="2601.00042", title="Lattice Seven", organization={"name": "acme", "fullname": "Acme"}),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("École", ["Lattice Six"]),
        ("ecole normale", ["Lattice Six"]),
        ("SUPÉRIEURE", ["Lattice Six"]),
        ("ens-ulm", ["Lattice Six"]),  # the handle
        ("ACME", ["Lattice Seven"]),
        ("supérieure ens", []),  # never from the name into the handle
    ],
)
def test_org_filter_folds_case_and_accents_in_the_name_and_the_handle(
    service: ReadingList, tmp_path: Path, name: str, expected: list[str]
):
    service.import_pages([write(tmp_path, "orgs.json", json.dumps(ORGANISATIONS))])
    assert titles(service, f'org:"{name}"') == expected


@pytest.mark.parametrize(
    ("migration", "listing", "expected"),
    [
        (
            "013_author_key",
            NAMES_BEYOND_ASCII,
            {"author:lukasz": ["Lattice One"], "author:jorg": ["Lattice Four"]},
        ),
        ("014_org_key", ORGANISATIONS, {"org:ecole": ["Lattice Six"]}),
    ],
)
def test_a_library_made_before_a_folded_key_gets_it_for_its_filter(
    library_location: str,
    tmp_path: Path,
    migration: str,
    listing: list[Any],
    expected: dict[str, list[str]],
):
    with ReadingList(library_location, today=TODAY) as service:
        service.import_pages([write(tmp_path, "listing.json", json.dumps(listing))])
    undo_since(library_location, migration)
    with ReadingList(library_location, today=TODAY) as old:  # migrates when opened
        assert old.schema_version() == len(MIGRATIONS)
        for query, titles_found in expected.items():
            assert titles(old, query) == titles_found


def test_org_filter_follows_the_organisation_a_later_listing_brings(
    service: ReadingList, tmp_path: Path
):
    bare = item(id="2601.00043", title="Lattice Eight", organization=None)
    bare.pop("organization", None)
    service.import_pages([write(tmp_path, "bare.json", json.dumps([bare]))])
    assert titles(service, "org:ecole") == []
    service.import_pages([write(tmp_path, "orgs.json", json.dumps(ORGANISATIONS[:1]))])
    named = {**ORGANISATIONS[0], "paper": {**ORGANISATIONS[0]["paper"], "id": "2601.00043"}}
    named["paper"]["title"] = "Lattice Eight"
    service.import_pages([write(tmp_path, "named.json", json.dumps([named]))])
    assert sorted(titles(service, "org:ecole")) == ["Lattice Eight", "Lattice Six"]


def test_author_filter_follows_names_a_later_listing_brings(service: ReadingList, tmp_path: Path):
    bare = item(id="2601.00021", title="Lattice Five", authors=[])
    service.import_pages([write(tmp_path, "bare.json", json.dumps([bare]))])
    assert titles(service, "author:lukasz") == []
    named = item(id="2601.00021", title="Lattice Five", authors=[person("Łukasz Kaiser")])
    service.import_pages([write(tmp_path, "named.json", json.dumps([named]))])
    assert titles(service, "author:lukasz") == ["Lattice Five"]


def test_author_filter_takes_like_wildcards_literally(papers: ReadingList):
    assert titles(papers, "author:%") == [] and titles(papers, "author:_") == []


def test_has_arxiv_keeps_only_papers_with_an_id(papers: ReadingList):
    found = titles(papers, "has:arxiv")
    assert len(found) == 3 and TEXT_ONLY not in found
    assert TEXT_ONLY in titles(papers, "")


def test_filters_combine_with_words(papers: ReadingList):
    assert titles(papers, "scaling has:arxiv") == ["Scaling Laws for Neural Language Models"]
    assert titles(papers, "page has:arxiv") == []


def test_stars_order_puts_most_starred_first_and_unknown_last(papers: ReadingList):
    expected = [
        "Scaling Laws for Neural Language Models",  # 120 stars
        "Über Residual Streams",  # 7
    ]
    found = titles(papers, "", sort="stars")
    assert found[:2] == expected and set(found[2:]) == {
        "Attention Is All You Need Again",
        TEXT_ONLY,
    }
    assert titles(papers, "has:arxiv", sort="stars")[:2] == expected
    # the three share the real item's abstract: a search in the stars order
    assert titles(papers, "classifiers", sort="stars") == [
        *expected,
        "Attention Is All You Need Again",
    ]


def test_cli_list_and_search_take_the_stars_order(papers: ReadingList):
    result = CliRunner().invoke(cli, ["--db", papers.name, "list", "--sort", "stars", "--json"])
    assert result.exit_code == 0, result.output
    assert [paper["github_stars"] for paper in json.loads(result.output)][:2] == [120, 7]
    args = ["--db", papers.name, "search", "has:arxiv", "--sort", "stars", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert [paper["github_stars"] for paper in json.loads(result.output)] == [120, 7, None]


def test_search_finds_author_names_and_keywords(papers: ReadingList):
    assert titles(papers, "mccandlish") == ["Scaling Laws for Neural Language Models"]
    assert titles(papers, "shazeer") == ["Attention Is All You Need Again"]
    assert titles(papers, "interpretability") == ["Über Residual Streams"]
    assert titles(papers, "compute budget") == ["Scaling Laws for Neural Language Models"]
    found = titles(papers, "kaplan")  # a name, and a word of the text page's abstract
    assert set(found) == {"Scaling Laws for Neural Language Models", TEXT_ONLY}
    assert titles(papers, "kaplan has:arxiv") == ["Scaling Laws for Neural Language Models"]
    assert papers.search_rows("mccandlish").total == 1


def test_names_a_later_listing_adds_are_found_too(service: ReadingList, tmp_path: Path):
    title = "Scaling Laws for Neural Language Models"
    page = f"Daily Papers\n\n{title}\n\nWe study scaling.\n"
    service.import_pages([write(tmp_path, "text.txt", page)])
    assert titles(service, "mccandlish") == []
    [report] = service.import_pages([write(tmp_path, "day.json", json.dumps(PAPERS[:1]))])
    assert (report.new, report.updated) == (0, 1)
    assert titles(service, "mccandlish") == [title]
    assert titles(service, "budget") == [title]


def downgrade_to_before_010(location: str) -> None:
    """Make the full-text index what it was before migration 010: four columns."""
    names = [name for name, _step in MIGRATIONS]
    before = names.index("010_fulltext_names_keywords")
    if location.startswith("postgresql"):
        import psycopg

        old = " || ".join(
            f"setweight(to_tsvector('simple'::regconfig, {column}), '{weight}')"
            for column, weight in (("title", "A"), ("coalesce(org, '')", "B"))
        )
        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute("DROP INDEX ix_paper_search")
            conn.execute("ALTER TABLE paper DROP COLUMN search_vector")
            conn.execute(
                f"ALTER TABLE paper ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({old}) STORED"
            )
            conn.execute("CREATE INDEX ix_paper_search ON paper USING gin (search_vector)")
            for statement in undo_statements("012"):
                conn.execute(statement)
            conn.execute("DELETE FROM schema_migration WHERE name = ANY(%s)", (names[before:],))
        return
    columns = "title, org, note, abstract"
    with sqlite3.connect(location) as conn:
        for statement in undo_statements("012"):
            conn.execute(statement)
        conn.executescript(
            "DROP TRIGGER paper_fts_update; DROP TRIGGER paper_fts_delete;"
            "DROP TABLE paper_fts_vocab; DROP TABLE paper_fts;"
            "DROP TRIGGER paper_title_fts_update; DROP TRIGGER paper_title_fts_delete;"
            "DROP TABLE paper_title_fts;"
            f"CREATE VIRTUAL TABLE paper_fts USING fts5({columns}, content='paper',"
            " content_rowid='id', tokenize='unicode61 remove_diacritics 2', detail=column);"
            "CREATE VIRTUAL TABLE paper_fts_vocab USING fts5vocab(paper_fts, 'row');"
            "CREATE TRIGGER paper_fts_delete AFTER DELETE ON paper BEGIN SELECT 1; END;"
            f"CREATE TRIGGER paper_fts_update AFTER UPDATE OF {columns} ON paper BEGIN SELECT 1; END;"
            "INSERT INTO paper_fts (paper_fts) VALUES ('rebuild');"
        )
        conn.execute("DELETE FROM schema_migration WHERE name >= ?", (names[before],))
        conn.execute(f"PRAGMA user_version = {before}")


def test_migration_010_indexes_the_names_of_a_library_made_before(
    library_location: str, tmp_path: Path
):
    with ReadingList(library_location, today=TODAY) as service:
        service.import_pages([write(tmp_path, "day.json", json.dumps(PAPERS))])
    downgrade_to_before_010(library_location)
    with ReadingList(library_location, today=TODAY) as old:  # migrates when opened
        assert old.schema_version() == len(MIGRATIONS)
        assert titles(old, "mccandlish") == ["Scaling Laws for Neural Language Models"]
        assert titles(old, "interpretability") == ["Über Residual Streams"]


def test_migration_010_respells_escaped_names_so_filters_and_search_read_them(
    library_location: str, tmp_path: Path
):
    with ReadingList(library_location, today=TODAY) as service:
        service.import_pages([write(tmp_path, "day.json", json.dumps(PAPERS))])
    downgrade_to_before_010(library_location)
    escaped = json.dumps(["Jürgen Müller"])  # as lists were written before 010
    garbage = "not [json \\u00fc"  # another client's: left as it is
    sql = "UPDATE paper SET author_names = {p}, keywords = {p} WHERE title = {p}"
    if library_location.startswith("postgresql"):
        import psycopg

        with psycopg.connect(library_location, autocommit=True) as conn:
            conn.execute(sql.format(p="%s"), (escaped, garbage, "Über Residual Streams"))
    else:
        with sqlite3.connect(library_location) as conn:
            conn.execute(sql.format(p="?"), (escaped, garbage, "Über Residual Streams"))
    with ReadingList(library_location, today=TODAY) as old:
        assert titles(old, "author:Müller") == ["Über Residual Streams"]
        assert titles(old, "jürgen") == ["Über Residual Streams"]
        [paper] = [old.get(row.id) for row in old.search_rows("author:müller").rows]
        assert paper.author_names == ("Jürgen Müller",) and paper.keywords == ()
