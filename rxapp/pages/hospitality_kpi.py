"""/hospitality/kpi: the CSV upload card (template, progress, the all-or-nothing answer), the
hotel-day list with its filters, and the one-day form."""

from __future__ import annotations

import reflex as rx

from rxapp.components.csv_upload import upload_answer, upload_drop
from rxapp.components.forms import (
    date_field,
    field,
    filter_actions,
    filter_bar,
    filter_card,
    form_dialog,
    form_summary,
    select_field,
    submit_button,
)
from rxapp.components.freight import num_cell, two_lines
from rxapp.components.layout import app_shell
from rxapp.components.ui import cursor_pager, data_table, empty_state, section_heading
from rxapp.pages import page
from rxapp.state.hospitality_kpi import UPLOAD_ID, HospitalityKpiState, HotelKpiFormState
from rxapp.views.hospitality import KpiRow

S = HospitalityKpiState
F = HotelKpiFormState


# -- upload ---------------------------------------------------------------------------------------


def _upload_card() -> rx.Component:
    venture = rx.cond(
        S.upload_ventures.length() > 1,
        rx.box(
            field(
                "Venture",
                rx.select.root(
                    rx.select.trigger(id="upload-venture", width="100%"),
                    rx.select.content(
                        rx.foreach(
                            S.upload_ventures, lambda o: rx.select.item(o.label, value=o.value)
                        ),
                        position="popper",
                    ),
                    value=S.upload_venture,
                    on_change=S.choose_upload_venture,
                ),
                html_for="upload-venture",
            ),
            width="260px",
        ),
        rx.fragment(),
    )
    return rx.card(
        rx.vstack(
            section_heading(
                "Upload a CSV",
                subtitle="One line per hotel and date; a line for a day already entered "
                "replaces it. All or nothing: any bad line and nothing is written.",
            ),
            rx.hstack(
                venture,
                rx.box(
                    upload_drop(
                        S,
                        UPLOAD_ID,
                        hint="Drop a CSV here or click to choose one (UTF-8, at most 5 MB)",
                    ),
                    flex="1",
                    min_width="260px",
                ),
                rx.button(
                    rx.icon("download", size=14),
                    "Template",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.download_template,
                    id="upload-template",
                ),
                spacing="3",
                align="center",
                wrap="wrap",
                width="100%",
            ),
            upload_answer(S),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="kpi-upload-card",
    )


# -- the list -------------------------------------------------------------------------------------


def _filters() -> rx.Component:
    return filter_card(
        filter_bar(
            select_field(
                "Hotel",
                name="hotel",
                id="kpi-hotel",
                value=S.f_hotel,
                options=S.hotel_options,
                all_label="All hotels",
            ),
            date_field("From", name="from", id="kpi-from", value=S.f_from),
            date_field("To", name="to", id="kpi-to", value=S.f_to, error=S.filter_error),
            filter_actions("kpi", on_clear=S.clear_filters),
            columns="4",
        ),
        id="kpi-filters",
        on_submit=S.apply_filters,
        form_key=S.form_key,
    )


def _row(r: KpiRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(r.day, size="2", white_space="nowrap")),
        rx.table.cell(two_lines(rx.text(r.hotel_code, size="2", weight="medium"), r.hotel_name)),
        num_cell(r.rooms_available),
        num_cell(r.rooms_sold),
        num_cell(r.occupancy),
        num_cell(r.adr),
        num_cell(r.revpar),
        num_cell(r.room_revenue),
        num_cell(r.other_revenue),
        num_cell(r.cancellations),
        num_cell(r.no_shows),
        rx.table.cell(
            rx.cond(
                S.can_write,
                rx.button(
                    rx.icon("pencil", size=12),
                    "Edit",
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=F.open_form(r.hotel_id, r.day_iso),
                    class_name="kpi-edit",
                ),
                rx.fragment(),
            ),
            text_align="right",
        ),
        align="center",
        class_name="kpi-row",
        data_hotel=r.hotel_code,
        data_day=r.day_iso,
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            data_table(
                [
                    "Date",
                    "Hotel",
                    ("Available", "right"),
                    ("Sold", "right"),
                    ("Occupancy", "right"),
                    ("ADR", "right"),
                    ("RevPAR", "right"),
                    ("Room revenue", "right"),
                    ("Other", "right"),
                    ("Cancelled", "right"),
                    ("No-shows", "right"),
                    ("", "right"),
                ],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="kpi-table",
                max_height="calc(100vh - 420px)",
            ),
            cursor_pager(S, id_prefix="kpi"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "table-2",
            "No hotel numbers match",
            "Each hotel's daily rooms and revenue show here, newest day first. Enter a day with "
            "“Enter a day”, upload a CSV, or clear the filters.",
            id="kpi-empty",
        ),
    )


# -- the one-day form -----------------------------------------------------------------------------


def _num(label: str, name: str, placeholder: str = "", mode: str = "numeric") -> rx.Component:
    id = "kpi-form-" + name.replace("_", "-")
    return field(
        label,
        rx.input(
            name=name,
            id=id,
            default_value=F.val[name],
            placeholder=placeholder,
            input_mode=mode,
            width="100%",
        ),
        html_for=id,
        error=F.err[name],
    )


def kpi_dialog() -> rx.Component:
    return form_dialog(
        form_summary(F.errors, id="kpi-form-errors"),
        rx.grid(
            select_field(
                "Hotel",
                name="hotel_id",
                id="kpi-form-hotel-id",
                value=F.val["hotel_id"],
                options=F.hotel_options,
                placeholder="Choose a hotel",
                error=F.err["hotel_id"],
            ),
            date_field(
                "Date", name="day", id="kpi-form-day", value=F.val["day"], error=F.err["day"]
            ),
            _num("Rooms available", "rooms_available", "e.g. 120"),
            _num("Rooms sold", "rooms_sold", "e.g. 96"),
            _num("Room revenue", "room_revenue", "e.g. 14,400.00", "decimal"),
            _num("Other revenue", "other_revenue", "0.00", "decimal"),
            _num("Cancellations", "cancellations", "0"),
            _num("No-shows", "no_shows", "0"),
            columns="2",
            spacing="3",
            width="100%",
        ),
        title="A hotel's day",
        description="Rooms and revenue of one hotel on one business date. Saving a day "
        "already entered replaces its numbers.",
        submit=submit_button("Save day", busy=F.busy, id="kpi-form-save"),
        on_submit=F.save,
        open=F.form_open,
        on_open_change=F.set_form_open,
        id="kpi-form",
        max_width="560px",
        no_validate=True,
        key=F.form_key,
    )


@page("hospitality_kpi", on_load=S.load)
def hospitality_kpi_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            rx.cond(S.can_write, _upload_card(), rx.fragment()),
            _filters(),
            _table(),
            kpi_dialog(),
            spacing="4",
            width="100%",
        ),
        page_key="hospitality_kpi",
        title="Hotel KPIs",
        section="Hospitality",
        subtitle="Each hotel's rooms and revenue per business date: typed in, or uploaded as a "
        "CSV.",
        reload=S.load,
        actions=rx.cond(
            S.can_write,
            rx.button(
                rx.icon("plus", size=16), "Enter a day", on_click=F.open_form(0, ""), id="kpi-new"
            ),
            rx.fragment(),
        ),
    )
