"""Holding asset use cases: create and edit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import cache, clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, pk
from domain.holdings.access import get_asset, require_holdings_venture
from domain.holdings.audit import HoldingsAudit
from domain.holdings.kpi import DASHBOARD
from domain.holdings.models import HoldingAsset
from domain.holdings.schemas import AssetInput, AssetPatch, AssetView
from domain.holdings.views import asset_view
from domain.schemas import apply_patch, parse, patch_values


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if v is not None else None) for k, v in values.items()}


def create_asset(uow: UnitOfWork, actor: Actor, data: Mapping[str, Any] | AssetInput) -> AssetView:
    inp = parse(AssetInput, data)
    venture = require_holdings_venture(uow, actor, inp.venture_id)
    actor.require("holdings.assets.manage", pk(venture))
    asset = HoldingAsset(**inp.model_dump())
    uow.session.add(asset)
    uow.session.flush()
    audit(
        uow,
        actor,
        HoldingsAudit.ASSET_CREATED,
        entity_type="holding_asset",
        entity_id=asset.id,
        venture_id=asset.venture_id,
        detail=_jsonable({"name": asset.name, "type": asset.type, "value": asset.value_estimate}),
    )
    cache.invalidate_after_commit(uow, DASHBOARD, asset.venture_id)  # assets by type
    return asset_view(asset)


def update_asset(
    uow: UnitOfWork, actor: Actor, asset_id: int, data: Mapping[str, Any] | AssetPatch
) -> AssetView:
    asset = get_asset(uow, actor, asset_id, for_update=True)
    actor.require("holdings.assets.manage", asset.venture_id)
    changes = patch_values(parse(AssetPatch, data))
    before = apply_patch(asset, changes)
    asset.updated_at = clock.now()
    uow.session.flush()
    audit(
        uow,
        actor,
        HoldingsAudit.ASSET_UPDATED,
        entity_type="holding_asset",
        entity_id=asset.id,
        venture_id=asset.venture_id,
        detail={"before": _jsonable(before), "after": _jsonable(changes)},
    )
    cache.invalidate_after_commit(uow, DASHBOARD, asset.venture_id)  # assets by type
    return asset_view(asset)
