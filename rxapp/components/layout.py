"""Page frames: the centred login frame and the signed-in shell (sidebar, header, banner).

The shell renders a page's content only once that page's on_load has resolved the user and
loaded the data (``SessionState.ready_page``); until then the page's skeleton shows, and a page
the user may not open shows the 403 panel in the same frame.
"""

from __future__ import annotations

import reflex as rx

from rxapp.components.brand import PRODUCT_NAME, brand_mark
from rxapp.components.ui import page_skeleton
from rxapp.state.palette import PaletteState
from rxapp.state.session import NavPageRow, NavSectionRow, SessionState

SIDEBAR_WIDTH = "240px"
SIDEBAR_COLLAPSED = "64px"
HEADER_HEIGHT = "56px"
BANNER_HEIGHT = "41px"
READING_WIDTH = "1100px"

# Ctrl/Cmd+K opens the palette anywhere (installed once per page load, in <head>).
PALETTE_SHORTCUT_JS = """
if (!window.__vccPalette) {
  window.__vccPalette = true;
  document.addEventListener('keydown', function (e) {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'k' || e.key === 'K')) {
      var b = document.getElementById('palette-button');
      if (b) { e.preventDefault(); b.click(); }
    }
  });
}
"""


def centered_page(*children: rx.Component) -> rx.Component:
    """A full-height page with its content centred, on a soft accent wash (light and dark)."""
    return rx.center(
        rx.vstack(*children, align="center", spacing="5", width="100%", max_width="420px"),
        min_height="100vh",
        width="100%",
        padding="1.5rem",
        background=(
            "radial-gradient(ellipse 80% 50% at 50% -10%, var(--accent-a4), transparent), "
            "var(--color-background)"
        ),
    )


def loading_page() -> rx.Component:
    """Shown for the instant before an on_load redirect lands."""
    return rx.center(rx.spinner(size="3"), min_height="100vh", width="100%")


# -- sidebar ------------------------------------------------------------------------------------

collapsed = SessionState.sidebar_collapsed == "1"


def _nav_item(
    *, key: rx.Var, title: rx.Var, path: rx.Var, icon: rx.Var, active_key: str
) -> rx.Component:
    active = key == active_key
    link = rx.link(
        rx.hstack(
            rx.icon(icon, size=16, flex_shrink="0"),
            rx.cond(collapsed, rx.fragment(), rx.text(title, size="2", trim="both")),
            align="center",
            spacing="3",
            padding_x="10px",
            height="32px",
            border_radius="var(--radius-2)",
            width="100%",
            justify=rx.cond(collapsed, "center", "start"),
            color=rx.cond(active, "var(--accent-11)", "var(--gray-12)"),
            background=rx.cond(active, "var(--accent-a3)", "transparent"),
            font_weight=rx.cond(active, "500", "400"),
            _hover={"background": rx.cond(active, "var(--accent-a4)", "var(--gray-a3)")},
        ),
        href=path,
        underline="none",
        width="100%",
        id="nav-" + key,
        class_name="nav-link",
        aria_current=rx.cond(active, "page", "false"),
    )
    return rx.cond(collapsed, rx.tooltip(link, content=title, side="right"), link)


def _nav_link(page: NavPageRow, active_key: str) -> rx.Component:
    return _nav_item(
        key=page.key, title=page.title, path=page.path, icon=page.icon, active_key=active_key
    )


def _group_label(text: str | rx.Var) -> rx.Component:
    return rx.text(
        text,
        size="1",
        weight="medium",
        color_scheme="gray",
        padding="12px 10px 4px",
        style={"textTransform": "uppercase", "letterSpacing": "0.05em"},
    )


def _nav_group(section: NavSectionRow, active_key: str) -> rx.Component:
    return rx.fragment(
        rx.cond(
            collapsed,
            rx.separator(size="4", margin_y="4px"),
            _group_label(section.title),
        ),
        rx.foreach(section.pages, lambda p: _nav_link(p, active_key)),
        rx.cond(
            (section.pages.length() == 0) & ~collapsed,
            rx.text(
                "Pages arrive with later releases",
                size="1",
                color_scheme="gray",
                padding_x="10px",
                style={"fontStyle": "italic"},
            ),
            rx.fragment(),
        ),
    )


