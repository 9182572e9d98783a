"""Canonical hashes: of result rows (the output hash), of the rows a run read (the input
fingerprint) and of an executed notebook without its volatile metadata.

Rules that make a hash reproducible across runs, row orders and SQLite/PostgreSQL:
- rows are hashed as sorted canonical JSON lines, so order never matters;
- numbers with a fraction (``Decimal`` and ``float``) are written with six fixed decimals, so
  ``Decimal("10.50")`` from NUMERIC and ``10.5`` from Polars hash alike;
- volatile columns (ids, ``run_id``, ``created_at``/``computed_at``...) are left out: they change
  with every run while the business result does not.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

# Columns never part of an output hash: identity and bookkeeping, not results.
VOLATILE_COLUMNS = frozenset(
    {"id", "run_id", "created_at", "updated_at", "computed_at", "recomputed_at"}
)
_QUANTUM = Decimal("0.000001")


def canonical_value(value: Any) -> Any:
    """A JSON scalar with one spelling per value (see the module docstring)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return canonical_value(value.value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return repr(value)
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return format(value.quantize(_QUANTUM), "f")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [canonical_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): canonical_value(v) for k, v in value.items()}
    return str(value)


def canonical_row(row: Mapping[str, Any], exclude: Iterable[str] = VOLATILE_COLUMNS) -> str:
    skip = set(exclude)
    data = {str(k): canonical_value(v) for k, v in row.items() if k not in skip}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def rows_hash(
    rows: Iterable[Mapping[str, Any]], exclude: Iterable[str] = VOLATILE_COLUMNS
) -> tuple[int, str]:
    """(row count, sha256 of the sorted canonical rows)."""
    skip = frozenset(exclude)
    lines = sorted(canonical_row(r, skip) for r in rows)
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return len(lines), digest.hexdigest()


@dataclass
class TableInputs:
    """What a run read from one table: row count, hash, and a short hash per row key (kept in
    the manifest so verify can say how many rows were added, removed or changed)."""

    table: str
    count: int
    sha256: str
    rows: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {"count": self.count, "sha256": self.sha256}


def table_inputs(table: str, rows: Iterable[Mapping[str, Any]], key: str = "id") -> TableInputs:
    """Fingerprint source rows. Every column counts (an edited amount changes the hash)."""
    per_row: dict[str, str] = {}
    for row in rows:
        line = canonical_row(row, exclude=())
        per_row[str(canonical_value(row[key]))] = hashlib.sha256(line.encode()).hexdigest()[:16]
    digest = hashlib.sha256()
    for k in sorted(per_row):
        digest.update(f"{k}:{per_row[k]}\n".encode())
    return TableInputs(table=table, count=len(per_row), sha256=digest.hexdigest(), rows=per_row)


def fingerprint(tables: Iterable[TableInputs]) -> str:
    """One hash over every table's hash: equal fingerprints mean the same inputs."""
    digest = hashlib.sha256()
    for t in sorted(tables, key=lambda t: t.table):
        digest.update(f"{t.table}:{t.count}:{t.sha256}\n".encode())
    return digest.hexdigest()


def input_changes(
    before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, int]]:
    """Per table that changed: counts before/after and, when both sides kept their per-row hashes,
    rows added, removed and changed. ``before``/``after`` map table -> {count, sha256, rows?}."""
    out: dict[str, dict[str, int]] = {}
    for table in sorted(set(before) | set(after)):
        b, a = before.get(table, {}), after.get(table, {})
        if b.get("sha256") == a.get("sha256") and b.get("count") == a.get("count"):
            continue
        entry = {"before": int(b.get("count", 0)), "after": int(a.get("count", 0))}
        b_rows, a_rows = b.get("rows"), a.get("rows")
        if isinstance(b_rows, Mapping) and isinstance(a_rows, Mapping):
            entry["added"] = len(set(a_rows) - set(b_rows))
            entry["removed"] = len(set(b_rows) - set(a_rows))
            entry["changed"] = sum(1 for k in set(a_rows) & set(b_rows) if a_rows[k] != b_rows[k])
        out[table] = entry
    return out


# -- notebooks ----------------------------------------------------------------------------------

_VOLATILE_NB_META = ("papermill", "execution")
# Cells whose content names the run (run id, paths, timings): not part of the notebook hash.
VOLATILE_TAGS = frozenset({"injected-parameters", "volatile", "results"})


def canonical_notebook_hash(nb: Mapping[str, Any]) -> str:
    """sha256 of an executed notebook without papermill/ipykernel timing metadata, cell ids and
    the cells tagged as run-specific. Two runs with the same parameters and data hash alike."""
    meta = {k: v for k, v in dict(nb.get("metadata", {})).items() if k not in _VOLATILE_NB_META}
    cells = []
    for cell in nb.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & VOLATILE_TAGS:
            continue
        cell_meta = {
            k: v for k, v in dict(cell.get("metadata", {})).items() if k not in _VOLATILE_NB_META
        }
        cells.append(
            {
                "cell_type": cell.get("cell_type"),
                "source": cell.get("source"),
                "metadata": cell_meta,
                "outputs": cell.get("outputs", []),
            }
        )
    doc = {"metadata": meta, "cells": cells}
    return hashlib.sha256(
        json.dumps(doc, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
