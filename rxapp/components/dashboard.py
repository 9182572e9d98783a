"""What every wing's dashboard page shares: the range form (dates, Apply, the quick presets, any
extra action) over a ``RangeDashboard`` state, and the skeleton shown while it loads."""

from __future__ import annotations

from typing import Any

import reflex as rx

from rxapp.components.forms import date_field, filter_card, submit_button
from rxapp.state.dashboard_base import PRESETS


def range_form(S: Any, prefix: str, *extra: rx.Component) -> rx.Component:
    """``prefix`` names the ids (``{prefix}-from``, ``{prefix}-preset-7``...)."""

    def preset(value: str, label: str) -> rx.Component:
        return rx.button(
            label,
            type="button",
            size="2",
            variant="soft",
            color_scheme="gray",
            on_click=S.preset(value),
            disabled=S.loading,
            id=f"{prefix}-preset-{value}",
        )

    return filter_card(
        rx.hstack(
            rx.box(
                date_field("From", name="from", id=f"{prefix}-from", value=S.f_from),
                width="180px",
            ),
            rx.box(
                date_field("To", name="to", id=f"{prefix}-to", value=S.f_to, error=S.range_error),
                width="180px",
            ),
            submit_button("Apply", busy=S.loading, id=f"{prefix}-apply"),
            rx.separator(orientation="vertical", size="2"),
            *(preset(value, label) for value, label in PRESETS.items()),
            *((rx.spacer(), *extra) if extra else ()),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        id=f"{prefix}-range",
        on_submit=S.apply_range,
        form_key=S.form_key,
    )


def dashboard_skeleton() -> rx.Component:
    return rx.vstack(
        rx.skeleton(height="72px", width="100%"),
        rx.grid(
            *[rx.skeleton(height="104px", width="100%") for _ in range(10)],
            columns=rx.breakpoints(initial="1", sm="2", md="3", lg="5"),
            spacing="3",
            width="100%",
        ),
        rx.skeleton(height="320px", width="100%"),
        rx.grid(
            *[rx.skeleton(height="320px", width="100%") for _ in range(2)],
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        spacing="5",
        width="100%",
        id="page-loading",
    )