def _nav_section(section: NavSectionRow, active_key: str) -> rx.Component:
    """A section with several pages is a titled group; one with only its overview is a single
    link named after the section (Freight, Hospitality...)."""
    return rx.vstack(
        rx.cond(
            section.first_single & ~collapsed,
            _group_label("Sections"),
            rx.fragment(),
        ),
        rx.cond(
            section.single,
            _nav_item(
                key=section.home_key,
                title=section.title,
                path=section.home_path,
                icon=section.icon,
                active_key=active_key,
            ),
            _nav_group(section, active_key),
        ),
        spacing="1",
        width="100%",
        id="nav-section-" + section.key,
        class_name="nav-section",
        data_section=section.key,
    )


def sidebar(active_key: str) -> rx.Component:
    inner = rx.box(
        rx.vstack(
            rx.hstack(
                rx.link(
                    rx.hstack(
                        brand_mark("30px"),
                        rx.cond(
                            collapsed,
                            rx.fragment(),
                            rx.text(
                                PRODUCT_NAME,
                                size="2",
                                weight="bold",
                                style={"lineHeight": "1.15"},
                            ),
                        ),
                        align="center",
                        spacing="2",
                    ),
                    href="/",
                    underline="none",
                    color="var(--gray-12)",
                ),
                height=HEADER_HEIGHT,
                align="center",
                padding_x="12px",
                width="100%",
                justify=rx.cond(collapsed, "center", "start"),
                border_bottom="1px solid var(--gray-a4)",
            ),
            rx.scroll_area(
                rx.vstack(
                    rx.cond(
                        SessionState.nav.length() > 0,
                        rx.foreach(SessionState.nav, lambda s: _nav_section(s, active_key)),
                        rx.vstack(
                            *[rx.skeleton(height="24px", width="100%") for _ in range(6)],
                            spacing="3",
                            width="100%",
                        ),
                    ),
                    spacing="1",
                    padding="12px 8px",
                    width="100%",
                ),
                type="hover",
                scrollbars="vertical",
                style={"flex": "1"},
            ),
            rx.box(
                rx.icon_button(
                    rx.cond(
                        collapsed,
                        rx.icon("panel-left-open", size=16),
                        rx.icon("panel-left-close", size=16),
                    ),
                    variant="ghost",
                    color_scheme="gray",
                    on_click=SessionState.toggle_sidebar,
                    id="sidebar-toggle",
                    aria_label="Collapse or expand the sidebar",
                ),
                padding="10px 14px",
                border_top="1px solid var(--gray-a4)",
                width="100%",
                text_align=rx.cond(collapsed, "center", "left"),
            ),
            spacing="0",
            height="100%",
            width="100%",
        ),
        height=rx.cond(SessionState.impersonating, f"calc(100vh - {BANNER_HEIGHT})", "100vh"),
        position="sticky",
        top=rx.cond(SessionState.impersonating, BANNER_HEIGHT, "0"),
    )
    return rx.box(
        inner,
        width=rx.cond(collapsed, SIDEBAR_COLLAPSED, SIDEBAR_WIDTH),
        min_width=rx.cond(collapsed, SIDEBAR_COLLAPSED, SIDEBAR_WIDTH),
        align_self="stretch",
        background="var(--gray-2)",
        border_right="1px solid var(--gray-a4)",
        id="sidebar",
        display=["none", "none", "block"],
        transition="width 0.15s ease, min-width 0.15s ease",
    )


# -- header -------------------------------------------------------------------------------------


def venture_filter(reload: object = None) -> rx.Component:
    """All my ventures / one venture; kept for the session (cookie) and applied on reload."""
    on_change: list = [SessionState.set_venture_filter]
    if reload is not None:
        on_change.append(reload)
    return rx.select.root(
        rx.select.trigger(
            placeholder="All my ventures",
            variant="surface",
            color="gray",
            id="venture-filter",
            max_width="240px",
            min_width="170px",
        ),
        rx.select.content(
            rx.select.item("All my ventures", value="all"),
            rx.select.separator(),
            rx.foreach(
                SessionState.venture_options,
                lambda v: rx.select.item(v.name, value=v.id),
            ),
            position="popper",
        ),
        value=rx.cond(SessionState.venture_filter == "", "all", SessionState.venture_filter),
        size="2",
        on_change=on_change,
    )


def palette_button() -> rx.Component:
    return rx.button(
        rx.icon("search", size=14),
        rx.text("Search", size="2", display=["none", "none", "inline"]),
        rx.el.kbd("Ctrl K", class_name="vcc-kbd"),
        variant="surface",
        color_scheme="gray",
        id="palette-button",
        on_click=PaletteState.set_palette_open(True),
        aria_label="Search pages and ventures (Ctrl+K)",
    )


