"""/ (My Day): greeting, the firefront (the reader's CRITICAL briefing items: lost loads...), my
ventures, my quick links, this month's incentives (per currency), my points (today and my rank
this week, per venture, linking to the leaderboard); "My tasks" (due today and overdue
first, with Done buttons) and the end-of-day form (prefilled when already submitted today)."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import field, form_summary, submit_button
from rxapp.components.layout import app_shell
from rxapp.components.operations import complete_button, task_meta
from rxapp.components.quick_links import quick_links_panel
from rxapp.components.ui import code_badge, empty_state, section_heading
from rxapp.pages import page
from rxapp.state.operations import MyWorkState
from rxapp.state.ventures import FireRow, MyDayState, VentureCard
from rxapp.views.gamification import DayPointsRow
from rxapp.views.operations import TaskRow
from rxapp.views.payouts import WaitingRow

W = MyWorkState


def venture_card(v: VentureCard) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    code_badge(v.code),
                    rx.spacer(),
                    rx.badge(v.type_label, variant="soft", color_scheme="gray"),
                    width="100%",
                    align="center",
                ),
                rx.text(v.name, size="3", weight="bold", trim="both"),
                rx.hstack(
                    rx.hstack(
                        rx.icon("map-pin", size=13, color="var(--gray-10)"),
                        rx.text(v.offices_text, size="1", color_scheme="gray"),
                        spacing="1",
                        align="center",
                    ),
                    rx.hstack(
                        rx.icon("banknote", size=13, color="var(--gray-10)"),
                        rx.text(v.currency, size="1", color_scheme="gray"),
                        spacing="1",
                        align="center",
                    ),
                    spacing="4",
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
            height="100%",
            class_name="venture-card",
            _hover={"boxShadow": "var(--shadow-3)"},
        ),
        href=v.href,
        underline="none",
        color="inherit",
        width="100%",
        data_code=v.code,
    )


def _fire(f: FireRow) -> rx.Component:
    def title() -> rx.Component:
        return rx.text(f.title, size="2", weight="medium", class_name="fire-title")

    return rx.hstack(
        rx.center(
            rx.icon("flame", size=16, color="var(--red-11)"),
            width="32px",
            height="32px",
            border_radius="var(--radius-3)",
            background="var(--red-a3)",
            flex_shrink="0",
        ),
        rx.vstack(
            rx.cond(
                f.link != "",
                rx.link(title(), href=f.link, color="var(--gray-12)", underline="hover"),
                title(),
            ),
            rx.text(f.detail, size="1", color_scheme="gray", class_name="fire-detail"),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.vstack(
            code_badge(f.venture_code),
            rx.text(f.day, size="1", color_scheme="gray", white_space="nowrap"),
            spacing="1",
            align="end",
        ),
        align="center",
        spacing="3",
        width="100%",
        padding="10px 0",
        border_top="1px solid var(--gray-a3)",
        class_name="fire",
        data_id=f.id,
    )


def _firefront() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.vstack(
                rx.hstack(
                    rx.heading("Firefront", size="3", weight="medium"),
                    rx.cond(
                        MyDayState.fires.length() > 0,
                        rx.badge(
                            MyDayState.fires.length().to_string(),
                            color_scheme="red",
                            variant="solid",
                            radius="full",
                            id="firefront-count",
                        ),
                        rx.fragment(),
                    ),
                    align="center",
                    spacing="2",
                ),
                rx.text(
                    "Critical items in your ventures from the last 7 days, newest first",
                    size="1",
                    color_scheme="gray",
                ),
                spacing="1",
            ),
            rx.cond(
                MyDayState.fires.length() > 0,
                rx.vstack(
                    rx.foreach(MyDayState.fires, _fire),
                    spacing="0",
                    width="100%",
                    max_height="360px",
                    overflow_y="auto",
                ),
                rx.hstack(
                    rx.icon("circle-check", size=16, color="var(--green-11)"),
                    rx.text(
                        "No fires. Lost loads and other critical items in your ventures show "
                        "here as they happen.",
                        size="2",
                        color_scheme="gray",
                    ),
                    align="center",
                    spacing="2",
                    id="firefront-empty",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="firefront",
        style={"borderLeft": "3px solid var(--red-9)"},
    )


def _ventures() -> rx.Component:
    return rx.vstack(
        section_heading(
            "My ventures",
            action=rx.link("All ventures", href="/ventures", size="2"),
        ),
        rx.cond(
            MyDayState.ventures.length() > 0,
            rx.grid(
                rx.foreach(MyDayState.ventures, venture_card),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="3",
                width="100%",
                id="my-ventures",
            ),
            empty_state(
                "building-2",
                "No ventures assigned to you",
                "Your ventures appear here once an administrator adds you to one.",
                id="my-ventures-empty",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _incentives_card() -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("wallet", size=16, color="var(--gray-10)"),
                    rx.text("My incentives", size="2", weight="medium"),
                    rx.spacer(),
                    rx.text("This month", size="1", color_scheme="gray"),
                    align="center",
                    spacing="2",
                    width="100%",
                ),
                rx.cond(
                    MyDayState.incentives.length() > 0,
                    rx.hstack(
                        rx.foreach(
                            MyDayState.incentives,
                            lambda t: rx.text(
                                t,
                                size="5",
                                weight="bold",
                                style={"fontVariantNumeric": "tabular-nums"},
                            ),
                        ),
                        spacing="4",
                        wrap="wrap",
                    ),
                    rx.text(
                        "Nothing committed for you this month yet.",
                        size="2",
                        color_scheme="gray",
                    ),
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
            height="100%",
            _hover={"boxShadow": "var(--shadow-3)"},
        ),
        href="/incentives",
        underline="none",
        color="inherit",
        width="100%",
        id="my-day-incentives",
    )


def _waiting_line(w: WaitingRow) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("signature", size=14),
            rx.text(w.text, size="2"),
            spacing="2",
            align="center",
        ),
        href=w.href,
        class_name="payouts-waiting-item",
        data_run_id=w.run_id,
    )


def _payouts_waiting() -> rx.Component:
    """Finance's landing: the payout periods waiting for their approval (none: no card)."""
    return rx.cond(
        MyDayState.payouts_waiting.length() > 0,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading("Payouts to approve", size="3", weight="medium"),
                    rx.badge(
                        MyDayState.payouts_waiting.length().to_string(),
                        color_scheme="blue",
                        variant="solid",
                        radius="full",
                    ),
                    rx.spacer(),
                    rx.link("Payouts", href="/incentives/payouts", size="2"),
                    align="center",
                    spacing="2",
                    width="100%",
                ),
                rx.text(
                    "Periods whose payouts are calculated and not yet approved",
                    size="1",
                    color_scheme="gray",
                ),
                rx.foreach(MyDayState.payouts_waiting, _waiting_line),
                spacing="2",
                width="100%",
            ),
            width="100%",
            id="my-day-payouts",
            style={"borderLeft": "3px solid var(--blue-9)"},
        ),
    )


