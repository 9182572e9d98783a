"""Demo operations data (filled in below)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domain.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    return None
