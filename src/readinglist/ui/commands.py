"""Command palette provider: jump to any paper, found by the same search as ``/``."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Protocol, cast

from textual.command import Hit, Hits, Provider
from textual.content import Content

from ..core.search import parse_query
from ..core.textclean import for_display

if TYPE_CHECKING:
    from ..core.service import ReadingList

PALETTE_HITS = 12


class PaperJumper(Protocol):
    """What the provider needs of its app (ReadingListApp): described here rather than
    imported, since the app imports this module to register the provider."""

    @property
    def service(self) -> ReadingList: ...

    def jump_to_paper(self, paper_id: int) -> None: ...


class PaperProvider(Provider):
    """Offers "Go to paper: <title>" for the best matches of what is typed.

    Providers run on the event loop, so the service's search runs in a thread; the
    palette cancels a search when the next keystroke starts another.
    """

    @property
    def _app(self) -> PaperJumper:
        return cast("PaperJumper", self.app)

    async def search(self, query: str) -> Hits:
        if not parse_query(query).text:
            return
        papers = await asyncio.to_thread(self._find, query)
        for rank, (paper_id, title) in enumerate(papers):
            yield Hit(
                1.0 - rank / (PALETTE_HITS * 2),  # the search's order, not the palette's
                Content.assemble(("Go to paper: ", "dim"), title),
                partial(self._app.jump_to_paper, paper_id),
                text=f"Go to paper: {title}",
                help="Show this paper in the list",
            )

    def _find(self, query: str) -> list[tuple[int, str]]:
        service = self._app.service
        hits = service.search(query, limit=PALETTE_HITS)
        titles = {row.id: row.title for row in service.summaries([hit.id for hit in hits])}
        return [
            (hit.id, for_display(titles[hit.id], one_line=True)) for hit in hits if hit.id in titles
        ]
