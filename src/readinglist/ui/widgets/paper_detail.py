"""PaperDetail: the highlighted paper in full, as plain text.

Every string here came from outside (a saved page or the reader's note), so it is
wrapped in ``Content`` and never parsed as markup.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...core.models import PaperRecord

STATUS_LABELS = {"unread": "unread", "reading": "◐ reading", "read": "✓ read"}


class PaperDetail(VerticalScroll, can_focus=False):
    """Title, metadata line, numbered links, note and abstract of one paper."""

    def compose(self):
        yield Static(id="detail-title")
        yield Static(id="detail-meta")
        yield Static(id="detail-links")
        yield Static(id="detail-note")
        yield Static(id="detail-abstract")

    def show(self, record: PaperRecord | None) -> None:
        title = self.query_one("#detail-title", Static)
        parts = {
            name: self.query_one(f"#detail-{name}", Static)
            for name in ("meta", "links", "note", "abstract")
        }
        if record is None:
            title.update(Content("No paper selected"))
            for widget in parts.values():
                widget.update(Content(""))
                widget.display = False
            return
        title.update(Content(record.title))
        parts["meta"].update(Content(metadata_line(record)))
        parts["links"].update(
            Content.assemble(
                *(
                    item
                    for number, link in enumerate(record.links, start=1)
                    for item in ((f"[{number}] ", "bold $accent"), link, "\n")
                )
            ).rstrip()
            if record.links
            else Content("")
        )
        parts["note"].update(
            Content.assemble(("Note\n", "bold"), record.note) if record.note else Content("")
        )
        parts["abstract"].update(Content(record.abstract or "(no abstract)"))
        for name, widget in parts.items():
            widget.display = name in ("meta", "abstract") or bool(
                record.links if name == "links" else record.note
            )
        self.scroll_home(animate=False)


def metadata_line(record: PaperRecord) -> str:
    items = [
        "★ starred" if record.starred else "",
        record.date_text or record.date or "",
        f"{record.authors} authors" if record.authors is not None else "",
        record.org or "",
        f"▲ {record.upvotes}" if record.upvotes is not None else "",
        STATUS_LABELS.get(record.status, record.status),
        f"#{record.id}",
    ]
    return " · ".join(item for item in items if item)
