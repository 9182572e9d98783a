"""/freight/carriers (the list) and /freight/carriers/<id> (one carrier)."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import field, filter_actions, filter_bar, filter_card, select_field
from rxapp.components.freight import badge, fact, lane, num_cell
from rxapp.components.layout import app_shell
from rxapp.components.ui import data_table, empty_state, export_button, pager, section_heading
from rxapp.pages import page
from rxapp.state.freight_carriers import FreightCarriersState, FreightCarrierState
from rxapp.views.freight import CarrierRow, LoadRow

S = FreightCarriersState
C = FreightCarrierState


def _filters() -> rx.Component:
    return filter_card(
        filter_bar(
            field(
                "Search",
                rx.input(
                    rx.input.slot(rx.icon("search", size=14)),
                    name="search",
                    id="carriers-search",
                    placeholder="Name, MC or DOT number",
                    default_value=S.f_search,
                    width="100%",
                ),
                html_for="carriers-search",
            ),
            select_field(
                "Equipment",
                name="equipment",
                id="carriers-equipment",
                value=S.f_equipment,
                options=S.equipment_options,
                all_label="All equipment",
            ),
            rx.el.label(
                rx.el.input(
                    type="checkbox",
                    name="eligible",
                    id="carriers-eligible",
                    default_checked=S.f_eligible,
                    style={"accentColor": "var(--accent-9)", "width": "15px", "height": "15px"},
                ),
                rx.text("Eligible to haul only", size="2"),
                style={
                    "display": "flex",
                    "alignItems": "center",
                    "gap": "8px",
                    "height": "32px",
                    "cursor": "pointer",
                },
            ),
            filter_actions("carriers", on_clear=S.clear_filters),
            columns="4",
        ),
        id="carriers-filters",
        on_submit=S.apply_filters,
        form_key=S.form_key,
    )


def standing_badge(c: CarrierRow) -> rx.Component:
    return rx.cond(
        c.reason != "",
        rx.tooltip(badge(c.standing, c.standing_color, c.standing_icon), content=c.reason),
        badge(c.standing, c.standing_color, c.standing_icon),
    )


def _row(c: CarrierRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(c.name, href=c.href, weight="medium", class_name="carrier-link")
        ),
        rx.table.cell(rx.text(c.mc, size="2", style={"fontVariantNumeric": "tabular-nums"})),
        rx.table.cell(rx.text(c.dot, size="2", style={"fontVariantNumeric": "tabular-nums"})),
        rx.table.cell(rx.text(c.equipment, size="2", white_space="nowrap")),
        rx.table.cell(rx.text(c.home_state, size="2")),
        rx.table.cell(rx.text(c.authority, size="2")),
        rx.table.cell(rx.text(c.safety, size="2")),
        rx.table.cell(
            rx.text(
                c.insurance,
                size="2",
                color=rx.cond(c.insurance == "Missing", "var(--red-11)", "inherit"),
            )
        ),
        rx.table.cell(standing_badge(c)),
        align="center",
        class_name="carrier-row",
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            data_table(
                [
                    "Carrier",
                    "MC",
                    "DOT",
                    "Equipment",
                    "Home",
                    "Authority",
                    "Safety",
                    "Insurance",
                    "Standing",
                ],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="carriers-table",
                max_height="calc(100vh - 330px)",
            ),
            pager(
                prev_label="Previous",
                next_label="Next",
                has_prev=S.has_newer,
                has_next=S.has_older,
                on_prev=S.newer,
                on_next=S.older,
                summary=S.page_summary,
                id_prefix="carriers",
            ),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "truck",
            "No carriers match",
            "Search by part of the name or the exact MC or DOT number, or clear the filters. "
            "Carriers are shared by every freight venture.",
            id="carriers-empty",
        ),
    )


@page("freight_carriers", on_load=S.load)
def freight_carriers_page() -> rx.Component:
    return app_shell(
        rx.vstack(_filters(), _table(), spacing="4", width="100%"),
        page_key="freight_carriers",
        title="Carriers",
        section="Freight",
        subtitle="Motor carriers with their FMCSA snapshot. Only eligible carriers can cover "
        "a load or receive outreach.",
        reload=S.load,
        actions=export_button(S, id="carriers-export"),
    )


# -- detail ---------------------------------------------------------------------------------------


def _load_row(r: LoadRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                r.reference,
                href=r.href,
                weight="medium",
                style={"fontFamily": "var(--code-font-family)"},
            )
        ),
        rx.table.cell(badge(r.status_label, r.status_color, r.status_icon)),
        rx.table.cell(rx.text(r.customer, size="2")),
        rx.table.cell(lane(r.origin, r.destination)),
        rx.table.cell(rx.text(r.pickup, size="2", white_space="nowrap")),
        num_cell(r.bill),
        num_cell(r.cost),
        align="center",
    )


def _stat(label: str, value: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(label, size="2", color_scheme="gray", weight="medium"),
            rx.text(value, size="6", weight="bold", style={"fontVariantNumeric": "tabular-nums"}),
            spacing="1",
        ),
        width="100%",
    )


def _carrier_detail() -> rx.Component:
    c = C.carrier
    facts = rx.card(
        rx.data_list.root(
            fact("Standing", standing_badge(c), id="carrier-standing"),
            rx.cond(c.reason != "", fact("Why", c.reason), rx.fragment()),
            fact("MC number", c.mc),
            fact("DOT number", c.dot),
            fact("Equipment", c.equipment),
            fact("Home state", c.home_state),
            fact("Phone", c.phone),
            fact("Email", c.email),
            fact("FMCSA authority", c.authority),
            fact("Safety rating", c.safety),
            fact("Insurance", c.insurance),
            fact("FMCSA checked", c.checked),
            orientation="horizontal",
            size="2",
        ),
        width="100%",
    )
    loads = rx.vstack(
        section_heading("Recent loads", subtitle="Your loads with this carrier, newest first"),
        rx.cond(
            C.loads.length() > 0,
            data_table(
                [
                    "Load",
                    "Status",
                    "Customer",
                    "Lane",
                    "Pickup",
                    ("Bill", "right"),
                    ("Cost", "right"),
                ],
                rx.table.body(rx.foreach(C.loads, _load_row)),
                id="carrier-loads",
            ),
            empty_state(
                "package",
                "No loads with this carrier",
                rx.cond(
                    C.sees_loads,
                    "Loads you can see that this carrier covers or delivers appear here.",
                    "Your role does not read loads.",
                ),
            ),
        ),
        spacing="3",
        width="100%",
    )
    return rx.grid(
        rx.vstack(
            rx.grid(
                _stat("Loads delivered", C.stats.delivered.to_string()),
                _stat("Outreach received", C.stats.outreach.to_string()),
                columns="2",
                spacing="4",
                width="100%",
            ),
            loads,
            spacing="4",
            width="100%",
        ),
        facts,
        grid_template_columns=rx.breakpoints(
            initial="minmax(0, 1fr)", lg="minmax(0, 2fr) minmax(320px, 1fr)"
        ),
        spacing="5",
        width="100%",
        align="start",
        id="carrier-detail",
    )


@page("freight_carrier", on_load=C.load)
def freight_carrier_page() -> rx.Component:
    return app_shell(
        _carrier_detail(),
        page_key="freight_carrier",
        nav_key="freight_carriers",
        title=rx.cond(C.carrier.name != "", C.carrier.name, "Carrier"),
        subtitle=rx.cond(C.carrier.mc != "", "MC " + C.carrier.mc + " · DOT " + C.carrier.dot, ""),
        section="Freight",
        crumb="Carrier",
        reload=C.load,
    )
