"""Importing pages into the library and exporting papers (marked, listed or starred),
from the library screen.

``ImportExport`` is the part of the library screen that runs these two workflows: it
opens their dialogs, does the work in workers, and tells the reader the outcome. The
dialogs (``import_dialog``, ``export_dialog``) only ask; they know nothing of the
screen. The import runs in a thread worker that reports back by messages; the export
is a conversation (dialogs in turn), so it runs as an async worker on the event loop
and sends the library and file work to a thread.
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.events import Unmount
from textual.worker import get_current_worker

from ...core.query import parse_query
from ...core.textclean import for_display
from ...core.wording import plural
from ..messages import BEST_MATCH, ImportProgress, ListingFetchProgress, PagesImported, View
from .tags_trash import TagsAndTrash

if TYPE_CHECKING:
    from ...core.fetch import FetchStop
    from ...core.models import ImportReport
    from ...core.service import ReadingList
    from .export_dialog import ExportChoice

# The dialogs and the file helpers are imported by the action that needs them: the
# first frame pays for none of them (tests/cli/test_startup.py checks it).

PROBLEMS_LISTED = 6
"""Problems named in an import's notification; the rest are counted."""

IMPORT_FOLDER_SETTING = "import_folder"
"""The folder of the reader's last import from the dialog: it opens there next time."""


