"""The quick-links panel: groups (global, each venture, personal) with add, rename, reorder and
remove where the user may change them, and the add/edit dialog."""

from __future__ import annotations

import reflex as rx

from rxapp.components.forms import field, form_dialog
from rxapp.state.quick_links import LinkGroupRow, LinkRow, QuickLinksState


def _link_actions(link: LinkRow) -> rx.Component:
    return rx.hstack(
        rx.icon_button(
            rx.icon("arrow-up", size=14),
            size="1",
            variant="ghost",
            color_scheme="gray",
            disabled=link.first,
            on_click=QuickLinksState.move_link(link.id, -1),
            aria_label="Move up",
            class_name="ql-up",
        ),
        rx.icon_button(
            rx.icon("arrow-down", size=14),
            size="1",
            variant="ghost",
            color_scheme="gray",
            disabled=link.last,
            on_click=QuickLinksState.move_link(link.id, 1),
            aria_label="Move down",
            class_name="ql-down",
        ),
        rx.icon_button(
            rx.icon("pencil", size=14),
            size="1",
            variant="ghost",
            color_scheme="gray",
            on_click=QuickLinksState.open_edit(link.id),
            aria_label="Rename or change the address",
            class_name="ql-edit",
        ),
        rx.alert_dialog.root(
            rx.alert_dialog.trigger(
                rx.icon_button(
                    rx.icon("trash-2", size=14),
                    size="1",
                    variant="ghost",
                    color_scheme="red",
                    aria_label="Remove",
                    class_name="ql-remove",
                ),
            ),
            rx.alert_dialog.content(
                rx.alert_dialog.title("Remove this link?"),
                rx.alert_dialog.description(
                    rx.text(
                        "“",
                        link.label,
                        "” disappears from this list for everyone who sees it. The page it "
                        "points to is not affected.",
                    ),
                    size="2",
                ),
                rx.hstack(
                    rx.alert_dialog.cancel(
                        rx.button("Cancel", variant="soft", color_scheme="gray"),
                    ),
                    rx.alert_dialog.action(
                        rx.button(
                            "Remove link",
                            color_scheme="red",
                            on_click=QuickLinksState.remove_link(link.id),
                            class_name="ql-remove-confirm",
                        ),
                    ),
                    spacing="3",
                    justify="end",
                    margin_top="1rem",
                ),
                max_width="440px",
            ),
        ),
        spacing="1",
        class_name="ql-actions",
    )


def _link_row(link: LinkRow) -> rx.Component:
    return rx.hstack(
        rx.center(
            rx.icon(link.icon, size=15, color="var(--accent-11)"),
            width="28px",
            height="28px",
            min_width="28px",
            border_radius="var(--radius-2)",
            background="var(--accent-a3)",
        ),
        rx.vstack(
            rx.link(
                link.label,
                href=link.url,
                is_external=True,
                size="2",
                weight="medium",
                class_name="ql-link",
                color="var(--gray-12)",
            ),
            rx.text(link.host, size="1", color_scheme="gray", trim="both"),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        rx.cond(link.editable, _link_actions(link), rx.fragment()),
        align="center",
        spacing="3",
        width="100%",
        padding="6px 8px",
        border_radius="var(--radius-2)",
        _hover={"background": "var(--gray-a2)"},
        class_name="ql-row",
        data_label=link.label,
    )


def _group(group: LinkGroupRow) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.match(
                group.kind,
                ("global", rx.icon("globe", size=14, color="var(--gray-10)")),
                ("personal", rx.icon("user-round", size=14, color="var(--gray-10)")),
                rx.icon("building-2", size=14, color="var(--gray-10)"),
            ),
            rx.text(group.title, size="2", weight="medium"),
            rx.cond(
                group.code != "",
                rx.badge(group.code, variant="surface", color_scheme="gray", size="1"),
                rx.fragment(),
            ),
            rx.spacer(),
            rx.cond(
                group.can_add,
                rx.button(
                    rx.icon("plus", size=14),
                    "Add link",
                    size="1",
                    variant="soft",
                    on_click=QuickLinksState.open_add(group.key),
                    class_name="ql-add",
                    id="ql-add-" + group.key.replace(":", "-"),
                ),
                rx.fragment(),
            ),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.cond(
            group.links.length() > 0,
            rx.vstack(rx.foreach(group.links, _link_row), spacing="0", width="100%"),
            rx.text(
                group.empty_text,
                size="2",
                color_scheme="gray",
                padding="6px 8px",
                class_name="ql-empty",
            ),
        ),
        spacing="2",
        width="100%",
        class_name="ql-group",
        data_group=group.key,
        data_kind=group.kind,
        id="ql-group-" + group.key.replace(":", "-"),
    )


def link_dialog() -> rx.Component:
    s = QuickLinksState
    return form_dialog(
        rx.cond(
            s.form_error != "",
            rx.callout(s.form_error, icon="circle-alert", color_scheme="red", size="1"),
            rx.fragment(),
        ),
        field(
            "Label",
            rx.input(
                id="ql-label",
                name="label",
                default_value=s.form_label,
                placeholder="e.g. Carrier onboarding checklist",
                max_length=80,
                width="100%",
                auto_focus=True,
            ),
            html_for="ql-label",
            error=s.label_error,
        ),
        field(
            "Address",
            rx.input(
                id="ql-url",
                name="url",
                default_value=s.form_url,
                placeholder="https://",
                width="100%",
            ),
            html_for="ql-url",
            error=s.url_error,
        ),
        title=s.dialog_title,
        description="Links open in a new tab. Use an https:// address.",
        submit=rx.button("Save link", type="submit", id="ql-save"),
        on_submit=QuickLinksState.save_link,
        open=s.dialog_open,
        on_open_change=QuickLinksState.set_dialog_open,
        id="ql-dialog",
        max_width="460px",
    )


def quick_links_panel(*, id: str = "quick-links", columns: bool = False) -> rx.Component:
    """All groups in one card (My Day, venture detail) or as separate cards (admin page)."""
    groups = rx.foreach(
        QuickLinksState.groups,
        lambda g: rx.card(_group(g), width="100%") if columns else _group(g),
    )
    body = (
        rx.grid(groups, columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%")
        if columns
        else rx.vstack(groups, spacing="5", width="100%")
    )
    return rx.box(body, link_dialog(), width="100%", id=id)