def _palette_item(item) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon(item.icon, size=16, color="var(--gray-10)"),
            rx.text(item.label, size="2", weight="medium"),
            rx.spacer(),
            rx.text(item.hint, size="1", color_scheme="gray"),
            align="center",
            spacing="3",
            padding="8px 10px",
            border_radius="var(--radius-2)",
            _hover={"background": "var(--accent-a3)"},
            width="100%",
        ),
        href=item.href,
        underline="none",
        color="var(--gray-12)",
        on_click=PaletteState.set_palette_open(False),
        class_name="palette-item",
        width="100%",
    )


def command_palette() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Go to", class_name="sr-only", style={"display": "none"}),
            rx.vstack(
                rx.debounce_input(
                    rx.input(
                        rx.input.slot(rx.icon("search", size=16)),
                        placeholder="Type a page, venture or person…",
                        value=PaletteState.query,
                        on_change=PaletteState.search,
                        size="3",
                        width="100%",
                        id="palette-input",
                        auto_focus=True,
                    ),
                    debounce_timeout=150,
                ),
                rx.cond(
                    PaletteState.results.length() > 0,
                    rx.vstack(
                        rx.foreach(PaletteState.results, _palette_item),
                        spacing="0",
                        width="100%",
                        max_height="360px",
                        overflow_y="auto",
                    ),
                    rx.text(
                        "Nothing matches. Try a page name (Ventures, Users), a venture code or "
                        "a load reference.",
                        size="2",
                        color_scheme="gray",
                        padding="8px 10px",
                    ),
                ),
                rx.text(
                    "Pages, your ventures, loads by reference and people (for user admins).",
                    size="1",
                    color_scheme="gray",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="560px",
            id="palette",
            style={"alignSelf": "start", "marginTop": "12vh"},
        ),
        open=PaletteState.palette_open,
        on_open_change=PaletteState.set_palette_open,
    )


def user_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.avatar(
                    fallback=SessionState.user_initials,
                    size="1",
                    radius="full",
                    variant="solid",
                ),
                rx.vstack(
                    rx.text(SessionState.user_name, size="2", weight="medium", trim="both"),
                    rx.text(SessionState.role_label, size="1", color_scheme="gray", trim="both"),
                    spacing="1",
                    align="start",
                    display=["none", "none", "flex"],
                ),
                rx.icon("chevron-down", size=14, color="var(--gray-10)"),
                variant="ghost",
                color_scheme="gray",
                id="user-menu",
                style={"height": "40px", "gap": "8px"},
            ),
        ),
        rx.menu.content(
            rx.box(
                rx.text(SessionState.user_name, size="2", weight="medium"),
                rx.text(SessionState.user_email, size="1", color_scheme="gray", id="user-email"),
                rx.badge(
                    SessionState.role_label,
                    color_scheme=SessionState.role_color,
                    variant="soft",
                    margin_top="6px",
                    id="user-role",
                ),
                padding="6px 8px 8px",
            ),
            rx.menu.separator(),
            rx.menu.item(
                rx.icon("user-round", size=14),
                "Profile and API tokens",
                on_click=rx.redirect("/profile"),
                id="menu-profile",
            ),
            rx.menu.item(
                rx.color_mode_cond(rx.icon("moon", size=14), rx.icon("sun", size=14)),
                rx.color_mode_cond("Dark theme", "Light theme"),
                on_click=rx.toggle_color_mode,
                id="menu-theme",
            ),
            rx.menu.separator(),
            rx.menu.item(
                rx.icon("log-out", size=14),
                "Log out",
                on_click=SessionState.logout,
                id="menu-logout",
                color="red",
            ),
            align="end",
            min_width="220px",
        ),
    )


def _crumbs(section: str | rx.Var | None, title: str | rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(section, size="2", color_scheme="gray") if section is not None else rx.fragment(),
        rx.icon("chevron-right", size=14, color="var(--gray-9)")
        if section is not None
        else rx.fragment(),
        rx.text(title, size="2", weight="medium", id="breadcrumb-current"),
        align="center",
        spacing="1",
        id="breadcrumb",
    )


