"""Command palette provider: jump to any paper by title."""

from __future__ import annotations

from functools import partial

from rapidfuzz import fuzz, process, utils
from textual.command import Hit, Hits, Provider
from textual.content import Content


class PaperProvider(Provider):
    """Offers "Go to paper: <title>" for every paper; titles load once, in a thread."""

    async def startup(self) -> None:
        worker = self.app.run_worker(
            self._load_titles, thread=True, group="palette", exit_on_error=False
        )
        self.titles: list[tuple[int, str]] = await worker.wait() or []

    def _load_titles(self) -> list[tuple[int, str]]:
        return [(row.id, row.title) for row in self.app.service.list(sort="title")]  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        if not query.strip():
            return
        choices = {paper_id: title for paper_id, title in self.titles}
        for title, score, paper_id in process.extract(
            query,
            choices,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=15,
            score_cutoff=55,
        ):
            yield Hit(
                score / 100,
                Content.assemble(("Go to paper: ", "dim"), title),
                partial(self.app.jump_to_paper, paper_id),  # type: ignore[attr-defined]
                text=f"Go to paper: {title}",
                help="Show this paper in the list",
            )
