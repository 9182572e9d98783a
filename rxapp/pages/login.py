"""/login: email + password, or an emailed one-time code; clear messages for wrong credentials,
expired codes and locked accounts; then on to the page the user wanted."""

import reflex as rx

from rxapp.components.brand import PRODUCT_NAME, brand_mark
from rxapp.components.forms import field
from rxapp.components.layout import centered_page
from rxapp.state.login import LoginState


def _header() -> rx.Component:
    return rx.vstack(
        brand_mark("48px"),
        rx.heading(PRODUCT_NAME, size="6", weight="bold", align="center", id="login-product"),
        rx.text(
            rx.match(
                LoginState.mode,
                ("code", "We'll email you a one-time sign-in code."),
                ("enter_code", "Enter the 6-digit code from the email."),
                "Sign in with your work email.",
            ),
            size="2",
            color_scheme="gray",
            align="center",
        ),
        align="center",
        spacing="2",
        width="100%",
    )


def _notice() -> rx.Component:
    kind = LoginState.notice_kind
    return rx.cond(
        LoginState.notice != "",
        rx.callout(
            LoginState.notice,
            icon=rx.match(
                kind,
                ("locked", "lock"),
                ("success", "mail-check"),
                ("info", "info"),
                "circle-alert",
            ),
            color_scheme=rx.match(
                kind,
                ("locked", "amber"),
                ("success", "green"),
                ("info", "blue"),
                "red",
            ),
            size="1",
            width="100%",
            id="login-notice",
            data_kind=kind,
            role="alert",
        ),
        rx.fragment(),
    )


def _form() -> rx.Component:
    email = field(
        "Email",
        rx.input(
            id="login-email",
            name="email",
            type="email",
            placeholder="you@company.com",
            auto_complete="username",
            auto_focus=True,
            required=True,
            size="3",
            width="100%",
        ),
        html_for="login-email",
    )
    password = field(
        "Password",
        rx.input(
            id="login-password",
            name="password",
            type="password",
            auto_complete="current-password",
            size="3",
            width="100%",
        ),
        html_for="login-password",
    )
    code = rx.vstack(
        rx.hstack(
            rx.icon("mail", size=14, color="var(--gray-10)"),
            rx.text(LoginState.code_email, size="2", weight="medium", id="login-code-email"),
            rx.spacer(),
            rx.link(
                "Use another email",
                size="1",
                on_click=LoginState.start_over,
                id="login-start-over",
                cursor="pointer",
            ),
            align="center",
            width="100%",
        ),
        field(
            "Sign-in code",
            rx.input(
                id="login-code",
                name="code",
                placeholder="6 digits",
                auto_complete="one-time-code",
                input_mode="numeric",
                max_length=6,
                size="3",
                width="100%",
                style={"letterSpacing": "0.3em", "fontVariantNumeric": "tabular-nums"},
            ),
            html_for="login-code",
        ),
        spacing="3",
        width="100%",
    )
    submit = rx.button(
        rx.cond(LoginState.busy, rx.spinner(size="2"), rx.fragment()),
        rx.match(
            LoginState.mode,
            ("code", "Email me a code"),
            ("enter_code", "Sign in with code"),
            "Sign in",
        ),
        id="login-submit",
        type="submit",
        size="3",
        width="100%",
        disabled=LoginState.busy,
    )
    return rx.form(
        rx.vstack(
            rx.match(
                LoginState.mode,
                ("code", email),
                ("enter_code", code),
                rx.fragment(email, password),
            ),
            _notice(),
            submit,
            spacing="4",
            width="100%",
        ),
        on_submit=LoginState.submit,
        reset_on_submit=False,
        width="100%",
        id="login-form",
    )


def _divider(label: str) -> rx.Component:
    return rx.hstack(
        rx.separator(size="4"),
        rx.text(label, size="1", color_scheme="gray"),
        rx.separator(size="4"),
        align="center",
        width="100%",
    )


def _mode_toggle() -> rx.Component:
    code_mode = LoginState.code_mode
    return rx.button(
        rx.cond(code_mode, rx.icon("key-round", size=16), rx.icon("mail", size=16)),
        rx.cond(code_mode, "Use a password instead", "Email me a code"),
        id="login-code-toggle",
        type="button",
        variant="soft",
        color_scheme="gray",
        size="3",
        width="100%",
        on_click=LoginState.toggle_code_mode,
    )


def login_page() -> rx.Component:
    return centered_page(
        rx.card(
            rx.vstack(
                _header(), _form(), _divider("or"), _mode_toggle(), spacing="5", width="100%"
            ),
            size="4",
            width="100%",
            box_shadow="var(--shadow-4)",
        ),
        rx.text("Internal use only", size="1", color_scheme="gray", align="center"),
    )
