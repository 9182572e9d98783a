"""The venture's gamification config (spec: "Only CEO, ADMIN and COO edit it").

Refused with the field named, nothing written: an unknown event type, negative points, a cap
that is not a whole number >= 1. **A cap of 0 is refused** (decision): it would record every
award of the type as ``capped`` with 0 points, which reads as "disabled" but still writes rows;
to stop a type, set its points to 0 (the awards are then recorded with 0 points). Another
venture's config (outside scope) is not found, as a venture that does not exist.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from domain import clock
from domain.access.actor import Actor
from domain.access.audit import audit
from domain.db import UnitOfWork, dialect_insert
from domain.errors import Invalid, NotFound
from domain.gamification.models import DEFAULT_POINTS, GamificationConfig
from domain.org.models import Venture
from domain.schemas import Input, View


class ConfigView(View):
    venture_id: int
    venture_code: str
    enabled: bool
    points: dict[str, int]  # every type: the override, else the default
    overrides: dict[str, int]
    daily_caps: dict[str, int]
    defaults: dict[str, int]


def _venture(uow: UnitOfWork, actor: Actor, venture_id: int, action: str) -> Venture:
    actor.require(action, venture_id)
    venture = uow.session.get(Venture, venture_id)
    if venture is None:
        raise NotFound("venture", venture_id)
    return venture


def _view(venture: Venture, row: GamificationConfig | None) -> ConfigView:
    overrides = dict(row.points) if row else {}
    return ConfigView(
        venture_id=int(venture.id or 0),
        venture_code=venture.code,
        enabled=row.enabled if row else True,
        points={k: int(overrides.get(k, v)) for k, v in DEFAULT_POINTS.items()},
        overrides=overrides,
        daily_caps=dict(row.daily_caps) if row else {},
        defaults=dict(DEFAULT_POINTS),
    )


def _row(uow: UnitOfWork, venture_id: int, lock: bool = False) -> GamificationConfig | None:
    query = select(GamificationConfig).where(GamificationConfig.venture_id == venture_id)
    if lock:  # and read again: an object loaded earlier in the session may be stale
        query = query.with_for_update().execution_options(populate_existing=True)
    return uow.session.execute(query).scalar_one_or_none()


def _merged(current: dict[str, int] | None, changes: dict[str, int | None]) -> dict[str, int]:
    out = dict(current or {})
    for kind, value in changes.items():
        if value is None:
            out.pop(kind, None)
        else:
            out[kind] = value
    return out


def get_config(uow: UnitOfWork, actor: Actor, venture_id: int) -> ConfigView:
    venture = _venture(uow, actor, venture_id, "gamification.config.read")
    return _view(venture, _row(uow, venture_id))


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _check_map(
    raw: Any, field: str, minimum: int, problems: dict[str, str], what: str
) -> dict[str, int | None]:
    """The checked changes of one map: a number sets a type's value, ``None`` removes it."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems[field] = "must be an object of event type to a whole number"
        return {}
    out: dict[str, int | None] = {}
    for kind, value in raw.items():
        name = f"{field}.{kind}"
        if kind not in DEFAULT_POINTS:
            problems[name] = f"unknown event type (one of {', '.join(DEFAULT_POINTS)})"
            continue
        if value is None:
            out[kind] = None  # no override / no cap
            continue
        number = _whole(value)
        if number is None:
            problems[name] = "must be a whole number"
        elif number < minimum:
            problems[name] = what
        else:
            out[kind] = number
    return out


def update_config(
    uow: UnitOfWork, actor: Actor, venture_id: int, data: dict[str, Any]
) -> ConfigView:
    """Change the venture's config by ``data`` (``enabled``, ``points``, ``daily_caps``): a
    missing key keeps its value, a type named in a map sets its value and ``null`` removes it,
    types not named keep theirs. The row is read under a lock, so two changes at once both land."""
    venture = _venture(uow, actor, venture_id, "gamification.config.manage")
    problems: dict[str, str] = {}
    unknown = set(data) - {"enabled", "points", "daily_caps"}
    for name in sorted(unknown):
        problems[name] = "unknown field"
    enabled = data.get("enabled")
    if "enabled" in data and not isinstance(enabled, bool):
        problems["enabled"] = "must be true or false"
    points = _check_map(data.get("points"), "points", 0, problems, "points cannot be negative")
    caps = _check_map(
        data.get("daily_caps"),
        "daily_caps",
        1,
        problems,
        "a daily cap is at least 1 (to stop awarding a type, set its points to 0)",
    )
    if problems:
        raise Invalid(problems)
    existed = (
        uow.session.execute(
            select(GamificationConfig.id).where(GamificationConfig.venture_id == venture_id)
        ).first()
        is not None
    )
    if not existed:
        # The first change of a venture's config: the row is made by an insert that a
        # concurrent first change cannot collide with, then locked like any other.
        table = GamificationConfig.__table__  # type: ignore[attr-defined]
        uow.session.execute(
            dialect_insert(uow.session.connection())(table)
            .values(venture_id=venture_id, enabled=True, points={}, daily_caps={})
            .on_conflict_do_nothing(index_elements=["venture_id"])
        )
    row = _row(uow, venture_id, lock=True)
    assert row is not None
    before = _view(venture, row if existed else None).model_dump()
    if "enabled" in data:
        row.enabled = bool(enabled)
    if "points" in data:
        row.points = _merged(row.points, points)
    if "daily_caps" in data:
        row.daily_caps = _merged(row.daily_caps, caps)
    row.updated_at = clock.now()
    row.updated_by_id = actor.user_id
    uow.session.add(row)
    uow.flush()
    view = _view(venture, row)
    audit(
        uow,
        actor,
        "gamification.config.updated",
        entity_type="venture",
        entity_id=venture_id,
        venture_id=venture_id,
        detail={"before": before, "after": view.model_dump()},
    )
    return view


class ConfigInput(Input):
    """The API's body of ``PUT /gamification/config/{venture}`` (a missing key keeps its value;
    ``null`` for a type removes its override or cap)."""

    enabled: bool | None = None
    points: dict[str, int | None] | None = None
    daily_caps: dict[str, int | None] | None = None
