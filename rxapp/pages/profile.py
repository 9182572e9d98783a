"""/profile: account facts, change password, personal API tokens."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import field, submit_button
from rxapp.components.layout import app_shell
from rxapp.components.ui import data_table, section_heading
from rxapp.pages import page
from rxapp.state.profile import ProfileState, TokenRow
from rxapp.state.session import SessionState

S = ProfileState


def _account() -> rx.Component:
    return rx.card(
        rx.vstack(
            section_heading("Account"),
            rx.data_list.root(
                rx.data_list.item(
                    rx.data_list.label("Name"), rx.data_list.value(SessionState.user_name)
                ),
                rx.data_list.item(
                    rx.data_list.label("Email"),
                    rx.data_list.value(SessionState.user_email, id="profile-email"),
                ),
                rx.data_list.item(
                    rx.data_list.label("Role"),
                    rx.data_list.value(
                        rx.badge(
                            SessionState.role_label,
                            color_scheme=SessionState.role_color,
                            variant="soft",
                        )
                    ),
                ),
                rx.data_list.item(
                    rx.data_list.label("Ventures"), rx.data_list.value(S.ventures_text)
                ),
                size="2",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _password() -> rx.Component:
    return rx.card(
        rx.vstack(
            section_heading(
                "Change password",
                subtitle="All your sessions end, including this one: you sign in again.",
            ),
            rx.cond(
                S.can_change_password,
                rx.form(
                    rx.vstack(
                        rx.cond(
                            S.pw_error != "",
                            rx.callout(
                                S.pw_error, icon="circle-alert", color_scheme="red", size="1"
                            ),
                            rx.fragment(),
                        ),
                        field(
                            "Current password",
                            rx.input(
                                id="pw-current",
                                name="current_password",
                                type="password",
                                auto_complete="current-password",
                                width="100%",
                            ),
                            html_for="pw-current",
                            error=S.err_current,
                        ),
                        field(
                            "New password",
                            rx.input(
                                id="pw-new",
                                name="new_password",
                                type="password",
                                auto_complete="new-password",
                                width="100%",
                            ),
                            html_for="pw-new",
                            help_text="At least 12 characters; not a common password; not your "
                            "email name.",
                            error=S.err_new,
                        ),
                        field(
                            "Repeat the new password",
                            rx.input(
                                id="pw-confirm",
                                name="confirm_password",
                                type="password",
                                auto_complete="new-password",
                                width="100%",
                            ),
                            html_for="pw-confirm",
                            error=S.err_confirm,
                        ),
                        submit_button("Change password", busy=S.busy, id="pw-save"),
                        spacing="3",
                        width="100%",
                        align="start",
                    ),
                    on_submit=S.change_password,
                    reset_on_submit=False,
                    width="100%",
                ),
                rx.text(
                    "Stop acting as another user to change a password.",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _token_row(t: TokenRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(t.name, weight="medium")),
        rx.table.cell(rx.code(t.prefix, variant="ghost")),
        rx.table.cell(rx.text(t.created, size="2")),
        rx.table.cell(rx.text(t.expires, size="2")),
        rx.table.cell(rx.text(t.last_used, size="2")),
        rx.table.cell(rx.badge(t.status, color_scheme=t.status_color, variant="soft")),
        rx.table.cell(
            rx.cond(
                t.active,
                rx.alert_dialog.root(
                    rx.alert_dialog.trigger(
                        rx.button(
                            "Revoke",
                            size="1",
                            variant="soft",
                            color_scheme="red",
                            class_name="token-revoke",
                        )
                    ),
                    rx.alert_dialog.content(
                        rx.alert_dialog.title("Revoke “" + t.name + "”?"),
                        rx.alert_dialog.description(
                            "Scripts and integrations using this token ("
                            + t.prefix
                            + ") get “401 Unauthorized” from now on. This cannot be undone.",
                            size="2",
                        ),
                        rx.hstack(
                            rx.alert_dialog.cancel(
                                rx.button("Cancel", variant="soft", color_scheme="gray")
                            ),
                            rx.alert_dialog.action(
                                rx.button(
                                    "Revoke token",
                                    color_scheme="red",
                                    on_click=S.revoke_token(t.id),
                                    class_name="token-revoke-confirm",
                                )
                            ),
                            spacing="3",
                            justify="end",
                            margin_top="1rem",
                        ),
                        max_width="460px",
                    ),
                ),
                rx.fragment(),
            ),
            text_align="right",
        ),
        align="center",
        class_name="token-row",
    )


def _tokens() -> rx.Component:
    return rx.card(
        rx.vstack(
            section_heading(
                "Personal API tokens",
                subtitle="For scripts calling /api/v1 as you, with your role and ventures.",
            ),
            rx.cond(
                S.new_token != "",
                rx.callout.root(
                    rx.callout.icon(rx.icon("key-round", size=16)),
                    rx.vstack(
                        rx.callout.text(
                            "Copy “" + S.new_token_name + "” now: it is shown only once.",
                            weight="medium",
                        ),
                        rx.hstack(
                            rx.code(
                                S.new_token,
                                id="new-token",
                                size="2",
                                style={"wordBreak": "break-all"},
                            ),
                            rx.icon_button(
                                rx.icon("copy", size=14),
                                size="1",
                                variant="soft",
                                on_click=rx.set_clipboard(S.new_token),
                                aria_label="Copy token",
                            ),
                            align="center",
                            spacing="2",
                        ),
                        rx.button(
                            "I have copied it",
                            size="1",
                            variant="soft",
                            on_click=S.dismiss_token,
                            id="new-token-dismiss",
                        ),
                        spacing="2",
                    ),
                    color_scheme="green",
                    width="100%",
                ),
                rx.fragment(),
            ),
            rx.form(
                rx.hstack(
                    field(
                        "Token name",
                        rx.input(
                            id="token-name",
                            name="name",
                            placeholder="e.g. Weekly export",
                            width="100%",
                        ),
                        html_for="token-name",
                        error=S.token_error,
                    ),
                    rx.box(
                        field(
                            "Valid for (days)",
                            rx.input(
                                id="token-days",
                                name="days",
                                default_value="90",
                                input_mode="numeric",
                                width="100%",
                            ),
                            html_for="token-days",
                            error=S.token_days_error,
                        ),
                        width="160px",
                        min_width="160px",
                    ),
                    rx.button(
                        rx.icon("plus", size=14),
                        "Create token",
                        type="submit",
                        id="token-create",
                        margin_top="22px",
                    ),
                    spacing="3",
                    align="start",
                    width="100%",
                ),
                on_submit=S.create_token,
                reset_on_submit=True,
                width="100%",
            ),
            rx.cond(
                S.tokens.length() > 0,
                data_table(
                    ["Name", "Token", "Created", "Expires", "Last used", "Status", ""],
                    rx.table.body(rx.foreach(S.tokens, _token_row)),
                    id="tokens-table",
                ),
                rx.text(
                    "No tokens yet. Create one for each script, so you can revoke them one by one.",
                    size="2",
                    color_scheme="gray",
                    id="tokens-empty",
                ),
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
    )


@page("profile", on_load=S.load)
def profile_page() -> rx.Component:
    return app_shell(
        rx.vstack(
            rx.grid(
                _account(),
                _password(),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            _tokens(),
            spacing="4",
            width="100%",
        ),
        page_key="profile",
        title="Profile",
        section="Command center",
        reload=S.load,
        wide=False,
    )
