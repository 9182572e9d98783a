"""The run archive: a run's result rows as Parquet beside its manifest (``{run_id}.rows.parquet``).

A job whose ``JobSpec.archive`` is set (incentives-daily, incentives-backfill, payouts) writes,
from its last cell, exactly the canonical rows its output hash is computed over: the runner reads
the file back, checks that its rows hash to the run's output hash, and records the file's sha256
and row count in the manifest (``archive``). Each run writes its own file (the name carries the run
id), so a dry run (a verify) never touches a live run's archive. Two archives of the same key are
what ``domain.incentives.explain`` compares with DuckDB.

Values are stored as they are hashed: money as ``Decimal`` with six places (one scale for every
row, so Polars keeps one exact decimal column), dates as the ISO text the canonical rows carry.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from domain.jobs.hashing import file_sha256, rows_hash

ARCHIVE_SUFFIX = ".rows.parquet"
_SIX = Decimal("0.000001")


@dataclass(frozen=True)
class ArchiveInfo:
    path: str  # relative to the reports folder
    sha256: str  # of the file
    rows: int

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "rows": self.rows}


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal) and value.is_finite():
        return value.quantize(_SIX)
    return value


def write_archive(path: Path, rows: Iterable[Mapping[str, Any]]) -> int:
    """Write ``rows`` (dicts) as Parquet, atomically; returns the row count."""
    import polars as pl

    data = [{k: _cell(v) for k, v in r.items()} for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pl.DataFrame(data, infer_schema_length=None).write_parquet(tmp)
    os.replace(tmp, path)
    return len(data)


def read_archive_rows(path: Path) -> list[dict[str, Any]]:
    import polars as pl

    return pl.read_parquet(path).to_dicts()


def check_archive(
    path: Path, output: Mapping[str, Any], rel: str
) -> tuple[ArchiveInfo | None, str]:
    """(the archive's record, "") when the file holds exactly the rows of the output hash, else
    (None, what is wrong)."""
    if not path.is_file():
        return None, "the notebook wrote no result archive (Parquet)"
    try:
        count, digest = rows_hash(read_archive_rows(path))
    except Exception as exc:  # an unreadable file is the run's failure, not the runner's
        return None, f"the result archive cannot be read: {type(exc).__name__}: {exc}"
    if (count, digest) != (output.get("rows"), output.get("sha256")):
        return None, (
            f"the result archive holds {count} rows (hash {digest[:12]}), the output hash "
            f"is over {output.get('rows')} rows ({str(output.get('sha256'))[:12]})"
        )
    return ArchiveInfo(path=rel, sha256=file_sha256(path), rows=count), ""


def archive_of(manifest: Mapping[str, Any] | None) -> ArchiveInfo | None:
    """The archive a manifest records, if any."""
    found = (manifest or {}).get("archive")
    if not isinstance(found, Mapping) or not found.get("path"):
        return None
    return ArchiveInfo(
        path=str(found["path"]), sha256=str(found.get("sha256") or ""), rows=int(found["rows"])
    )
