"""Gamification awards per second on PostgreSQL with 4 dispatcher workers.

Each of ``--events`` source events is delivered twice (a redelivery, as after a sweeper retry),
shuffled, to 4 worker threads, each with its own connection and one transaction per delivery.
Ours: ``domain.gamification.award.award`` (the unique key decides, atomic balance UPDATE).
Baseline: the naive check-then-insert (SELECT the key; INSERT if absent; read the balance,
write it back) into twin tables without the unique constraint. Prints awards/s, duplicates and
the balance check for both.

    python bench/gamification.py --db postgresql://vcc_test:vcc_test@localhost:5432/vcc_bench \\
        --seed --events 100000
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from domain import db as dbmod
from domain.db import get_engine, unit_of_work
from domain.gamification.award import award

WORKERS = 4
NAIVE_DDL = [
    "DROP TABLE IF EXISTS bench_naive_event",
    "DROP TABLE IF EXISTS bench_naive_balance",
    "CREATE TABLE bench_naive_event (id serial primary key, user_id int, venture_id int,"
    " type varchar(40), points int, idempotency_key varchar(200))",
    "CREATE TABLE bench_naive_balance (user_id int, venture_id int, points int,"
    " primary key (user_id, venture_id))",
]


def _ids(engine: Any) -> tuple[int, list[int]]:
    with engine.connect() as conn:
        venture = conn.execute(text("SELECT id FROM venture ORDER BY id LIMIT 1")).scalar_one()
        users = list(conn.execute(text("SELECT id FROM user_account ORDER BY id")).scalars())
    return int(venture), [int(u) for u in users]


def _run(deliveries: list[tuple[int, str]], fn: Any) -> float:
    chunks = [deliveries[i::WORKERS] for i in range(WORKERS)]
    barrier = threading.Barrier(WORKERS + 1)

    def work(chunk: list[tuple[int, str]]) -> None:
        barrier.wait()
        for user, key in chunk:
            fn(user, key)

    threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", action="store_true")
    args = parser.parse_args()
    dbmod.use_database(args.db)
    engine = get_engine()
    if args.seed:
        from domain.demo import seed
        from domain.migrations import upgrade

        upgrade(args.db)
        with engine.connect() as conn:
            if not conn.execute(text("SELECT count(*) FROM venture")).scalar_one():
                seed("small", 7, engine=engine)
    venture, users = _ids(engine)
    day = date(2026, 1, 5)
    events = [(users[i % len(users)], f"bench:{i}") for i in range(args.events)]
    deliveries = events * 2
    random.Random(7).shuffle(deliveries)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM gamification_event WHERE idempotency_key LIKE 'bench:%'"))
        conn.execute(text("DELETE FROM gamification_balance"))
        conn.execute(text("DELETE FROM gamification_event"))
        for stmt in NAIVE_DDL:
            conn.execute(text(stmt))

    def ours(user: int, key: str) -> None:
        with unit_of_work(engine) as uow:
            award(
                uow.session.connection(),
                user_id=user,
                venture_id=venture,
                kind="TASK_COMPLETED",
                key=key,
                day=day,
            )

    def naive(user: int, key: str) -> None:
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
                text(
                    "SELECT points FROM bench_naive_balance WHERE user_id = :u AND venture_id = :v"
                ),
                {"u": user, "v": venture},
            ).scalar_one_or_none()
            if got is None:
                conn.execute(
                    text(
                        "INSERT INTO bench_naive_balance VALUES (:u, :v, 10) ON CONFLICT DO NOTHING"
                    ),
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

    results = []
    for name, fn, ev, bal in (
        ("ours (unique key + atomic UPDATE)", ours, "gamification_event", "gamification_balance"),
        ("naive check-then-insert", naive, "bench_naive_event", "bench_naive_balance"),
    ):
        seconds = _run(deliveries, fn)
        with engine.connect() as conn:
            rows = conn.execute(text(f"SELECT count(*) FROM {ev}")).scalar_one()
            keys = conn.execute(
                text(f"SELECT count(DISTINCT idempotency_key) FROM {ev}")
            ).scalar_one()
            diff = conn.execute(
                text(
                    f"SELECT count(*) FROM {bal} b LEFT JOIN (SELECT user_id, venture_id,"
                    f" sum(points) s FROM {ev} GROUP BY 1, 2) e USING (user_id, venture_id)"
                    " WHERE b.points <> coalesce(e.s, 0)"
                )
            ).scalar_one()
        results.append((name, len(deliveries) / seconds, rows - keys, keys, diff))
    print(f"{args.events:,} events, each delivered twice, {WORKERS} workers, PostgreSQL")
    print(
        f"{'path':<36} {'deliveries/s':>13} {'events':>8} {'duplicates':>11} {'balances off':>13}"
    )
    for name, rate, dups, keys, diff in results:
        print(f"{name:<36} {rate:>13,.0f} {keys:>8,} {dups:>11,} {diff:>13,}")
    with engine.begin() as conn:
        for stmt in NAIVE_DDL[:2]:
            conn.execute(text(stmt))


if __name__ == "__main__":
    main()
