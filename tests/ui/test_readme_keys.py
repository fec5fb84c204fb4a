"""The README's key table names every key of the main screen, and nothing it lacks."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from readinglist.ui.app import ReadingListApp
from readinglist.ui.screens.library_keys import LIBRARY_BINDINGS

README = Path(__file__).resolve().parents[2] / "README.md"
SPELLING = {"slash": "/", "question_mark": "?", "pagedown": "PgDn", "pageup": "PgUp"}


def table_keys() -> set[str]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| key | action |") :].split("\n\n")[0]
    keys: set[str] = set()
    for row in table.splitlines()[2:]:
        first = row.split("|")[1]
        for quoted in re.findall(r"`([^`]+)`", first):
            keys.update(quoted.split())
    return keys


def test_every_binding_of_the_main_screen_is_in_the_readme():
    keys = table_keys()
    for binding in [*LIBRARY_BINDINGS, *ReadingListApp.BINDINGS]:
        assert isinstance(binding, Binding)
        if (binding.id or "").startswith("library.link"):
            continue  # the table says 1-9
        spelled = [SPELLING.get(key, key) for key in binding.key.split(",")]
        assert any(key in keys for key in spelled), (binding.key, binding.description)
    assert {"1", "9", "ctrl+p", "ctrl+q"} <= keys  # `1`-`9`: the links
