"""Shared pieces of the operations pages: a task's line (My Day and the tasks page)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from rxapp.components.ui import code_badge
from rxapp.views.operations import TaskRow


def task_meta(t: TaskRow) -> rx.Component:
    return rx.hstack(
        code_badge(t.venture_code),
        rx.badge(t.priority_label, color_scheme=t.priority_color, variant="soft", size="1"),
        rx.text(t.due, size="1", color_scheme="gray", white_space="nowrap"),
        rx.cond(
            t.due_note != "",
            rx.badge(
                t.due_note,
                color_scheme=rx.cond(t.due_note == "Overdue", "red", "amber"),
                size="1",
                class_name="task-due-note",
            ),
            rx.fragment(),
        ),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def complete_button(t: TaskRow, on_click: object, busy: Var) -> rx.Component:
    return rx.cond(
        t.can_complete,
        rx.button(
            rx.icon("check", size=12),
            "Done",
            size="1",
            variant="soft",
            color_scheme="green",
            on_click=on_click,
            disabled=busy,
            class_name="task-complete",
            aria_label="Mark “" + t.title + "” done",
        ),
        rx.fragment(),
    )
