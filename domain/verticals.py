"""The wings of the product and the manifest each declares.

A wing (freight today; hospitality, BPO, SaaS, holdings, operations, incentives and
gamification next) keeps everything of its own in its folder and describes itself in one
``vertical.py`` that returns a :class:`Vertical`. The shared registries (events, demo, jobs,
briefing, navigation) never import a wing: they iterate :func:`verticals`, which imports each
manifest by name from :data:`WINGS`. Adding a wing touches its own folder, its line in ``WINGS``,
its rows in the permission table and its migration (docs/ARCHITECTURE.md, "Adding a vertical").
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.demo import DemoContext

# The manifests, in dependency order (a wing's demo data may refer to an earlier wing's rows).
WINGS: tuple[str, ...] = ("domain.freight.vertical",)


@dataclass(frozen=True)
class Vertical:
    """What a wing contributes to the shared registries."""

    key: str  # "freight": the wing's name, its navigation section when it has one
    title: str
    # Venture types whose ventures this wing serves (empty: every venture, e.g. operations).
    venture_types: frozenset[str] = frozenset()
    # Modules whose import registers the wing's event handlers (``@handles``), in run order.
    handler_modules: tuple[str, ...] = ()
    # Writes the wing's demo data into the organisation the org seeder made.
    demo_seed: Callable[[DemoContext], None] | None = None
    # Audit action names the wing writes ("freight.load.created", ...), with their labels.
    audit_actions: dict[str, str] = field(default_factory=dict)
    # Anything a later registry asks for by name (kept open so a new registry needs no change
    # here): e.g. "kpi_sources", "housekeeping", "briefing_visibility".
    extras: dict[str, Any] = field(default_factory=dict)


@cache
def verticals() -> tuple[Vertical, ...]:
    """Every wing's manifest, in the order of :data:`WINGS`."""
    out = []
    for name in WINGS:
        manifest = importlib.import_module(name).VERTICAL
        if not isinstance(manifest, Vertical):
            raise TypeError(f"{name}.VERTICAL is not a Vertical")
        out.append(manifest)
    keys = [v.key for v in out]
    if len(keys) != len(set(keys)):
        raise RuntimeError(f"two wings share a key: {keys}")
    return tuple(out)


def handler_modules() -> list[str]:
    return [m for v in verticals() for m in v.handler_modules]


def audit_actions() -> dict[str, str]:
    """Every wing's audit actions and their labels."""
    out: dict[str, str] = {}
    for v in verticals():
        out.update(v.audit_actions)
    return out
