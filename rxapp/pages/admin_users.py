"""/admin/users: the user table and its dialogs."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import (
    checkbox_item,
    field,
    filter_form,
    form_dialog,
    form_summary,
    submit_button,
)
from rxapp.components.layout import app_shell
from rxapp.components.ui import (
    confirm_dialog,
    data_table,
    empty_state,
    export_button,
    pager,
    role_badge,
)
from rxapp.pages import page
from rxapp.state.admin_users import AdminUsersState, OfficeOption, Option, UserRow

S = AdminUsersState


def _filters() -> rx.Component:
    return filter_form(
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=14)),
                name="search",
                id="users-search",
                placeholder="Search name or email",
                default_value=S.search_text,
                width="280px",
            ),
            rx.select.root(
                rx.select.trigger(id="users-role-filter", min_width="180px"),
                rx.select.content(
                    rx.select.item("All roles", value="all"),
                    rx.select.separator(),
                    rx.foreach(S.all_roles, lambda o: rx.select.item(o.label, value=o.value)),
                ),
                name="role",
                default_value=S.role_filter,
            ),
            rx.select.root(
                rx.select.trigger(id="users-status-filter", min_width="150px"),
                rx.select.content(
                    rx.select.item("Active users", value="active"),
                    rx.select.item("Active and deactivated", value="all"),
                ),
                name="status",
                default_value=S.status_filter,
            ),
            rx.button("Apply", type="submit", variant="soft", id="users-apply"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        id="users-filters",
        on_submit=S.apply_filters,
    )


def _row_menu(u: UserRow) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.icon_button(
                rx.icon("ellipsis", size=14),
                variant="soft",
                color_scheme="gray",
                size="1",
                aria_label="More actions",
                class_name="user-more",
            )
        ),
        rx.menu.content(
            rx.menu.item(
                rx.icon("key-round", size=14),
                "Reset password…",
                on_click=S.open_reset(u.id),
                class_name="user-reset",
            ),
            rx.cond(
                u.can_act_as,
                rx.menu.item(
                    rx.icon("venetian-mask", size=14),
                    "Act as this user…",
                    on_click=S.ask("act_as", u.id),
                    class_name="user-act-as",
                ),
                rx.fragment(),
            ),
            rx.cond(
                u.is_self,
                rx.fragment(),
                rx.fragment(
                    rx.menu.separator(),
                    rx.cond(
                        u.is_active,
                        rx.menu.item(
                            rx.icon("user-x", size=14),
                            "Deactivate…",
                            color="red",
                            on_click=S.ask("deactivate", u.id),
                            class_name="user-deactivate",
                        ),
                        rx.menu.item(
                            rx.icon("user-check", size=14),
                            "Reactivate…",
                            on_click=S.ask("reactivate", u.id),
                            class_name="user-reactivate",
                        ),
                    ),
                ),
            ),
            align="end",
        ),
    )


def _row(u: UserRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.hstack(
                rx.avatar(
                    fallback=u.initials,
                    size="2",
                    radius="full",
                    variant="soft",
                    color_scheme=u.role_color,
                ),
                rx.vstack(
                    rx.cond(
                        u.can_manage,
                        rx.link(
                            u.name,
                            on_click=S.open_edit(u.id),
                            weight="medium",
                            cursor="pointer",
                            class_name="user-name",
                        ),
                        rx.text(u.name, weight="medium", class_name="user-name"),
                    ),
                    rx.text(u.email, size="1", color_scheme="gray", class_name="user-email"),
                    spacing="0",
                ),
                align="center",
                spacing="3",
            ),
        ),
        rx.table.cell(role_badge(u.role_label, u.role_color), class_name="user-role"),
        rx.table.cell(rx.text(u.ventures, size="2"), max_width="200px"),
        rx.table.cell(rx.text(u.offices, size="2", color_scheme="gray"), max_width="240px"),
        rx.table.cell(
            rx.badge(u.status, color_scheme=u.status_color, variant="soft"),
            class_name="user-status",
        ),
        rx.table.cell(rx.text(u.last_login, size="2", white_space="nowrap")),
        rx.table.cell(
            rx.cond(
                u.can_manage,
                rx.hstack(
                    rx.button(
                        "Edit",
                        size="1",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.open_edit(u.id),
                        class_name="user-edit",
                    ),
                    _row_menu(u),
                    spacing="2",
                    justify="end",
                ),
                rx.fragment(),
            ),
            text_align="right",
        ),
        align="center",
        class_name="user-row",
        data_email=u.email,
    )


def _table() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            data_table(
                ["User", "Role", "Ventures", "Offices", "Status", "Last sign-in", ("", "right")],
                rx.table.body(rx.foreach(S.rows, _row)),
                id="users-table",
                max_height="calc(100vh - 250px)",
            ),
            pager(
                prev_label="Previous",
                next_label="Next",
                has_prev=S.has_prev,
                has_next=S.has_next,
                on_prev=S.prev_page,
                on_next=S.next_page,
                summary=S.page_summary,
                id_prefix="users",
            ),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "users",
            "No users match",
            "Clear the search or choose “All roles” to see everyone. New people are added with "
            "“New user”.",
            id="users-empty",
        ),
    )


def _venture_box(o: Option) -> rx.Component:
    return checkbox_item(
        o.label,
        name="venture_" + o.value,
        checked=S.form_venture_ids.contains(o.value),
        id="uv-" + o.value,
    )


def _office_box(o: OfficeOption) -> rx.Component:
    return checkbox_item(
        rx.fragment(o.name, rx.text.span(" · " + o.venture_code, color="var(--gray-10)")),
        name="office_" + o.id,
        checked=S.form_office_ids.contains(o.id),
        id="uo-" + o.id,
    )


def _checkbox_list(children: rx.Component, id: str) -> rx.Component:
    return rx.box(
        rx.grid(children, columns="2", spacing_x="4", width="100%"),
        max_height="180px",
        overflow_y="auto",
        padding="6px 10px",
        border="1px solid var(--gray-a6)",
        border_radius="var(--radius-2)",
        width="100%",
        id=id,
    )


def user_form_dialog() -> rx.Component:
    creating = S.form_mode == "create"
    return form_dialog(
        form_summary(S.errors, id="user-form-errors"),
        rx.cond(
            creating,
            field(
                "Email",
                rx.input(
                    id="user-email",
                    name="email",
                    type="email",
                    default_value=S.form_email,
                    placeholder="name@vcc.example",
                    width="100%",
                ),
                html_for="user-email",
                error=S.err["email"],
            ),
            rx.fragment(),
        ),
        rx.grid(
            field(
                "Full name",
                rx.input(
                    id="user-name",
                    name="name",
                    default_value=S.form_name,
                    width="100%",
                ),
                html_for="user-name",
                error=S.err["name"],
            ),
            field(
                "Role",
                rx.select.root(
                    rx.select.trigger(id="user-role", width="100%", placeholder="Choose a role"),
                    rx.select.content(
                        rx.foreach(
                            S.grantable_roles,
                            lambda o: rx.select.item(o.label, value=o.value),
                        ),
                    ),
                    name="role",
                    default_value=S.form_role,
                ),
                html_for="user-role",
                error=S.err["role"],
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        field(
            "Ventures",
            _checkbox_list(rx.foreach(S.venture_choices, _venture_box), "user-ventures"),
            html_for="user-ventures",
            help_text="CEO, administrators, COO, auditors and HR admins see every "
            "venture; for other roles these decide what they see.",
            error=S.err["venture_ids"],
        ),
        field(
            "Offices",
            _checkbox_list(rx.foreach(S.office_choices, _office_box), "user-offices"),
            html_for="user-offices",
            help_text="Each office must belong to one of the chosen ventures.",
            error=S.err["office_ids"],
        ),
        rx.cond(
            creating,
            field(
                "Initial password (optional)",
                rx.input(
                    id="user-password",
                    name="password",
                    type="password",
                    auto_complete="new-password",
                    width="100%",
                ),
                html_for="user-password",
                help_text="At least 12 characters, not a common password.",
                error=S.err["password"],
            ),
            rx.fragment(),
        ),
        title=rx.cond(creating, "New user", "Edit " + S.form_name),
        description=rx.cond(
            creating,
            "They sign in with this email. Leave the password empty to let them use an "
            "emailed code until they set one.",
            S.form_email,
        ),
        submit=submit_button(
            rx.cond(creating, "Create user", "Save changes"), busy=S.busy, id="user-save"
        ),
        on_submit=S.save_user,
        open=S.form_open,
        on_open_change=S.set_form_open,
        id="user-dialog",
        max_width="620px",
        no_validate=True,  # the server's field errors, not the browser's bubbles
    )


def reset_dialog() -> rx.Component:
    return form_dialog(
        field(
            "New password",
            rx.input(
                id="reset-password",
                name="new_password",
                type="password",
                auto_complete="new-password",
                width="100%",
            ),
            html_for="reset-password",
            help_text="At least 12 characters, not a common password.",
            error=S.reset_error,
        ),
        title="Reset password for " + S.reset_name,
        description="Their open sessions end now. Give them the new password through a safe "
        "channel; they can change it on their profile page.",
        submit=submit_button("Set new password", busy=S.busy, id="reset-save"),
        on_submit=S.reset_password,
        open=S.reset_open,
        on_open_change=S.set_reset_open,
        id="reset-dialog",
        max_width="460px",
    )


@page("admin_users", on_load=S.load)
def admin_users_page() -> rx.Component:
    content = rx.vstack(
        _filters(),
        _table(),
        user_form_dialog(),
        reset_dialog(),
        confirm_dialog(
            open=S.confirm_open,
            on_open_change=S.set_confirm_open,
            title=S.confirm_title,
            description=S.confirm_text,
            confirm_label=S.confirm_label,
            on_confirm=S.confirm,
            danger=S.confirm_danger,
            id="user-confirm",
        ),
        spacing="4",
        width="100%",
    )
    return app_shell(
        content,
        page_key="admin_users",
        title="Users",
        section="Admin",
        reload=S.load,
        actions=rx.hstack(
            export_button(S, id="users-export"),
            rx.cond(
                S.can_manage,
                rx.button(
                    rx.icon("user-plus", size=16),
                    "New user",
                    on_click=S.open_create,
                    id="user-new",
                ),
                rx.fragment(),
            ),
            spacing="2",
        ),
    )
