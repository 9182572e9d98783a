"""/login: email + password, or an emailed one-time code."""

import reflex as rx

from rxapp.components.brand import PRODUCT_NAME, brand_mark
from rxapp.components.forms import field
from rxapp.components.layout import centered_page
from rxapp.state.login import LoginFormState


def _header() -> rx.Component:
    return rx.vstack(
        brand_mark("48px"),
        rx.heading(PRODUCT_NAME, size="6", weight="bold", align="center", id="login-product"),
        rx.text(
            rx.cond(
                LoginFormState.code_mode,
                "We'll email you a one-time sign-in code.",
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
    notice = rx.cond(
        LoginFormState.notice != "",
        rx.callout(
            LoginFormState.notice,
            icon="info",
            color_scheme="red",
            size="1",
            width="100%",
            id="login-notice",
        ),
        rx.fragment(),
    )
    submit = rx.button(
        rx.cond(LoginFormState.code_mode, "Email me a code", "Sign in"),
        id="login-submit",
        type="submit",
        size="3",
        width="100%",
    )
    return rx.form(
        rx.vstack(
            email,
            rx.cond(LoginFormState.code_mode, rx.fragment(), password),
            notice,
            submit,
            spacing="4",
            width="100%",
        ),
        on_submit=LoginFormState.submit,
        width="100%",
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
    code_mode = LoginFormState.code_mode
    return rx.button(
        rx.cond(code_mode, rx.icon("key-round", size=16), rx.icon("mail", size=16)),
        rx.cond(code_mode, "Use a password instead", "Email me a code"),
        id="login-code-toggle",
        type="button",
        variant="soft",
        color_scheme="gray",
        size="3",
        width="100%",
        on_click=LoginFormState.toggle_code_mode,
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
