"""Freight widgets shared by the freight pages: status badges (a word and an icon, never colour
alone), money cells (right-aligned, tabular), the lane and facts lists."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def badge(label: Var | str, color: Var | str, icon: Var | str | None = None, **props: object):
    children: list[rx.Component | Var | str] = []
    if icon is not None:
        children.append(rx.icon(icon, size=12))
    children.append(label)
    props.setdefault("variant", "soft")
    return rx.badge(*children, color_scheme=color, **props)


def money_text(value: Var | str, *, negative: Var | bool = False, **props: object) -> rx.Component:
    props.setdefault("size", "2")
    return rx.text(
        value,
        color=rx.cond(negative, "var(--red-11)", "inherit"),
        style={"fontVariantNumeric": "tabular-nums", "whiteSpace": "nowrap"},
        **props,
    )


def num_cell(value: Var | str, *, negative: Var | bool = False, **props: object) -> rx.Component:
    """A right-aligned table cell for money and counts."""
    return rx.table.cell(money_text(value, negative=negative), text_align="right", **props)


CLIP = {"whiteSpace": "nowrap", "overflow": "hidden", "textOverflow": "ellipsis"}


def clip(value: Var | str, *, max_width: str = "180px", **props: object) -> rx.Component:
    """One line of text cut with an ellipsis (the whole value on hover)."""
    props.setdefault("size", "2")
    return rx.text(
        value, style={**CLIP, "maxWidth": max_width}, custom_attrs={"title": value}, **props
    )


def two_lines(
    top: rx.Component | Var | str, bottom: Var | str, *, max_width: str = "220px"
) -> rx.Component:
    """A table cell's main line and a muted second line (one height for every row)."""
    first = top if isinstance(top, rx.Component) else clip(top, max_width=max_width)
    return rx.vstack(
        first,
        clip(bottom, max_width=max_width, size="1", color_scheme="gray"),
        spacing="0",
        min_width="0",
    )


def muted_if_dash(value: Var) -> rx.Component:
    return rx.cond(
        (value == "—") | (value == "n/a"),
        rx.text(value, size="2", color_scheme="gray"),
        rx.text(value, size="2"),
    )


def lane(origin: Var | str, destination: Var | str, *, size: str = "2") -> rx.Component:
    return rx.hstack(
        rx.text(origin, size=size, white_space="nowrap"),
        rx.icon("arrow-right", size=12, color="var(--gray-9)", flex_shrink="0"),
        rx.text(destination, size=size, white_space="nowrap"),
        align="center",
        spacing="1",
    )


def fact(label: str, value: Var | str | rx.Component, *, id: str | None = None) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(label, min_width="130px"),
        rx.data_list.value(value, id=id),
    )
