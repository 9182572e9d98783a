"""The permission table and the section rule, for every role (spec/access.md)."""

import pytest
from sqlalchemy import column
from sqlalchemy.dialects import sqlite

from domain.access.actor import Actor, Scope
from domain.access.navigation import sections_for
from domain.access.permissions import GRANTABLE_BY, PERMISSIONS, role_can
from domain.access.roles import ROLE_SCOPES, Role
from domain.errors import Forbidden, NotFound
from domain.org.models import VentureType

ALL_TYPES = set(VentureType)
R = Role

# Expected sections with no venture in scope / with every venture type in scope, written out by
# hand from the spec so a change to the rule has to change this table too.
NO_VENTURES = {
    R.CEO: ["command_center", "operations", "admin"],
    R.ADMIN: ["command_center", "operations", "admin"],
    R.COO: ["command_center", "operations", "admin"],
    R.VENTURE_HEAD: ["command_center", "operations"],
    R.OFFICE_MANAGER: ["command_center"],
    R.TEAM_LEAD: ["command_center"],
    R.FINANCE: ["command_center", "operations", "admin"],
    R.ACCOUNTING: ["command_center"],
    R.AUDITOR: ["command_center", "operations"],
    R.HR_ADMIN: ["command_center", "operations", "admin"],
    R.EMPLOYEE: ["command_center"],
    R.CSR: ["command_center"],
    R.DISPATCHER: ["command_center"],
    R.CARRIER_TEAM: ["command_center"],
    R.CONTRACTOR: ["command_center"],
}
VERTICALS = ["freight", "hospitality", "bpo", "saas", "holdings"]
ADMIN_SECTION = {R.CEO, R.ADMIN, R.COO, R.HR_ADMIN, R.FINANCE}


@pytest.mark.parametrize("role", list(Role))
def test_sections_without_ventures(role: Role) -> None:
    assert sections_for(role, []) == NO_VENTURES[role]


@pytest.mark.parametrize("role", list(Role))
def test_sections_with_every_venture_type(role: Role) -> None:
    expected = ["command_center", *VERTICALS, "operations"]
    if role in ADMIN_SECTION:
        expected.append("admin")
    assert sections_for(role, ALL_TYPES) == expected


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    ("types", "vertical"),
    [
        ({VentureType.LOGISTICS}, "freight"),
        ({VentureType.TRANSPORT}, "freight"),
        ({VentureType.HOSPITALITY}, "hospitality"),
        ({VentureType.BPO}, "bpo"),
        ({VentureType.SAAS}, "saas"),
        ({VentureType.HOLDINGS}, "holdings"),
    ],
)
def test_each_venture_type_opens_exactly_its_section(
    role: Role, types: set[VentureType], vertical: str
) -> None:
    sections = sections_for(role, types)
    assert vertical in sections
    assert [s for s in sections if s in VERTICALS] == [vertical]
    assert "operations" in sections  # any venture in scope opens operations


def test_table_covers_every_role_and_only_roles() -> None:
    assert set(ROLE_SCOPES) == set(Role)
    for action, roles in PERMISSIONS.items():
        assert roles <= set(Role), action
        assert roles, f"{action} is granted to nobody"


def test_unknown_action_is_a_programming_error() -> None:
    with pytest.raises(KeyError, match="permission table"):
        role_can(Role.CEO, "no.such.action")


# Who may do what, role by role, is stated from the spec in tests/security/test_permissions_spec.py.


def test_finance_sees_admin_but_not_users() -> None:
    assert "admin" in sections_for(Role.FINANCE, [])
    assert not role_can(Role.FINANCE, "admin.users.read")


def test_role_grants() -> None:
    assert GRANTABLE_BY[Role.CEO] == {Role.CEO}
    assert GRANTABLE_BY[Role.ADMIN] == {Role.CEO, Role.ADMIN}
    assert Role.HR_ADMIN in GRANTABLE_BY[Role.CSR]
    assert Role.HR_ADMIN not in GRANTABLE_BY[Role.ADMIN]


def _actor(role: Role, scope: Scope) -> Actor:
    return Actor(user_id=1, role=role, scope=scope, real_user_id=1, real_role=role)


def test_require_out_of_scope_is_not_found_and_missing_permission_forbidden() -> None:
    a = _actor(Role.VENTURE_HEAD, Scope(False, frozenset({1}), True))
    a.require("quicklinks.venture.manage", 1)
    with pytest.raises(NotFound):
        a.require("quicklinks.venture.manage", 2)
    with pytest.raises(Forbidden):
        a.require("admin.ventures.manage", 1)


def _sql(clause: object) -> str:
    return str(clause.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))  # type: ignore[attr-defined]


def test_scope_clauses() -> None:
    col = column("venture_id")
    assert _sql(Scope(True).venture_clause(col)) == "1"
    assert _sql(Scope(False, frozenset({3, 1})).venture_clause(col)) == "venture_id IN (1, 3)"
    # An assigned user with no ventures sees nothing: never "no filter".
    assert _sql(Scope(False).venture_clause(col)) == "0"
    assert not Scope(False).allows_venture(1)
    assert Scope(True).allows_venture(99)
    assert not Scope(True).allows_venture(None)


def test_office_scope() -> None:
    s = Scope(False, frozenset({1}), False, frozenset({10}))
    assert s.allows_office(10, 1)
    assert not s.allows_office(11, 1)
    assert not s.allows_office(10, 2)
    assert Scope(False, frozenset({1}), True).allows_office(99, 1)


def test_pages_follow_sections_and_the_table() -> None:
    from domain.access.navigation import open_pages

    def pages(role: Role, types: set[VentureType]) -> set[str]:
        return open_pages(sections_for(role, types), _actor(role, Scope(False)))

    csr = pages(R.CSR, {VentureType.LOGISTICS})
    assert {"my_day", "ventures", "freight_home", "operations_home"} <= csr
    assert not any(k.startswith("admin") for k in csr) and "audit" not in csr
    # The auditor has no admin section: the audit log opens from the command center.
    assert "audit" in pages(R.AUDITOR, set())
    assert "audit" in pages(R.CEO, set())
    assert "admin_users" not in pages(R.FINANCE, set())
    assert "admin_home" in pages(R.FINANCE, set())
    assert {"admin_users", "admin_ventures", "admin_quick_links"} <= pages(R.ADMIN, set())
    assert "admin_users" in pages(R.HR_ADMIN, set())
    assert "admin_quick_links" not in pages(R.HR_ADMIN, set())
    assert "hospitality_home" not in csr


def test_rate_columns_keep_their_precision() -> None:
    from sqlalchemy.dialects import postgresql

    from domain.columns import Money, Rate

    assert str(Rate().impl.compile(dialect=postgresql.dialect())) == "NUMERIC(12, 6)"
    assert str(Money().impl.compile(dialect=postgresql.dialect())) == "NUMERIC(14, 2)"
