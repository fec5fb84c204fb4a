"""The benchmark command runs from a fresh clone and prints every figure beside its baseline.

A smoke test at a tiny size: the figures' values are not checked (no timing assertions).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROWS = (
    "import",
    "re-import (all merged)",
    "list --limit 20, whole process",
    'search "transformer attention", whole process',
    "app first frame with the list (tmux)",
    "keystroke to updated list, p95 (tmux)",
    "app peak memory",
)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="the app's figures are taken in tmux")
def test_benchmarks_print_each_figure_beside_the_plain_way(tmp_path: Path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--sizes",
            "120",
            "--data",
            str(tmp_path / "data"),
            "--plot",
            str(tmp_path / "plot"),
            "--saved-page-papers",
            "20",
            "--tmux-runs",
            "2",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    lines = result.stdout.splitlines()
    import_row = r"^  import .* ratio [\d.]+  side by side [\d.]+ \([\d.]+-[\d.]+\)$"
    assert re.search(import_row, result.stdout, re.MULTILINE), result.stdout
    for size in ("120",):
        [heading] = [line for line in lines if line.startswith(f"{size} papers: ")]
        assert re.search(r"the library holds \d+$", heading), heading
        table = lines[lines.index(heading) + 2 : lines.index(heading) + 2 + len(ROWS)]
        for name, line in zip(ROWS, table, strict=True):
            assert line.startswith(name), (name, line)
            ours, plain, ratio, *_goal = re.split(r"\s{2,}", line[len(name) :].strip())
            for figure in (ours, plain):
                assert re.fullmatch(r"[\d.]+ (s|MB)", figure), line
            assert re.fullmatch(r"[\d.]+x", ratio), line
        after = lines[lines.index(heading) + 2 + len(ROWS) :]
        assert re.match(r"keystroke floor, p95 \(tmux\): .* ours / floor [\d.]+x$", after[0]), after
        assert re.match(r"import floor: .*: [\d.]+ s; ours / floor [\d.]+x$", after[1]), after
        assert re.fullmatch(
            r"import, each run \(ours / plain / floor\): ([\d.]+ / [\d.]+ / [\d.]+ s(, )?){3}",
            after[2],
        ), after[2]
        assert re.fullmatch(
            r"first frame, each run \(ours / empty app\): ([\d.]+ / [\d.]+ s(, )?){2}", after[3]
        ), after[3]
        assert after[4].startswith("per keystroke, median of the runs")
    assert lines[-1] == "plot: needs two sizes or more"
    forms = {path.suffix for path in (tmp_path / "data" / "120").glob("page-*")}
    assert forms == {".html", ".json", ".txt"}