def _task_line(t: TaskRow) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(t.title, size="2", weight="medium", class_name="task-title"),
            task_meta(t),
            spacing="1",
            min_width="0",
        ),
        rx.spacer(),
        complete_button(t, W.complete(t.id), W.busy),
        align="center",
        spacing="3",
        width="100%",
        padding="8px 0",
        border_top="1px solid var(--gray-a3)",
        class_name="my-task",
        data_task=t.id,
    )


def _my_tasks() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("list-checks", size=16, color="var(--gray-10)"),
                rx.text("My tasks", size="2", weight="medium"),
                rx.spacer(),
                rx.text(W.tasks_summary, size="1", color_scheme="gray", id="my-tasks-summary"),
                rx.link("All", href="/operations/tasks", size="1"),
                align="center",
                spacing="2",
                width="100%",
            ),
            rx.cond(
                W.tasks.length() > 0,
                rx.vstack(rx.foreach(W.tasks, _task_line), spacing="0", width="100%"),
                rx.text(
                    "Nothing open. Tasks assigned to you show here.", size="2", color_scheme="gray"
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="my-tasks",
    )


def _eod_text(label: str, name: str, rows: str = "2", **props: object) -> rx.Component:
    id = "eod-" + name.replace("_", "-")
    return field(
        label,
        rx.text_area(
            name=name, id=id, rows=rows, width="100%", default_value=W.eod_values[name], **props
        ),
        html_for=id,
        error=W.err[name],
    )


def _eod_form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("notebook-pen", size=16, color="var(--gray-10)"),
                rx.text("End-of-day report", size="2", weight="medium"),
                rx.spacer(),
                rx.cond(
                    W.eod_done,
                    rx.badge(
                        "Submitted · " + W.eod_status,
                        color_scheme="green",
                        size="1",
                        id="eod-submitted",
                    ),
                    rx.text(W.eod_day, size="1", color_scheme="gray"),
                ),
                align="center",
                spacing="2",
                width="100%",
            ),
            rx.cond(
                W.eod_ventures.length() > 0,
                rx.form(
                    rx.vstack(
                        form_summary(W.errors, id="eod-summary-errors"),
                        rx.cond(
                            W.eod_ventures.length() > 1,
                            field(
                                "Venture",
                                rx.select.root(
                                    rx.select.trigger(id="eod-venture", width="100%"),
                                    rx.select.content(
                                        rx.foreach(
                                            W.eod_ventures,
                                            lambda o: rx.select.item(o.label, value=o.value),
                                        ),
                                        position="popper",
                                    ),
                                    name="venture_id",
                                    value=W.eod_venture,
                                    on_change=W.choose_eod_venture,
                                ),
                                html_for="eod-venture",
                                error=W.err["venture_id"],
                            ),
                            rx.fragment(),
                        ),
                        _eod_text("Summary", "summary", required=True),
                        _eod_text("Accomplishments", "accomplishments"),
                        _eod_text("Blockers", "blockers"),
                        _eod_text("Plan for tomorrow", "tomorrow_plan"),
                        field(
                            "Hours",
                            rx.input(
                                name="hours",
                                id="eod-hours",
                                default_value=W.eod_values["hours"],
                                input_mode="decimal",
                                width="120px",
                            ),
                            html_for="eod-hours",
                            error=W.err["hours"],
                        ),
                        submit_button(
                            rx.cond(W.eod_done, "Update report", "Submit report"),
                            busy=W.busy,
                            id="eod-submit",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=W.save_eod,
                    reset_on_submit=False,
                    key=W.form_key,
                    id="eod-form",
                ),
                rx.text("You have no venture to report on.", size="2", color_scheme="gray"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="eod-card",
    )


def _briefing_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("newspaper", size=16, color="var(--accent-11)"),
                rx.text("Morning briefing", size="2", weight="medium"),
                rx.spacer(),
                rx.text(MyDayState.briefing_day, size="1", color_scheme="gray"),
                align="center",
                spacing="2",
                width="100%",
            ),
            rx.text(
                MyDayState.briefing_summary, size="4", weight="bold", id="briefing-card-summary"
            ),
            rx.link("Open the briefing", href="/briefing", size="2", id="briefing-card-link"),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="briefing-card",
    )


def _points_line(p: DayPointsRow) -> rx.Component:
    return rx.hstack(
        code_badge(p.code),
        rx.text(
            p.today,
            size="4",
            weight="bold",
            style={"fontVariantNumeric": "tabular-nums"},
            class_name="points-today",
        ),
        rx.spacer(),
        rx.link(
            p.rank,
            href="/points/leaderboard?venture=" + p.venture_id.to_string(),
            size="2",
            class_name="points-rank",
        ),
        align="center",
        spacing="3",
        width="100%",
        class_name="points-venture",
        data_code=p.code,
    )


def _points_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("trophy", size=16, color="var(--amber-11)"),
                rx.text("My points", size="2", weight="medium"),
                rx.spacer(),
                rx.link("History", href="/points", size="1", id="points-card-link"),
                align="center",
                spacing="2",
                width="100%",
            ),
            rx.cond(
                MyDayState.points.length() > 0,
                rx.vstack(rx.foreach(MyDayState.points, _points_line), spacing="2", width="100%"),
                rx.text(
                    "Points are earned in the ventures you are a member of.",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        id="points-card",
    )


def _placeholders() -> rx.Component:
    return rx.grid(
        _my_tasks(),
        _eod_form(),
        _briefing_card(),
        _points_card(),
        _incentives_card(),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="3",
        width="100%",
    )


def _content() -> rx.Component:
    left = rx.vstack(
        _firefront(),
        _payouts_waiting(),
        _ventures(),
        rx.vstack(
            section_heading("My work"),
            _placeholders(),
            spacing="3",
            width="100%",
        ),
        spacing="6",
        width="100%",
    )
    right = rx.card(
        rx.vstack(
            section_heading("Quick links"),
            quick_links_panel(),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
    return rx.grid(
        left,
        right,
        grid_template_columns=rx.breakpoints(
            initial="minmax(0, 1fr)", lg="minmax(0, 2fr) minmax(320px, 1fr)"
        ),
        spacing="5",
        width="100%",
        align="start",
        id="my-day",
    )


@page("my_day", on_load=MyDayState.load)
def my_day_page() -> rx.Component:
    title = rx.cond(
        MyDayState.first_name != "",
        MyDayState.greeting + ", " + MyDayState.first_name,
        "My Day",
    )
    return app_shell(
        _content(),
        page_key="my_day",
        title=title,
        section="Command center",
        crumb="My Day",
        reload=MyDayState.load,
        subtitle=MyDayState.today,
    )
