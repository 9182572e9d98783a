"""Freight rows of THE permission table: the spec's sentences about freight work (access.md role
table: CSR "freight customers and loads", DISPATCHER "freight loads and carriers", CARRIER_TEAM
"carriers and outreach", CONTRACTOR "nothing financial", AUDITOR read-only, FINANCE/ACCOUNTING
P&L). The full role-by-role statement is tests/security/test_permissions_spec.py."""

import pytest

from domain.access.permissions import actions_of, role_can
from domain.access.roles import Role

R = Role
MANAGER_LIKE = [R.CEO, R.ADMIN, R.COO, R.VENTURE_HEAD, R.OFFICE_MANAGER, R.TEAM_LEAD]


@pytest.mark.parametrize("role", MANAGER_LIKE)
def test_manager_like_roles_do_all_freight_work(role: Role) -> None:
    for action in (
        "freight.loads.create",
        "freight.loads.assign",
        "freight.customers.manage",
        "freight.carriers.manage",
        "freight.quotes.manage",
        "freight.outreach.award",
        "freight.dashboard.read",
    ):
        assert role_can(role, action), action


def test_csr_works_customers_loads_and_quotes() -> None:
    for action in ("loads.create", "loads.update", "customers.manage", "quotes.manage"):
        assert role_can(R.CSR, f"freight.{action}"), action
    for action in ("carriers.manage", "outreach.send", "outreach.award", "dashboard.read"):
        assert not role_can(R.CSR, f"freight.{action}"), action


def test_dispatcher_works_loads_carriers_and_outreach() -> None:
    for action in ("loads.create", "loads.update", "carriers.manage", "outreach.award"):
        assert role_can(R.DISPATCHER, f"freight.{action}"), action
    for action in ("customers.manage", "quotes.read", "quotes.manage", "dashboard.read"):
        assert not role_can(R.DISPATCHER, f"freight.{action}"), action


def test_carrier_team_works_carriers_and_outreach_only() -> None:
    for action in ("carriers.manage", "outreach.send", "outreach.award", "loads.read"):
        assert role_can(R.CARRIER_TEAM, f"freight.{action}"), action
    for action in ("loads.create", "loads.update", "customers.manage", "quotes.read"):
        assert not role_can(R.CARRIER_TEAM, f"freight.{action}"), action


def test_employee_reads_only_their_loads() -> None:
    freight = {a for a in actions_of(R.EMPLOYEE) if a.startswith("freight.")}
    assert freight == {"freight.loads.read"}  # scope narrows it to the loads they own


@pytest.mark.parametrize("role", [R.AUDITOR, R.FINANCE, R.ACCOUNTING])
def test_readers_never_write_freight(role: Role) -> None:
    writes = {a for a in actions_of(role) if a.startswith("freight.") and not a.endswith(".read")}
    assert writes == set()


@pytest.mark.parametrize("role", [R.FINANCE, R.ACCOUNTING])
def test_finance_reads_the_money_of_loads_not_the_pipeline(role: Role) -> None:
    assert role_can(role, "freight.loads.read") and role_can(role, "freight.dashboard.read")
    assert not role_can(role, "freight.quotes.read")
    assert not role_can(role, "freight.outreach.read")


def test_contractor_and_hr_have_no_freight() -> None:
    for role in (R.CONTRACTOR, R.HR_ADMIN):
        assert not [a for a in actions_of(role) if a.startswith("freight.")]
