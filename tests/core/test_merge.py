"""Re-import never degrades: no merge replaces text with a cut-off prefix of itself, nor a
value with an emptier one, on SQLite and PostgreSQL alike; a page that ends mid-paper is
reported and does not overwrite the complete copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.merge import MERGED_FIELDS, dedupe_by_key, merge
from readinglist.core.models import PaperRecord
from readinglist.core.parse import ParsedPaper, parse_page
from readinglist.core.service import ReadingList
from tests.conftest import SAMPLES, TODAY

FULL = (
    "We study how memory consolidates in transformers. A new method keeps what matters "
    "and forgets the rest. It beats the baselines on four benchmarks. Code: "
    "https://github.com/lab/memory."
)
OTHER = "Another Paper Title"
OTHER_ABSTRACT = "Another abstract, complete. It ends well."


def page(listing: str, target: tuple[str, str | None]) -> str:
    """A spaced page: the target paper (abstract, metadata block or None), then another."""
    abstract, meta = target
    blocks = ["Daily Papers", listing, "Target Paper", abstract]
    blocks += [meta] if meta else []
    blocks += [OTHER, OTHER_ABSTRACT, "  • 2 authors\n·\nJan 3, 2026 4"]
    return "\n\n".join(blocks) + "\n"


FULL_META = "lab Lab Name\n·\nJul 7, 2025 12"


def records(service: ReadingList) -> dict[str, PaperRecord]:
    papers = service.records([row.id for row in service.papers()])
    return {paper.title: paper for paper in papers}


def import_text(service: ReadingList, tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [report] = service.import_pages([path])
    assert report.ok, report.error
    return report


@pytest.mark.parametrize(
    "newer",
    [
        (FULL[:77], FULL_META),  # cut mid-word
        (FULL[:100] + "...", FULL_META),  # cut, with an ellipsis
        (FULL[:100] + "…", FULL_META),
        (FULL[:100].replace(" ", "\n\n", 3), FULL_META),  # cut, broken into paragraphs
        (FULL, "  • 3 authors\n·\nJul 7, 2025 12"),  # no organisation (authors are new)
        (FULL, "lab Lab\n·\nJul 7, 2025 12"),  # the organisation's name cut
        (FULL, "lab Lab Name\n·\nJul 7 12"),  # the date without its year
        (FULL, "lab Lab Name\n·\nJul 7, 2025"),  # no upvotes
        (FULL, None),  # no metadata at all
        ("Target Paper abstract lost", FULL_META),  # not a prefix, but more U+FFFD below
    ],
    ids=[
        "cut",
        "cut...",
        "cut…",
        "cut-paragraphs",
        "no-org",
        "org-cut",
        "date-no-year",
        "no-upvotes",
        "no-metadata",
        "replacement-chars",
    ],
)
def test_a_newer_listing_never_degrades_a_field(service, tmp_path: Path, newer):
    import_text(service, tmp_path, "full.txt", page("May 1, 2026", (FULL, FULL_META)))
    before = records(service)["Target Paper"]
    abstract, meta = newer
    if abstract.startswith("Target Paper abstract lost"):
        abstract = FULL.replace("memory", "mem\ufffd\ufffdry")
    import_text(service, tmp_path, "newer.txt", page("May 9, 2026", (abstract, meta)))
    after = records(service)["Target Paper"]
    assert after.abstract == FULL and after.links == before.links
    assert (after.org, after.org_id) == ("Lab Name", "lab")
    assert (after.date, after.date_text, after.upvotes) == ("2025-07-07", "Jul 7, 2025", 12)
    if meta and "authors" in meta:
        assert after.authors == 3  # a field the stored copy lacked is still filled


def test_a_newer_listing_still_updates_what_it_changes(service, tmp_path: Path):
    import_text(service, tmp_path, "full.txt", page("May 1, 2026", (FULL, FULL_META)))
    revised = "A revised abstract, shorter. It says it differently."
    import_text(
        service,
        tmp_path,
        "newer.txt",
        page("May 9, 2026", (revised, "org2 Other Lab\n·\nJul 8, 2025 3")),
    )
    after = records(service)["Target Paper"]
    assert after.abstract == revised and after.links == ()
    assert (after.org, after.org_id, after.date_text, after.upvotes) == (
        "Other Lab",
        "org2",
        "Jul 8, 2025",
        3,
    )


def test_a_fuller_copy_wins_whatever_its_age(service, tmp_path: Path):
    cut = (FULL[:60], "lab Lab Name\n·\nJul 7 12")
    import_text(service, tmp_path, "newer-cut.txt", page("May 9, 2026", cut))
    assert records(service)["Target Paper"].abstract == FULL[:60].strip()
    import_text(service, tmp_path, "older-full.txt", page("May 1, 2026", (FULL, FULL_META)))
    after = records(service)["Target Paper"]
    assert after.abstract == FULL and after.links == ("https://github.com/lab/memory",)
    assert (after.date, after.date_text) == ("2025-07-07", "Jul 7, 2025")


def cut_inside_abstract(text: str, abstract: str) -> str:
    """The text cut off in the middle of ``abstract`` (mid-word, as a download stops)."""
    start = text.index(abstract[:60])
    middle = text.index(" ", start + len(abstract) // 2) - 2
    return text[:middle]


@pytest.mark.parametrize(("name", "nth"), [("a", 13), ("a", -1), ("c", 3), ("c", -1)])
def test_reimporting_a_spaced_page_cut_mid_paper_keeps_the_complete_copy(
    service, tmp_path: Path, name: str, nth: int
):
    complete = SAMPLES / f"daily-papers-page-{name}.txt"
    service.import_pages([complete])
    before = records(service)
    text = complete.read_text(encoding="utf-8")
    papers = parse_page(text, today=TODAY).papers
    cut = papers[nth]
    report = import_text(service, tmp_path, "cut.txt", cut_inside_abstract(text, cut.abstract))
    assert report.papers == papers.index(cut)  # the cut-off paper is skipped
    assert report.warnings == (
        f"the page ends mid-paper; skipped {short(cut.title)!r} (abstract cut off)",
    )
    assert records(service) == before


def test_a_page_cut_in_its_first_abstract_keeps_it_and_warns(service, tmp_path: Path):
    """No metadata yet to tell that the page has it: kept, with a warning, and the merge
    keeps the complete copy."""
    complete = SAMPLES / "daily-papers-page-a.txt"
    service.import_pages([complete])
    before = records(service)
    text = complete.read_text(encoding="utf-8")
    first = parse_page(text, today=TODAY).papers[0]
    report = import_text(service, tmp_path, "cut.txt", cut_inside_abstract(text, first.abstract))
    assert report.papers == 1
    assert report.warnings == (
        f"the page may end mid-paper: the abstract of {short(first.title)!r} stops mid-sentence",
    )
    assert records(service) == before


@pytest.mark.parametrize("ending", [".â€\x9d", ".”", ".)", '!"', ". See https://x.org/a"])
def test_a_last_paper_ending_a_sentence_is_kept(ending: str):
    """The last paper, without metadata on a page with it, whose abstract ends a sentence
    (a quote, its mojibake, a bracket or a link after the full stop) is complete."""
    text = page("May 1, 2026", (FULL, FULL_META)) + f"\nLast Paper\n\nIt ends here{ending}"
    parsed = parse_page(text, today=TODAY)
    assert parsed.papers[-1].title == "Last Paper" and parsed.warnings == ()


def short(title: str) -> str:
    return title if len(title) <= 60 else title[:57] + "..."


@pytest.mark.parametrize("line_break", ["", "\n"])  # a copy cut off may end with one too
@pytest.mark.parametrize("nth", [0, 50, -1])
def test_reimporting_a_compact_page_cut_mid_paper_keeps_the_complete_copy(
    service, tmp_path: Path, nth: int, line_break: str
):
    complete = SAMPLES / "daily-papers-page-b.txt"
    service.import_pages([complete])
    before = records(service)
    text = complete.read_text(encoding="utf-8")
    papers = parse_page(text, today=TODAY).papers
    cut = papers[nth]
    cut_text = cut_inside_abstract(text, cut.abstract) + line_break
    report = import_text(service, tmp_path, "cut.txt", cut_text)
    assert report.papers == papers.index(cut) + 1  # kept: a compact page has nothing to go by
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("the page may end mid-paper: the abstract of")
    assert records(service) == before


def test_cli_warns_of_a_compact_page_cut_mid_paper(tmp_path: Path):
    complete = SAMPLES / "daily-papers-page-b.txt"
    text = complete.read_text(encoding="utf-8")
    last = parse_page(text, today=TODAY).papers[-1]
    cut = tmp_path / "cut.txt"
    cut.write_text(cut_inside_abstract(text, last.abstract), encoding="utf-8")
    db = str(tmp_path / "lib.db")
    run = CliRunner().invoke
    assert run(cli, ["--db", db, "import", str(complete)]).exit_code == 0
    result = run(cli, ["--db", db, "import", str(cut)])
    assert result.exit_code == 0
    assert result.stdout.strip().endswith("cut.txt: 119 papers, 0 new, 0 updated")
    assert result.stderr == (
        f"warning: {cut}: the page may end mid-paper: the abstract of "
        "'HyperMixer: An MLP-based Low Cost Alternative to Transfor...' stops mid-sentence\n"
    )


def paper(abstract: str = FULL, **fields) -> ParsedPaper:
    return ParsedPaper("Target Paper", abstract, **fields)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (paper(FULL[:50]), paper(FULL), paper(FULL)),  # the later, fuller copy
        (paper(FULL), paper(FULL[:50]), paper(FULL)),
        (paper(FULL, authors=None), paper(FULL, authors=3), paper(FULL, authors=3)),
        (
            paper(date="2025-07-07", date_text="Jul 7, 2025"),
            paper(date="2026-07-07", date_text="Jul 7"),
            paper(date="2025-07-07", date_text="Jul 7, 2025"),
        ),
        (
            paper(org="Lab", org_id="lab"),
            paper(org="Lab Name", org_id="lab"),
            paper(org="Lab Name", org_id="lab"),
        ),
        (paper(upvotes=5), paper(upvotes=None), paper(upvotes=5)),
        (paper(upvotes=5), paper(upvotes=9), paper(upvotes=5)),  # one page: its first listing
        (paper(""), paper(FULL), paper(FULL)),
    ],
)
def test_a_page_listing_a_paper_twice_keeps_the_fuller_copy(first, second, expected):
    [kept] = dedupe_by_key([first, second]).values()
    assert kept == expected


def row(**fields) -> dict:
    values = {name: ParsedPaper._field_defaults.get(name) for name in MERGED_FIELDS}
    return {**values, "abstract": FULL, "links": (), "listed_on": "2026-05-01", **fields}


@pytest.mark.parametrize("listed_on", ["2026-04-01", "2026-05-01", "2026-06-01"])
def test_merge_never_writes_an_emptier_value(listed_on: str):
    stored = row(
        authors=3, org="Lab", org_id="lab", date="2025-07-07", date_text="Jul 7, 2025", upvotes=4
    )
    assert merge(stored, paper("  "), listed_on) == {}
    assert merge(stored, paper(FULL[:-10]), listed_on) == {}
    assert merge(stored, paper(date="2026-07-07", date_text="Jul 7"), listed_on) == {}
