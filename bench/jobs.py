"""Job overhead: a kpi-aggregate run through the runner (lock, JobRun rows, papermill + kernel,
results check, HTML, manifest) versus calling the same domain function directly, same data,
same process. Prints a table; the budget is 3 s of overhead per run.

    .venv/bin/python bench/jobs.py                      # temp SQLite with the small demo data
    .venv/bin/python bench/jobs.py --database URL       # an existing, migrated, seeded database
    .venv/bin/python bench/jobs.py --runs 7 --cli-runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 3.0


def stats(xs: list[float]) -> tuple[float, float, float]:
    return statistics.median(xs), min(xs), max(xs)


def row(name: str, xs: list[float]) -> str:
    med, lo, hi = stats(xs)
    return f"| {name} | {len(xs)} | {med:.2f} | {lo:.2f} | {hi:.2f} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--database", help="database URL (default: a temp SQLite, seeded small)")
    ap.add_argument("--runs", type=int, default=5, help="in-process runs of each path")
    ap.add_argument("--cli-runs", type=int, default=3, help="runs as new processes")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="vcc-bench-jobs-"))
    os.environ["VCC_REPORTS_DIR"] = str(tmp / "reports")
    os.environ.setdefault("VCC_ENV", "test")
    url = args.database or f"sqlite:///{tmp / 'bench.db'}"
    os.environ["DATABASE_URL"] = url

    from domain import clock
    from domain.db import get_engine, use_database
    from domain.settings import get_settings

    use_database(url)
    if not args.database:
        from domain.demo import seed
        from domain.migrations import upgrade

        t0 = time.perf_counter()
        upgrade(url)
        seed("small", 7)
        print(f"seeded the small demo data into {url} in {time.perf_counter() - t0:.1f} s")
    engine = get_engine()
    day = clock.today(get_settings().group_timezone) - timedelta(days=1)

    from domain.jobs.tasks.kpi_aggregate import aggregate

    # Baseline: the domain function the notebook calls, called directly (writes the same rows).
    direct: list[float] = []
    for i in range(args.runs + 1):
        t0 = time.perf_counter()
        result = aggregate(day, "all", run_id=f"bench-direct-{i}", dry_run=False, engine=engine)
        direct.append(time.perf_counter() - t0)
    direct = direct[1:]  # the first call also warms the SQLite page cache

    t_import = time.perf_counter()
    from domain.jobs.runner import reports_root, run_job

    t_import = time.perf_counter() - t_import

    runs, phases = [], []
    for _ in range(args.runs + 1):
        t0 = time.perf_counter()
        view = run_job("kpi-aggregate", business_date=day)
        runs.append(time.perf_counter() - t0)
        assert view.status.value == "SUCCEEDED", view.error
        manifest = json.loads((reports_root() / str(view.manifest_path)).read_text())
        phases.append(manifest["timings"])
    job_first, runs = runs[0] + t_import, runs[1:]
    phases = phases[1:]

    env = {**os.environ, "DATABASE_URL": url}
    cli, cli_base = [], []
    for _ in range(args.cli_runs):
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "domain.cli",
                "jobs",
                "run",
                "kpi-aggregate",
                "--date",
                day.isoformat(),
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        cli.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import datetime, sys; from domain.jobs.tasks.kpi_aggregate import aggregate; "
                f"aggregate(datetime.date.fromisoformat('{day}'), 'all', run_id='bench-cli', "
                "dry_run=False)",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        cli_base.append(time.perf_counter() - t0)

    backend = engine.dialect.name
    print()
    print(
        f"kpi-aggregate for {day}, all freight ventures ({len(result.rows)} KPI rows, "
        f"{result.rows_read} source rows read), {backend}; seconds"
    )
    print()
    print("| path | runs | median | min | max |")
    print("|---|---|---|---|---|")
    print(row("direct call `aggregate()` in process (warm)", direct))
    print(row("`run_job` in process, warm (the scheduler's case)", runs))
    print(
        f"| `run_job` first in a fresh process, runner imports included | 1 | {job_first:.2f} | | |"
    )
    print(row("CLI `vcc jobs run kpi-aggregate` (new process)", cli))
    print(row("CLI baseline `python -c aggregate(...)` (new process)", cli_base))
    print()
    keys = ["inputs", "notebook", "check", "html"]
    med = {k: statistics.median(p.get(k, 0.0) for p in phases) for k in keys}
    rest = statistics.median(runs) - sum(med.values())
    print(
        "warm `run_job`, median seconds per phase: "
        + ", ".join(f"{k} {v:.2f}" for k, v in med.items())
        + f", locks + rows + manifest {rest:.2f}"
    )
    overhead = statistics.median(runs) - statistics.median(direct)
    cli_overhead = statistics.median(cli) - statistics.median(cli_base)
    verdict = "OK" if overhead < BUDGET_S else "OVER BUDGET"
    print(
        f"overhead per run: {overhead:.2f} s warm in process, {cli_overhead:.2f} s as a CLI "
        f"process; budget {BUDGET_S:.0f} s: {verdict}"
    )
    print(f"(reports in {reports_root()})")


if __name__ == "__main__":
    main()
