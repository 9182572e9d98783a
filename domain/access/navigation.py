"""Navigation: which pages exist, the section each belongs to, and who may open them.

The web app builds its sidebar from ``navigation(uow, actor)`` and guards every page with
``can_open``; a page is open to an actor when its section is one of ``accessible_sections`` and
the actor's role has the page's action in the permission table. ``PAGES`` is the one list of
the web app's signed-in pages (key, route, title, permission, section): the web app adds a route
for each and for nothing else, so a later vertical adds its pages here. The JSON API asks
``require_section`` before any route of a section runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import col, select

from domain.access.actor import Actor
from domain.access.roles import Role
from domain.db import UnitOfWork
from domain.errors import Forbidden
from domain.org.models import SECTION_OF_TYPE, Venture, VentureType
from domain.schemas import View

# Navigation order of the sections.
SECTIONS = (
    "command_center",
    "freight",
    "hospitality",
    "bpo",
    "saas",
    "holdings",
    "operations",
    "admin",
)
SECTION_TITLES = {
    "command_center": "Command center",
    "freight": "Freight",
    "hospitality": "Hospitality",
    "bpo": "BPO",
    "saas": "SaaS",
    "holdings": "Holdings",
    "operations": "Operations",
    "admin": "Admin",
}
OPERATIONS_ROLES = frozenset(
    {Role.CEO, Role.ADMIN, Role.COO, Role.VENTURE_HEAD, Role.AUDITOR, Role.FINANCE, Role.HR_ADMIN}
)
ADMIN_ROLES = frozenset({Role.CEO, Role.ADMIN, Role.COO, Role.HR_ADMIN, Role.FINANCE})


def sections_for(role: Role, active_types_in_scope: Iterable[VentureType]) -> list[str]:
    """The rule of spec/access.md as a pure function of the role and the types of the active
    ventures in scope."""
    types = set(active_types_in_scope)
    sections = {"command_center"} | {SECTION_OF_TYPE[t] for t in types}
    if types or role in OPERATIONS_ROLES:
        sections.add("operations")
    if role in ADMIN_ROLES:
        sections.add("admin")
    return [s for s in SECTIONS if s in sections]


def accessible_sections(uow: UnitOfWork, actor: Actor) -> list[str]:
    """The navigation sections the actor has, in display order."""
    types = uow.session.execute(
        select(Venture.type)
        .where(actor.scope.venture_clause(Venture.id), col(Venture.is_active).is_(True))
        .distinct()
    ).scalars()
    return sections_for(actor.role, types)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    path: str
    action: str
    icon: str
    # The sections the page may appear in, in preference order: it shows in the first one the
    # actor has (the audit log sits in Admin, or in Command center for an auditor).
    sections: tuple[str, ...]
    in_nav: bool = True
    # The page's own title (browser tab) where it differs from its name in the sidebar: a
    # section's "Overview" is the "Freight" page.
    heading: str = ""

    @property
    def page_title(self) -> str:
        return self.heading or self.title


PAGES: tuple[PageSpec, ...] = (
    PageSpec("my_day", "My Day", "/", "page.my_day", "sun", ("command_center",)),
    PageSpec(
        "briefing", "Briefing", "/briefing", "page.briefing", "newspaper", ("command_center",)
    ),
    # Leadership's overview: a row per venture in scope with its headline numbers.
    PageSpec(
        "overview",
        "Overview",
        "/overview",
        "overview.read",
        "layout-dashboard",
        ("command_center",),
        heading="Ventures overview",
    ),
    PageSpec(
        "ventures", "Ventures", "/ventures", "ventures.read", "building-2", ("command_center",)
    ),
    PageSpec(
        "venture_detail",
        "Venture",
        "/ventures/[venture_id]",
        "ventures.read",
        "building-2",
        ("command_center",),
        in_nav=False,
    ),
    PageSpec(
        "profile",
        "Profile",
        "/profile",
        "tokens.own.manage",
        "user-round",
        ("command_center",),
        in_nav=False,
    ),
    # Everyone's own incentive earnings (spec/incentives.md, "Reading incentives").
    PageSpec(
        "my_incentives",
        "My incentives",
        "/incentives",
        "page.my_incentives",
        "wallet",
        ("command_center",),
    ),
    # Points (spec/events-and-gamification.md): everyone's own points and the leaderboards of
    # their ventures; the points config of a venture for CEO, ADMIN and COO (in Admin).
    PageSpec("my_points", "My points", "/points", "page.my_points", "trophy", ("command_center",)),
    PageSpec(
        "leaderboard",
        "Leaderboard",
        "/points/leaderboard",
        "gamification.leaderboard.read",
        "medal",
        ("command_center",),
    ),
    PageSpec(
        "gamification_config",
        "Points config",
        "/points/config",
        "gamification.config.read",
        "sliders-horizontal",
        ("admin", "command_center"),
        heading="Points configuration",
    ),
    # Each section opens on an overview of the ventures (or admin areas) it covers.
    *(
        PageSpec(
            f"{key}_home",
            "Overview",
            f"/{key}",
            "ventures.read",
            icon,
            (key,),
            heading=SECTION_TITLES[key],
        )
        for key, icon in (
            ("freight", "layout-grid"),
            ("hospitality", "hotel"),
            ("bpo", "headset"),
            ("saas", "cloud"),
            ("holdings", "landmark"),
            ("operations", "clipboard-list"),
        )
    ),
    # Freight: the vertical's pages after its overview. Detail and form pages are reached from
    # the lists (in_nav=False). Every path is the web app's route, path parameters included.
    PageSpec(
        "freight_dashboard",
        "Dashboard",
        "/freight/dashboard",
        "freight.dashboard.read",
        "chart-line",
        ("freight",),
        heading="Freight dashboard",
    ),
    PageSpec(
        "freight_loads", "Loads", "/freight/loads", "freight.loads.read", "package", ("freight",)
    ),
    PageSpec(
        "freight_load",
        "Load",
        "/freight/loads/[load_id]",
        "freight.loads.read",
        "package",
        ("freight",),
        in_nav=False,
    ),
    PageSpec(
        "freight_load_new",
        "New load",
        "/freight/loads/new",
        "freight.loads.create",
        "package-plus",
        ("freight",),
        in_nav=False,
    ),
    PageSpec(
        "freight_load_edit",
        "Edit load",
        "/freight/loads/[load_id]/edit",
        "freight.loads.update",
        "pencil",
        ("freight",),
        in_nav=False,
    ),
    PageSpec(
        "freight_quotes",
        "Quotes",
        "/freight/quotes",
        "freight.quotes.read",
        "receipt",
        ("freight",),
    ),
    PageSpec(
        "freight_carriers",
        "Carriers",
        "/freight/carriers",
        "freight.carriers.read",
        "truck",
        ("freight",),
    ),
    PageSpec(
        "freight_carrier",
        "Carrier",
        "/freight/carriers/[carrier_id]",
        "freight.carriers.read",
        "truck",
        ("freight",),
        in_nav=False,
    ),
    PageSpec(
        "freight_outreach",
        "Outreach",
        "/freight/outreach",
        "freight.outreach.read",
        "send",
        ("freight",),
    ),
    # Operations (every venture): tasks for everyone (their own; their people's for managers),
    # the EOD review for those who read others' reports.
    PageSpec(
        "operations_tasks",
        "Tasks",
        "/operations/tasks",
        "operations.tasks.read",
        "list-checks",
        ("operations",),
    ),
    PageSpec(
        "operations_eod",
        "EOD review",
        "/operations/eod",
        "operations.eod.team.read",
        "clipboard-check",
        ("operations",),
        heading="End-of-day reports",
    ),
    # Hospitality (HOSPITALITY ventures): the dashboard, the hotels' daily numbers (form and CSV
    # upload), guest reviews and disputes; each shown to the roles whose permission it names.
    PageSpec(
        "hospitality_dashboard",
        "Dashboard",
        "/hospitality/dashboard",
        "hospitality.dashboard.read",
        "chart-line",
        ("hospitality",),
        heading="Hospitality dashboard",
    ),
    PageSpec(
        "hospitality_kpi",
        "Hotel KPIs",
        "/hospitality/kpi",
        "hospitality.kpi.read",
        "table-2",
        ("hospitality",),
    ),
    PageSpec(
        "hospitality_reviews",
        "Reviews",
        "/hospitality/reviews",
        "hospitality.reviews.read",
        "message-square-text",
        ("hospitality",),
    ),
    PageSpec(
        "hospitality_disputes",
        "Disputes",
        "/hospitality/disputes",
        "hospitality.disputes.read",
        "scale",
        ("hospitality",),
    ),
    # SaaS (SAAS ventures): the MRR dashboard, customers and a customer's subscriptions.
    PageSpec(
        "saas_dashboard",
        "Dashboard",
        "/saas/dashboard",
        "saas.dashboard.read",
        "chart-line",
        ("saas",),
        heading="SaaS dashboard",
    ),
    PageSpec(
        "saas_customers", "Customers", "/saas/customers", "saas.customers.read", "users", ("saas",)
    ),
    PageSpec(
        "saas_customer",
        "Customer",
        "/saas/customers/[customer_id]",
        "saas.customers.read",
        "user",
        ("saas",),
        in_nav=False,
    ),
    # Holdings (HOLDINGS ventures): balances per currency and assets by type, the assets, the
    # bank accounts with their latest balance and the form that records one.
    PageSpec(
        "holdings_dashboard",
        "Dashboard",
        "/holdings/dashboard",
        "holdings.dashboard.read",
        "chart-line",
        ("holdings",),
        heading="Holdings dashboard",
    ),
    PageSpec(
        "holdings_accounts",
        "Bank accounts",
        "/holdings/accounts",
        "holdings.accounts.read",
        "landmark",
        ("holdings",),
    ),
    PageSpec(
        "holdings_assets",
        "Assets",
        "/holdings/assets",
        "holdings.assets.read",
        "building-2",
        ("holdings",),
    ),
    # BPO (BPO ventures): the dashboard, the agent's own calls of today (with the log-a-call
    # form), the call logs, the CSV import of dialer exports and KPI records, campaigns, agents.
    PageSpec(
        "bpo_dashboard",
        "Dashboard",
        "/bpo/dashboard",
        "bpo.kpi.read",
        "chart-line",
        ("bpo",),
        heading="BPO dashboard",
    ),
    PageSpec(
        "bpo_my_calls",
        "My calls today",
        "/bpo/my-calls",
        "bpo.calls.log",
        "phone",
        ("bpo",),
    ),
    PageSpec("bpo_calls", "Call logs", "/bpo/calls", "bpo.calls.read", "phone-call", ("bpo",)),
    PageSpec(
        "bpo_import",
        "Import",
        "/bpo/import",
        "bpo.calls.import",
        "file-up",
        ("bpo",),
        heading="Import calls and KPIs",
    ),
    PageSpec(
        "bpo_campaigns",
        "Campaigns",
        "/bpo/campaigns",
        "bpo.campaigns.read",
        "megaphone",
        ("bpo",),
    ),
    PageSpec("bpo_agents", "Agents", "/bpo/agents", "bpo.agents.read", "users", ("bpo",)),
    PageSpec(
        "admin_home",
        "Overview",
        "/admin",
        "ventures.read",
        "shield",
        ("admin",),
        heading=SECTION_TITLES["admin"],
    ),
    PageSpec("admin_users", "Users", "/admin/users", "admin.users.read", "users", ("admin",)),
    PageSpec(
        "admin_ventures",
        "Ventures & offices",
        "/admin/ventures",
        "admin.ventures.read",
        "building",
        ("admin",),
    ),
    PageSpec(
        "admin_quick_links",
        "Quick links",
        "/admin/quick-links",
        "admin.quicklinks.manage",
        "link",
        ("admin",),
    ),
    # Jobs: health, runs and reports of the scheduled notebooks.
    PageSpec("admin_jobs", "Jobs", "/admin/jobs", "admin.jobs.read", "notebook-text", ("admin",)),
    # Unhandled errors of page events, API calls and jobs (platform.md, Observability).
    PageSpec("admin_errors", "Errors", "/admin/errors", "admin.errors.read", "bug", ("admin",)),
    # Incentives for leadership, FINANCE and ACCOUNTING: in Admin where they have it.
    PageSpec(
        "incentives_venture",
        "Venture incentives",
        "/incentives/venture",
        "incentives.venture.read",
        "chart-column",
        ("admin", "command_center"),
    ),
    PageSpec(
        "incentives_plans",
        "Incentive plans",
        "/incentives/plans",
        "incentives.plans.read",
        "scroll",
        ("admin", "command_center"),
    ),
    PageSpec(
        "incentives_commit",
        "Commit incentives",
        "/incentives/commit",
        "incentives.commit",
        "hand-coins",
        ("admin", "command_center"),
    ),
    PageSpec(
        "incentives_payouts",
        "Payouts",
        "/incentives/payouts",
        "incentives.payouts.read",
        "banknote",
        ("admin", "command_center"),
    ),
    PageSpec(
        "audit", "Audit log", "/audit", "audit.read", "scroll-text", ("admin", "command_center")
    ),
)
PAGES_BY_KEY = {p.key: p for p in PAGES}


class NavPage(View):
    key: str
    title: str
    path: str
    icon: str


class NavSection(View):
    key: str
    title: str
    pages: list[NavPage]


def _section_of(page: PageSpec, sections: list[str]) -> str | None:
    return next((s for s in page.sections if s in sections), None)


def navigation(uow: UnitOfWork, actor: Actor) -> list[NavSection]:
    """The sidebar: every accessible section (even one whose pages come with a later issue),
    and inside it the pages the role may open."""
    sections = accessible_sections(uow, actor)
    result = []
    for key in sections:
        pages = [
            NavPage(key=p.key, title=p.title, path=p.path, icon=p.icon)
            for p in PAGES
            if p.in_nav and _section_of(p, sections) == key and actor.can(p.action)
        ]
        result.append(NavSection(key=key, title=SECTION_TITLES[key], pages=pages))
    return result


def open_pages(sections: list[str], actor: Actor) -> set[str]:
    """Keys of the pages ``actor`` may open, given their accessible sections."""
    return {p.key for p in PAGES if _section_of(p, sections) and actor.can(p.action)}


def can_open(uow: UnitOfWork, actor: Actor, page_key: str) -> bool:
    return page_key in open_pages(accessible_sections(uow, actor), actor)


def require_section(uow: UnitOfWork, actor: Actor, section: str) -> None:
    """Refuse (403) an actor who does not have ``section``: spec/access.md, "a page or API of a
    section the user does not have answers 403". The Command center is everyone's."""
    if section not in SECTION_TITLES:
        raise ValueError(f"unknown section {section!r}")
    if section == "command_center":
        return
    if section not in accessible_sections(uow, actor):
        raise Forbidden(
            f"You have no access to the {SECTION_TITLES[section]} section.",
            action=f"section.{section}",
        )
