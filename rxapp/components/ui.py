"""Shared widgets: empty states, skeletons, badges, table frame, pager, export button,
confirmation dialog."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx
from reflex.vars import Var


def empty_state(
    icon: str,
    title: str,
    text: str | Var,
    *,
    id: str | None = None,
    action: rx.Component | None = None,
) -> rx.Component:
    """Says what would appear here and how to make it appear."""
    return rx.center(
        rx.vstack(
            rx.center(
                rx.icon(icon, size=20, color="var(--gray-11)"),
                width="40px",
                height="40px",
                border_radius="var(--radius-3)",
                background="var(--gray-a3)",
            ),
            rx.text(title, size="2", weight="medium"),
            rx.text(text, size="2", color_scheme="gray", align="center", max_width="420px"),
            action if action is not None else rx.fragment(),
            align="center",
            spacing="2",
        ),
        padding="2rem 1rem",
        width="100%",
        border="1px dashed var(--gray-a6)",
        border_radius="var(--radius-3)",
        id=id,
    )


def skeleton_rows(rows: int = 5, *, height: str = "20px") -> rx.Component:
    return rx.vstack(
        *[rx.skeleton(height=height, width="100%") for _ in range(rows)],
        spacing="3",
        width="100%",
    )


def page_skeleton() -> rx.Component:
    """What a page shows until its data arrives: its shape, not a spinner over a blank page."""
    return rx.vstack(
        rx.hstack(
            *[rx.skeleton(height="84px", width="100%") for _ in range(3)],
            spacing="4",
            width="100%",
        ),
        skeleton_rows(6, height="28px"),
        spacing="5",
        width="100%",
        id="page-loading",
    )


def card(*children: rx.Component, **props: object) -> rx.Component:
    props.setdefault("width", "100%")
    props.setdefault("size", "2")
    return rx.card(*children, **props)


def section_heading(
    title: str | Var, *, subtitle: str | Var | None = None, action: rx.Component | None = None
) -> rx.Component:
    left = rx.vstack(
        rx.heading(title, size="3", weight="medium"),
        rx.text(subtitle, size="1", color_scheme="gray") if subtitle is not None else rx.fragment(),
        spacing="1",
    )
    return rx.hstack(
        left,
        rx.spacer(),
        action if action is not None else rx.fragment(),
        align="center",
        width="100%",
    )


def status_badge(active: Var, *, active_text: str = "Active", inactive_text: str = "Inactive"):
    return rx.cond(
        active,
        rx.badge(
            rx.icon("circle-check", size=12), active_text, color_scheme="green", variant="soft"
        ),
        rx.badge(
            rx.icon("circle-minus", size=12), inactive_text, color_scheme="gray", variant="soft"
        ),
    )


def role_badge(label: Var | str, color: Var | str) -> rx.Component:
    return rx.badge(label, color_scheme=color, variant="soft", radius="full")


def code_badge(code: Var | str) -> rx.Component:
    return rx.badge(
        code,
        variant="surface",
        color_scheme="gray",
        style={"fontFamily": "var(--code-font-family)"},
    )


def data_table(
    header: Sequence[str | tuple[str, str]],
    body: rx.Component,
    *,
    id: str,
    max_height: str | None = None,
) -> rx.Component:
    """A table with a sticky header and row hover. ``header`` items are labels or
    (label, align) pairs (money and counts right-aligned)."""
    cells = []
    for h in header:
        label, align = (h, "left") if isinstance(h, str) else h
        cells.append(
            rx.table.column_header_cell(
                label,
                style={
                    "position": "sticky",
                    "top": 0,
                    "zIndex": 1,
                    "background": "var(--color-panel-solid)",
                    "textAlign": align,
                    "whiteSpace": "nowrap",
                },
            )
        )
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*cells)),
            body,
            variant="surface",
            size="2",
            width="100%",
            id=id,
            class_name="vcc-table",
        ),
        width="100%",
        overflow_x="auto",
        max_height=max_height,
        overflow_y="auto" if max_height else None,
    )


def pager(
    *,
    prev_label: str,
    next_label: str,
    has_prev: Var,
    has_next: Var,
    on_prev: object,
    on_next: object,
    summary: Var | str,
    id_prefix: str,
) -> rx.Component:
    return rx.hstack(
        rx.text(summary, size="1", color_scheme="gray", id=f"{id_prefix}-summary"),
        rx.spacer(),
        rx.button(
            rx.icon("chevron-left", size=14),
            prev_label,
            variant="soft",
            color_scheme="gray",
            size="1",
            disabled=~has_prev,
            on_click=on_prev,
            id=f"{id_prefix}-prev",
        ),
        rx.button(
            next_label,
            rx.icon("chevron-right", size=14),
            variant="soft",
            color_scheme="gray",
            size="1",
            disabled=~has_next,
            on_click=on_next,
            id=f"{id_prefix}-next",
        ),
        align="center",
        width="100%",
        spacing="2",
    )


def cursor_pager(state: type[rx.State], *, id_prefix: str) -> rx.Component:
    """ "Newer" / "Older" and the page summary for a list state with the CursorPages mixin."""
    st: Any = state
    return pager(
        prev_label="Newer",
        next_label="Older",
        has_prev=st.has_newer,
        has_next=st.has_older,
        on_prev=st.newer,
        on_next=st.older,
        summary=st.page_summary,
        id_prefix=id_prefix,
    )


def export_button(state: type[rx.State], *, id: str, rows: Var | None = None) -> rx.Component:
    """The "Export CSV" button of a list state with the CsvExport mixin: what the filters match,
    not just the page on screen; busy while the file is built, off when nothing is listed
    (``rows``: the state's ``rows`` unless given)."""
    exporting: Var = state.exporting  # type: ignore[attr-defined]
    if rows is None:
        rows = state.rows  # type: ignore[attr-defined]
    return rx.button(
        rx.cond(exporting, rx.spinner(size="1"), rx.icon("download", size=14)),
        "Export CSV",
        variant="soft",
        color_scheme="gray",
        on_click=state.export_csv,  # type: ignore[attr-defined]
        disabled=exporting | (rows.length() == 0),  # type: ignore[attr-defined]
        id=id,
    )


def confirm_dialog(
    *,
    open: Var,
    on_open_change: object,
    title: Var | str,
    description: Var | str,
    confirm_label: Var | str,
    on_confirm: object,
    danger: Var | bool = True,
    busy: Var | bool = False,
    id: str,
) -> rx.Component:
    """A confirmation that names what will happen; the action runs only on the confirm button."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description, size="2"),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button("Cancel", variant="soft", color_scheme="gray", id=f"{id}-cancel")
                ),
                rx.button(
                    confirm_label,
                    color_scheme=rx.cond(danger, "red", "indigo"),
                    on_click=on_confirm,
                    loading=busy,
                    id=f"{id}-confirm",
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
            max_width="460px",
            id=id,
        ),
        open=open,
        on_open_change=on_open_change,
    )


def muted(text: Var | str, **props: object) -> rx.Component:
    props.setdefault("size", "2")
    return rx.text(text, color_scheme="gray", **props)


def external_link(label: Var | str, url: Var | str, **props: object) -> rx.Component:
    return rx.link(label, href=url, is_external=True, **props)
