"""Canonical hashes: the output hash ignores row order and run-specific columns, the input
fingerprint sees every edit, the notebook hash ignores papermill's timing metadata."""

import random
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.jobs.hashing import (
    canonical_notebook_hash,
    canonical_value,
    fingerprint,
    input_changes,
    rows_hash,
    table_inputs,
)

ROWS = [
    {"venture": "AFL", "day": date(2026, 11, 26), "revenue": Decimal("1200.50"), "loads": 3},
    {"venture": "MBR", "day": date(2026, 11, 26), "revenue": Decimal("0.00"), "loads": 0},
    {"venture": "RTR", "day": date(2026, 11, 26), "revenue": Decimal("99.99"), "loads": 1},
]


def test_row_order_does_not_matter() -> None:
    shuffled = ROWS[:]
    random.Random(4).shuffle(shuffled)
    assert rows_hash(ROWS) == rows_hash(shuffled) == rows_hash(reversed(ROWS))


@given(st.permutations(range(len(ROWS))))
def test_any_permutation_hashes_alike(order: list[int]) -> None:
    assert rows_hash([ROWS[i] for i in order]) == rows_hash(ROWS)


def test_run_specific_columns_are_ignored() -> None:
    a = [
        r | {"run_id": "r1", "computed_at": datetime(2026, 1, 1, tzinfo=UTC), "id": 1} for r in ROWS
    ]
    b = [
        r | {"run_id": "r2", "computed_at": datetime(2026, 6, 1, tzinfo=UTC), "id": 9} for r in ROWS
    ]
    assert rows_hash(a) == rows_hash(b) == rows_hash(ROWS)


def test_a_changed_value_changes_the_hash() -> None:
    changed = [ROWS[0] | {"revenue": Decimal("1200.51")}, *ROWS[1:]]
    assert rows_hash(changed)[1] != rows_hash(ROWS)[1]
    assert rows_hash(ROWS[:2])[0] == 2


def test_fixed_decimal_format() -> None:
    assert canonical_value(Decimal("10.5")) == canonical_value(Decimal("10.500")) == "10.500000"
    assert canonical_value(10.5) == "10.500000"  # a Polars float and a NUMERIC hash alike
    assert canonical_value(0.1 + 0.2) == "0.300000"
    assert canonical_value(float("nan")) == "nan"
    assert canonical_value(None) is None
    assert canonical_value(True) is True and canonical_value(3) == 3


def test_timestamps_are_utc_whatever_their_zone() -> None:
    utc = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    ny = utc.astimezone(timezone(timedelta(hours=-5)))
    assert canonical_value(utc) == canonical_value(ny) == "2026-11-27T12:00:00Z"


def test_input_fingerprint_sees_every_edit_and_counts_changes() -> None:
    before = [{"id": i, "amount": Decimal(i), "status": "OPEN"} for i in range(1, 6)]
    after = [r.copy() for r in before[:-1]] + [{"id": 9, "amount": Decimal(9), "status": "OPEN"}]
    after[0]["status"] = "DELIVERED"
    t0, t1 = table_inputs("freight_load", before), table_inputs("freight_load", after)
    assert fingerprint([t0]) != fingerprint([t1])
    assert fingerprint([table_inputs("freight_load", list(reversed(before)))]) == fingerprint([t0])
    changes = input_changes(
        {"freight_load": {**t0.summary(), "rows": t0.rows}},
        {"freight_load": {**t1.summary(), "rows": t1.rows}},
    )
    assert changes == {
        "freight_load": {"before": 5, "after": 5, "added": 1, "removed": 1, "changed": 1}
    }


def test_input_changes_without_row_hashes_gives_counts() -> None:
    changes = input_changes(
        {"a": {"count": 2, "sha256": "x"}, "b": {"count": 1, "sha256": "y"}},
        {"a": {"count": 3, "sha256": "z"}, "b": {"count": 1, "sha256": "y"}},
    )
    assert changes == {"a": {"before": 2, "after": 3}}


def _nb(start: str, run_id: str) -> dict[str, object]:
    return {
        "metadata": {"papermill": {"start_time": start, "duration": 1.2}, "kernelspec": {"n": 1}},
        "cells": [
            {
                "cell_type": "code",
                "id": f"id-{start}",
                "source": "x = 1",
                "metadata": {"papermill": {"start_time": start}, "execution": {"t": start}},
                "outputs": [{"output_type": "stream", "text": "1"}],
            },
            {
                "cell_type": "code",
                "source": f"run_id = {run_id!r}",
                "metadata": {"tags": ["injected-parameters"]},
                "outputs": [],
            },
        ],
    }


def test_notebook_hash_ignores_timings_ids_and_run_cells() -> None:
    assert canonical_notebook_hash(_nb("t1", "r1")) == canonical_notebook_hash(_nb("t2", "r2"))
    other = _nb("t1", "r1")
    other["cells"][0]["outputs"] = [{"output_type": "stream", "text": "2"}]  # type: ignore[index]
    assert canonical_notebook_hash(other) != canonical_notebook_hash(_nb("t1", "r1"))
