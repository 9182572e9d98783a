"""/operations/tasks: the reader's tasks (their people's too for managers), filters, keyset
pages, status changes the domain allows, a bulk status change for managers, the "New task" and
edit dialog for managers, and a CSV export of what the filters match."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    date_field,
    field,
    filter_form,
    form_dialog,
    form_summary,
    select_field,
    submit_button,
)
from rxapp.components.layout import app_shell
from rxapp.components.operations import complete_button, task_meta
from rxapp.components.ui import cursor_pager, data_table, empty_state, export_button
from rxapp.pages import page
from rxapp.state.operations import TasksState
from rxapp.views.operations import TASK_STATUS, TaskRow

S = TasksState


def _filters() -> rx.Component:
    return filter_form(
        rx.hstack(
            rx.box(
                select_field(
                    "Status",
                    name="status",
                    id="tasks-status",
                    value=S.f_status,
                    options=S.status_options,
                    all_label="All statuses",
                ),
                width="240px",
            ),
            rx.cond(
                S.can_bulk,
                rx.box(
                    select_field(
                        "Whose",
                        name="who",
                        id="tasks-who",
                        value=S.f_who,
                        options=S.who_options,
                    ),
                    width="200px",
                ),
                rx.fragment(),
            ),
            rx.el.label(
                rx.hstack(
                    rx.checkbox(name="overdue", id="tasks-overdue", default_checked=S.f_overdue),
                    rx.text("Overdue only", size="2"),
                    spacing="2",
                    align="center",
                ),
                html_for="tasks-overdue",
                padding_bottom="6px",
            ),
            rx.box(
                rx.input(
                    name="q",
                    id="tasks-search",
                    placeholder="Search titles",
                    default_value=S.f_search,
                ),
                width="220px",
            ),
            rx.button("Apply", type="submit", variant="soft", id="tasks-apply"),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        id="tasks-filters",
        on_submit=S.apply_filters,
    )


def _status_menu(t: TaskRow) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                "Status",
                rx.icon("chevron-down", size=12),
                size="1",
                variant="soft",
                color_scheme="gray",
                class_name="task-status-menu",
            )
        ),
        rx.menu.content(
            rx.foreach(
                t.transitions,
                lambda o: rx.menu.item(
                    o.label,
                    on_click=S.set_status(t.id, o.value),
                    class_name="task-status-" + o.value,
                ),
            ),
            align="end",
        ),
    )


def _row(t: TaskRow) -> rx.Component:
    return rx.table.row(
        rx.cond(
            S.can_bulk,
            rx.table.cell(
                rx.checkbox(
                    checked=S.selected.contains(t.id),
                    on_change=lambda checked: S.toggle(t.id, checked),
                    aria_label="Select “" + t.title + "”",
                    class_name="task-select",
                ),
                width="36px",
            ),
            rx.fragment(),
        ),
        rx.table.row_header_cell(
            rx.vstack(
                rx.text(t.title, size="2", weight="medium"),
                task_meta(t),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.badge(t.status_label, color_scheme=t.status_color, variant="soft"),
            class_name="task-status",
        ),
        rx.table.cell(rx.text(t.assignee, size="2")),
        rx.table.cell(rx.text(t.office, size="2", color_scheme="gray")),
        rx.table.cell(
            rx.hstack(
                complete_button(t, S.set_status(t.id, "DONE"), S.busy),
                rx.cond(
                    t.can_edit,
                    rx.icon_button(
                        rx.icon("pencil", size=14),
                        size="1",
                        variant="ghost",
                        color_scheme="gray",
                        on_click=S.edit_task(t.id),
                        aria_label="Edit “" + t.title + "”",
                        class_name="task-edit",
                    ),
                    rx.fragment(),
                ),
                rx.cond(t.transitions.length() > 0, _status_menu(t), rx.fragment()),
                spacing="2",
                justify="end",
            ),
            text_align="right",
        ),
        align="center",
        class_name="task-row",
        data_task=t.id,
        data_status=t.status,
    )


def _bulk_bar() -> rx.Component:
    return rx.cond(
        S.can_bulk & (S.selected.length() > 0),
        rx.hstack(
            rx.text(S.selected.length().to_string() + " selected", size="2", weight="medium"),
            rx.spacer(),
            *[
                rx.button(
                    "Move to " + label,
                    size="1",
                    variant="soft",
                    on_click=S.bulk(status.value),
                    disabled=S.busy,
                    id="tasks-bulk-" + status.value.lower().replace("_", "-"),
                )
                for status, (label, _c) in TASK_STATUS.items()
            ],
            spacing="2",
            align="center",
            width="100%",
            wrap="wrap",
            id="tasks-bulk",
        ),
        rx.fragment(),
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            _bulk_bar(),
            rx.cond(
                S.can_bulk,
                data_table(
                    ["", "Task", "Status", "Assignee", "Office", ("", "right")],
                    rx.table.body(rx.foreach(S.rows, _row)),
                    id="tasks-table",
                    max_height="calc(100vh - 320px)",
                ),
                data_table(
                    ["Task", "Status", "Assignee", "Office", ("", "right")],
                    rx.table.body(rx.foreach(S.rows, _row)),
                    id="tasks-table",
                    max_height="calc(100vh - 320px)",
                ),
            ),
            rx.text(S.page_summary, size="1", color_scheme="gray"),
            cursor_pager(S, id_prefix="tasks"),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "list-checks",
            "No tasks match",
            "Tasks assigned to you show here. Choose “All statuses”, or “All my ventures” in "
            "the header, to see more.",
            id="tasks-empty",
        ),
    )


def _task_dialog() -> rx.Component:
    creating = S.task_mode == "create"
    e = S.t_err
    venture = rx.cond(
        creating,
        field(
            "Venture",
            rx.select.root(
                rx.select.trigger(id="task-venture", width="100%", placeholder="Choose…"),
                rx.select.content(
                    rx.foreach(
                        S.task_venture_options, lambda o: rx.select.item(o.label, value=o.value)
                    ),
                    position="popper",
                ),
                name="venture_id",
                default_value=S.t_venture,
                on_change=S.choose_task_venture,
            ),
            html_for="task-venture",
            error=e.get("venture_id", ""),
        ),
        rx.fragment(),
    )
    return form_dialog(
        form_summary(S.t_errors, id="task-form-errors"),
        venture,
        field(
            "Title",
            rx.input(
                id="task-title", name="title", default_value=S.t_values["title"], width="100%"
            ),
            html_for="task-title",
            error=e.get("title", ""),
        ),
        field(
            "Description",
            rx.text_area(
                id="task-description",
                name="description",
                default_value=S.t_values["description"],
                rows="3",
                width="100%",
            ),
            html_for="task-description",
            error=e.get("description", ""),
        ),
        rx.grid(
            select_field(
                "Priority",
                name="priority",
                id="task-priority",
                value=S.t_values["priority"],
                options=S.priority_options,
                error=e.get("priority", ""),
            ),
            date_field(
                "Due date",
                name="due_date",
                id="task-due",
                value=S.t_values["due_date"],
                error=e.get("due_date", ""),
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.box(
            select_field(
                "Assignee",
                name="assignee_id",
                id="task-assignee",
                value=S.t_values["assignee_id"],
                options=S.task_assignee_options,
                error=e.get("assignee_id", ""),
                placeholder="Yourself, unless you choose",
            ),
            key=S.a_key,
            width="100%",
        ),
        title=rx.cond(creating, "New task", "Edit task"),
        description=rx.cond(
            creating,
            "The task goes to the assignee's My Day, in their office.",
            S.t_venture_label,
        ),
        submit=submit_button(
            rx.cond(creating, "Create task", "Save changes"), busy=S.saving, id="task-save"
        ),
        on_submit=S.save_task,
        open=S.task_open,
        on_open_change=S.set_task_open,
        id="task-dialog",
        cancel_id="task-cancel",
        max_width="560px",
        key=S.t_key,
        no_validate=True,
    )


def _actions() -> rx.Component:
    return rx.hstack(
        export_button(S, id="tasks-export"),
        rx.cond(
            S.can_create,
            rx.button(rx.icon("plus", size=16), "New task", on_click=S.new_task, id="task-new"),
            rx.fragment(),
        ),
        spacing="2",
    )


@page("operations_tasks", on_load=S.load)
def operations_tasks_page() -> rx.Component:
    return app_shell(
        rx.vstack(_filters(), _table(), _task_dialog(), spacing="4", width="100%"),
        page_key="operations_tasks",
        title="Tasks",
        section="Operations",
        subtitle="Your work and, for managers, your people's. Newest first.",
        reload=S.load,
        actions=_actions(),
    )
