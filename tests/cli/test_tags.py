"""The organising commands: tag, untag, tags, status, and the filters they feed."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from tests.conftest import SAMPLES

PAGES = [str(path) for path in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture
def run(library_location: str):
    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", library_location, *args])

    assert invoke("import", *PAGES).exit_code == 0
    return invoke


def listed_ids(result) -> list[int]:
    assert result.exit_code == 0, result.output
    return [int(line.split("\t")[0]) for line in result.stdout.splitlines()]


def test_tag_untag_and_tags(run):
    assert run("tag", " Thesis ", "1", "2", "3").exit_code == 0
    assert run("tag", "llm", "2").exit_code == 0
    assert run("untag", "THESIS", "3").exit_code == 0
    counts = run("tags", "--json")
    assert json.loads(counts.stdout) == [
        {"tag": "llm", "papers": 1},
        {"tag": "thesis", "papers": 2},
    ]
    assert run("tags").stdout.splitlines() == ["1  llm", "2  thesis"]
    assert sorted(listed_ids(run("search", "tag:thesis"))) == [1, 2]


def test_no_tags_says_so(run):
    result = run("tags")
    assert result.exit_code == 0 and result.stdout == "" and "No tags." in result.stderr
    assert json.loads(run("tags", "--json").stdout) == []


def test_a_bad_tag_or_unknown_id_is_one_error_line_and_changes_nothing(run):
    bad = run("tag", "two words", "1")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: bad tag name 'two words'")
    unknown = run("tag", "x", "1", "424242")
    assert unknown.exit_code == 1
    assert unknown.stderr == "error: no paper with id 424242\n"
    assert json.loads(run("tags", "--json").stdout) == []


def test_status_sets_several_papers_and_filters_read_it(run):
    assert run("status", "reading", "1", "2").exit_code == 0
    assert run("status", "read", "3").exit_code == 0
    assert sorted(listed_ids(run("search", "is:reading"))) == [1, 2]
    assert listed_ids(run("search", "is:read")) == [3]
    records = json.loads(run("show", "1", "--json").stdout)
    assert records["status"] == "reading"


def test_status_with_an_unknown_id_or_state_changes_nothing(run):
    unknown = run("status", "read", "1", "424242")
    assert unknown.exit_code == 1 and "424242" in unknown.stderr
    wrong = run("status", "finished", "1")
    assert wrong.exit_code == 2
    assert run("search", "is:read").stdout == ""
    assert json.loads(run("show", "1", "--json").stdout)["status"] == "unread"


def test_help_names_the_commands():
    result = CliRunner().invoke(cli, ["--help"])
    for name in ("tag", "untag", "tags", "status"):
        assert f"  {name} " in result.stdout


def test_search_help_names_every_filter_the_query_language_has():
    from readinglist.core.query import filter_examples

    shown = " ".join(CliRunner().invoke(cli, ["search", "--help"]).stdout.split())
    for example in filter_examples():
        assert example in shown


def test_json_and_plain_list_show_status_and_tags(run):
    run("tag", "llm", "2")
    run("tag", "Thesis", "2")
    run("status", "reading", "2")
    record = json.loads(run("show", "2", "--json").stdout)
    assert record["tags"] == ["llm", "thesis"] and record["status"] == "reading"
    listed = {paper["id"]: paper["tags"] for paper in json.loads(run("list", "--json").stdout)}
    assert listed[2] == ["llm", "thesis"] and listed[1] == []
    [line] = [line for line in run("list").stdout.splitlines() if line.startswith("2\t")]
    assert line.split("\t")[6:] == ["reading", "llm,thesis"]
    [hit] = run("search", "tag:llm").stdout.splitlines()
    assert hit.split("\t")[0] == "2"


def test_a_terminal_table_shows_status_and_tags():
    from readinglist.cli.formatting import format_table
    from readinglist.core.models import PaperSummary

    row = PaperSummary(
        id=7,
        title="A title",
        org=None,
        date="2024-05-01",
        upvotes=3,
        link_count=0,
        starred=False,
        has_note=False,
        status="reading",
        added_at="",
    )
    [line] = format_table([row], width=80, tags={7: ("llm", "thesis")}).splitlines()
    assert "reading" in line and line.endswith("A title  #llm #thesis")
    [cut] = format_table([row], width=50, tags={7: ("llm", "thesis")}).splitlines()
    assert len(cut) <= 50 and cut.endswith("…")


def test_export_query_takes_the_tag_filter(run):
    run("tag", "reading-group", "3", "1")
    out = run("export", "--query", "tag:reading-group", "--format", "json", "--sort", "title")
    assert out.exit_code == 0, out.output
    papers = json.loads(out.stdout)
    assert sorted(paper["id"] for paper in papers) == [1, 3]
    assert all(paper["tags"] == ["reading-group"] for paper in papers)


def test_status_takes_any_case_and_show_names_the_tags(run):
    assert run("status", "READ", "1").exit_code == 0
    assert run("tag", "Thesis", "1").exit_code == 0
    assert run("tag", "llm", "1").exit_code == 0
    shown = run("show", "1")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[1].endswith(" · read · #llm #thesis")


@pytest.mark.parametrize("command", ["star", "unstar", "delete"])
def test_star_and_delete_with_an_unknown_id_change_nothing(run, command: str):
    assert run("star", "2").exit_code == 0
    before = run("list", "--json").stdout
    result = run(command, "1", "2", "424242")
    assert result.exit_code == 1 and "no paper with id 424242" in result.stderr
    assert run("list", "--json").stdout == before


def test_show_prints_what_a_rich_listing_adds(library_location: str, tmp_path):
    """A paper from the API shows its arXiv id, names, stars, keywords and AI summary,
    each cleaned of terminal controls like every other field."""
    from tests.hf_builder import NASTY_TITLE, item

    listing = [item(ai_summary=f"Summary {NASTY_TITLE}", ai_keywords=["in-context", "LMM"])]
    page = tmp_path / "api.json"
    page.write_text(json.dumps(listing))
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", library_location, "import", str(page)]).exit_code == 0
    shown = runner.invoke(cli, ["--db", library_location, "show", "1"]).stdout
    record = json.loads(
        runner.invoke(cli, ["--db", library_location, "show", "1", "--json"]).stdout
    )
    assert f"arXiv {record['arxiv_id']}" in shown
    assert f"{record['github_stars']} GitHub star" in shown
    assert "Authors: " + ", ".join(record["author_names"][:2]) in " ".join(shown.split())
    assert "Keywords: in-context, LMM" in shown
    assert "AI summary:" in shown and "Summary Attention" in shown
    assert "\x1b" not in shown and "\x07" not in shown


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["tag", " Thesis ", "1", "2", "2", "3"], "3 papers tagged 'thesis'"),
        (["untag", "THESIS", "3"], "1 paper no longer tagged 'thesis'"),
        (["status", "Reading", "1", "2"], "2 papers marked reading"),
        (["star", "1", "2"], "2 papers starred"),
        (["unstar", "2"], "1 paper unstarred"),
        (["note", "1", "Read it again"], "paper 1: note saved"),
    ],
)
def test_each_change_says_what_it_did_in_one_line_on_stderr(run, args, said):
    """As delete and undelete do: stdout stays for data, so a script reading it or
    --json output of read commands never sees these lines."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == ("", said + "\n")
