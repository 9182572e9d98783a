"""Actor (who is asking) and Scope (which ventures and offices they may see)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import false, true
from sqlalchemy.sql import ColumnElement

from domain.access.permissions import role_can
from domain.access.roles import GLOBAL_ADMIN, LEADERSHIP, MANAGER_LIKE, NON_MANAGER, Role
from domain.errors import Forbidden, NotFound


@dataclass(frozen=True)
class Scope:
    """``all_*`` flags or the explicit id sets. An ``assigned`` user with no rows sees nothing."""

    all_ventures: bool
    venture_ids: frozenset[int] = field(default_factory=frozenset)
    all_offices: bool = False
    office_ids: frozenset[int] = field(default_factory=frozenset)

    def allows_venture(self, venture_id: int | None) -> bool:
        return venture_id is not None and (self.all_ventures or venture_id in self.venture_ids)

    def allows_office(self, office_id: int | None, venture_id: int | None) -> bool:
        if not self.allows_venture(venture_id):
            return False
        return office_id is not None and (self.all_offices or office_id in self.office_ids)

    def venture_clause(self, column: Any) -> ColumnElement[bool]:
        """SQL filter for a ``venture_id`` column: ``true``, ``IN (...)`` or ``false``."""
        if self.all_ventures:
            return true()
        if not self.venture_ids:
            return false()
        return column.in_(sorted(self.venture_ids))

    def office_clause(self, column: Any) -> ColumnElement[bool]:
        if self.all_offices:
            return true()
        if not self.office_ids:
            return false()
        return column.in_(sorted(self.office_ids))


NO_SCOPE = Scope(all_ventures=False)


@dataclass(frozen=True)
class Actor:
    """The identity every service receives.

    ``user_id``/``role``/``scope`` are those of the *effective* user (the impersonated one while
    acting as someone); ``real_user_id`` is the person at the keyboard, for the audit log.
    """

    user_id: int
    role: Role
    scope: Scope
    real_user_id: int
    real_role: Role
    email: str = ""
    name: str = ""
    real_email: str = ""
    real_name: str = ""
    session_id: int | None = None
    token_id: int | None = None

    @property
    def impersonating(self) -> bool:
        return self.real_user_id != self.user_id

    @property
    def is_global_admin(self) -> bool:
        return self.role in GLOBAL_ADMIN

    @property
    def is_leadership(self) -> bool:
        return self.role in LEADERSHIP

    @property
    def is_manager_like(self) -> bool:
        return self.role in MANAGER_LIKE

    @property
    def sees_only_own_work(self) -> bool:
        """Non-manager roles see what they own or are assigned inside their ventures."""
        return self.role in NON_MANAGER

    def can(self, action: str, venture_id: int | None = None) -> bool:
        if not role_can(self.role, action):
            return False
        return venture_id is None or self.scope.allows_venture(venture_id)

    def require(
        self, action: str, venture_id: int | None = None, *, entity: str = "venture"
    ) -> None:
        """Raise unless the actor may do ``action`` (in ``venture_id`` when given).

        A venture outside scope answers NotFound, exactly as a venture that does not exist.
        """
        if venture_id is not None and not self.scope.allows_venture(venture_id):
            raise NotFound(entity, venture_id)
        if not role_can(self.role, action):
            raise Forbidden("Your role does not allow this.", action=action)


def system_scope() -> Scope:
    return Scope(all_ventures=True, all_offices=True)


def venture_ids_in_scope(scope: Scope, all_ids: Iterable[int]) -> frozenset[int]:
    return frozenset(all_ids) if scope.all_ventures else scope.venture_ids
