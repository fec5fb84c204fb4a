"""Reading and citing in the app: the detail pane shows what a saved page or the API
knows (arXiv id, author names, AI summary, keywords, code stars), ``p`` opens the
paper's arXiv page, and the palette offers its PDF and its Hugging Face page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Static

from readinglist.core.paper_pages import paper_page
from readinglist.ui.screens.export_dialog import ExportDialog
from readinglist.ui.widgets.paper_detail import NAMES_SHOWN_WHOLE, author_line
from tests.hf_builder import API_ITEMS, NASTY_TITLE, item
from tests.ui.conftest import (
    choose_export,
    notices,
    settle,
    status,
    wait_for,
    wait_for_notice,
)
from tests.ui.test_palette import palette_options
from tests.ui.test_snapshots import no_blink

SIZE = (120, 36)
ARXIV_ID = API_ITEMS[0]["paper"]["id"]
MANY_AUTHORS = [{"name": f"Author Number{n}"} for n in range(1, 31)]


def api_page(tmp_path: Path, items: list) -> Path:
    path = tmp_path / "listing.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def shown(app, part: str) -> str:
    widget = app.screen.query_one(f"#detail-{part}", Static)
    return str(widget.render()) if widget.display else ""


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    urls: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: urls.append(url) or True)
    return urls


async def test_the_detail_pane_shows_what_the_api_knows(make_app, tmp_path: Path):
    paper = API_ITEMS[0]["paper"]
    app = make_app([api_page(tmp_path, API_ITEMS)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        meta = shown(app, "meta")
        assert f"arXiv {ARXIV_ID}" in meta
        assert f"{paper['githubStars']} GitHub stars" in meta
        names = [author["name"] for author in paper["authors"]]
        assert shown(app, "authors") == ", ".join(names)  # a few: every name, in order
        summary = shown(app, "summary")
        assert summary.startswith("AI summary\n" + paper["ai_summary"][:40])
        assert "Keywords: " + ", ".join(paper["ai_keywords"][:3]) in summary


async def test_a_text_page_paper_shows_no_empty_parts(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert shown(app, "authors") == "" and shown(app, "summary") == ""
        assert "arXiv" not in shown(app, "meta")


async def test_many_authors_are_shortened_with_their_count(make_app, tmp_path: Path):
    app = make_app([api_page(tmp_path, [item(authors=MANY_AUTHORS)])])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        line = shown(app, "authors")
        assert line.startswith("Author Number1, Author Number2,")
        assert line.endswith("… Author Number30 (30 authors)")
        assert "Number29" not in line
        assert "\n" not in line


def test_author_line_keeps_short_lists_whole_and_skips_blank_names():
    names = tuple(f"N{n}" for n in range(NAMES_SHOWN_WHOLE))
    assert author_line(names) == ", ".join(names)
    assert author_line(("A", "  ", "B")) == "A, B"
    assert author_line(()) == ""


async def test_p_opens_the_arxiv_page(make_app, tmp_path: Path, opened: list[str]):
    app = make_app([api_page(tmp_path, API_ITEMS)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert opened == [f"https://arxiv.org/abs/{ARXIV_ID}"]
        assert f"Opened https://arxiv.org/abs/{ARXIV_ID}" in status(app)
        await pilot.press("o")  # o still opens the paper's first link
        await settle(app, pilot)
        assert opened[-1] == app.screen.current.links[0]


async def test_p_without_an_arxiv_id_says_so_and_opens_nothing(make_app, opened: list[str]):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await wait_for_notice(pilot, "No arXiv id is known for this paper", "warning")
        assert opened == []


@pytest.mark.parametrize(
    ("command", "address"),
    [
        ("Open PDF", "https://arxiv.org/pdf/"),
        ("Open on Hugging Face", "https://huggingface.co/papers/"),
    ],
)
async def test_the_palette_opens_the_pdf_and_the_hugging_face_page(
    make_app, tmp_path: Path, opened: list[str], command: str, address: str
):
    app = make_app([api_page(tmp_path, API_ITEMS)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*command)
        await wait_for(pilot, lambda: any(command in o for o in palette_options(app)))
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(opened))
        assert opened == [address + ARXIV_ID]


async def test_the_export_dialog_names_the_format_its_path_asks_for(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        await choose_export(pilot, "starred")
        title = app.screen.query_one("#export-title", Static)
        hint = str(app.screen.query_one(".hint", Static).render())
        assert ".bib BibTeX" in hint and ".ris RIS" in hint
        for path, name in [("~/x.bib", "BibTeX"), ("x.RIS", "RIS"), ("x.txt", "Markdown")]:
            app.screen.query_one("#export-path", Input).value = path
            await wait_for(pilot, lambda name=name: str(title.render()).endswith(f"to {name}"))
        assert str(title.render()) == "Export 1 starred paper to Markdown"


async def test_outside_text_in_the_new_parts_is_plain_text(make_app, tmp_path: Path):
    nasty = item(
        authors=[{"name": NASTY_TITLE}, {"name": "Ada [b]Lovelace[/b]"}],
        ai_summary="A summary with [bold red]markup[/] and \x1b[31mcolour\x1b[0m.",
        ai_keywords=["[/]", "key\x07word"],
    )
    app = make_app([api_page(tmp_path, [nasty])])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        authors, summary = shown(app, "authors"), shown(app, "summary")
        assert "[bold]x[/bold] [/]" in authors and "Ada [b]Lovelace[/b]" in authors
        assert "[bold red]markup[/]" in summary and "Keywords: [/], keyword" in summary
        assert not any(char in authors + summary for char in "\x1b\x07")


def test_snapshot_detail_pane_of_a_paper_from_the_api(snap_compare, make_app, tmp_path: Path):
    """The detail pane with every part: arXiv id and stars in the metadata, 30 authors
    shortened, links, the AI summary and keywords, the abstract."""
    app = make_app([api_page(tmp_path, [item(authors=MANY_AUTHORS)])])

    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        no_blink(pilot.app)

    assert snap_compare(app, terminal_size=(110, 32), run_before=run_before)


@pytest.mark.parametrize(
    ("endpoint", "page"),
    [
        (None, "https://huggingface.co/papers/2602.23229"),
        ("https://hf-mirror.com/", "https://hf-mirror.com/papers/2602.23229"),
        ("https://me:secret@mirror.example/hf", "https://mirror.example/hf/papers/2602.23229"),
        ("not an address", "https://huggingface.co/papers/2602.23229"),
    ],
)
def test_the_hugging_face_page_is_on_hf_endpoint_without_its_password(
    monkeypatch: pytest.MonkeyPatch, endpoint: str | None, page: str
):
    if endpoint is None:
        monkeypatch.delenv("HF_ENDPOINT", raising=False)
    else:
        monkeypatch.setenv("HF_ENDPOINT", endpoint)
    assert paper_page("2602.23229v2", "hf") == page
    assert paper_page("2602.23229", "abs") == "https://arxiv.org/abs/2602.23229"


async def test_o_on_a_paper_with_only_an_arxiv_id_points_to_p(
    make_app, tmp_path: Path, opened: list[str]
):
    bare = item(githubRepo=None, projectPage=None, summary="An abstract without a link.")
    app = make_app([api_page(tmp_path, [bare])])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await wait_for_notice(pilot, "This paper has no links (p opens its arXiv page).")
        assert opened == []
        await pilot.press("c")  # copying: p is no answer
        await wait_for(pilot, lambda: "This paper has no links." in notices(app))
