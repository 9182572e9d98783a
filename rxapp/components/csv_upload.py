"""The page's part of a CSV upload (``rxapp.state.csv_upload.CsvUpload``): the drop zone and
Upload button, the send progress, then the domain's answer (the result line, or every bad line
and field in a table). Pure functions of the state's vars."""

from __future__ import annotations

from typing import Any

import reflex as rx

from rxapp.views.uploads import UploadProblem


def _problem(p: UploadProblem) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(p.where, size="2", weight="medium", white_space="nowrap")),
        rx.table.cell(rx.code(p.field, size="2")),
        rx.table.cell(rx.text(p.message, size="2")),
        class_name="upload-problem",
        data_line=p.line,
    )


def upload_answer(S: Any) -> rx.Component:
    """Progress while sending and checking; the refusal (every bad line) or the result line."""
    refused = rx.callout.root(
        rx.callout.icon(rx.icon("circle-x", size=16)),
        rx.vstack(
            rx.callout.text(S.upload_summary, weight="medium", id="upload-refused"),
            rx.cond(
                S.upload_problems.length() > 0,
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell("Where"),
                                rx.table.column_header_cell("Field"),
                                rx.table.column_header_cell("Problem"),
                            )
                        ),
                        rx.table.body(rx.foreach(S.upload_problems, _problem)),
                        size="1",
                        width="100%",
                    ),
                    max_height="260px",
                    overflow_y="auto",
                    width="100%",
                    id="upload-problems",
                ),
                rx.fragment(),
            ),
            rx.text(
                "Fix the lines named above and upload the whole file again.",
                size="1",
                color_scheme="gray",
            ),
            spacing="2",
            width="100%",
        ),
        color_scheme="red",
        width="100%",
    )
    written = rx.callout.root(
        rx.callout.icon(rx.icon("circle-check", size=16)),
        rx.callout.text(S.upload_summary, id="upload-written"),
        color_scheme="green",
        width="100%",
    )
    progress = rx.vstack(
        rx.cond(
            S.upload_step == "sending",
            rx.progress(value=S.upload_percent, max=100, width="100%", id="upload-progress"),
            rx.progress(width="100%", id="upload-progress"),  # checking: no measure of it
        ),
        rx.text(S.upload_text, size="2", color_scheme="gray", id="upload-status"),
        spacing="2",
        width="100%",
    )
    return rx.match(
        S.upload_step,
        ("sending", progress),
        ("checking", progress),
        ("refused", refused),
        ("written", written),
        rx.fragment(),
    )


def upload_drop(S: Any, upload_id: str, *, hint: str) -> rx.Component:
    """The drop zone (one CSV) and the Upload button that sends it with progress."""
    chosen = rx.selected_files(upload_id)
    drop = rx.upload.root(
        rx.hstack(
            rx.icon("file-up", size=18, color="var(--gray-11)"),
            rx.cond(
                chosen.length() > 0,
                rx.text(chosen[0], size="2", weight="medium", id="upload-file-name"),
                rx.text(hint, size="2", color_scheme="gray"),
            ),
            align="center",
            spacing="2",
        ),
        id=upload_id,
        accept={"text/csv": [".csv"]},
        max_files=1,
        multiple=False,
        disabled=S.uploading,
        border="1px dashed var(--gray-a7)",
        border_radius="var(--radius-3)",
        padding="14px 16px",
        cursor="pointer",
        width="100%",
    )
    button = rx.button(
        rx.cond(S.uploading, rx.spinner(size="1"), rx.icon("upload", size=14)),
        "Upload",
        disabled=S.uploading | (chosen.length() == 0),
        on_click=[
            S.start_upload,
            S.upload(rx.upload_files(upload_id=upload_id, on_upload_progress=S.upload_progress)),
            rx.clear_selected_files(upload_id),
        ],
        id="upload-submit",
    )
    return rx.hstack(
        rx.box(drop, flex="1", min_width="260px", id=f"{upload_id}-zone"),
        button,
        spacing="3",
        align="center",
        width="100%",
    )
