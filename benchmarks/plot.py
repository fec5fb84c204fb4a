"""A plot of latency against library size, ours and the plainest way, on log-log axes.

matplotlib (the optional ``bench`` extra) writes a PNG; without it the benchmark says so
and goes on.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def save_plot(
    results: dict[int, dict[str, object]], series: list[tuple[str, str, str]], path: Path
) -> str:
    """Returns a line saying where the plot went (or why there is none)."""
    sizes = sorted(results)
    lines = []
    for number, (label, ours, plain) in enumerate(series):
        for name, key, style in ((label, ours, "-"), (f"{label}: plainest", plain, "--")):
            values = [(size, results[size].get(key)) for size in sizes]
            points = [(s, float(v)) for s, v in values if isinstance(v, float | int) and v > 0]
            if points:
                lines.append(
                    (name, f"C{number}", style, [s for s, _ in points], [v for _, v in points])
                )
    if len(sizes) < 2 or not lines:
        return "plot: needs two sizes or more"
    path.parent.mkdir(parents=True, exist_ok=True)
    if importlib.util.find_spec("matplotlib"):
        return _matplotlib(lines, path.with_suffix(".png"))
    return "plot: install the bench extra (pip install -e '.[bench]') for a plot"


def _matplotlib(lines: list[tuple[str, str, str, list[int], list[float]]], path: Path) -> str:
    import matplotlib  # type: ignore[import-not-found]

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # type: ignore[import-not-found]

    figure, axes = plt.subplots(figsize=(10, 6))
    for name, color, style, xs, ys in lines:
        axes.plot(xs, ys, marker="o", color=color, linestyle=style, label=name)
    axes.set(xscale="log", yscale="log", xlabel="papers in the library", ylabel="seconds")
    axes.set_title("readinglist: latency against library size (dashed: the plainest way)")
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
    figure.savefig(path, dpi=120, bbox_inches="tight")
    return f"plot: {path}"
