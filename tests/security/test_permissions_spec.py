"""THE permission table (domain/access/permissions.py) against the spec, role by role.

Every expectation below is written from the spec's words (access.md: the role table, its notes,
the sections, quick links, impersonation, tokens; operations.md; incentives.md;
jobs-and-notebooks.md) or, where the spec is silent, from the least-privilege decisions written
down in docs/ARCHITECTURE.md ("Permissions chosen where the spec is silent"). Nothing here is read
from the code's table: a wrong entry in the code makes a test here fail, and a new action fails
``test_every_action_is_stated`` until someone states who may do it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from domain.access.actor import Actor, Scope
from domain.access.permissions import PERMISSIONS, actions_of, role_can
from domain.access.roles import Role
from domain.errors import Forbidden

if TYPE_CHECKING:
    from tests.conftest import TestDatabase

R = Role

# -- the vocabulary: the actions, grouped by what they touch (names only, no roles) -------------

# access.md "Accessible sections" 1: My Day, briefing, my points, my incentives, quick links;
# "Personal API tokens ... created by the user"; every user reads the ventures in their scope.
COMMAND_CENTER = {
    "page.my_day",
    "page.briefing",
    "page.my_points",
    "page.my_incentives",
    "quicklinks.personal.manage",
    "tokens.own.manage",
    "ventures.read",
}
FREIGHT_READS = {
    "freight.loads.read",
    "freight.customers.read",
    "freight.carriers.read",
    "freight.quotes.read",
    "freight.outreach.read",
    "freight.dashboard.read",
}
FREIGHT_WRITES = {
    "freight.loads.create",
    "freight.loads.update",
    "freight.loads.assign",
    "freight.customers.manage",
    "freight.carriers.manage",
    "freight.quotes.manage",
    "freight.outreach.send",
    "freight.outreach.award",
}
FREIGHT = FREIGHT_READS | FREIGHT_WRITES
# operations.md "Hospitality": hotels (reference data of the venture, access.md: "shared reference
# data (... hotels of their venture)"), their daily numbers, reviews, disputes, the dashboard.
HOSPITALITY_MONEY = {
    "hospitality.kpi.read",
    "hospitality.disputes.read",
    "hospitality.dashboard.read",
}
HOSPITALITY_READS = HOSPITALITY_MONEY | {"hospitality.hotels.read", "hospitality.reviews.read"}
HOSPITALITY_WRITES = {
    "hospitality.hotels.manage",
    "hospitality.kpi.write",
    "hospitality.reviews.respond",
    "hospitality.disputes.manage",
}
HOSPITALITY = HOSPITALITY_READS | HOSPITALITY_WRITES
# "own work" of a hotel's front desk (access.md: "reviews they handle"): read and answer reviews,
# see the hotels; nothing financial.
FRONT_DESK = {"hospitality.hotels.read", "hospitality.reviews.read", "hospitality.reviews.respond"}
# operations.md "SaaS": customers, subscriptions (plan, mrr, cancellation) and MRR are revenue: the
# spec names no roles, so (docs/ARCHITECTURE.md, "SaaS wing") manager-like roles read and change
# them, the money readers (FINANCE, ACCOUNTING, AUDITOR) read them; nobody else, and nothing for
# a CONTRACTOR ("nothing financial").
SAAS_READS = {"saas.customers.read", "saas.subscriptions.read", "saas.dashboard.read"}
SAAS_WRITES = {"saas.customers.manage", "saas.subscriptions.manage"}
SAAS = SAAS_READS | SAAS_WRITES
# incentives.md "Reading incentives": a venture's incentives are read by "leadership, FINANCE,
# ACCOUNTING within scope" (and the AUDITOR, read-only everywhere); the plans with them. The
# issue: "Plans and rules editor (CEO, ADMIN, FINANCE within scope; others read)", and the
# manual commit is "CEO/ADMIN/FINANCE within scope".
INCENTIVE_READS = {"incentives.venture.read", "incentives.plans.read"}
INCENTIVE_WRITES = {"incentives.plans.manage", "incentives.commit"}
# incentives.md "Payouts": "Only FINANCE and CEO approve"; the payouts issue: "FINANCE, CEO
# approve; ACCOUNTING reads"; creating, paying and voiding are the manual commit's people (CEO,
# ADMIN, FINANCE); reading them is the venture incentives' readers.
PAYOUT_READS = {"incentives.payouts.read"}
PAYOUT_WRITES = {"incentives.payouts.manage"}
PAYOUT_APPROVE = {"incentives.payouts.approve"}
# operations.md "Operations (every venture)": "The assignee may move their own task to DONE;
# managers may assign within their scope"; an EOD is submitted by "a user ... only for
# themselves", "Managers review". access.md: non-managers see "their ... tasks, EODs";
# HR_ADMIN: "EOD/attendance oversight"; AUDITOR reads everything in scope, writes nothing.
OPERATIONS_OWN = {
    "operations.tasks.read",
    "operations.tasks.progress",
    "operations.eod.read",
    "operations.eod.submit",
}
OPERATIONS_READS = {
    "operations.tasks.read",
    "operations.tasks.read_all",
    "operations.eod.read",
    "operations.eod.team.read",
}
OPERATIONS_MANAGE = {"operations.tasks.create", "operations.tasks.update", "operations.eod.review"}
OPERATIONS_MANAGER = OPERATIONS_OWN | OPERATIONS_READS | OPERATIONS_MANAGE
# operations.md "Holdings": assets, bank accounts, balance snapshots; the spec names no roles,
# so least privilege (docs/ARCHITECTURE.md, "Holdings wing"): bank balances and asset values are
# the venture's finances, read by leadership, FINANCE, ACCOUNTING ("P&L ... read") and AUDITOR;
# kept by leadership and FINANCE; nothing for office-level or non-manager roles.
HOLDINGS_READS = {"holdings.assets.read", "holdings.accounts.read", "holdings.dashboard.read"}
HOLDINGS_WRITES = {
    "holdings.assets.manage",
    "holdings.accounts.manage",
    "holdings.snapshots.write",
}
HOLDINGS = HOLDINGS_READS | HOLDINGS_WRITES
# What reads money: amounts of loads and quotes, dashboards, finance job runs (incentives,
# payouts). "CONTRACTOR: own work, nothing financial".
FINANCIAL = (
    FREIGHT_READS
    | HOSPITALITY_MONEY
    | INCENTIVE_READS
    | PAYOUT_READS
    | {"jobs.finance.read"}
    | SAAS_READS
    | HOLDINGS_READS
)
# Actions that only read (AUDITOR: "read-only everywhere they can see").
READS = (
    FREIGHT_READS
    | OPERATIONS_READS
    | HOSPITALITY_READS
    | SAAS_READS
    | INCENTIVE_READS
    | PAYOUT_READS
    | HOLDINGS_READS
    | {"gamification.leaderboard.read"}
    | {
        "page.my_day",
        "page.briefing",
        "page.my_points",
        "page.my_incentives",
        "ventures.read",
        "ventures.members.read",
        "admin.users.read",
        "admin.ventures.read",
        "admin.jobs.read",
        "jobs.finance.read",
        "audit.read",
        "admin.errors.read",
    }
)
USER_ADMIN = {"admin.users.read", "admin.users.manage", "admin.roles.assign"}

# -- who may do what, role by role ----------------------------------------------------------------

EXPECTED: dict[Role, set[str]] = {
    # "CEO: everything"; "ADMIN: everything except impersonating a CEO" (a rule of impersonation,
    # not a missing action).
    R.CEO: set(PERMISSIONS),
    # ... except approving payouts: "Only FINANCE and CEO approve".
    R.ADMIN: set(PERMISSIONS) - PAYOUT_APPROVE,
    # Leadership with all ventures: every freight action (manager-like), the venture members;
    # reads the admin users and ventures pages and the audit log without changing them
    # (ARCHITECTURE decision); not the jobs page, which is job health ("global admins"); sees
    # finance jobs' runs as leadership.
    R.COO: COMMAND_CENTER
    | FREIGHT
    | HOSPITALITY
    | INCENTIVE_READS
    | PAYOUT_READS
    | {
        "ventures.members.read",
        "admin.users.read",
        "admin.ventures.read",
        "jobs.finance.read",
        "audit.read",
    },
    # "leadership of their ventures"; venture quick links are "created by global admins and that
    # venture's VENTURE_HEAD". No admin section.
    R.VENTURE_HEAD: COMMAND_CENTER
    | FREIGHT
    | HOSPITALITY
    | INCENTIVE_READS
    | PAYOUT_READS
    | {"ventures.members.read", "quicklinks.venture.manage"},
    # "manager-like": the freight work of their offices, including assigning loads to people.
    # Likewise a hotel's manager: its numbers (form, CSV), reviews, disputes, dashboard.
    R.OFFICE_MANAGER: COMMAND_CENTER | FREIGHT | HOSPITALITY | {"ventures.members.read"},
    R.TEAM_LEAD: COMMAND_CENTER | FREIGHT | HOSPITALITY | {"ventures.members.read"},
    # "incentives, payouts, P&L": the money of loads (loads, their customers, the dashboard), the
    # payouts and incentives runs of their ventures ("finance sees the payouts and incentives
    # runs"), members (who is paid). "FINANCE sees incentives and payouts admin, not users".
    # Quotes are the sales pipeline, not P&L: not theirs.
    R.FINANCE: COMMAND_CENTER
    | INCENTIVE_READS
    | INCENTIVE_WRITES
    | PAYOUT_READS
    | PAYOUT_WRITES
    | PAYOUT_APPROVE
    | {
        "ventures.members.read",
        "jobs.finance.read",
        "freight.loads.read",
        "freight.customers.read",
        "freight.dashboard.read",
        "hospitality.hotels.read",
    }
    | HOSPITALITY_MONEY,
    # "P&L and payouts read": the money of loads and hotels, read only; the payouts issue: a run
    # report "opens only for a reader whose scope covers the run's venture and whose role may
    # read incentives" and "ACCOUNTING can read, not approve": the finance jobs' runs of its
    # ventures.
    R.ACCOUNTING: COMMAND_CENTER
    | INCENTIVE_READS
    | PAYOUT_READS
    | HOSPITALITY_MONEY
    | {
        "freight.loads.read",
        "freight.customers.read",
        "freight.dashboard.read",
        "jobs.finance.read",
        "hospitality.hotels.read",
    },
    # "read-only everywhere they can see; audit log": every read of data, no personal quick
    # links (ARCHITECTURE decision), own API tokens ("created by the user").
    R.AUDITOR: (COMMAND_CENTER - {"quicklinks.personal.manage"})
    | FREIGHT_READS
    | HOSPITALITY_READS
    | INCENTIVE_READS
    | PAYOUT_READS
    | {"ventures.members.read", "audit.read"},
    # "users, EOD/attendance oversight": users and roles, venture members; no business data.
    R.HR_ADMIN: COMMAND_CENTER | USER_ADMIN | {"ventures.members.read"},
    # "own work": the loads they own (scope narrows them to their own).
    R.EMPLOYEE: COMMAND_CENTER | FRONT_DESK | {"freight.loads.read"},
    # "freight customers and loads": loads (create, work them), customers, the quotes that become
    # loads; carriers read (who covers their loads).
    R.CSR: COMMAND_CENTER
    | {
        "freight.loads.read",
        "freight.loads.create",
        "freight.loads.update",
        "freight.customers.read",
        "freight.customers.manage",
        "freight.quotes.read",
        "freight.quotes.manage",
        "freight.carriers.read",
    },
    # "freight loads and carriers": loads, carriers, the outreach that covers loads; customers
    # read (reference data of their loads).
    R.DISPATCHER: COMMAND_CENTER
    | {
        "freight.loads.read",
        "freight.loads.create",
        "freight.loads.update",
        "freight.customers.read",
        "freight.carriers.read",
        "freight.carriers.manage",
        "freight.outreach.read",
        "freight.outreach.send",
        "freight.outreach.award",
    },
    # "carriers and outreach": carriers, outreach and its award; loads and customers read (the
    # coverage board), never create or edit loads.
    R.CARRIER_TEAM: COMMAND_CENTER
    | {
        "freight.loads.read",
        "freight.customers.read",
        "freight.carriers.read",
        "freight.carriers.manage",
        "freight.outreach.read",
        "freight.outreach.send",
        "freight.outreach.award",
    },
    # "own work, nothing financial".
    R.CONTRACTOR: set(COMMAND_CENTER),
}


# SaaS (docs/ARCHITECTURE.md, "SaaS wing"): manager-like roles read and change; the money
# readers read.
for _role in (R.COO, R.VENTURE_HEAD, R.OFFICE_MANAGER, R.TEAM_LEAD):
    EXPECTED[_role] |= SAAS
for _role in (R.FINANCE, R.ACCOUNTING, R.AUDITOR):
    EXPECTED[_role] |= SAAS_READS

# Operations serve every venture: everybody who works does their own tasks and EOD reports.
for _role in (
    R.COO,
    R.VENTURE_HEAD,
    R.OFFICE_MANAGER,
    R.TEAM_LEAD,
):  # manager-like: create, assign, edit, review within their scope
    EXPECTED[_role] |= OPERATIONS_MANAGER
for _role in (
    R.FINANCE,
    R.ACCOUNTING,
    R.EMPLOYEE,
    R.CSR,
    R.DISPATCHER,
    R.CARRIER_TEAM,
    R.CONTRACTOR,
):  # their own tasks and reports only
    EXPECTED[_role] |= OPERATIONS_OWN
# "EOD/attendance oversight": reads the reports of others and who has not submitted, reviews none.
EXPECTED[R.HR_ADMIN] |= OPERATIONS_OWN | {"operations.eod.team.read"}
# Read-only: reads every task and report in scope, submits and moves nothing.
EXPECTED[R.AUDITOR] |= OPERATIONS_READS
# Holdings: leadership and FINANCE keep the registers and record balances; ACCOUNTING and
# AUDITOR read them; nobody else sees bank balances or asset values.
for _role in (R.COO, R.VENTURE_HEAD, R.FINANCE):
    EXPECTED[_role] |= HOLDINGS
for _role in (R.ACCOUNTING, R.AUDITOR):
    EXPECTED[_role] |= HOLDINGS_READS

# operations.md "BPO": campaigns and agents are the venture's set-up (managers); an agent (an
# EMPLOYEE linked to a campaign) logs and reads their own calls ("own work") and sees the
# campaigns; managers read every call of their ventures and import the dialer's CSV; the KPIs
# carry revenue: "incentives, payouts, P&L" read them (FINANCE, ACCOUNTING), the AUDITOR reads all.
BPO_MONEY = {"bpo.kpi.read"}
BPO_READS = BPO_MONEY | {
    "bpo.campaigns.read",
    "bpo.agents.read",
    "bpo.calls.read",
    "bpo.calls.read_all",
}
BPO_WRITES = {
    "bpo.campaigns.manage",
    "bpo.agents.manage",
    "bpo.calls.log",
    "bpo.calls.import",
    "bpo.kpi.write",
}
BPO_AGENT = {"bpo.campaigns.read", "bpo.calls.log", "bpo.calls.read"}
for _role in (R.COO, R.VENTURE_HEAD, R.OFFICE_MANAGER, R.TEAM_LEAD):
    EXPECTED[_role] |= BPO_READS | BPO_WRITES
for _role in (R.FINANCE, R.ACCOUNTING):
    EXPECTED[_role] |= BPO_MONEY
EXPECTED[R.AUDITOR] |= BPO_READS
EXPECTED[R.EMPLOYEE] |= BPO_AGENT
READS |= BPO_READS
FINANCIAL |= BPO_MONEY


def test_an_agent_logs_and_reads_calls_but_sees_no_kpi_money_and_not_others_calls() -> None:
    for action in BPO_AGENT:
        assert role_can(R.EMPLOYEE, action), action
    for action in BPO_MONEY | {"bpo.calls.read_all", "bpo.calls.import", "bpo.agents.manage"}:
        assert not role_can(R.EMPLOYEE, action), action


def test_nobody_outside_managers_and_the_auditor_reads_every_call() -> None:
    managers = {R.CEO, R.ADMIN, R.COO, R.VENTURE_HEAD, R.OFFICE_MANAGER, R.TEAM_LEAD}
    assert {r for r in Role if role_can(r, "bpo.calls.read_all")} == managers | {R.AUDITOR}


# events-and-gamification.md "Points": a venture's GamificationConfig: "Only CEO, ADMIN and COO
# edit it" (they read it too); "Leaderboards ... Only users in scope are shown": every member
# reads the leaderboards of their ventures (a read: the AUDITOR too).
GAMIFICATION_CONFIG = {"gamification.config.read", "gamification.config.manage"}
GAMIFICATION_READS = {"gamification.leaderboard.read"}
for _role in Role:
    EXPECTED[_role] |= GAMIFICATION_READS
EXPECTED[R.COO] |= GAMIFICATION_CONFIG


# briefing-and-dashboards.md "Dashboards": "a cross-venture overview for leadership (one row per
# venture with its headline numbers)": leadership only (CEO, ADMIN, COO, VENTURE_HEAD), each
# within their scope; a read.
OVERVIEW = {"overview.read"}
for _role in (R.COO, R.VENTURE_HEAD):
    EXPECTED[_role] |= OVERVIEW
READS |= OVERVIEW


def test_only_leadership_reads_the_overview() -> None:
    leadership = {R.CEO, R.ADMIN, R.COO, R.VENTURE_HEAD}
    assert {r for r in Role if role_can(r, "overview.read")} == leadership


def test_every_role_is_stated() -> None:
    assert set(EXPECTED) == set(Role)


def test_every_action_is_stated() -> None:
    """A new action in the table must be given its place here (from the spec) first."""
    named = (
        COMMAND_CENTER
        | FREIGHT
        | HOSPITALITY
        | SAAS
        | READS
        | OPERATIONS_MANAGER
        | USER_ADMIN
        | INCENTIVE_WRITES
        | GAMIFICATION_CONFIG
        | GAMIFICATION_READS
        | PAYOUT_WRITES
        | PAYOUT_APPROVE
        | HOLDINGS
        | {"quicklinks.venture.manage"}
        | BPO_WRITES
    )
    stated = set().union(*(EXPECTED[r] for r in Role if r not in (R.CEO, R.ADMIN)))
    global_admin_only = set(PERMISSIONS) - stated
    assert global_admin_only == {
        "admin.ventures.manage",
        "admin.quicklinks.manage",
        "impersonate",
        "tokens.others.manage",
        "admin.jobs.read",  # "GET /api/v1/admin/jobs/health (global admins; ...)"
        "admin.jobs.run",
        "admin.jobs.manage",
        "admin.errors.read",
    }
    assert set(PERMISSIONS) <= named | global_admin_only


@pytest.mark.parametrize("role", list(Role))
def test_the_role_may_do_exactly_what_the_spec_says(role: Role) -> None:
    have = set(actions_of(role))
    assert have - EXPECTED[role] == set(), f"{role} may do more than the spec says"
    assert EXPECTED[role] - have == set(), f"{role} may do less than the spec says"


# -- the spec's sentences, one by one -------------------------------------------------------------


def test_everyone_has_the_command_center() -> None:
    for role in Role:
        for action in ("page.my_day", "page.briefing", "page.my_points", "page.my_incentives"):
            assert role_can(role, action), (role, action)


def test_csr_may_create_loads_and_manage_customers_but_not_carriers() -> None:
    assert role_can(R.CSR, "freight.loads.create")
    assert role_can(R.CSR, "freight.loads.update")
    assert role_can(R.CSR, "freight.customers.manage")
    assert not role_can(R.CSR, "freight.carriers.manage")
    assert not role_can(R.CSR, "freight.outreach.send")
    assert not role_can(R.CSR, "freight.loads.assign")  # crediting another user is a manager's


def test_dispatcher_works_loads_and_carriers_not_customers() -> None:
    assert role_can(R.DISPATCHER, "freight.loads.create")
    assert role_can(R.DISPATCHER, "freight.carriers.manage")
    assert role_can(R.DISPATCHER, "freight.outreach.award")
    assert not role_can(R.DISPATCHER, "freight.customers.manage")
    assert not role_can(R.DISPATCHER, "freight.quotes.manage")


def test_carrier_team_works_carriers_and_outreach_never_loads() -> None:
    assert role_can(R.CARRIER_TEAM, "freight.carriers.manage")
    assert role_can(R.CARRIER_TEAM, "freight.outreach.send")
    assert not role_can(R.CARRIER_TEAM, "freight.loads.create")
    assert not role_can(R.CARRIER_TEAM, "freight.loads.update")


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_auditor_may_not_change_anything(action: str) -> None:
    if role_can(R.AUDITOR, action):
        assert action in READS or action == "tokens.own.manage", action


def test_auditor_reads_the_audit_log_and_every_freight_list() -> None:
    assert role_can(R.AUDITOR, "audit.read")
    assert all(role_can(R.AUDITOR, a) for a in FREIGHT_READS)


def test_only_finance_and_ceo_approve_payouts_accounting_reads_them() -> None:
    assert {r for r in Role if role_can(r, "incentives.payouts.approve")} == {R.CEO, R.FINANCE}
    assert {r for r in Role if role_can(r, "incentives.payouts.manage")} == {
        R.CEO,
        R.ADMIN,
        R.FINANCE,
    }
    assert role_can(R.ACCOUNTING, "incentives.payouts.read")
    assert not role_can(R.ACCOUNTING, "incentives.payouts.manage")


def test_finance_may_not_manage_or_even_read_users() -> None:
    for action in USER_ADMIN:
        assert not role_can(R.FINANCE, action), action
    assert role_can(R.FINANCE, "jobs.finance.read")  # "finance sees the payouts runs"


def test_the_front_desk_answers_reviews_but_sees_no_hotel_money() -> None:
    assert role_can(R.EMPLOYEE, "hospitality.reviews.respond")
    for action in HOSPITALITY_MONEY | {"hospitality.kpi.write", "hospitality.disputes.manage"}:
        assert not role_can(R.EMPLOYEE, action), action


def test_a_csr_has_nothing_of_hospitality() -> None:
    # "CSR: freight customers and loads".
    for action in HOSPITALITY:
        assert not role_can(R.CSR, action), action


@pytest.mark.parametrize("action", sorted(FINANCIAL | FREIGHT | HOSPITALITY))
def test_contractor_sees_nothing_financial(action: str) -> None:
    assert not role_can(R.CONTRACTOR, action)


def test_accounting_only_reads() -> None:
    """Reads only, apart from their own tokens, links and their own daily work (tasks, EOD)."""
    assert set(actions_of(R.ACCOUNTING)) - READS <= {
        "quicklinks.personal.manage",
        "tokens.own.manage",
        "operations.tasks.progress",
        "operations.eod.submit",
    }


def test_only_managers_create_tasks_and_review_eods_and_nobody_else_completes_them() -> None:
    for role in Role:
        manager_like = role in {
            R.CEO,
            R.ADMIN,
            R.COO,
            R.VENTURE_HEAD,
            R.OFFICE_MANAGER,
            R.TEAM_LEAD,
        }
        assert role_can(role, "operations.tasks.create") is manager_like, role
        assert role_can(role, "operations.tasks.update") is manager_like, role
        assert role_can(role, "operations.eod.review") is manager_like, role
        # Everyone who works submits their own report; the AUDITOR writes nothing.
        assert role_can(role, "operations.eod.submit") is (role is not R.AUDITOR), role


def test_only_ceo_and_admin_impersonate() -> None:
    assert {r for r in Role if role_can(r, "impersonate")} == {R.CEO, R.ADMIN}


def test_global_links_by_global_admins_venture_links_also_by_venture_heads() -> None:
    assert {r for r in Role if role_can(r, "admin.quicklinks.manage")} == {R.CEO, R.ADMIN}
    assert {r for r in Role if role_can(r, "quicklinks.venture.manage")} == {
        R.CEO,
        R.ADMIN,
        R.VENTURE_HEAD,
    }


def test_service_account_tokens_by_an_admin_only() -> None:
    assert {r for r in Role if role_can(r, "tokens.others.manage")} == {R.CEO, R.ADMIN}


def test_hr_admin_manages_users_and_touches_no_business_data() -> None:
    assert set(actions_of(R.HR_ADMIN)) >= USER_ADMIN
    assert not set(actions_of(R.HR_ADMIN)) & (FREIGHT | FINANCIAL)


def test_non_managers_never_reassign_loads() -> None:
    for role in (R.EMPLOYEE, R.CSR, R.DISPATCHER, R.CARRIER_TEAM, R.CONTRACTOR):
        assert not role_can(role, "freight.loads.assign"), role


# jobs-and-notebooks.md: "GET /api/v1/admin/jobs/health (global admins; also the admin jobs page)".
@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
def test_job_health_is_for_global_admins(db: TestDatabase) -> None:
    from domain.db import read_only
    from domain.jobs.health import job_health

    coo = Actor(
        user_id=1, role=R.COO, scope=Scope(True, all_offices=True), real_user_id=1, real_role=R.COO
    )
    with read_only() as uow, pytest.raises(Forbidden):
        job_health(uow, coo)


def test_saas_revenue_is_read_by_the_money_readers_and_changed_by_managers_only() -> None:
    for action in SAAS_WRITES:
        assert {r for r in Role if role_can(r, action)} == {
            R.CEO,
            R.ADMIN,
            R.COO,
            R.VENTURE_HEAD,
            R.OFFICE_MANAGER,
            R.TEAM_LEAD,
        }, action
    for role in (R.EMPLOYEE, R.CSR, R.DISPATCHER, R.CARRIER_TEAM, R.CONTRACTOR, R.HR_ADMIN):
        for action in SAAS:
            assert not role_can(role, action), (role, action)


def test_bank_balances_are_for_finance_and_leadership_only() -> None:
    readers = {r for r in Role if role_can(r, "holdings.accounts.read")}
    assert readers == {
        R.CEO,
        R.ADMIN,
        R.COO,
        R.VENTURE_HEAD,
        R.FINANCE,
        R.ACCOUNTING,
        R.AUDITOR,
    }
    writers = {r for r in Role if role_can(r, "holdings.snapshots.write")}
    assert writers == {R.CEO, R.ADMIN, R.COO, R.VENTURE_HEAD, R.FINANCE}
    for role in (R.EMPLOYEE, R.CONTRACTOR, R.CSR, R.OFFICE_MANAGER, R.TEAM_LEAD, R.HR_ADMIN):
        for action in HOLDINGS:
            assert not role_can(role, action), (role, action)
