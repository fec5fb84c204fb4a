"""The tag dialog (``t``): add tags to papers or take them off, with completion.

The reader types tag names separated by spaces: ``llm thesis`` adds both, ``-draft``
takes ``draft`` off. The last word completes from the library's tags (most used
first; after ``-``, from the papers' own tags): → or Tab accepts. A bad name is
refused in the dialog with the core's one wording (``core.tags``); Enter on an empty
box closes it, as Escape does. The dialog only asks: it dismisses with a ``TagEdit``,
and the library screen writes it (``tags_trash``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Footer, Input, Static

from ...core.tags import BadTagError, tag_name
from ...core.textclean import for_display
from ...core.wording import plural

TITLE_SHOWN = 50
"""Characters of a paper's title the dialog's heading shows."""
LIBRARY_TAGS_SHOWN = 8
"""The library's most used tags named under the box."""
HINT = (
    "Names separated by spaces: “llm thesis” adds both, “-draft” takes draft off · "
    "→ or Tab completes · Enter applies · Escape cancels"
)


@dataclass(frozen=True)
class TagEdit:
    """What the reader asked for: tags to add and tags to take off (as stored)."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


def parse_tag_edit(text: str) -> TagEdit:
    """The dialog's text as a ``TagEdit``: words split on spaces and commas, a leading
    ``-`` to take a tag off.

    Raises:
        BadTagError: a word is not a tag name (the core's wording), or a tag is both
            added and taken off.
    """
    add: dict[str, None] = {}
    remove: dict[str, None] = {}
    for word in text.replace(",", " ").split():
        taking_off = word.startswith("-")
        name = tag_name(word[1:] if taking_off else word)
        (remove if taking_off else add)[name] = None
    both = [name for name in add if name in remove]
    if both:
        raise BadTagError(f"“{both[0]}” is both added and taken off: keep one of the two")
    return TagEdit(tuple(add), tuple(remove))


class TagSuggester(Suggester):
    """Completes the last word typed: a tag to add from ``library_tags``, one to take off
    (after ``-``) from ``own_tags``."""

    def __init__(self, library_tags: Sequence[str], own_tags: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.library_tags = list(library_tags)
        self.own_tags = list(own_tags)

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value[-1] in " ,":
            return None
        last = value.replace(",", " ").split()[-1]
        taking_off = last.startswith("-")
        word = last[1:] if taking_off else last
        if not word:
            return None
        for tag in self.own_tags if taking_off else self.library_tags:
            if tag.startswith(word) and tag != word:
                return value + tag[len(word) :]
        return None


def current_tags_text(tags_of: Mapping[int, Sequence[str]], count: int) -> str:
    """The papers' tags as the dialog names them: "llm, rl" for one paper; "llm (2 of
    3), rl (3 of 3)" for several."""
    counts = Counter(tag for tags in tags_of.values() for tag in tags)
    if not counts:
        return "No tags yet." if count == 1 else "None of them has a tag yet."
    names = sorted(counts)
    if count == 1:
        shown = ", ".join(names)
    else:
        shown = ", ".join(f"{name} ({counts[name]} of {count})" for name in names)
    return f"Tags: {for_display(shown, one_line=True)}"


class TagDialog(ModalScreen[TagEdit | None]):
    """Asks which tags to add or take off; dismisses with a ``TagEdit`` (None: cancelled)."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#tag-input"
    BINDINGS = [
        Binding(
            "enter",
            "apply",
            "Apply",
            tooltip="Add and take off the tags typed",
            priority=True,
            id="tags.apply",
        ),
        Binding("tab", "complete", "Complete", tooltip="Accept the completion", id="tags.complete"),
        Binding(
            "escape", "cancel", "Cancel", tooltip="Close without changing tags", id="tags.cancel"
        ),
    ]

    def __init__(
        self,
        heading: str,
        tags_of: Mapping[int, Sequence[str]],
        count: int,
        tag_counts: Sequence[tuple[str, int]],
    ) -> None:
        """
        Args:
            heading: what is tagged: a paper's title, or "3 marked papers" (outside text:
                shown cleaned, as plain text).
            tags_of: each paper's tags (papers without tags may be left out).
            count: how many papers are tagged.
            tag_counts: every tag of the library with how many papers carry it.
        """
        super().__init__()
        self.heading = for_display(heading, one_line=True)
        self.tags_of = tags_of
        self.count = count
        self.tag_counts = list(tag_counts)

    def compose(self) -> ComposeResult:
        by_use = [name for name, _ in sorted(self.tag_counts, key=lambda tc: (-tc[1], tc[0]))]
        own = sorted({tag for tags in self.tags_of.values() for tag in tags})
        heading = self.heading
        if self.count == 1 and len(heading) > TITLE_SHOWN:
            heading = heading[: TITLE_SHOWN - 1] + "…"
        title = f"Tags of “{heading}”" if self.count == 1 else f"Tags of {heading}"
        with Vertical(id="tag-dialog", classes="dialog"):
            yield Static(Content(title), classes="dialog-title")
            yield Static(Content(current_tags_text(self.tags_of, self.count)), id="tag-current")
            yield Input(
                placeholder="tag to add, -tag to take off",
                suggester=TagSuggester(by_use, own),
                id="tag-input",
            )
            yield Static(Content(""), id="tag-error")
            yield Static(Content(self._library_text(by_use)), classes="hint")
            yield Static(Content(HINT), classes="hint")
        yield Footer()

    def _library_text(self, by_use: list[str]) -> str:
        if not by_use:
            return "No tags in the library yet: the first one you type starts it."
        counts = dict(self.tag_counts)
        shown = " · ".join(f"{name} {counts[name]}" for name in by_use[:LIBRARY_TAGS_SHOWN])
        more = len(by_use) - LIBRARY_TAGS_SHOWN
        rest = f" · {plural(more, 'more tag')}" if more > 0 else ""
        return f"In the library: {for_display(shown, one_line=True)}{rest}"

    def action_apply(self) -> None:
        text = self.query_one("#tag-input", Input).value
        try:
            edit = parse_tag_edit(text)
        except BadTagError as error:
            self.query_one("#tag-error", Static).update(
                Content(for_display(str(error), one_line=True))
            )
            return
        self.dismiss(edit if edit.add or edit.remove else None)

    def action_complete(self) -> None:
        self.query_one("#tag-input", Input).action_cursor_right()  # at the end: accepts

    def action_cancel(self) -> None:
        self.dismiss(None)
