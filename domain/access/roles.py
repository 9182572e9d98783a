"""The fifteen roles, their venture/office scope kinds and the groups the spec names."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CEO = "CEO"
    ADMIN = "ADMIN"
    COO = "COO"
    VENTURE_HEAD = "VENTURE_HEAD"
    OFFICE_MANAGER = "OFFICE_MANAGER"
    TEAM_LEAD = "TEAM_LEAD"
    FINANCE = "FINANCE"
    ACCOUNTING = "ACCOUNTING"
    AUDITOR = "AUDITOR"
    HR_ADMIN = "HR_ADMIN"
    EMPLOYEE = "EMPLOYEE"
    CSR = "CSR"
    DISPATCHER = "DISPATCHER"
    CARRIER_TEAM = "CARRIER_TEAM"
    CONTRACTOR = "CONTRACTOR"


ALL = "all"
ASSIGNED = "assigned"

# role -> (venture scope, office scope), exactly the table of spec/access.md.
ROLE_SCOPES: dict[Role, tuple[str, str]] = {
    Role.CEO: (ALL, ALL),
    Role.ADMIN: (ALL, ALL),
    Role.COO: (ALL, ALL),
    Role.VENTURE_HEAD: (ASSIGNED, ALL),
    Role.OFFICE_MANAGER: (ASSIGNED, ASSIGNED),
    Role.TEAM_LEAD: (ASSIGNED, ASSIGNED),
    Role.FINANCE: (ASSIGNED, ASSIGNED),
    Role.ACCOUNTING: (ASSIGNED, ASSIGNED),
    Role.AUDITOR: (ALL, ALL),
    Role.HR_ADMIN: (ALL, ALL),
    Role.EMPLOYEE: (ASSIGNED, ASSIGNED),
    Role.CSR: (ASSIGNED, ASSIGNED),
    Role.DISPATCHER: (ASSIGNED, ASSIGNED),
    Role.CARRIER_TEAM: (ASSIGNED, ASSIGNED),
    Role.CONTRACTOR: (ASSIGNED, ASSIGNED),
}

GLOBAL_ADMIN = frozenset({Role.CEO, Role.ADMIN})
LEADERSHIP = frozenset({Role.CEO, Role.ADMIN, Role.COO, Role.VENTURE_HEAD})
MANAGER_LIKE = LEADERSHIP | {Role.OFFICE_MANAGER, Role.TEAM_LEAD}
# Roles that see, inside their ventures, only what they own or are assigned.
NON_MANAGER = frozenset(
    {Role.EMPLOYEE, Role.CSR, Role.DISPATCHER, Role.CARRIER_TEAM, Role.CONTRACTOR}
)
READ_ONLY = frozenset({Role.AUDITOR})

ROLE_LABELS: dict[Role, str] = {
    Role.CEO: "CEO",
    Role.ADMIN: "Administrator",
    Role.COO: "COO",
    Role.VENTURE_HEAD: "Venture head",
    Role.OFFICE_MANAGER: "Office manager",
    Role.TEAM_LEAD: "Team lead",
    Role.FINANCE: "Finance",
    Role.ACCOUNTING: "Accounting",
    Role.AUDITOR: "Auditor",
    Role.HR_ADMIN: "HR admin",
    Role.EMPLOYEE: "Employee",
    Role.CSR: "Customer service rep",
    Role.DISPATCHER: "Dispatcher",
    Role.CARRIER_TEAM: "Carrier team",
    Role.CONTRACTOR: "Contractor",
}


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().upper())
    except ValueError:
        raise ValueError(
            f"unknown role {value!r}; expected one of {', '.join(r.value for r in Role)}"
        ) from None
