"""/bpo/import: choose the kind of file (call logs or KPI records) and the venture, get the
template, upload (progress), then the result line or every bad line named."""

from __future__ import annotations

import reflex as rx

from rxapp.components.csv_upload import upload_answer, upload_drop
from rxapp.components.forms import field
from rxapp.components.layout import app_shell
from rxapp.components.ui import empty_state, section_heading
from rxapp.pages import page
from rxapp.state.bpo_import import UPLOAD_ID, BpoImportState

S = BpoImportState


def _select(label: str, id: str, value: rx.Var, options: rx.Var, on_change: object) -> rx.Component:
    return rx.box(
        field(
            label,
            rx.select.root(
                rx.select.trigger(id=id, width="100%"),
                rx.select.content(
                    rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value)),
                    position="popper",
                ),
                value=value,
                on_change=on_change,
                disabled=S.uploading,
            ),
            html_for=id,
        ),
        width="240px",
    )


def _card() -> rx.Component:
    return rx.card(
        rx.vstack(
            section_heading(
                "Import a CSV",
                subtitle="A dialer export of call logs (one line per call) or KPI records (one "
                "line per campaign, agent and date; a line for a day already recorded replaces "
                "it). All or nothing: any bad line and nothing is written.",
            ),
            rx.hstack(
                field(
                    "File",
                    rx.segmented_control.root(
                        rx.foreach(
                            S.kind_options,
                            lambda o: rx.segmented_control.item(o.label, value=o.value),
                        ),
                        value=S.kind,
                        on_change=S.choose_kind,
                        id="upload-kind",
                    ),
                    html_for="upload-kind",
                ),
                rx.cond(
                    S.upload_ventures.length() > 1,
                    _select(
                        "Venture",
                        "upload-venture",
                        S.upload_venture,
                        S.upload_ventures,
                        S.choose_upload_venture,
                    ),
                    rx.fragment(),
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
                align="end",
                wrap="wrap",
            ),
            rx.vstack(
                rx.text(S.kind_line, size="2", id="upload-kind-line"),
                rx.text(
                    "Columns (* required): ",
                    rx.code(S.kind_columns, size="1", id="upload-columns"),
                    size="2",
                    color_scheme="gray",
                ),
                spacing="1",
                width="100%",
            ),
            upload_drop(
                S, UPLOAD_ID, hint="Drop a CSV here or click to choose one (UTF-8, at most 5 MB)"
            ),
            upload_answer(S),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="bpo-import-card",
    )


@page("bpo_import", on_load=S.load)
def bpo_import_page() -> rx.Component:
    return app_shell(
        rx.cond(
            S.upload_ventures.length() > 0,
            _card(),
            empty_state(
                "file-up",
                "Nothing to import into",
                "Imports go to a BPO venture where your role imports call logs.",
                id="bpo-import-none",
            ),
        ),
        page_key="bpo_import",
        title="Import calls and KPIs",
        section="BPO",
        subtitle="Dialer exports and daily KPI records as CSV files, checked line by line.",
        reload=S.load,
    )
