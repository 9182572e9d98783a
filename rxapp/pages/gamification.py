"""Points: My points (/points), the leaderboard (/points/leaderboard) and a venture's points
config (/points/config). Layout only; the states call the domain."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import field, form_summary, submit_button
from rxapp.components.layout import app_shell
from rxapp.components.ui import code_badge, cursor_pager, data_table, empty_state, section_heading
from rxapp.pages import page
from rxapp.state.gamification import LeaderboardState, MyPointsState, PointsConfigState
from rxapp.views.gamification import BadgeRow, BalanceRow, ConfigRow, HistoryRow, RankRow

P = MyPointsState
L = LeaderboardState
C = PointsConfigState

NUM = {"fontVariantNumeric": "tabular-nums"}

# -- My points ------------------------------------------------------------------------------------


def _balance(b: BalanceRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            code_badge(b.code),
            rx.text(b.points, size="6", weight="bold", style=NUM, class_name="balance-points"),
            rx.text(b.unit, size="1", color_scheme="gray"),
            spacing="1",
        ),
        class_name="balance-card",
        data_code=b.code,
    )


def _badge(b: BadgeRow) -> rx.Component:
    return rx.hstack(
        rx.center(
            rx.icon("award", size=16, color="var(--amber-11)"),
            width="32px",
            height="32px",
            border_radius="var(--radius-3)",
            background="var(--amber-a3)",
            flex_shrink="0",
        ),
        rx.vstack(
            rx.hstack(
                rx.text(b.label, size="2", weight="medium"),
                code_badge(b.venture_code),
                spacing="2",
                align="center",
            ),
            rx.text(b.period, size="1", color_scheme="gray"),
            spacing="0",
        ),
        rx.spacer(),
        rx.text(b.earned_on, size="1", color_scheme="gray", white_space="nowrap"),
        width="100%",
        align="center",
        spacing="3",
        padding="8px 0",
        border_top="1px solid var(--gray-a3)",
        class_name="badge-row",
        data_badge=b.key,
    )


def _history_row(h: HistoryRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(h.day, white_space="nowrap", title=h.at)),
        rx.table.cell(code_badge(h.venture_code)),
        rx.table.cell(
            rx.vstack(
                rx.cond(
                    h.link != "",
                    rx.link(h.reason, href=h.link, size="2", class_name="award-reason"),
                    rx.text(h.reason, size="2", class_name="award-reason"),
                ),
                rx.text(h.label, size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.cond(
                h.capped,
                rx.badge(
                    "Capped: the daily cap was reached",
                    color_scheme="amber",
                    variant="soft",
                    class_name="award-capped",
                ),
                rx.fragment(),
            )
        ),
        rx.table.cell(
            rx.text(h.points, weight="medium", style=NUM, class_name="award-points"),
            text_align="right",
        ),
        class_name="award-row",
        data_kind=h.kind,
        data_venture=h.venture_code,
    )


@page("my_points", on_load=P.load)
def my_points_page() -> rx.Component:
    content = rx.vstack(
        rx.hstack(
            rx.card(
                rx.vstack(
                    rx.text("Total", size="2", color_scheme="gray"),
                    rx.text(P.total, size="7", weight="bold", style=NUM, id="points-total"),
                    rx.link(
                        "See the leaderboard", href="/points/leaderboard", size="2", id="to-board"
                    ),
                    spacing="1",
                ),
                min_width="180px",
            ),
            rx.foreach(P.balances, _balance),
            spacing="3",
            wrap="wrap",
            width="100%",
            id="points-balances",
        ),
        rx.grid(
            rx.vstack(
                section_heading(
                    "History", subtitle="Every award, with what it was for, newest first"
                ),
                rx.cond(
                    P.rows.length() > 0,
                    rx.vstack(
                        data_table(
                            ["Day", "Venture", "For", "", ("Points", "right")],
                            rx.table.body(rx.foreach(P.rows, _history_row)),
                            id="points-history",
                        ),
                        cursor_pager(P, id_prefix="history"),
                        spacing="2",
                        width="100%",
                    ),
                    empty_state(
                        "trophy",
                        "No points yet",
                        "Deliver a load, submit your end-of-day report, close a task or sign in "
                        "tomorrow: each award shows here with what it was for.",
                        id="points-history-empty",
                    ),
                ),
                spacing="3",
                width="100%",
                min_width="0",
            ),
            rx.card(
                rx.vstack(
                    section_heading("Badges"),
                    rx.cond(
                        P.badges.length() > 0,
                        rx.vstack(rx.foreach(P.badges, _badge), spacing="0", width="100%"),
                        rx.text(
                            "No badges yet. On a roll: EOD reports 5 business days in a row; "
                            "Closer: 10 loads delivered in a month; Guest hero: 20 reviews "
                            "answered in a month; Perfect week: a report every weekday.",
                            size="2",
                            color_scheme="gray",
                        ),
                    ),
                    spacing="2",
                    width="100%",
                ),
                id="points-badges",
                width="100%",
            ),
            grid_template_columns=rx.breakpoints(
                initial="minmax(0, 1fr)", lg="minmax(0, 2fr) minmax(280px, 1fr)"
            ),
            spacing="4",
            width="100%",
            align_items="start",
        ),
        spacing="5",
        width="100%",
        id="my-points",
    )
    return app_shell(
        content,
        page_key="my_points",
        title="My points",
        section="Command center",
        subtitle="Your balance in each venture, your awards and your badges.",
        reload=P.load,
    )


# -- Leaderboard ----------------------------------------------------------------------------------


def _podium_place(r: RankRow) -> rx.Component:
    tint = rx.match(r.rank, (1, "var(--amber-a4)"), (2, "var(--gray-a4)"), "var(--bronze-a4)")
    height = rx.match(r.rank, (1, "120px"), (2, "92px"), "72px")
    order = rx.match(r.rank, (1, "2"), (2, "1"), "3")
    return rx.vstack(
        rx.cond(r.rank == 1, rx.icon("crown", size=18, color="var(--amber-10)"), rx.fragment()),
        rx.text(r.name, size="2", weight=rx.cond(r.mine, "bold", "medium"), align="center"),
        rx.text(r.short, size="2", color_scheme="gray", style=NUM),
        rx.center(
            rx.text("#" + r.rank.to_string(), size="5", weight="bold"),
            width="100%",
            height=height,
            background=rx.cond(r.mine, "var(--accent-a5)", tint),
            border_radius="var(--radius-3) var(--radius-3) 0 0",
            border_top=rx.cond(r.mine, "3px solid var(--accent-9)", "3px solid transparent"),
        ),
        align="center",
        justify="end",
        spacing="1",
        width="150px",
        style={"order": order},
        class_name="podium-place",
        data_rank=r.rank,
        data_user=r.user_id,
    )


def _rank_row(r: RankRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text("#" + r.rank.to_string(), weight="medium", style=NUM)),
        rx.table.cell(
            rx.hstack(
                rx.text(r.name, weight=rx.cond(r.mine, "bold", "regular")),
                rx.cond(r.mine, rx.badge("You", variant="solid", size="1"), rx.fragment()),
                spacing="2",
                align="center",
            )
        ),
        rx.table.cell(rx.text(r.points, style=NUM, class_name="rank-points"), text_align="right"),
        background=rx.cond(r.mine, "var(--accent-a3)", "transparent"),
        class_name="rank-row",
        data_rank=r.rank,
        data_user=r.user_id,
        data_mine=rx.cond(r.mine, "1", "0"),
    )


def _board_controls() -> rx.Component:
    return rx.hstack(
        rx.box(
            field(
                "Venture",
                rx.select.root(
                    rx.select.trigger(id="board-venture", width="100%", placeholder="Choose…"),
                    rx.select.content(
                        rx.foreach(L.choices, lambda o: rx.select.item(o.label, value=o.value)),
                        position="popper",
                    ),
                    value=L.venture_id,
                    on_change=L.choose_venture,
                ),
                html_for="board-venture",
            ),
            width="260px",
        ),
        rx.box(
            field(
                "Office",
                rx.select.root(
                    rx.select.trigger(id="board-office", width="100%"),
                    rx.select.content(
                        rx.select.item("All offices", value="all"),
                        rx.foreach(L.offices, lambda o: rx.select.item(o.label, value=o.value)),
                        position="popper",
                    ),
                    value=L.office_id,
                    on_change=L.choose_office,
                ),
                html_for="board-office",
            ),
            width="220px",
        ),
        rx.vstack(
            rx.text("Period", size="2", weight="medium"),
            rx.segmented_control.root(
                rx.segmented_control.item("This week", value="week", id="board-period-week"),
                rx.segmented_control.item("This month", value="month", id="board-period-month"),
                rx.segmented_control.item("All time", value="all", id="board-period-all"),
                value=L.period,
                on_change=L.choose_period,
                id="board-period",
            ),
            spacing="1",
        ),
        spacing="4",
        align="end",
        wrap="wrap",
        width="100%",
    )


def _my_rank() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon("user-round", size=18, color="var(--accent-11)"),
            rx.cond(
                L.me_rank > 0,
                rx.hstack(
                    rx.text("Your rank", size="2", color_scheme="gray"),
                    rx.text(
                        "#" + L.me_rank.to_string(), size="5", weight="bold", id="board-me-rank"
                    ),
                    rx.text(L.me_points, size="2", style=NUM, id="board-me-points"),
                    rx.cond(
                        L.me_in_rows,
                        rx.fragment(),
                        rx.text("(below the rows shown)", size="1", color_scheme="gray"),
                    ),
                    spacing="3",
                    align="baseline",
                ),
                rx.text(
                    "You have no points in this period yet, so you are not ranked.",
                    size="2",
                    color_scheme="gray",
                    id="board-me-none",
                ),
            ),
            rx.spacer(),
            rx.text(L.period_label + " · " + L.range_text, size="1", color_scheme="gray"),
            align="center",
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="board-me",
        style={"borderLeft": "3px solid var(--accent-9)"},
    )


@page("leaderboard", on_load=L.load)
def leaderboard_page() -> rx.Component:
    board = rx.cond(
        L.not_found,
        empty_state(
            "search-x",
            "Venture not found",
            "There is no such venture among yours. Choose one of your ventures above.",
            id="board-not-found",
        ),
        rx.cond(
            L.rows.length() > 0,
            rx.vstack(
                rx.hstack(
                    rx.foreach(L.podium, _podium_place),
                    justify="center",
                    align="end",
                    spacing="3",
                    width="100%",
                    padding_top="8px",
                    id="board-podium",
                ),
                data_table(
                    ["Rank", "Name", ("Points", "right")],
                    rx.table.body(rx.foreach(L.rows, _rank_row)),
                    id="board-table",
                ),
                spacing="4",
                width="100%",
            ),
            empty_state(
                "medal",
                "Nobody has points in this period yet",
                "Points arrive as people deliver loads, submit reports and close tasks. "
                "Try a longer period.",
                id="board-empty",
            ),
        ),
    )
    content = rx.vstack(
        _board_controls(),
        rx.cond(L.not_found, rx.fragment(), _my_rank()),
        board,
        spacing="4",
        width="100%",
        id="leaderboard",
    )
    return app_shell(
        content,
        page_key="leaderboard",
        title="Leaderboard",
        section="Command center",
        subtitle="Points per venture or office; ties go to who got there first.",
        reload=L.load,
    )


# -- Config ---------------------------------------------------------------------------------------


def _config_row(r: ConfigRow) -> rx.Component:
    points_id = "cfg-points-" + r.kind
    cap_id = "cfg-cap-" + r.kind
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.text(r.label, size="2", weight="medium"),
                rx.text(
                    r.kind, size="1", color_scheme="gray", font_family="var(--code-font-family)"
                ),
                spacing="0",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.input(
                    name="points." + r.kind,
                    id=points_id,
                    default_value=r.points,
                    placeholder=r.default,
                    input_mode="numeric",
                    width="110px",
                    aria_label="Points for " + r.label,
                ),
                rx.text("Default " + r.default, size="1", color_scheme="gray"),
                rx.cond(
                    C.err["points." + r.kind] != "",
                    rx.text(
                        C.err["points." + r.kind],
                        size="1",
                        color_scheme="red",
                        role="alert",
                        id=points_id + "-error",
                        max_width="260px",
                    ),
                    rx.fragment(),
                ),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.input(
                    name="cap." + r.kind,
                    id=cap_id,
                    default_value=r.cap,
                    placeholder="No cap",
                    input_mode="numeric",
                    width="110px",
                    aria_label="Daily cap for " + r.label,
                ),
                rx.cond(
                    C.err["cap." + r.kind] != "",
                    rx.text(
                        C.err["cap." + r.kind],
                        size="1",
                        color_scheme="red",
                        role="alert",
                        id=cap_id + "-error",
                        max_width="260px",
                    ),
                    rx.fragment(),
                ),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.text(r.effective, weight="medium", style=NUM, class_name="cfg-effective"),
            text_align="right",
        ),
        class_name="cfg-row",
        data_kind=r.kind,
    )


def _config_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            form_summary(C.errors, id="cfg-errors"),
            rx.el.label(
                rx.hstack(
                    rx.switch(name="enabled", id="cfg-enabled", default_checked=C.enabled),
                    rx.vstack(
                        rx.text("Award points in this venture", size="2", weight="medium"),
                        rx.text(
                            "Off: nothing is awarded in the venture until it is switched on again.",
                            size="1",
                            color_scheme="gray",
                        ),
                        spacing="0",
                    ),
                    spacing="3",
                    align="center",
                ),
                html_for="cfg-enabled",
            ),
            data_table(
                [
                    "Award",
                    "Points",
                    "Daily cap",
                    ("In effect", "right"),
                ],
                rx.table.body(rx.foreach(C.types, _config_row)),
                id="cfg-table",
            ),
            rx.text(
                "An empty points field uses the default. A daily cap is the number of awards of "
                "the type a person gets points for on one business day; later ones are recorded "
                "with 0 points as capped. To stop a type, set its points to 0 (a cap of 0 is "
                "refused).",
                size="1",
                color_scheme="gray",
            ),
            rx.hstack(
                submit_button("Save", busy=C.busy, id="cfg-save"),
                justify="end",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=C.save,
        reset_on_submit=False,
        key=C.form_key,
        id="cfg-form",
    )


@page("gamification_config", on_load=C.load)
def points_config_page() -> rx.Component:
    content = rx.vstack(
        rx.box(
            field(
                "Venture",
                rx.select.root(
                    rx.select.trigger(id="cfg-venture", width="100%", placeholder="Choose…"),
                    rx.select.content(
                        rx.foreach(C.choices, lambda o: rx.select.item(o.label, value=o.value)),
                        position="popper",
                    ),
                    value=C.venture_id,
                    on_change=C.choose_venture,
                ),
                html_for="cfg-venture",
            ),
            width="300px",
        ),
        rx.cond(
            C.not_found,
            empty_state(
                "search-x",
                "Venture not found",
                "There is no such venture among yours. Choose one above.",
                id="cfg-not-found",
            ),
            rx.cond(C.types.length() > 0, rx.card(_config_form(), width="100%"), rx.fragment()),
        ),
        spacing="4",
        width="100%",
        id="points-config",
    )
    return app_shell(
        content,
        page_key="gamification_config",
        title="Points configuration",
        section="Admin",
        subtitle="Points per award type and daily caps, per venture. Awards use them from now on.",
        reload=C.load,
    )