class ImportExport(TagsAndTrash):
    """The library screen's import and export workflows."""

    _export_starting = False
    """An export is gathering the papers it offers, or between its dialogs: keys wait
    for the next one."""

    def __init__(self, service: ReadingList) -> None:
        super().__init__(service)
        self._fetch_stops: set[FetchStop] = set()
        """The fetches running (each in a thread worker): leaving the screen stops them."""

    @on(Unmount)
    def _stop_fetches(self) -> None:
        """The app is closing: a fetch waiting for a slow server stops now, so the
        process ends without waiting for it (nothing of it is imported)."""
        for stop in list(self._fetch_stops):
            stop.stop()

    def reload(self) -> None:
        """Read the list again after an import (the library screen's own)."""

    # -- import -------------------------------------------------------------------------------

    def action_import_page(self) -> None:
        from .import_dialog import ImportDialog

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.status.set_activity(f"Importing {for_display(path.name, one_line=True)}…")
                # Not exclusive: a second import must not cut the first short. Each
                # batch of pages is one transaction, so two imports queue for the lock.
                self.run_worker(
                    partial(self._import_files, path),
                    thread=True,
                    group="import",
                    exit_on_error=False,
                )

        remembered = self.app.settings.get(IMPORT_FOLDER_SETTING)  # type: ignore[attr-defined]
        start = Path(remembered) if isinstance(remembered, str) and remembered else None
        self.app.push_screen(ImportDialog(start), chosen)

    def _import_files(self, path: Path) -> None:
        """A thread worker: import a page, or every page in a folder, reporting progress.

        Parsed in this process, not a second one as the CLI does: a running Textual app
        holds ``sys.stderr``, and multiprocessing cannot start a process without it.
        Leaving the app stops it between batches of pages, never inside a file.
        """
        from ...core.files import page_files
        from ...core.models import no_listings_in_folder

        files = page_files([path])
        worker = get_current_worker()
        reports: list[ImportReport] = []
        if files:
            self.post_message(ImportProgress(files[0].name, 0, len(files)))
        folder = path.is_dir()
        for report in self.service.iter_imports(files):
            reports.append(report.found_in_folder() if folder else report)
            if worker.is_cancelled:
                return
            done = len(reports)
            if done < len(files):
                self.post_message(ImportProgress(files[done].name, done, len(files)))
        if folder and (failed := no_listings_in_folder(str(path), reports)) is not None:
            reports.append(failed)
        landed = any(report.ok for report in reports)
        found_in = (path if folder else path.parent).absolute() if landed else None
        self.post_message(PagesImported(reports, found_in))
        self.service.prepare_search()  # the pages brought new words

    def action_fetch_listing(self) -> None:
        from ...core.fetch import FetchStop, listing_source

        self.status.set_activity(f"Fetching today's listing from {listing_source()}…")
        stop = FetchStop()
        self._fetch_stops.add(stop)
        # group "import": a failure clears the activity and is notified as an import's is
        self.run_worker(
            partial(self._fetch_todays_listing, stop),
            thread=True,
            group="import",
            exit_on_error=False,
        )

    def _fetch_todays_listing(self, stop: FetchStop) -> None:
        """A thread worker: fetch today's Daily Papers listing and import it, with progress.

        A failure raises (``FetchError``, ``LibraryError``): the screen shows it in one line.
        Leaving the app stops it (``_stop_fetches``): the process need not wait for a slow
        server.
        """

        def progress(pages: int, papers: int) -> None:
            self.post_message(ListingFetchProgress(pages, papers))

        try:
            report = self.service.fetch(progress=progress, stop=stop)
        finally:
            self._fetch_stops.discard(stop)
        self.post_message(PagesImported([report]))
        self.service.prepare_search()  # the listing brought new words

    @on(ListingFetchProgress)
    def _fetch_progress(self, message: ListingFetchProgress) -> None:
        papers = plural(message.papers, "paper", grouped=True)
        self.status.set_activity(f"Fetching today's listing… page {message.pages}, {papers}")

    @on(ImportProgress)
    def _import_progress(self, message: ImportProgress) -> None:
        name = for_display(message.name, one_line=True)
        self.status.set_activity(f"Importing {name} ({message.done + 1}/{message.total})…")

    @on(PagesImported)
    def _imported(self, message: PagesImported) -> None:
        self.status.set_activity("")
        if message.folder is not None:
            self.app.save_setting(IMPORT_FOLDER_SETTING, str(message.folder))  # type: ignore[attr-defined]
        self._show_import_reports(message.reports)
        self.reload()

    def _show_import_reports(self, reports: list[ImportReport]) -> None:
        """One summary in the status line, and one notification that names the problems."""
        from .import_dialog import import_problems, import_summary

        summary = import_summary(reports)
        self.status.set_message(summary)
        problems = import_problems(reports)
        failed = any(report.error for report in reports)
        shown = problems[:PROBLEMS_LISTED]
        if len(problems) > len(shown):
            shown.append(f"… and {len(problems) - len(shown)} more")
        self.notify(
            "\n".join([summary, *shown]),
            severity="error" if failed or not reports else "warning" if problems else "information",
            timeout=12 if problems else 5,
            markup=False,
        )

    def import_failed(self) -> None:
        """The import's worker failed (the error is reported with the others)."""
        self.status.set_activity("")

    # -- export -------------------------------------------------------------------------------

    def action_export(self) -> None:
        self._export_starting = True  # keys wait for the dialog (or the "nothing starred")
        self.run_worker(self._export(), exclusive=True, group="export", exit_on_error=False)

    def export_started(self) -> None:
        """The export has shown its dialog, found nothing to export, or failed."""
        self._export_starting = False

    @property
    def view(self) -> View:
        """What the list shows (the library screen's own)."""
        raise NotImplementedError

    def _export_choices(self, view: View, marked: list[int]) -> list[ExportChoice]:
        """In a thread: the marked papers, the list on screen (every paper of the view)
        and the starred papers, each in the list's order."""
        from .export_dialog import ExportChoice

        parsed = parse_query(view.query)
        view_sort = None if view.order == BEST_MATCH else view.order
        listed = self.service.search_rows(
            parsed,
            sort=view_sort,
            starred_only=view.starred_only,
            limit=0,
            every_id=True,
        ).ids
        searching = parsed.text or parsed.has_filters
        from ...core.export import in_list_order  # exports follow the list's order

        return [
            ExportChoice(
                "marked",
                "Marked papers",
                "marked paper",
                in_list_order(marked, listed),
                "Marked papers",
            ),
            ExportChoice(
                "results",
                "Search results" if searching else "This list",
                "search result" if searching else "listed paper",
                tuple(listed),
                "Search results" if searching else "Reading list",
            ),
            ExportChoice(
                "starred",
                "Starred papers",
                "starred paper",
                in_list_order(self.service.select(scope="starred", sort=view_sort), listed),
                "Starred papers",
            ),
        ]

    async def _export(self) -> None:
        """The whole conversation: which papers and where, overwrite, then the write."""
        from .confirm import ConfirmDialog
        from .export_dialog import DEFAULT_EXPORT_PATH, ExportDialog

        app = self.app
        choices = await asyncio.to_thread(self._export_choices, self.view, self.marks.ids)
        # the marked papers if any are marked, else the list on screen
        chosen = next((choice for choice in choices if choice.ids), None)
        if chosen is None:
            self.export_started()
            self.notify(
                "Nothing to export: the list is empty and nothing is starred.",
                severity="warning",
                markup=False,
            )
            return
        default = app.settings.get("export_path", DEFAULT_EXPORT_PATH)  # type: ignore[attr-defined]
        try:
            while True:  # the dialog again, as the reader left it, until a path will do
                dialog = ExportDialog(default, choices, chosen)
                answer = app.push_screen(dialog, wait_for_dismiss=True)
                self.export_started()  # the dialog is up: keys typed meanwhile go to it
                path = await answer
                if path is None:
                    return
                chosen = dialog.chosen
                shown = for_display(str(path), one_line=True)
                self._export_starting = True  # keys wait for the question or the dialog
                found = await asyncio.to_thread(_found_at, path)
                if found is None:
                    break
                if found == "folder":
                    self.notify(
                        f"{shown} is a folder; give a file name.", severity="error", markup=False
                    )
                else:
                    papers = plural(len(chosen.ids), chosen.noun)
                    question = app.push_screen(
                        ConfirmDialog(
                            f"{shown} exists. Overwrite it with {papers}?", "Overwrite", no="Back"
                        ),
                        wait_for_dismiss=True,
                    )
                    self.export_started()  # the question is up: keys go to it
                    if await question:
                        break
                default = str(path)
        finally:
            self.export_started()
        ids = list(chosen.ids)
        from ...core.export import format_for  # imported when needed: it brings the models

        try:
            count = await asyncio.to_thread(
                self.service.export_to_file, ids, path, format_for(path), title=chosen.title
            )
        except OSError as error:
            reason = for_display(str(error.strerror or error), one_line=True)
            self.notify(f"Could not write {shown}: {reason}", severity="error", markup=False)
            return
        app.save_setting("export_path", str(path))  # type: ignore[attr-defined]
        message = f"Exported {plural(count, chosen.noun)} to {shown}"
        self.status.set_message(message)
        self.notify(message, markup=False)


def _found_at(path: Path) -> str | None:
    """What is at ``path``: "folder", "file" (anything else that exists), or None."""
    if path.is_dir():
        return "folder"
    return "file" if path.exists() else None
