"""What every wing's kpi-aggregate source shares: the canonical row a run's output hash sees, the
rows a run wrote read back by its ``run_id``, and the ventures of a wing among the run's.

Canonical rows name the venture by code (ids differ between databases) and leave out ``id``,
``run_id`` and ``computed_at``, so a run's output hash depends on the numbers only.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlmodel import col

from domain.org.models import Venture


def canonical_row(
    row: Mapping[str, Any],
    codes: Mapping[int, str],
    columns: Sequence[str],
    *,
    as_text: Collection[str] = (),
) -> dict[str, Any]:
    """``row`` (a KPI day as a mapping) as the run's output: venture code, day, ``columns``
    (those of ``as_text`` as plain text, e.g. a currency enum)."""
    out: dict[str, Any] = {"venture": codes[int(row["venture_id"])], "day": row["day"]}
    for k in columns:
        out[k] = str(row[k]) if k in as_text else row[k]
    return out


def stored_rows(
    engine: Engine,
    model: Any,
    columns: Sequence[str],
    run_id: str,
    *,
    as_text: Collection[str] = (),
) -> list[dict[str, Any]]:
    """The rows of ``model``'s table that ``run_id`` wrote, canonically (the runner compares them
    with the notebook's result)."""
    table = model.__table__
    stmt = (
        select(col(Venture.code).label("venture"), table.c.day, *[table.c[c] for c in columns])
        .select_from(table)
        .join(Venture, col(Venture.id) == table.c.venture_id)
        .where(table.c.run_id == run_id)
    )
    with engine.connect() as conn:
        found = conn.execute(stmt).mappings().all()
    return [dict(r) | {k: str(r[k]) for k in as_text} for r in found]


def ventures_of_types(conn: Connection, ids: Iterable[int], types: Iterable[Any]) -> list[int]:
    """The ventures among ``ids`` whose type is one of ``types``, ascending."""
    return sorted(
        int(v or 0)
        for v in conn.execute(
            select(col(Venture.id)).where(
                col(Venture.id).in_(sorted(ids)), col(Venture.type).in_(sorted(types))
            )
        ).scalars()
    )
