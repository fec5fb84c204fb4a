"""PaperDetail: one paper in full, as plain text.

Every string here came from outside (a saved page, the reader's note, or a row
another client wrote), so it passes through ``for_display`` and is wrapped in
``Content``, never parsed as markup. Each link stays on one line (cropped with an
ellipsis when the pane is narrow, so a terminal can still recognise it) and an
http(s) link carries a hyperlink (OSC 8) that terminals open on click.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from ...core.dates import shown_date
from ...core.links import is_web_link
from ...core.textclean import for_display
from ...core.wording import plural

if TYPE_CHECKING:
    from ...core.models import PaperRecord

STATUS_LABELS = {"unread": "unread", "reading": "◐ reading", "read": "✓ read"}
PARTS = ("meta", "tags", "authors", "links", "note", "summary", "abstract")
ALWAYS_SHOWN = ("meta", "abstract")
NAMES_SHOWN_WHOLE = 8  # more author names than this: the first few, "…", and the last
NAMES_KEPT_FIRST = 5
PROSE_LINK_WIDTH = 32  # a link inside the abstract is cut to this, so it is never folded


class PaperDetail(VerticalScroll, can_focus=False):
    """Title, metadata line, tags, numbered links, note and abstract of one paper."""

    DEFAULT_CSS = """
    PaperDetail > .detail-title { text-style: bold; color: $text-primary; margin-bottom: 1; }
    PaperDetail > .detail-meta { color: $text-muted; margin-bottom: 1; }
    PaperDetail > .detail-tags { margin-bottom: 1; }
    PaperDetail > .detail-authors { margin-bottom: 1; }
    PaperDetail > .detail-summary {
        border-left: outer $accent; padding-left: 1; margin-bottom: 1;
    }
    PaperDetail > .detail-links {
        margin-bottom: 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    PaperDetail > .detail-note {
        border-left: outer $warning; padding-left: 1; margin-bottom: 1;
    }
    """

    _shown_parts: tuple[Static, dict[str, Static]] | None = None

    def _parts(self) -> tuple[Static, dict[str, Static]]:
        """The title and each part, mounted when the first paper is shown: the app's first
        frame, painted before any paper is read, does without their eight widgets."""
        if self._shown_parts is None:  # kept, not queried: they may not be mounted yet
            title = Static(id="detail-title", classes="detail-title")
            parts = {name: Static(id=f"detail-{name}", classes=f"detail-{name}") for name in PARTS}
            self.mount(title, *parts.values())
            self._shown_parts = title, parts
        return self._shown_parts

    def show(self, record: PaperRecord | None) -> None:
        if not self.is_attached:
            return  # the app is closing: a paper read meanwhile has nowhere to go
        title, parts = self._parts()
        if record is None:
            title.update(Content("No paper selected"))
            for widget in parts.values():
                widget.update(Content(""))
                widget.display = False
            return
        title.update(Content(for_display(record.title, one_line=True)))
        parts["meta"].update(Content(for_display(metadata_line(record), one_line=True)))
        parts["links"].update(links_content(record.links))
        note = for_display(record.note)
        parts["note"].update(Content.assemble(("Note\n", "bold"), note) if note else Content(""))
        tags = tags_content(record.tags)
        parts["tags"].update(tags)
        authors = for_display(author_line(record.author_names), one_line=True)
        parts["authors"].update(Content(authors))
        summary = summary_content(record)
        parts["summary"].update(summary)
        parts["abstract"].update(abstract_content(record.abstract, record.links))
        shown = {
            "tags": tags,
            "authors": authors,
            "links": record.links,
            "note": note,
            "summary": summary,
        }
        for name, widget in parts.items():
            widget.display = name in ALWAYS_SHOWN or bool(shown[name])
        self.scroll_home(animate=False)


def tags_content(tags: tuple[str, ...]) -> Content:
    """``Tags #one #two``; empty when the paper has none."""
    shown = [name for tag in tags if (name := for_display(tag, one_line=True))]
    if not shown:
        return Content("")
    return Content.assemble(("Tags ", "bold"), " ".join(f"#{name}" for name in shown))


def author_line(names: tuple[str, ...]) -> str:
    """The author names in order; a long list keeps the first few and the last (the
    senior author, by the field's habit) and says how many there are."""
    names = tuple(name.strip() for name in names if name.strip())
    if len(names) <= NAMES_SHOWN_WHOLE:
        return ", ".join(names)
    first = ", ".join(names[:NAMES_KEPT_FIRST])
    return f"{first} … {names[-1]} ({len(names)} authors)"


def summary_content(record: PaperRecord) -> Content:
    """The AI summary and the AI keywords, under a heading; empty when there are neither."""
    summary = for_display(record.ai_summary or "")
    keywords = ", ".join(
        word for keyword in record.keywords if (word := for_display(keyword, one_line=True))
    )
    if not summary and not keywords:
        return Content("")
    pieces: list[str | tuple[str, str]] = [("AI summary\n", "bold")] if summary else []
    if summary:
        pieces.append(summary)
    if keywords:
        pieces += ["\n" if summary else "", ("Keywords: ", "bold"), keywords]
    return Content.assemble(*pieces)


def links_content(links: tuple[str, ...]) -> Content:
    """One numbered line per link; http(s) links carry their hyperlink."""
    lines = []
    for number, link in enumerate(links, start=1):
        text = for_display(link, one_line=True)
        target = hyperlink_target(text)
        shown = (text, Style(link=target)) if target else text
        lines.append(Content.assemble((f"[{number}] ", "bold $accent"), shown))
    return Content("\n").join(lines)


def abstract_content(abstract: str, links: tuple[str, ...]) -> Content:
    """The abstract, each of the paper's links in it cut short to stay on one line (the
    whole address stays its hyperlink, and the numbered list above shows it whole)."""
    text = for_display(abstract)
    targets = {target for link in links if (target := hyperlink_target(link))}
    if not text or not targets:
        return Content(text or "(no abstract)")
    longest_first = sorted(targets, key=len, reverse=True)
    pieces: list[str | tuple[str, Style]] = []
    shown_to = 0
    for found in re.finditer("|".join(map(re.escape, longest_first)), text):
        url = found.group()
        label = url if len(url) <= PROSE_LINK_WIDTH else url[: PROSE_LINK_WIDTH - 1] + "…"
        pieces += [text[shown_to : found.start()], (label, Style(link=url))]
        shown_to = found.end()
    pieces.append(text[shown_to:])
    return Content.assemble(*pieces)


def hyperlink_target(url: str) -> str | None:
    """The address a terminal may open for ``url``: only a clean http(s) link."""
    if not url.isprintable() or any(char.isspace() for char in url):
        return None
    return url if is_web_link(url) else None


def metadata_line(record: PaperRecord) -> str:
    authors = record.authors
    stars = record.github_stars
    items = [
        "★ starred" if record.starred else "",
        f"arXiv {record.arxiv_id}" if record.arxiv_id else "",
        shown_date(record.date, record.date_text),
        plural(authors, "author") if authors is not None and not record.author_names else "",
        record.org or "",
        f"▲ {record.upvotes}" if record.upvotes is not None else "",
        plural(stars, "GitHub star", grouped=True) if stars is not None else "",
        STATUS_LABELS.get(record.status, record.status),
        f"id {record.id}",
    ]
    return " · ".join(item for item in items if item)
