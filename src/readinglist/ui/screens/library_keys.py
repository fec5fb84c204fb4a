"""The main screen's keys, in one place: the footer, the help screen and the command
palette read them from here, and a test holds the README's key table to them. Each
binding has an ``id`` so a user keymap can remap it."""

from __future__ import annotations

from textual.binding import Binding, BindingType

WRITING_ACTIONS = frozenset(
    {
        "toggle_star",
        "edit_note",
        "cycle_status",
        "tag_papers",
        "delete_papers",
        "undo",
        "import_page",
        "fetch_listing",
    }
)
"""Actions that change the library: a read-only library does not offer them (the
footer, the palette and the key all leave them out)."""

LIBRARY_BINDINGS: list[BindingType] = [
    Binding("slash", "focus_search", "Search", tooltip="Search as you type", id="library.search"),
    Binding(
        "enter",
        "finish_search",
        "Go to list",
        tooltip="Move to the list, at the best match",
        priority=True,  # before the search box takes Enter, so the next key finds the list
        id="library.finish_search",
    ),
    Binding(
        "escape",
        "clear_search",
        "Clear search",
        tooltip="Empty the search box and go back to the whole list",
        id="library.clear_search",
    ),
    Binding(
        "escape",
        "clear_marks",
        "Clear marks",
        tooltip="Unmark every paper (a search is cleared first)",
        id="library.clear_marks",
    ),
    Binding(
        "enter,v",
        "read",
        "Read",
        tooltip="Read the whole paper, full screen",
        id="library.read",
    ),
    Binding(
        "space",
        "toggle_mark",
        "Mark",
        tooltip="Mark or unmark and move down; s, r, t and d act on marked papers",
        show=False,
        id="library.mark",
    ),
    Binding(
        "s",
        "toggle_star",
        "Star",
        tooltip="Star or unstar this paper (or every marked one)",
        id="library.star",
    ),
    Binding("n", "edit_note", "Note", tooltip="Edit this paper's note", id="library.note"),
    Binding(
        "o",
        "open_link(1)",
        "Open",
        tooltip="Open the first link in the browser",
        id="library.open",
    ),
    Binding(
        "p",
        "open_paper('abs')",
        "Open arXiv page",
        tooltip="Open the paper's arXiv page in the browser",
        show=False,  # the footer keeps its room for the everyday keys; help and palette list it
        id="library.paper",
    ),
    Binding(
        "c",
        "copy_link",
        "Copy link",
        tooltip="Copy the link to the clipboard",
        show=False,
        id="library.copy",
    ),
    Binding(
        "e",
        "export",
        "Export",
        tooltip="Export marked, listed or starred papers (Markdown, BibTeX, RIS…)",
        id="library.export",
    ),
    Binding("i", "import_page", "Import", tooltip="Import a saved page", id="library.import"),
    Binding(
        "F",
        "fetch_listing",
        "Fetch",
        tooltip="Fetch today's Daily Papers listing from Hugging Face",
        show=False,
        id="library.fetch",
    ),
    Binding(
        "f",
        "toggle_starred_only",
        "Starred",
        tooltip="Show only starred papers (again: all papers)",
        id="library.filter",
    ),
    Binding(
        "r",
        "cycle_status",
        "Status",
        tooltip="Unread → reading → read (marked papers move together)",
        id="library.status",
    ),
    Binding(
        "t",
        "tag_papers",
        "Tags",
        tooltip="Add or take off tags (on every marked paper, or this one)",
        show=False,
        id="library.tags",
    ),
    Binding(
        "d",
        "delete_papers",
        "Delete",
        tooltip="Move to the trash (every marked paper, or this one); u brings it back",
        show=False,
        id="library.delete",
    ),
    Binding(
        "u",
        "undo",
        "Undo",
        tooltip="Undo the last star, status, note, tag or delete step",
        show=False,
        id="library.undo",
    ),
    Binding(
        "S",
        "cycle_sort",
        "Sort",
        tooltip="Sort by date, upvotes, title, added or stars (a search: best match first, too)",
        id="library.sort",
    ),
    Binding(
        "J,shift+down",
        "scroll_detail(1)",
        "Scroll detail down",
        tooltip="Scroll the detail pane down a page",
        show=False,
        id="library.detail_down",
    ),
    Binding(
        "K,shift+up",
        "scroll_detail(-1)",
        "Scroll detail up",
        tooltip="Scroll the detail pane up a page",
        show=False,
        id="library.detail_up",
    ),
    *(
        Binding(str(n), f"open_link({n})", f"Open link {n}", show=False, id=f"library.link{n}")
        for n in range(1, 10)
    ),
]
