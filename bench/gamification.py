"""Gamification awards per second on PostgreSQL with 4 dispatcher workers.

``--events`` (default 100,000) TaskCompleted events are recorded in the outbox (one per task,
users round-robin), then each is **delivered twice** (the inline dispatch after commit and a
sweeper's redelivery) and every ``--replay-every``-th (default 10th) a third time with its
handler forced to re-run (a replay), all shuffled across 4 worker threads, each with its own
connections.

- **ours**: every delivery is the real ``domain.events.dispatcher.dispatch``: the delivery row is
  claimed (a redelivery finds it processed and stops there), the gamification handler calls
  ``domain.gamification.award.award`` (config read, ``INSERT ... ON CONFLICT DO NOTHING``,
  atomic balance ``UPDATE``), the event is settled. A forced replay runs the handler again, so
  the award's unique key is what refuses the duplicate. Checked afterwards: one award per task,
  no more; the reconciliation check (``domain.gamification.reconcile.mismatches``) finds nothing.
- **baseline**: the naive check-then-insert the old system used (SELECT the key, INSERT if absent,
  read the balance, write it back) into twin tables without the unique constraint, 4 workers, the
  same deliveries: faster per delivery, and wrong (duplicates, balances off).

Awards/s counts the distinct awards made over the wall time of the whole run (every delivery).

    python bench/gamification.py \\
        --db postgresql+psycopg://vcc_test:vcc_test@localhost:5432/vcc_bench \\
        --seed --events 100000
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text

from domain import clock
from domain import db as dbmod
from domain.db import get_engine
from domain.events.dispatcher import dispatch
from domain.events.models import OutboxEvent
from domain.gamification.reconcile import mismatches
from domain.operations.events import TaskCompleted

WORKERS = 4
TASK_BASE = 900_000_000  # task ids of the bench's events (no such tasks exist)
NAIVE_DDL = [
    "DROP TABLE IF EXISTS bench_naive_event",
    "DROP TABLE IF EXISTS bench_naive_balance",
    "CREATE TABLE bench_naive_event (id serial primary key, user_id int, venture_id int,"
    " type varchar(40), points int, idempotency_key varchar(200))",
    "CREATE TABLE bench_naive_balance (user_id int, venture_id int, points int,"
    " primary key (user_id, venture_id))",
]


def _ids(engine: Any) -> tuple[int, int, list[int]]:
    with engine.connect() as conn:
        venture = conn.execute(text("SELECT id FROM venture ORDER BY id LIMIT 1")).scalar_one()
        office = conn.execute(
            text("SELECT id FROM office WHERE venture_id = :v ORDER BY id LIMIT 1"), {"v": venture}
        ).scalar_one()
        users = list(
            conn.execute(
                text("SELECT user_id FROM venture_user WHERE venture_id = :v ORDER BY user_id"),
                {"v": venture},
            ).scalars()
        )
    return int(venture), int(office), [int(u) for u in users]


def _record(engine: Any, venture: int, office: int, users: list[int], n: int) -> list[int]:
    """Record ``n`` TaskCompleted events in the outbox (not dispatched), as the task service
    would have; returns their ids."""
    now, day = clock.now(), date(2026, 1, 5)
    table = OutboxEvent.__table__  # type: ignore[attr-defined]
    ids: list[int] = []
    with engine.begin() as conn:
        for start in range(0, n, 5_000):
            rows = []
            for i in range(start, min(start + 5_000, n)):
                user = users[i % len(users)]
                ev = TaskCompleted(
                    venture_id=venture,
                    task_id=TASK_BASE + i,
                    office_id=office,
                    assignee_id=user,
                    completed_by_id=user,
                    completed_at=now,
                    business_date=day,
                )
                rows.append(
                    {
                        "type": ev.type,
                        "venture_id": venture,
                        "payload": ev.payload(),
                        "created_at": now,
                        "processed_at": None,
                        "attempts": 0,
                        "next_attempt_at": now,
                    }
                )
            ids.extend(conn.execute(insert(table).returning(table.c.id), rows).scalars())
    return ids


def _run(deliveries: list[Any], fn: Any) -> tuple[float, dict[str, int]]:
    """Run ``fn`` over the deliveries in ``WORKERS`` forked processes (each its own connection
    pool, as dispatcher workers are separate processes; threads would share one GIL), released
    together. Returns the wall time and the summed counts ``fn`` returned."""
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(WORKERS + 1)
    results = ctx.Queue()
    chunks = [deliveries[i::WORKERS] for i in range(WORKERS)]

    def work(chunk: list[Any]) -> None:
        counts: dict[str, int] = {}
        step = max(len(chunk) // 10, 1)
        barrier.wait()
        try:
            for n, item in enumerate(chunk, start=1):
                key = fn(item)
                if key:
                    counts[key] = counts.get(key, 0) + 1
                if n % step == 0:
                    print(
                        f"  worker {os.getpid()}: {n:,}/{len(chunk):,}", file=sys.stderr, flush=True
                    )
            results.put(("ok", counts))
        except BaseException as exc:  # reported by the parent
            results.put(("error", f"{type(exc).__name__}: {exc}"))

    procs = [ctx.Process(target=work, args=(c,)) for c in chunks]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    got = [results.get() for _ in procs]
    seconds = time.perf_counter() - start
    for p in procs:
        p.join()
    total: dict[str, int] = {}
    for status, payload in got:
        if status == "error":
            raise RuntimeError(payload)
        for k, v in payload.items():
            total[k] = total.get(k, 0) + v
    return seconds, total


def _clean(engine: Any) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "DELETE FROM outbox_delivery WHERE event_id IN (SELECT id FROM outbox_event"
                " WHERE type = 'TaskCompleted' AND (payload->>'task_id')::bigint >= :b)"
            ),
            {"b": TASK_BASE},
        )
        conn.execute(
            text(
                "DELETE FROM outbox_event WHERE type = 'TaskCompleted'"
                " AND (payload->>'task_id')::bigint >= :b"
            ),
            {"b": TASK_BASE},
        )
        for stmt in NAIVE_DDL[:2]:
            conn.execute(text(stmt))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL URL (its data is changed)")
    parser.add_argument(
        "--events", type=int, default=100_000, help="source events (default 100,000)"
    )
    parser.add_argument(
        "--replay-every", type=int, default=10, help="every Nth event is also replayed (forced)"
    )
    parser.add_argument("--seed", action="store_true", help="migrate and seed the demo if empty")
    args = parser.parse_args()
    dbmod.use_database(args.db)
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        sys.exit("the bench runs on PostgreSQL (SQLite serialises writers)")
    if args.seed:
        from domain.demo import seed
        from domain.migrations import upgrade

        upgrade(args.db)
        with engine.connect() as conn:
            if not conn.execute(text("SELECT count(*) FROM venture")).scalar_one():
                seed("small", 7, engine=engine)
    venture, office, users = _ids(engine)
    _clean(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM gamification_balance"))
        conn.execute(text("DELETE FROM gamification_event"))
        for stmt in NAIVE_DDL:
            conn.execute(text(stmt))
    ids = _record(engine, venture, office, users, args.events)
    # Every event twice (inline, then a sweeper's redelivery); every tenth a third time with the
    # handler forced to re-run (a replay), so the award's unique key must refuse it.
    deliveries = [(e, False) for e in ids * 2] + [(e, True) for e in ids[:: args.replay_every]]
    random.Random(7).shuffle(deliveries)

    def ours(delivery: tuple[int, bool]) -> str:
        event_id, force = delivery
        result = dispatch([event_id], engine=get_engine(), force=force)
        if result.errors:
            raise RuntimeError(f"event {event_id}: {result.errors}")
        (outcome,) = result.outcomes.values()
        return f"{outcome}{' (forced)' if force else ''}"

    users_of = {eid: users[i % len(users)] for i, eid in enumerate(ids)}

    index = {eid: i for i, eid in enumerate(ids)}

    results = []
    seconds, outcomes = _run(deliveries, ours)
    with engine.connect() as conn:
        rows, keys = conn.execute(
            text(
                "SELECT count(*), count(DISTINCT idempotency_key) FROM gamification_event"
                " WHERE type = 'TASK_COMPLETED'"
            )
        ).one()
    off = len(mismatches(engine))
    results.append(("ours: outbox dispatcher -> award", seconds, keys, rows - keys, off))
    seconds, _ = _run(
        deliveries, lambda d: _naive_award(get_engine(), venture, users_of[d[0]], index[d[0]])
    )
    with engine.connect() as conn:
        rows, keys = conn.execute(
            text("SELECT count(*), count(DISTINCT idempotency_key) FROM bench_naive_event")
        ).one()
        off = conn.execute(
            text(
                "SELECT count(*) FROM bench_naive_balance b LEFT JOIN (SELECT user_id, venture_id,"
                " sum(points) s FROM bench_naive_event GROUP BY 1, 2) e USING (user_id, venture_id)"
                " WHERE b.points <> coalesce(e.s, 0)"
            )
        ).scalar_one()
    results.append(("baseline: naive check-then-insert", seconds, keys, rows - keys, off))
    print(
        f"{args.events:,} TaskCompleted events, each delivered twice and every "
        f"{args.replay_every}th replayed (forced): {len(deliveries):,} deliveries, shuffled, "
        f"{WORKERS} workers, PostgreSQL"
    )
    print(
        f"{'path':<34} {'seconds':>8} {'deliveries/s':>13} {'awards/s':>9} {'awards':>8}"
        f" {'duplicates':>11} {'balances off':>13}"
    )
    for name, secs, keys, dups, diff in results:
        print(
            f"{name:<34} {secs:>8.1f} {len(deliveries) / secs:>13,.0f} {keys / secs:>9,.0f}"
            f" {keys:>8,} {dups:>11,} {diff:>13,}"
        )
    print("dispatcher outcomes:", dict(sorted(outcomes.items())))
    ok = results[0][2] == args.events and results[0][3] == 0 and results[0][4] == 0
    print("ours: " + ("OK, one award per event, balances = sum of events" if ok else "FAILED"))
    _clean(engine)
    if not ok:
        sys.exit(1)


def _naive_award(engine: Any, venture: int, user: int, pos: int) -> None:
    key = f"task-completed:{TASK_BASE + pos}"
    with engine.begin() as conn:
        seen = conn.execute(
            text(
                "SELECT 1 FROM bench_naive_event WHERE venture_id = :v AND type = 'T'"
                " AND idempotency_key = :k"
            ),
            {"v": venture, "k": key},
        ).first()
        if seen:
            return
        conn.execute(
            text(
                "INSERT INTO bench_naive_event (user_id, venture_id, type, points,"
                " idempotency_key) VALUES (:u, :v, 'T', 10, :k)"
            ),
            {"u": user, "v": venture, "k": key},
        )
        got = conn.execute(
            text("SELECT points FROM bench_naive_balance WHERE user_id = :u AND venture_id = :v"),
            {"u": user, "v": venture},
        ).scalar_one_or_none()
        if got is None:
            conn.execute(
                text("INSERT INTO bench_naive_balance VALUES (:u, :v, 10) ON CONFLICT DO NOTHING"),
                {"u": user, "v": venture},
            )
        else:
            conn.execute(
                text(
                    "UPDATE bench_naive_balance SET points = :p WHERE user_id = :u"
                    " AND venture_id = :v"
                ),
                {"p": got + 10, "u": user, "v": venture},
            )


if __name__ == "__main__":
    main()
