"""Run in a fresh process: time to the first frame with the list shown, a keystroke, peak RSS.

Prints one JSON object. The parent passes its launch time in ``RL_BENCH_T0``.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path

PATIENCE = 60.0  # seconds a step may take on a busy machine before the probe gives up


async def probe(db: Path, plain: bool) -> dict[str, float]:
    t0 = float(os.environ["RL_BENCH_T0"])
    if plain:
        return await probe_plain(db, t0)
    from readinglist.core.service import ReadingList
    from readinglist.core.settings import Settings
    from readinglist.ui.app import ReadingListApp
    from readinglist.ui.widgets.paper_list import PaperList

    service = ReadingList(db)
    app = ReadingListApp(service, settings=Settings(db.with_suffix(".json")))
    arrivals: dict[str, float] = {}

    def hook(message: object) -> None:
        # Pilot.press() itself waits for the screen to settle (~80 ms), so time the
        # keystroke from the key to the moment its rows reach the screen instead (the
        # first page of a long result; the whole count follows when typing pauses).
        if type(message).__name__ == "RowsLoaded":
            arrivals.setdefault(message.view.query, time.perf_counter())  # type: ignore[attr-defined]

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        while True:
            await pilot.pause(0.005)
            found = app.screen.query(PaperList)
            if found and found.first().highlighted is not None:  # rows on screen
                break
        first_frame = time.time() - t0
        await pilot.press("slash")
        deadline = time.monotonic() + PATIENCE
        while getattr(app.focused, "id", None) != "search":  # keys typed before go to the list
            if time.monotonic() > deadline:
                raise TimeoutError("the search box never took the focus")
            await pilot.pause()
        timings = await type_query(pilot, arrivals)
    return {
        "first_frame": first_frame,
        "keystroke": timings[len(timings) // 2],
        "keystroke_max": timings[-1],
    }


async def probe_plain(db: Path, t0: float) -> dict[str, float]:
    """The baseline: an empty Textual app for the first frame, then an input that
    filters every title with one rapidfuzz pass per keystroke into a static list."""
    import sqlite3

    from rapidfuzz import fuzz, process, utils
    from textual.app import App
    from textual.widgets import Input, Static

    done: dict[str, float] = {}

    class Plain(App[None]):
        titles: list[str] = []

        def compose(self):
            yield Static("ready", id="rows")

        def on_input_changed(self, event: Input.Changed) -> None:
            found = process.extract(
                event.value,
                self.titles,
                scorer=fuzz.WRatio,
                processor=utils.default_process,
                limit=40,
            )
            self.query_one("#rows", Static).update("\n".join(title for title, *_ in found))
            done[event.value] = time.perf_counter()

    app = Plain()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first_frame = time.time() - t0
        with sqlite3.connect(db) as conn:
            app.titles = [title for (title,) in conn.execute("SELECT title FROM paper")]
        search = Input()
        await app.mount(search, before="#rows")
        search.focus()
        await pilot.pause()
        timings = await type_query(pilot, done)
    return {"first_frame": first_frame, "keystroke": timings[len(timings) // 2]}


async def type_query(pilot: object, arrivals: dict[str, float]) -> list[float]:
    """Type "transformer" a key at a time; sorted times from each key to its rows."""
    timings = []
    typed = ""
    for key in "transformer":
        typed += key
        start = time.perf_counter()
        await pilot.press(key)  # type: ignore[attr-defined]
        deadline = time.monotonic() + PATIENCE
        while typed not in arrivals:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no rows for {typed!r} after {PATIENCE:.0f} s")
            await asyncio.sleep(0.001)
        timings.append(arrivals[typed] - start)
    return sorted(timings)


def peak_rss_mb() -> float:
    """This process's peak RSS. ``ru_maxrss`` would include the parent's peak from before exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    db, plain = Path(sys.argv[1]), sys.argv[2:] == ["--plain"]
    result = asyncio.run(probe(db, plain))
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
