"""The freight dashboard read: cached (in-process and Redis) and uncached, against aggregating the
raw rows on request; same run, results equal.

The read is ``freight_dashboard`` for the last 30 days over every freight venture (the freight
head's scope), i.e. the headlines of 30 days against the 30 before and a point per day.

- cached, in-process: the default cache (LRU with TTL), warm;
- cached, Redis: a private ``redis-server`` on a free port (skipped if it is not installed), warm;
- uncached: the same read with the cache flushed before each run (FreightKpiDaily only);
- baseline: the 60 days computed from the raw loads on request (``kpi.extract_sqlalchemy`` and
  ``kpi.compute_kpi``, the same numbers without the pre-aggregate).

    python bench/dashboards.py --db sqlite:////tmp/vcc-cachebench/large.db

Reads only, except that a missing FreightKpiDaily day is computed once and stored (as the product
does): run it on a copy of a bench database. Prints p50/p95/p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select

from domain import cache, clock
from domain.access.scope import actor_for
from domain.db import get_engine, pk, read_only, use_database
from domain.freight import kpi
from domain.freight.access import freight_venture_ids
from domain.freight.dashboard import freight_dashboard
from domain.org.models import User, Venture

READER = "head.freight@vcc.example"


def percentiles(fn: Callable[[], Any], runs: int, before: Callable[[], None] | None = None) -> str:
    times = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    q = statistics.quantiles(times, n=100, method="inclusive")
    return f"p50 {q[49]:8.3f}  p95 {q[94]:8.3f}  p99 {q[98]:8.3f}"


def start_redis() -> tuple[subprocess.Popen[bytes], str] | None:
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    for _ in range(200):
        try:
            redis.Redis(port=port).ping()
            return proc, f"redis://127.0.0.1:{port}/0"
        except redis.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--baseline-runs", type=int, default=10)
    args = parser.parse_args()
    use_database(args.db)
    engine = get_engine()
    with read_only() as uow:
        user = uow.session.execute(select(User).where(User.email == READER)).scalar_one()
        actor = actor_for(uow.session, user)
        ids = freight_venture_ids(uow, actor)
        tzs = {
            pk(v): v.timezone
            for v in uow.session.execute(select(Venture).where(Venture.id.in_(ids))).scalars()  # type: ignore[union-attr]
        }

    def read() -> Any:
        with read_only() as uow:
            return freight_dashboard(uow, actor, preset="30")

    first = read()  # stores any missing day once (not timed)
    start, end = first.start, first.end
    lo = start - timedelta(days=(end - start).days + 1)

    def baseline() -> Any:
        with engine.connect() as conn:
            frames = kpi.extract_sqlalchemy(conn, ids, kpi.Window.of(tzs, lo, end))
            return kpi.compute_kpi(frames, tzs, lo, end)

    rows = [r for r in baseline() if r.day >= start]
    assert sum(r.loads_delivered for r in rows) == first.current.loads_delivered, "baseline differs"
    assert sum(r.loads_created for r in rows) == first.current.loads_created, "baseline differs"

    print(f"freight dashboard, {start}..{end} (+ previous 30 days), ventures {ids}, {args.db}")
    print(f"runs per line: {args.runs}; milliseconds")
    cache.use_cache(cache.build(""))
    c = cache.get_cache()
    print(f"uncached (FreightKpiDaily)   {percentiles(read, args.runs, before=c.flush)}")
    read()
    print(f"cached, in-process           {percentiles(read, args.runs)}")
    redis = start_redis()
    if redis is None:
        print("cached, Redis                (redis-server not installed: skipped)")
    else:
        proc, url = redis
        try:
            cache.use_cache(cache.build(url))
            read()
            assert cache.health() == "ok"
            print(f"cached, Redis                {percentiles(read, args.runs)}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    runs = args.baseline_runs
    print(f"baseline: raw loads (n={runs:3d})  {percentiles(baseline, runs)}")
    print(f"(clock: today {clock.today('America/New_York')})")


if __name__ == "__main__":
    main()
