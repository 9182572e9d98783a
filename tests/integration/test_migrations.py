"""The migrations build exactly the schema the models describe (no drift either way)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import domain.models  # noqa: F401  (every table on the metadata)
from domain.db import get_engine


def test_the_migrated_schema_matches_the_models(db) -> None:
    with get_engine(db.url).connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        diffs = compare_metadata(context, SQLModel.metadata)
    assert diffs == []
