"""The benchmark command runs from a fresh clone and prints every figure beside its baseline."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = (
    "import (papers/s)",
    "re-import, dedupe (papers/s)",
    "search per keystroke p50",
    "search per keystroke p95",
    "TUI first frame with list",
    "TUI keystroke → list (p50)",
    "TUI peak memory (RSS)",
    "CLI list --limit 20",
    "CLI search",
)


def test_benchmarks_print_each_figure_beside_the_plain_way(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--sizes", "300", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert "300 papers" in lines
    for name in ROWS:
        [line] = [line for line in lines if line.startswith(name)]
        ours, plain, ratio = re.split(r"\s{2,}", line[len(name) :].strip())
        for figure in (ours, plain):
            assert re.fullmatch(r"[\d,]+|[\d.]+ (ms|MB)", figure), line
            assert float(figure.split()[0].replace(",", "")) > 0, line
        assert re.fullmatch(r"[\d.]+x( slower| faster)?", ratio), line
    assert sorted(path.name for path in (tmp_path / "300").glob("*.txt")) == ["page-0000.txt"]
