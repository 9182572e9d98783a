"""/admin/quick-links: global links (everyone) and each venture's links."""

from __future__ import annotations

import reflex as rx

from rxapp.components.layout import app_shell
from rxapp.components.quick_links import quick_links_panel
from rxapp.pages import page
from rxapp.state.quick_links import QuickLinksState


@page("admin_quick_links", on_load=QuickLinksState.load_admin)
def admin_links_page() -> rx.Component:
    return app_shell(
        quick_links_panel(id="admin-links", columns=True),
        page_key="admin_quick_links",
        title="Quick links",
        subtitle="“Everyone” links show on every user's My Day; a venture's links show to the "
        "people of that venture. Personal links are managed by each user on My Day.",
        section="Admin",
        reload=QuickLinksState.load_admin,
    )
