"""What the path-against-baseline benches share (``hospitality_kpi.py``, ``bpo_kpi.py``): the
interleaved timed rounds, the memory of a path (peak RSS in a fresh process, the Python
allocations' peak under ``tracemalloc``) and the markdown table of ours vs the baseline.

A bench script names its paths ``{name: fn(timings) -> rows}`` (the first is ours), and runs
itself with ``--memory-child NAME`` for the memory runs (``memory_child`` there).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

Path_ = Callable[[dict[str, float]], Any]  # one run of a path: fills its timings, returns rows
Runs = dict[str, list[tuple[float, dict[str, float]]]]


def status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    return float("nan")


def memory_child(run: Callable[[], Any]) -> None:
    """Run one path once in this fresh process; print its peak RSS as JSON. The process's peak
    is reset first (``/proc/self/clear_refs``), so the imports' own peak does not count."""
    Path("/proc/self/clear_refs").write_text("5")
    before = status_mb("VmRSS")
    run()
    print(json.dumps({"before_mb": before, "peak_mb": status_mb("VmHWM")}))


def memory_of(script: str, name: str, db: str) -> dict[str, float]:
    """Peak RSS of path ``name`` run once by ``script --db db --memory-child name``."""
    out = subprocess.run(
        [sys.executable, script, "--db", db, "--memory-child", name],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def traced_peak(run: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def rounds(
    paths: dict[str, Path_], repeat: int, check: Callable[[str, Any], None]
) -> tuple[Runs, dict[str, Any]]:
    """``repeat`` rounds, each path once per round, the order turned each round (the box is
    shared, so every path sees the same moments of load); ``check(name, rows)`` after each run.
    Returns the timed runs and each path's last rows."""
    names = list(paths)
    runs: Runs = {n: [] for n in names}
    rows: dict[str, Any] = {}
    for r in range(repeat):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            timings: dict[str, float] = {}
            t = time.perf_counter()
            got = paths[name](timings)
            runs[name].append((time.perf_counter() - t, timings))
            rows[name] = got
            check(name, got)
        print(f"  round {r + 1}: load {os.getloadavg()[0]:.1f}", flush=True)
    for name in names:
        print(
            f"  {name}: "
            + "; ".join(
                f"{t:.3f} s (" + ", ".join(f"{k} {v:.3f}" for k, v in x.items()) + ")"
                for t, x in runs[name]
            ),
            flush=True,
        )
    return runs, rows


def table(
    labels: dict[str, str], runs: Runs, memory: dict[str, tuple[dict[str, float], float]]
) -> None:
    """The markdown table of docs/PERFORMANCE.md: median seconds, every run, the split of the
    median run, time against ours (the first path), peak RSS and tracemalloc peak."""
    names = list(runs)
    ours_t = statistics.median(t for t, _ in runs[names[0]])
    print()
    print(
        "| path | seconds (median) | runs | split of the median run | time / ours "
        "| peak RSS MB (before) | tracemalloc peak MB |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in names:
        times = [t for t, _ in runs[name]]
        med = statistics.median(times)
        split = min(runs[name], key=lambda x: abs(x[0] - med))[1]
        mem, traced = memory.get(name, ({}, float("nan")))
        rss = f"{mem.get('peak_mb', float('nan')):.0f} ({mem.get('before_mb', float('nan')):.0f})"
        speed = "1x" if name == names[0] else f"**{med / ours_t:.2f}x**"
        print(
            f"| {labels[name]} | {med:.3f} | {', '.join(f'{x:.3f}' for x in times)} "
            f"| {', '.join(f'{k} {v:.3f}' for k, v in split.items())} | {speed} | {rss} "
            f"| {traced:.1f} |"
        )
