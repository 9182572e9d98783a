"""Dashboard pieces: headline cards (value, change versus the previous period with an arrow and
a colour that match whether up is good), and line / bar charts (recharts) with axis labels,
units and tooltips showing exact values, styled from the Radix theme so both themes work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx
from reflex.vars import Var

AXIS = "var(--gray-a8)"
TICK = {"fill": "var(--gray-11)", "fontSize": 12}
GRID = "var(--gray-a4)"

# Value formatters (JavaScript) for axis ticks and tooltips.
MONEY_TICK = (
    "(v) => (v < 0 ? '-' : '') + '$' + (Math.abs(v) >= 1000 "
    "? (Math.abs(v) / 1000).toLocaleString('en-US', {maximumFractionDigits: 1}) + 'k' "
    ": Math.abs(v).toLocaleString('en-US'))"
)
MONEY_EXACT = (
    "(v) => (v === null || v === undefined) ? 'n/a' : (v < 0 ? '-' : '') + '$' + "
    "Math.abs(v).toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})"
)
PCT_TICK = "(v) => v + '%'"
PCT_EXACT = "(v) => (v === null || v === undefined) ? 'n/a' : Number(v).toFixed(1) + '%'"
COUNT_TICK = "(v) => Number(v).toLocaleString('en-US')"
COUNT_EXACT = "(v) => (v === null || v === undefined) ? 'n/a' : Number(v).toLocaleString('en-US')"

FORMATS = {
    "money": (MONEY_TICK, MONEY_EXACT),
    "pct": (PCT_TICK, PCT_EXACT),
    "count": (COUNT_TICK, COUNT_EXACT),
}


def headline_card(card: Any) -> rx.Component:
    """``card`` is a HeadlineCard var (label, value, change, change_color, arrow, previous)."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(card.label, size="2", color_scheme="gray", weight="medium"),
                rx.spacer(),
                rx.text(card.hint, size="1", color_scheme="gray"),
                width="100%",
                align="center",
            ),
            rx.text(
                card.value,
                size="6",
                weight="bold",
                style={"fontVariantNumeric": "tabular-nums", "lineHeight": "1.2"},
                class_name="headline-value",
            ),
            rx.hstack(
                rx.badge(
                    rx.icon(card.arrow, size=12),
                    card.change,
                    color_scheme=card.change_color,
                    variant="soft",
                    class_name="headline-change",
                ),
                rx.text(
                    card.previous,
                    size="1",
                    color_scheme="gray",
                    style={
                        "whiteSpace": "nowrap",
                        "overflow": "hidden",
                        "textOverflow": "ellipsis",
                    },
                    min_width="0",
                ),
                align="center",
                spacing="2",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="headline-card",
        data_metric=card.metric,
    )


def _tooltip(kind: str) -> rx.Component:
    return rx.recharts.graphing_tooltip(
        content_style={
            "background": "var(--color-panel-solid)",
            "border": "1px solid var(--gray-a6)",
            "borderRadius": "var(--radius-3)",
            "boxShadow": "var(--shadow-3)",
            "fontSize": "13px",
        },
        label_style={"color": "var(--gray-12)", "fontWeight": 500, "marginBottom": "4px"},
        item_style={"padding": "1px 0"},
        cursor={"fill": "var(--gray-a3)", "stroke": "var(--gray-a6)"},
        # Exact values, in the order the series are drawn (not alphabetical).
        custom_attrs={
            "formatter": Var(_js_expr=FORMATS[kind][1]),
            "itemSorter": Var(_js_expr="() => 0"),
        },
    )


def _axes(kind: str, y_label: str, x_label: str, x_key: str = "day") -> list[rx.Component]:
    return [
        rx.recharts.cartesian_grid(stroke=GRID, stroke_dasharray="3 3", vertical=False),
        rx.recharts.x_axis(
            data_key=x_key,
            stroke=AXIS,
            tick=TICK,
            tick_line=False,
            min_tick_gap=24,
            height=44,
            label={
                "value": x_label,
                "position": "insideBottom",
                "offset": 0,
                "style": {"fill": "var(--gray-11)", "fontSize": 12},
            },
        ),
        rx.recharts.y_axis(
            stroke=AXIS,
            tick=TICK,
            tick_line=False,
            width=72,
            tick_formatter=FORMATS[kind][0],
            label={
                "value": y_label,
                "angle": -90,
                "position": "insideLeft",
                "offset": 4,
                "style": {"fill": "var(--gray-11)", "fontSize": 12, "textAnchor": "middle"},
            },
        ),
        _tooltip(kind),
        rx.recharts.legend(
            vertical_align="top",
            align="right",
            height=32,
            icon_type="circle",
            icon_size=8,
            wrapper_style={"fontSize": "12px", "color": "var(--gray-11)"},
            custom_attrs={"itemSorter": Var(_js_expr="() => 0")},
        ),
    ]


def line_chart(
    data: Var,
    series: Sequence[tuple[str, str, str]],
    *,
    kind: str,
    y_label: str,
    x_label: str = "Business date",
    height: int = 280,
    id: str,
) -> rx.Component:
    """``series``: (data key, legend name, colour) per line."""
    lines = [
        rx.recharts.line(
            data_key=key,
            name=name,
            stroke=color,
            stroke_width=2,
            dot=False,
            active_dot={"r": 4},
            type_="linear",
            connect_nulls=False,
            is_animation_active=False,
        )
        for key, name, color in series
    ]
    return rx.box(
        rx.recharts.line_chart(
            *lines,
            *_axes(kind, y_label, x_label),
            data=data,
            width="100%",
            height=height,
            margin={"top": 4, "right": 12, "left": 4, "bottom": 4},
        ),
        width="100%",
        id=id,
        class_name="vcc-chart",
    )


def bar_chart(
    data: Var,
    series: Sequence[tuple[str, str, str]],
    *,
    kind: str,
    y_label: str,
    x_label: str = "Business date",
    x_key: str = "day",
    height: int = 280,
    id: str,
) -> rx.Component:
    bars = [
        rx.recharts.bar(
            data_key=key,
            name=name,
            fill=color,
            radius=[3, 3, 0, 0],
            max_bar_size=14,
            is_animation_active=False,
        )
        for key, name, color in series
    ]
    return rx.box(
        rx.recharts.bar_chart(
            *bars,
            *_axes(kind, y_label, x_label, x_key),
            data=data,
            width="100%",
            height=height,
            bar_gap=1,
            bar_category_gap="20%",
            margin={"top": 4, "right": 12, "left": 4, "bottom": 4},
        ),
        width="100%",
        id=id,
        class_name="vcc-chart",
    )


def chart_card(title: str, subtitle: str | Var, chart: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.vstack(
                rx.text(title, size="3", weight="medium"),
                rx.text(subtitle, size="1", color_scheme="gray"),
                spacing="0",
            ),
            chart,
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
