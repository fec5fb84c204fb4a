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


async def probe(db: Path, plain: bool) -> dict[str, float]:
    t0 = float(os.environ["RL_BENCH_T0"])
    if plain:  # the baseline: an empty Textual app with one static line
        from textual.app import App
        from textual.widgets import Static

        class Empty(App[None]):
            def compose(self):
                yield Static("ready")

        app = Empty()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            return {"first_frame": time.time() - t0, "keystroke": 0.0}
    from readinglist.core.service import ReadingList
    from readinglist.core.settings import Settings
    from readinglist.ui.app import ReadingListApp
    from readinglist.ui.widgets.paper_list import PaperList

    service = ReadingList(db)
    app = ReadingListApp(service, settings=Settings(db.with_suffix(".json")))
    arrivals: dict[str, float] = {}

    def hook(message: object) -> None:
        # Pilot.press() itself waits for the screen to settle (~80 ms), so time the
        # keystroke from the key to the moment its rows reach the screen instead.
        if type(message).__name__ == "RowsLoaded" and not message.partial:  # type: ignore[attr-defined]
            arrivals.setdefault(message.query, time.perf_counter())  # type: ignore[attr-defined]

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        while True:
            await pilot.pause(0.005)
            found = app.screen.query(PaperList)
            if found and found.first().rows:
                break
        first_frame = time.time() - t0
        await pilot.press("slash")
        timings = []
        typed = ""
        for key in "transformer":
            typed += key
            start = time.perf_counter()
            await pilot.press(key)
            while typed not in arrivals:
                await asyncio.sleep(0.001)
            timings.append(arrivals[typed] - start)
    timings.sort()
    return {
        "first_frame": first_frame,
        "keystroke": timings[len(timings) // 2],
        "keystroke_max": timings[-1],
    }


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
