"""Freight rows of THE permission table, role by role (least privilege where the spec is silent)."""

import pytest

from domain.access.permissions import PERMISSIONS, actions_of, role_can
from domain.access.roles import Role

R = Role
LEADERS = {R.CEO, R.ADMIN, R.COO, R.VENTURE_HEAD, R.OFFICE_MANAGER, R.TEAM_LEAD}

MATRIX = {
    "freight.loads.read": LEADERS
    | {R.FINANCE, R.ACCOUNTING, R.AUDITOR, R.CSR, R.DISPATCHER, R.CARRIER_TEAM, R.EMPLOYEE},
    "freight.loads.create": LEADERS | {R.CSR, R.DISPATCHER},
    "freight.loads.update": LEADERS | {R.CSR, R.DISPATCHER},
    "freight.loads.assign": LEADERS,
    "freight.customers.read": LEADERS
    | {R.FINANCE, R.ACCOUNTING, R.AUDITOR, R.CSR, R.DISPATCHER, R.CARRIER_TEAM},
    "freight.customers.manage": LEADERS | {R.CSR},
    "freight.carriers.read": LEADERS | {R.AUDITOR, R.CSR, R.DISPATCHER, R.CARRIER_TEAM},
    "freight.carriers.manage": LEADERS | {R.DISPATCHER, R.CARRIER_TEAM},
    "freight.quotes.read": LEADERS | {R.FINANCE, R.ACCOUNTING, R.AUDITOR, R.CSR},
    "freight.quotes.manage": LEADERS | {R.CSR},
    "freight.outreach.read": LEADERS | {R.AUDITOR, R.DISPATCHER, R.CARRIER_TEAM},
    "freight.outreach.send": LEADERS | {R.DISPATCHER, R.CARRIER_TEAM},
    "freight.outreach.award": LEADERS | {R.DISPATCHER, R.CARRIER_TEAM},
    "freight.dashboard.read": LEADERS | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
}


def test_every_freight_action_is_in_the_matrix() -> None:
    assert {a for a in PERMISSIONS if a.startswith("freight.")} == set(MATRIX)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_freight_actions(role: Role, action: str) -> None:
    assert role_can(role, action) is (role in MATRIX[action])


@pytest.mark.parametrize("role", [R.AUDITOR, R.FINANCE, R.ACCOUNTING])
def test_readers_never_write_freight(role: Role) -> None:
    writes = {
        a for a in actions_of(role) if a.startswith("freight.") and not a.endswith((".read",))
    }
    assert writes == set()


def test_contractor_and_hr_have_no_freight() -> None:
    for role in (R.CONTRACTOR, R.HR_ADMIN):
        assert not [a for a in actions_of(role) if a.startswith("freight.")]
