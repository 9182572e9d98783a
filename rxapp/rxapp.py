"""The Venture Command Center app: one route table, so guards are easy to review."""

import reflex as rx

from rxapp.components.brand import PRODUCT_NAME
from rxapp.components.layout import loading_page
from rxapp.pages.login import login_page

app = rx.App()

app.add_page(loading_page, route="/", title=PRODUCT_NAME, on_load=rx.redirect("/login"))
app.add_page(login_page, route="/login", title=f"Sign in · {PRODUCT_NAME}")
