""" "Compare with the previous run of this key": the button and what it loads, for any state with
the ``RunCompare`` mixin (``rxapp/state/run_compare.py``): the jobs page's run detail and the
Payouts page's run review show the same thing."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

from rxapp.components.freight import badge, num_cell, two_lines
from rxapp.components.ui import data_table, muted, skeleton_rows
from rxapp.views.compare import CompareRow, InputRow


def _row(r: CompareRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(two_lines(r.user, r.email, max_width="200px")),
        rx.table.cell(two_lines(r.rule, r.metric + " · " + r.day, max_width="220px")),
        num_cell(r.metric_before),
        num_cell(r.metric_after),
        num_cell(r.metric_delta),
        num_cell(r.amount_before),
        num_cell(r.amount_after),
        num_cell(r.amount_delta, negative=r.fell),
        class_name="compare-row",
        data_email=r.email,
    )


def _input(i: InputRow) -> rx.Component:
    return rx.hstack(
        badge(i.change, i.color),
        rx.text(i.label, size="2"),
        spacing="2",
        align="center",
        class_name="compare-input",
    )


def _result(st: Any, id_prefix: str) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Compared with the previous run of ", rx.code(st.cmp_key), size="2"),
            rx.spacer(),
            rx.icon_button(
                rx.icon("x", size=14),
                variant="ghost",
                color_scheme="gray",
                size="1",
                on_click=st.close_compare,
                aria_label="Close the comparison",
                id=f"{id_prefix}-close",
            ),
            align="center",
            width="100%",
        ),
        muted("Before: " + st.cmp_before + " · After: " + st.cmp_after, size="1"),
        rx.cond(
            st.cmp_unchanged,
            rx.callout(
                "The two runs computed the same result for every user and rule.",
                icon="circle-check",
                color_scheme="green",
                size="1",
                id=f"{id_prefix}-unchanged",
            ),
            rx.vstack(
                rx.vstack(
                    rx.foreach(
                        st.cmp_net,
                        lambda line: rx.text(
                            line, size="2", style={"fontVariantNumeric": "tabular-nums"}
                        ),
                    ),
                    spacing="0",
                    id=f"{id_prefix}-net",
                ),
                data_table(
                    [
                        "Person",
                        "Rule · metric · day",
                        ("Metric before", "right"),
                        ("Metric after", "right"),
                        ("Metric change", "right"),
                        ("Amount before", "right"),
                        ("Amount after", "right"),
                        ("Amount change", "right"),
                    ],
                    rx.table.body(rx.foreach(st.cmp_rows, _row)),
                    id=f"{id_prefix}-table",
                    max_height="360px",
                ),
                spacing="2",
                width="100%",
            ),
        ),
        rx.vstack(
            rx.text("Input rows that changed", size="2", weight="bold"),
            rx.cond(
                st.cmp_inputs.length() > 0,
                rx.vstack(rx.foreach(st.cmp_inputs, _input), spacing="1"),
                muted(
                    "None: both runs read the same rows (a change of plan or rule, or of the "
                    "code, explains the difference).",
                    size="1",
                ),
            ),
            spacing="1",
            width="100%",
            id=f"{id_prefix}-inputs",
        ),
        spacing="2",
        width="100%",
        id=f"{id_prefix}-result",
    )


def run_compare(state: type[rx.State], run_id: Var | str, *, id_prefix: str) -> rx.Component:
    """The "Compare with the previous run of this key" button for ``run_id`` and, once loaded,
    the comparison (or the sentence saying why there is none)."""
    st: Any = state
    mine = st.cmp_run_id == run_id
    return rx.vstack(
        rx.button(
            rx.icon("git-compare", size=14),
            "Compare with the previous run of this key",
            variant="soft",
            color_scheme="gray",
            on_click=st.compare_previous(run_id),
            loading=st.cmp_busy,
            id=f"{id_prefix}-button",
        ),
        rx.cond(
            mine & st.cmp_busy,
            skeleton_rows(3),
        ),
        rx.cond(
            mine & (st.cmp_message != ""),
            rx.callout(
                st.cmp_message,
                icon="info",
                color_scheme="gray",
                size="1",
                id=f"{id_prefix}-message",
            ),
        ),
        rx.cond(mine & st.cmp_shown, _result(st, id_prefix)),
        spacing="2",
        width="100%",
        id=id_prefix,
    )