def header(section: str | rx.Var | None, title: str | rx.Var, reload: object) -> rx.Component:
    return rx.hstack(
        _crumbs(section, title),
        rx.spacer(),
        venture_filter(reload),
        palette_button(),
        user_menu(),
        align="center",
        spacing="3",
        height=HEADER_HEIGHT,
        padding_x="24px",
        border_bottom="1px solid var(--gray-a4)",
        background="var(--color-background)",
        position="sticky",
        top=rx.cond(SessionState.impersonating, BANNER_HEIGHT, "0"),
        z_index="5",
        width="100%",
        id="app-header",
    )


def impersonation_banner() -> rx.Component:
    return rx.cond(
        SessionState.impersonating,
        rx.hstack(
            rx.icon("venetian-mask", size=16),
            rx.text(
                "You are acting as ",
                rx.text.strong(SessionState.user_name),
                " (",
                SessionState.role_label,
                "). You see what they see; everything you do is recorded under your own name, ",
                SessionState.real_user_name,
                ".",
                size="2",
                style={"whiteSpace": "nowrap", "overflow": "hidden", "textOverflow": "ellipsis"},
                min_width="0",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("log-out", size=14),
                "Stop acting",
                size="1",
                variant="solid",
                color_scheme="amber",
                high_contrast=True,
                on_click=SessionState.stop_acting,
                id="stop-acting",
            ),
            align="center",
            spacing="3",
            padding="0 24px",
            height=BANNER_HEIGHT,
            position="sticky",
            top="0",
            z_index="6",
            background="var(--amber-4)",
            color="var(--amber-12)",
            border_bottom="1px solid var(--amber-7)",
            width="100%",
            id="impersonation-banner",
            role="status",
        ),
        rx.fragment(),
    )


def forbidden_panel() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.center(
                rx.icon("shield-x", size=24, color="var(--red-11)"),
                width="48px",
                height="48px",
                border_radius="var(--radius-3)",
                background="var(--red-a3)",
            ),
            rx.text("403 · No access", size="1", weight="medium", color_scheme="red"),
            rx.heading("You don't have access to this page", size="5", id="forbidden-title"),
            rx.text(
                "It belongs to a section, venture or role you are not assigned to. If you need "
                "it for your work, ask an administrator to add you.",
                size="2",
                color_scheme="gray",
                align="center",
                max_width="440px",
            ),
            rx.link(
                rx.button(rx.icon("sun", size=14), "Go to My Day", variant="soft"),
                href="/",
                underline="none",
            ),
            align="center",
            spacing="3",
        ),
        padding_y="10vh",
        width="100%",
        id="forbidden",
    )


def app_shell(
    content: rx.Component,
    *,
    page_key: str,
    title: str | rx.Var,
    section: str | rx.Var | None = None,
    reload: object = None,
    nav_key: str | None = None,
    wide: bool = True,
    skeleton: rx.Component | None = None,
    actions: rx.Component | None = None,
    crumb: str | rx.Var | None = None,
    subtitle: str | rx.Var | None = None,
) -> rx.Component:
    """The signed-in frame. ``page_key`` is the navigation key whose on_load fills the page;
    ``nav_key`` the sidebar entry highlighted (defaults to ``page_key``)."""
    body = rx.cond(
        SessionState.ready_page == page_key,
        content,
        rx.cond(
            SessionState.denied_page == page_key,
            forbidden_panel(),
            skeleton if skeleton is not None else page_skeleton(),
        ),
    )
    title_row = rx.cond(
        SessionState.denied_page == page_key,
        rx.fragment(),
        rx.hstack(
            rx.vstack(
                rx.heading(title, size="6", weight="bold", id="page-title"),
                rx.text(subtitle, size="2", color_scheme="gray", id="page-subtitle")
                if subtitle is not None
                else rx.fragment(),
                spacing="1",
            ),
            rx.spacer(),
            actions if actions is not None else rx.fragment(),
            align="center",
            width="100%",
            min_height="36px",
        ),
    )
    return rx.box(
        impersonation_banner(),
        rx.hstack(
            sidebar(nav_key or page_key),
            rx.box(
                header(section, crumb if crumb is not None else title, reload),
                rx.box(
                    rx.vstack(
                        title_row,
                        body,
                        spacing="5",
                        width="100%",
                        max_width=None if wide else READING_WIDTH,
                    ),
                    padding="24px",
                    width="100%",
                    id="main",
                ),
                flex="1",
                min_width="0",
            ),
            spacing="0",
            align="stretch",
            width="100%",
            min_height="100vh",
        ),
        command_palette(),
        min_height="100vh",
        width="100%",
        background="var(--color-background)",
    )
