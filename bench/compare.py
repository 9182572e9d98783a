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
from dataclasses import dataclass
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


def seed_large(url: str, engine: Any) -> None:
    """``--seed`` of every bench: migrate, then seed the large demo (seed 7) when the database is
    empty, timed."""
    from domain.demo import database_is_empty, seed
    from domain.migrations import upgrade

    upgrade(url)
    if database_is_empty(engine):
        t = time.perf_counter()
        summary = seed("large", 7, engine=engine)
        print(f"seeded large in {time.perf_counter() - t:.0f} s: {summary}", flush=True)


# -- the whole run of a KPI backfill bench ------------------------------------------------------

KpiPath = Callable[[list[int], Any, Any, dict[str, float]], list[Any]]


@dataclass(frozen=True)
class KpiBench:
    """A KPI backfill bench (``hospitality_kpi.py``, ``bpo_kpi.py``): its paths over the
    (ventures, start, end) of ``setup``, the rows each wrote read back by ``stored``, and how its
    output names things."""

    script: str  # the bench's __file__ (rerun with --memory-child for the memory runs)
    doc: str
    paths: dict[str, KpiPath]  # ours first
    labels: dict[str, str]
    run_ids: dict[str, str]
    days: int
    setup: Callable[[], tuple[list[int], Any, Any, Any]]  # (ids, timezones, start, end)
    volumes: Callable[[list[int], Any, Any], dict[str, int]]
    stored: Callable[[list[int], Any, Any, str], list[Any]]  # (ids, start, end, run id) -> rows
    ventures_noun: str  # "BPO venture(s)"
    table_name: str  # "BpoKpiDaily"

    def run_once(self, name: str) -> Callable[[], Any]:
        """One run of path ``name`` over the bench's range (the range read before, not timed)."""
        ids, _, start, end = self.setup()
        return lambda: self.paths[name](ids, start, end, {})


def kpi_main(bench: KpiBench) -> None:
    """Parse the arguments, seed the large demo when asked, time every path in ``rounds``, assert
    the rows equal (computed and stored), measure memory and print the table."""
    import argparse

    from domain.db import get_engine, use_database
    from domain.settings import Settings

    parser = argparse.ArgumentParser(
        description=bench.doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="database URL (the large demo)")
    parser.add_argument("--seed", action="store_true", help="migrate and seed large when empty")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per path (median)")
    parser.add_argument("--paths", default=",".join(bench.paths), help="comma-separated subset")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument("--memory-child", choices=list(bench.paths), help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = Settings(DATABASE_URL=args.db).database_url  # type: ignore[call-arg]
    use_database(url)
    if args.memory_child:
        memory_child(bench.run_once(args.memory_child))
        return
    if args.repeat < 3:
        parser.error("--repeat must be at least 3 (a median of 3 at least)")
    engine = get_engine(url)
    if args.seed:
        seed_large(url, engine)
    print(f"database: {engine.url.render_as_string(hide_password=True)}", flush=True)
    print(f"load: {os.getloadavg()}", flush=True)
    ids, _, start, end = bench.setup()
    names = [n for n in args.paths.split(",") if n]
    print(f"  {len(ids)} {bench.ventures_noun}, {start}..{end}: {bench.volumes(ids, start, end)}")
    bench.paths["ours"](ids, start, end, {})  # warm: imports, pools, caches alike for every path

    def check(name: str, got: list[Any]) -> None:
        assert bench.stored(ids, start, end, bench.run_ids[name]) == got, (
            f"{name}: the rows written differ from the rows computed"
        )

    runs, rows = rounds(
        {n: (lambda t, n=n: bench.paths[n](ids, start, end, t)) for n in names},
        args.repeat,
        check,
    )
    ref = rows[names[0]]
    for name in names[1:]:
        assert rows[name] == ref, f"{name} and {names[0]} give different rows"
    assert len(ref) == len(ids) * bench.days, "the large demo has rows every day"
    print(f"  {len(ref)} {bench.table_name} rows, equal on every path (computed and stored)")
    memory: dict[str, tuple[dict[str, float], float]] = {}
    if not args.no_memory:
        for name in names:
            memory[name] = (
                memory_of(bench.script, name, args.db),
                traced_peak(bench.run_once(name)),
            )
            print(f"  memory {name}: {memory[name]}", flush=True)
    print(f"load: {os.getloadavg()}", flush=True)
    table({n: bench.labels[n] for n in names}, runs, memory)
