"""/ventures (list in scope), /ventures/<id> (offices, members, type, links) and the section
overview pages (/freight, /hospitality, ..., /operations, /admin)."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from domain.access.navigation import PAGES_BY_KEY
from rxapp.components.layout import app_shell
from rxapp.components.quick_links import quick_links_panel
from rxapp.components.ui import (
    code_badge,
    data_table,
    empty_state,
    role_badge,
    section_heading,
    status_badge,
)
from rxapp.pages import page, register
from rxapp.state.session import NavPageRow, SessionState
from rxapp.state.ventures import (
    MemberRow,
    OfficeRow,
    VentureCard,
    VentureDetailState,
    VentureLinkRow,
    VenturesState,
)


def _ventures_table() -> rx.Component:
    def row(v: VentureCard) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(
                rx.link(v.name, href=v.href, weight="medium", class_name="venture-link"),
            ),
            rx.table.cell(code_badge(v.code)),
            rx.table.cell(v.type_label),
            rx.table.cell(v.currency),
            rx.table.cell(v.timezone),
            rx.table.cell(v.office_count, text_align="right"),
            rx.table.cell(status_badge(v.active)),
            data_code=v.code,
            class_name="venture-row",
        )

    return rx.cond(
        VenturesState.ventures.length() > 0,
        data_table(
            [
                "Venture",
                "Code",
                "Type",
                "Currency",
                "Timezone",
                ("Offices", "right"),
                "Status",
            ],
            rx.table.body(rx.foreach(VenturesState.ventures, row)),
            id="ventures-table",
        ),
        empty_state(
            "building-2",
            "No ventures to show",
            rx.cond(
                SessionState.venture_filter != "",
                "The venture filter in the header hides the others: choose “All my ventures”.",
                "Ventures appear here once an administrator assigns you to one.",
            ),
            id="ventures-empty",
        ),
    )


@page("ventures", on_load=VenturesState.load)
def ventures_page() -> rx.Component:
    return app_shell(
        _ventures_table(),
        page_key="ventures",
        title="Ventures",
        subtitle="The ventures you can see. Open one for its offices, people and links.",
        section="Command center",
        reload=VenturesState.load,
    )


# -- venture detail -----------------------------------------------------------------------------


def _fact(label: str, value: rx.Var | str | rx.Component, id: str | None = None) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label, min_width="120px"),
        rx.data_list.value(value, id=id),
    )


def _offices_table() -> rx.Component:
    def row(o: OfficeRow) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(rx.text(o.name, weight="medium")),
            rx.table.cell(o.place),
            rx.table.cell(o.timezone),
            rx.table.cell(status_badge(o.active)),
            class_name="office-row",
        )

    v = VentureDetailState.venture
    return rx.cond(
        v.offices.length() > 0,
        data_table(
            ["Office", "City", "Timezone", "Status"],
            rx.table.body(rx.foreach(v.offices, row)),
            id="offices-table",
        ),
        empty_state(
            "map-pin",
            "No offices in your scope",
            "Offices you are assigned to appear here; an administrator adds offices on the admin "
            "page.",
        ),
    )


def _members_table() -> rx.Component:
    def row(m: MemberRow) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(rx.text(m.name, weight="medium")),
            rx.table.cell(m.email),
            rx.table.cell(role_badge(m.role_label, m.role_color)),
            class_name="member-row",
        )

    return rx.cond(
        VentureDetailState.can_see_members,
        rx.cond(
            VentureDetailState.members.length() > 0,
            data_table(
                ["Name", "Email", "Role"],
                rx.table.body(rx.foreach(VentureDetailState.members, row)),
                id="members-table",
                max_height="420px",
            ),
            empty_state("users", "No members yet", "People assigned to this venture appear here."),
        ),
        rx.text(
            "The member list is shown to managers, HR, finance and auditors.",
            size="2",
            color_scheme="gray",
            id="members-hidden",
        ),
    )


def _detail() -> rx.Component:
    v = VentureDetailState.venture
    facts = rx.card(
        rx.data_list.root(
            _fact("Code", code_badge(v.code), id="venture-code"),
            _fact("Type", v.type_label, id="venture-type"),
            _fact("Currency", v.currency),
            _fact("Timezone", v.timezone),
            _fact("Status", status_badge(v.active)),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            size="2",
        ),
        width="100%",
    )
    return rx.grid(
        rx.vstack(
            section_heading("Offices", subtitle=v.offices_text),
            _offices_table(),
            section_heading(
                "People",
                subtitle=rx.cond(
                    VentureDetailState.can_see_members,
                    VentureDetailState.member_count.to_string()
                    + " active · "
                    + VentureDetailState.role_mix,
                    "",
                ),
            ),
            _members_table(),
            spacing="4",
            width="100%",
        ),
        rx.vstack(
            facts,
            rx.card(
                rx.vstack(
                    section_heading("Links"),
                    quick_links_panel(id="venture-links"),
                    spacing="3",
                    width="100%",
                ),
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        grid_template_columns=rx.breakpoints(
            initial="minmax(0, 1fr)", lg="minmax(0, 2fr) minmax(300px, 1fr)"
        ),
        spacing="5",
        width="100%",
        align="start",
        id="venture-detail",
    )


@page("venture_detail", on_load=VentureDetailState.load)
def venture_detail_page() -> rx.Component:
    name = VentureDetailState.venture.name
    return app_shell(
        _detail(),
        page_key="venture_detail",
        nav_key="ventures",
        title=rx.cond(name != "", name, "Venture"),
        section="Ventures",
        reload=VentureDetailState.load,
    )


# -- section overview pages ---------------------------------------------------------------------


def _section_card(v: VentureCard) -> rx.Component:
    def office(o: OfficeRow) -> rx.Component:
        return rx.hstack(
            rx.icon("map-pin", size=13, color="var(--gray-10)"),
            rx.text(o.name, size="2"),
            rx.text(o.place, size="1", color_scheme="gray"),
            align="center",
            spacing="2",
        )

    def link(q: VentureLinkRow) -> rx.Component:
        return rx.link(
            rx.hstack(
                rx.icon(q.icon, size=13),
                rx.text(q.label, size="2"),
                align="center",
                spacing="2",
            ),
            href=q.url,
            is_external=True,
            class_name="section-link",
        )

    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.link(rx.text(v.name, size="3", weight="bold"), href=v.href),
                code_badge(v.code),
                rx.spacer(),
                rx.badge(v.type_label, variant="soft", color_scheme="gray"),
                align="center",
                spacing="2",
                width="100%",
            ),
            rx.grid(
                rx.vstack(
                    rx.text("Offices", size="1", weight="medium", color_scheme="gray"),
                    rx.cond(
                        v.offices.length() > 0,
                        rx.vstack(rx.foreach(v.offices, office), spacing="1"),
                        rx.text("No offices in your scope", size="2", color_scheme="gray"),
                    ),
                    spacing="2",
                ),
                rx.vstack(
                    rx.text("Quick links", size="1", weight="medium", color_scheme="gray"),
                    rx.cond(
                        v.links.length() > 0,
                        rx.vstack(rx.foreach(v.links, link), spacing="1"),
                        rx.text("No links yet", size="2", color_scheme="gray"),
                    ),
                    spacing="2",
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="4",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="section-venture",
        data_code=v.code,
    )


SECTION_INTROS = {
    "freight": "Brokerage and transport ventures, with their links. Loads, quotes, carriers, "
    "outreach and the dashboard are in the Freight menu.",
    "hospitality": "Hotel ventures. Occupancy, reviews and housekeeping arrive with the "
    "hospitality release.",
    "bpo": "Call-centre ventures. Campaigns, agents and quality arrive with the BPO release.",
    "saas": "Software ventures, with their links. Customers, subscriptions and the MRR "
    "dashboard are in the SaaS menu.",
    "holdings": "Holding companies. Cash and investments arrive with the holdings release.",
    "operations": "Tasks and end-of-day reports across your ventures arrive with the operations "
    "release. Your ventures:",
}


def section_page(section: str, title: str) -> rx.Component:
    content = rx.vstack(
        rx.cond(
            VenturesState.ventures.length() > 0,
            rx.grid(
                rx.foreach(VenturesState.ventures, _section_card),
                columns=rx.breakpoints(initial="1", xl="2"),
                spacing="4",
                width="100%",
                id="section-ventures",
            ),
            empty_state(
                "building-2",
                "No ventures here",
                rx.cond(
                    SessionState.venture_filter != "",
                    "The venture filter in the header hides the others: choose “All my ventures”.",
                    "Ventures of this section that you are assigned to appear here.",
                ),
                id="section-empty",
            ),
        ),
        spacing="4",
        width="100%",
    )
    return app_shell(
        content,
        page_key=f"{section}_home",
        title=title,
        section=title,
        crumb="Overview",
        subtitle=SECTION_INTROS.get(section, ""),
        reload=VenturesState.load_section(section),
    )


def _section_home(section: str) -> Callable[[], rx.Component]:
    title = PAGES_BY_KEY[f"{section}_home"].page_title

    def section_home_page() -> rx.Component:
        return section_page(section, title)

    return section_home_page


# Every section with an intro has its overview page (the admin overview is below).
for _section in SECTION_INTROS:
    register(
        f"{_section}_home",
        _section_home(_section),
        on_load=VenturesState.load_section(_section),
    )


@page("admin_home", on_load=VenturesState.load_section("admin"))
def admin_home_page() -> rx.Component:
    def area(page: NavPageRow) -> rx.Component:
        return rx.link(
            rx.card(
                rx.hstack(
                    rx.center(
                        rx.icon(page.icon, size=18, color="var(--accent-11)"),
                        width="36px",
                        height="36px",
                        border_radius="var(--radius-3)",
                        background="var(--accent-a3)",
                    ),
                    rx.text(page.title, size="3", weight="medium"),
                    rx.spacer(),
                    rx.icon("chevron-right", size=16, color="var(--gray-9)"),
                    align="center",
                    spacing="3",
                ),
                width="100%",
                _hover={"boxShadow": "var(--shadow-3)"},
            ),
            href=page.path,
            underline="none",
            color="inherit",
            class_name="admin-area",
        )

    content = rx.vstack(
        rx.cond(
            VenturesState.admin_areas.length() > 0,
            rx.grid(
                rx.foreach(VenturesState.admin_areas, area),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="4",
                width="100%",
                id="admin-areas",
            ),
            empty_state(
                "shield",
                "Nothing to administer yet",
                "Your role's admin pages (incentives and payouts for finance) arrive with later "
                "releases.",
                id="admin-areas-empty",
            ),
        ),
        spacing="4",
        width="100%",
    )
    return app_shell(
        content,
        page_key="admin_home",
        title="Admin",
        section="Admin",
        crumb="Overview",
        subtitle="The administration areas your role may open. Incentive and payout "
        "administration (for finance) arrives with the incentives release.",
        reload=VenturesState.load_section("admin"),
    )
