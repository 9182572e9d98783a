"""Access: roles, the permission table, scope, Actor, authentication and the audit log."""

from domain.access.actor import Actor, Scope
from domain.access.roles import Role

__all__ = ["Actor", "Role", "Scope"]
