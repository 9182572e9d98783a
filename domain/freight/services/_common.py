"""Checks shared by the freight use cases (members, offices, customers, load references)."""

from __future__ import annotations

import secrets

from sqlmodel import select

from domain.access.actor import Actor
from domain.access.roles import ALL, ROLE_SCOPES
from domain.db import UnitOfWork, pk
from domain.errors import Unique
from domain.freight.models import (
    Customer,
    Load,
)
from domain.org.models import Office, User, Venture, VentureUser


def _is_member(uow: UnitOfWork, user_id: int, venture_id: int) -> User | None:
    """The active user if they work in the venture (a member, or a role that sees all ventures)."""
    user = uow.session.get(User, user_id)
    if user is None or not user.is_active or user.is_service_account:
        return None
    if ROLE_SCOPES[user.role][0] == ALL:
        return user
    member = uow.session.execute(
        select(VentureUser.id).where(
            VentureUser.user_id == user_id, VentureUser.venture_id == venture_id
        )
    ).first()
    return user if member else None


def _check_user(
    uow: UnitOfWork, errors: dict[str, str], field: str, user_id: int | None, venture: Venture
) -> None:
    if user_id is not None and _is_member(uow, user_id, pk(venture)) is None:
        errors[field] = f"is not an active member of {venture.code}"


def _check_sales_user(
    uow: UnitOfWork,
    actor: Actor,
    errors: dict[str, str],
    sales_user_id: int,
    venture: Venture,
    *,
    changed: bool = True,
) -> None:
    if not changed:
        return
    if sales_user_id != actor.user_id and not actor.can("freight.loads.assign", pk(venture)):
        errors["sales_user_id"] = "you can only credit yourself (ask a manager to reassign)"
        return
    _check_user(uow, errors, "sales_user_id", sales_user_id, venture)


def _check_office(
    uow: UnitOfWork, actor: Actor, errors: dict[str, str], office_id: int, venture: Venture
) -> None:
    office = uow.session.get(Office, office_id)
    if office is None or office.venture_id != venture.id:
        errors["office_id"] = f"is not an office of {venture.code}"
    elif not office.is_active:
        errors["office_id"] = f"{office.name} is not active"
    elif not actor.scope.allows_office(office.id, venture.id):
        errors["office_id"] = f"{office.name} is not one of your offices"


def _check_customer(
    uow: UnitOfWork, errors: dict[str, str], customer_id: int, venture: Venture
) -> Customer | None:
    customer = uow.session.get(Customer, customer_id)
    if customer is None or customer.venture_id != venture.id:
        errors["customer_id"] = f"is not a customer of {venture.code}"
        return None
    if not customer.is_active:
        errors["customer_id"] = f"{customer.name} is not an active customer"
        return None
    return customer


def _reference_taken(uow: UnitOfWork, venture_id: int, reference: str) -> bool:
    stmt = select(Load.id).where(Load.venture_id == venture_id, Load.reference == reference)
    return uow.session.execute(stmt).first() is not None


def _new_reference(uow: UnitOfWork, venture: Venture) -> str:
    while True:
        ref = f"{venture.code}-{secrets.token_hex(3).upper()}"
        if not _reference_taken(uow, pk(venture), ref):
            return ref


# The unique keys a user can hit. The database decides (a check before the insert would race):
# a duplicate is a Conflict naming the field, and nothing of the use case is written.
def _reference_key(venture: Venture) -> Unique:
    return Unique(
        "freight_load",
        ("venture_id", "reference"),
        "reference",
        f"is already used by another load of {venture.code}",
    )


def _venture(uow: UnitOfWork, venture_id: int) -> Venture:
    venture = uow.session.get(Venture, venture_id)
    assert venture is not None
    return venture
