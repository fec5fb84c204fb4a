"""The app's export (e) writes BibTeX or RIS when the path asks for it: the dialog picks
the format through core/formats.py's table, like the CLI's -o."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest
import rispy

from readinglist.ui.screens.export_dialog import ExportDialog
from tests.ui.conftest import choose_export, settle, wait_for

SIZE = (120, 36)


@pytest.mark.parametrize("name", ["starred.bib", "starred.RIS"])
async def test_export_writes_the_format_its_path_asks_for(make_app, tmp_path: Path, name: str):
    app = make_app()
    target = tmp_path / name
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "j", "s")
        await settle(app, pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        await choose_export(pilot, "starred")
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not any(w.group == "export" for w in app.workers))
    text = target.read_bytes().decode("utf-8")
    if name.endswith(".bib"):
        library = bibtexparser.parse_string(text)
        assert library.failed_blocks == [] and len(library.entries) == 2
    else:
        assert len(rispy.loads(text.replace("\r\n", "\n"))) == 2
