"""THE permission table: which roles may perform each action. Every check in the product reads it.

Scope (which ventures and offices) is a separate question answered by ``Scope``; a permission says
what a role may do to data it can see. Where the spec is silent, the least privilege a user of the
role would expect was chosen (see docs/ARCHITECTURE.md, "Permissions").
"""

from __future__ import annotations

from domain.access.roles import GLOBAL_ADMIN, LEADERSHIP, MANAGER_LIKE, Role

R = Role
EVERYONE = frozenset(Role)

PERMISSIONS: dict[str, frozenset[Role]] = {
    # -- command centre (every signed-in user) ------------------------------------------------
    "page.my_day": EVERYONE,
    "page.briefing": EVERYONE,
    "page.my_points": EVERYONE,
    "page.my_incentives": EVERYONE,
    "quicklinks.personal.manage": EVERYONE - {R.AUDITOR},
    "tokens.own.manage": EVERYONE,
    # The cross-venture overview (a row per venture in scope with its headline numbers):
    # leadership only; a venture head sees their ventures' rows (spec/briefing-and-dashboards.md).
    "overview.read": LEADERSHIP,
    # -- organisation ---------------------------------------------------------------------------
    "ventures.read": EVERYONE,  # always narrowed by scope
    "ventures.members.read": MANAGER_LIKE | {R.HR_ADMIN, R.AUDITOR, R.FINANCE},
    # -- admin section --------------------------------------------------------------------------
    "admin.users.read": GLOBAL_ADMIN | {R.COO, R.HR_ADMIN},
    "admin.users.manage": GLOBAL_ADMIN | {R.HR_ADMIN},
    "admin.roles.assign": GLOBAL_ADMIN | {R.HR_ADMIN},
    "admin.ventures.read": GLOBAL_ADMIN | {R.COO},
    "admin.ventures.manage": GLOBAL_ADMIN,
    "admin.quicklinks.manage": GLOBAL_ADMIN,  # global links
    "quicklinks.venture.manage": GLOBAL_ADMIN | {R.VENTURE_HEAD},  # plus the venture in scope
    "audit.read": GLOBAL_ADMIN | {R.COO, R.AUDITOR},
    "impersonate": GLOBAL_ADMIN,
    "tokens.others.manage": GLOBAL_ADMIN,  # service-account tokens
    # The jobs page is job health (jobs-and-notebooks.md: "GET /api/v1/admin/jobs/health (global
    # admins; also the admin jobs page)"), every run of every job, alerts and the outbox. The COO
    # opens the finance jobs' runs through jobs.finance.read, as leadership.
    "admin.jobs.read": GLOBAL_ADMIN,
    "admin.jobs.run": GLOBAL_ADMIN,
    "admin.jobs.manage": GLOBAL_ADMIN,  # pause / resume jobs, acknowledge job alerts
    # The finance jobs' runs (incentives, payouts) of the ventures in scope, with their reports
    # (HTML, notebook, Parquet, manifest): finance, and accounting read them (payouts issue).
    "jobs.finance.read": GLOBAL_ADMIN | {R.COO, R.FINANCE, R.ACCOUNTING},
    "admin.errors.read": GLOBAL_ADMIN,
    # -- freight (LOGISTICS/TRANSPORT ventures; non-manager roles see only their own loads) -----
    "freight.loads.read": MANAGER_LIKE
    | {R.FINANCE, R.ACCOUNTING, R.AUDITOR, R.CSR, R.DISPATCHER, R.CARRIER_TEAM, R.EMPLOYEE},
    "freight.loads.create": MANAGER_LIKE | {R.CSR, R.DISPATCHER},
    "freight.loads.update": MANAGER_LIKE | {R.CSR, R.DISPATCHER},  # edit + status changes
    "freight.loads.assign": MANAGER_LIKE,  # credit a load to another sales user
    "freight.customers.read": MANAGER_LIKE
    | {R.FINANCE, R.ACCOUNTING, R.AUDITOR, R.CSR, R.DISPATCHER, R.CARRIER_TEAM},
    "freight.customers.manage": MANAGER_LIKE | {R.CSR},
    "freight.carriers.read": MANAGER_LIKE | {R.AUDITOR, R.CSR, R.DISPATCHER, R.CARRIER_TEAM},
    "freight.carriers.manage": MANAGER_LIKE | {R.DISPATCHER, R.CARRIER_TEAM},
    # Quotes are the sales pipeline, not P&L: FINANCE and ACCOUNTING read loads, not quotes.
    "freight.quotes.read": MANAGER_LIKE | {R.AUDITOR, R.CSR},
    "freight.quotes.manage": MANAGER_LIKE | {R.CSR},  # create, edit, status, convert
    "freight.outreach.read": MANAGER_LIKE | {R.AUDITOR, R.DISPATCHER, R.CARRIER_TEAM},
    "freight.outreach.send": MANAGER_LIKE | {R.DISPATCHER, R.CARRIER_TEAM},
    "freight.outreach.award": MANAGER_LIKE | {R.DISPATCHER, R.CARRIER_TEAM},
    "freight.dashboard.read": MANAGER_LIKE | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    # -- operations (every venture; spec/operations.md, Operations) ---------------------------
    # Everyone reads the tasks assigned to them or that they created and moves their own; the
    # tasks of others in scope are read by manager-like roles and AUDITOR (offices narrowed for
    # OFFICE_MANAGER and TEAM_LEAD). Managers create, edit, assign, cancel and bulk-change.
    "operations.tasks.read": EVERYONE,
    "operations.tasks.read_all": MANAGER_LIKE | {R.AUDITOR},
    "operations.tasks.progress": EVERYONE - {R.AUDITOR},  # the assignee moves their own task
    "operations.tasks.create": MANAGER_LIKE,
    "operations.tasks.update": MANAGER_LIKE,  # edit, reassign, any status, bulk status
    # EOD: everyone but the read-only AUDITOR submits their own; the reports of others and who
    # has not submitted are read by manager-like roles, HR_ADMIN (EOD oversight) and AUDITOR;
    # manager-like roles review.
    "operations.eod.read": EVERYONE,
    "operations.eod.submit": EVERYONE - {R.AUDITOR},
    "operations.eod.team.read": MANAGER_LIKE | {R.HR_ADMIN, R.AUDITOR},
    "operations.eod.review": MANAGER_LIKE,
    # -- holdings (HOLDINGS ventures; spec silent on roles): bank balances and asset values are
    # the venture's finances. Leadership, FINANCE, ACCOUNTING and AUDITOR read them; leadership
    # and FINANCE keep the registers (assets, accounts) and record balances from statements;
    # ACCOUNTING only reads (P&L read). Office-level and non-manager roles (EMPLOYEE, CONTRACTOR)
    # see none of it.
    "holdings.assets.read": LEADERSHIP | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    "holdings.assets.manage": LEADERSHIP | {R.FINANCE},
    "holdings.accounts.read": LEADERSHIP | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    "holdings.accounts.manage": LEADERSHIP | {R.FINANCE},
    "holdings.snapshots.write": LEADERSHIP | {R.FINANCE},
    "holdings.dashboard.read": LEADERSHIP | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    # -- hospitality (HOSPITALITY ventures; roles with assigned offices see their hotels' rows) --
    # Hotels are reference data of the venture; KPI days, disputes and the dashboard are money.
    "hospitality.hotels.read": MANAGER_LIKE | {R.FINANCE, R.ACCOUNTING, R.AUDITOR, R.EMPLOYEE},
    "hospitality.hotels.manage": MANAGER_LIKE,
    "hospitality.kpi.read": MANAGER_LIKE | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    "hospitality.kpi.write": MANAGER_LIKE,  # the form and the CSV upload
    # Reviews are the front desk's work: employees of a hotel read and answer its reviews.
    "hospitality.reviews.read": MANAGER_LIKE | {R.AUDITOR, R.EMPLOYEE},
    "hospitality.reviews.respond": MANAGER_LIKE | {R.EMPLOYEE},
    "hospitality.disputes.read": MANAGER_LIKE | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    "hospitality.disputes.manage": MANAGER_LIKE,  # create, update, resolve
    "hospitality.dashboard.read": MANAGER_LIKE | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    # -- saas (SAAS ventures; the venture's rows, no office narrowing) --------------------------
    # Customers with their MRR, subscriptions and the dashboard are revenue: read by manager-like
    # roles and the money readers; only manager-like roles change them (least privilege).
    "saas.customers.read": MANAGER_LIKE | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    "saas.customers.manage": MANAGER_LIKE,  # create, edit
    "saas.subscriptions.read": MANAGER_LIKE | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    "saas.subscriptions.manage": MANAGER_LIKE,  # create, change plan or MRR, cancel
    "saas.dashboard.read": MANAGER_LIKE | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    # -- bpo (BPO ventures; an agent logs and reads only their own calls) ---------------------
    # Campaigns and agents are the venture's set-up (managers); call logs carry revenue: all of a
    # venture's are read by managers and the auditor; KPIs are money, read by finance too.
    "bpo.campaigns.read": MANAGER_LIKE | {R.AUDITOR, R.EMPLOYEE},
    "bpo.campaigns.manage": MANAGER_LIKE,
    "bpo.agents.read": MANAGER_LIKE | {R.AUDITOR},
    "bpo.agents.manage": MANAGER_LIKE,
    "bpo.calls.log": MANAGER_LIKE | {R.EMPLOYEE},  # an employee: as their own agent only
    "bpo.calls.read": MANAGER_LIKE | {R.AUDITOR, R.EMPLOYEE},  # an employee: their own calls
    "bpo.calls.read_all": MANAGER_LIKE | {R.AUDITOR},
    "bpo.calls.import": MANAGER_LIKE,  # the dialer's CSV
    "bpo.kpi.read": MANAGER_LIKE | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    "bpo.kpi.write": MANAGER_LIKE,  # KPI records (QA scores)
    # -- incentives (every venture; everyone reads their own rows through page.my_incentives) ---
    "incentives.venture.read": LEADERSHIP | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    "incentives.plans.read": LEADERSHIP | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    "incentives.plans.manage": GLOBAL_ADMIN | {R.FINANCE},
    "incentives.commit": GLOBAL_ADMIN | {R.FINANCE},
    # Payouts (incentives.md, Payouts): "Only FINANCE and CEO approve"; ACCOUNTING reads.
    "incentives.payouts.read": LEADERSHIP | {R.FINANCE, R.ACCOUNTING, R.AUDITOR},
    "incentives.payouts.manage": GLOBAL_ADMIN | {R.FINANCE},  # create, re-run, pay, void
    "incentives.payouts.approve": frozenset({R.CEO, R.FINANCE}),  # also the force paths
    # Gamification (events-and-gamification.md, Points): "Only CEO, ADMIN and COO edit" a
    # venture's config (reading it: the same); every member reads the leaderboards of their
    # ventures (only users in scope are shown).
    "gamification.config.read": GLOBAL_ADMIN | {R.COO},
    "gamification.config.manage": GLOBAL_ADMIN | {R.COO},
    "gamification.leaderboard.read": EVERYONE,
}

# Roles that may grant a role to someone: granting CEO needs a CEO, ADMIN a global admin; HR
# admins manage everybody else.
GRANTABLE_BY: dict[Role, frozenset[Role]] = {
    role: (
        frozenset({R.CEO})
        if role is R.CEO
        else GLOBAL_ADMIN
        if role is R.ADMIN
        else PERMISSIONS["admin.roles.assign"]
    )
    for role in Role
}


def role_can(role: Role, action: str) -> bool:
    try:
        return role in PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}: add it to the permission table") from None


def actions_of(role: Role) -> frozenset[str]:
    return frozenset(a for a, roles in PERMISSIONS.items() if role in roles)


__all__ = ["GRANTABLE_BY", "LEADERSHIP", "PERMISSIONS", "actions_of", "role_can"]
