"""/incentives/plans: plans with their rules; the plan dialog and the rule editor (errors next to
each field as the user types, tiers as rows, config fields per calc type, what-if preview)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from rxapp.components.forms import (
    date_field,
    field,
    form_dialog,
    form_summary,
    select_field,
    submit_button,
    text_input,
)
from rxapp.components.freight import num_cell
from rxapp.components.layout import app_shell
from rxapp.components.ui import code_badge, data_table, empty_state, muted
from rxapp.pages import page
from rxapp.state.incentive_plans import IncentivePlansState, TierEdit
from rxapp.views.incentives import PlanRow, PreviewLine, RuleRow

S = IncentivePlansState
DEBOUNCE = 350


def _error(text: rx.Var, id: str) -> rx.Component:
    return rx.cond(
        text != "",
        rx.text(text, size="1", color_scheme="red", id=id, role="alert"),
        rx.fragment(),
    )


def _live(label: str, var: str, id: str, error: rx.Var, help_text: str | None = None) -> Any:
    """A controlled input whose change (debounced) updates the draft and re-checks it."""
    return field(
        label,
        rx.input(
            id=id,
            value=getattr(S, var),
            on_change=lambda v: S.edit_field(var, v),
            debounce_timeout=DEBOUNCE,
            width="100%",
        ),
        html_for=id,
        help_text=help_text,
        error=error,
    )


def _live_select(label: str, var: str, id: str, options: rx.Var, error: rx.Var) -> Any:
    return field(
        label,
        rx.select.root(
            rx.select.trigger(id=id, width="100%"),
            rx.select.content(
                rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value)),
                position="popper",
            ),
            value=getattr(S, var),
            on_change=lambda v: S.edit_field(var, v),
        ),
        html_for=id,
        error=error,
    )


# -- rule editor ----------------------------------------------------------------------------------


def _tier(t: TierEdit, i: rx.Var) -> rx.Component:
    def cell(part: str, err: rx.Var, placeholder: str) -> rx.Component:
        return rx.vstack(
            rx.input(
                value=getattr(t, part),
                on_change=lambda v: S.edit_tier(i, part, v),
                debounce_timeout=DEBOUNCE,
                placeholder=placeholder,
                id=f"tier-{part}-" + i.to_string(),
                width="100%",
            ),
            _error(err, f"tier-{part}-error-" + i.to_string()),
            spacing="1",
            width="100%",
        )

    return rx.hstack(
        cell("start", t.err_start, "from"),
        cell("end", t.err_end, "to (empty: no end)"),
        cell("rate", t.err_rate, "rate"),
        rx.icon_button(
            rx.icon("x", size=14),
            type="button",
            variant="ghost",
            color_scheme="gray",
            on_click=S.remove_tier(i),
            aria_label="Remove tier",
            id="tier-remove-" + i.to_string(),
        ),
        spacing="2",
        align="start",
        width="100%",
        class_name="tier-row",
    )


def _tiers() -> rx.Component:
    return rx.vstack(
        _live_select(
            "Mode",
            "r_mode",
            "rule-mode",
            S.mode_options,
            S.e_mode,
        ),
        rx.text("Tiers", size="2", weight="medium"),
        rx.text(
            "From 0, contiguous, the last one open-ended; a value on a boundary takes the upper "
            "tier.",
            size="1",
            color_scheme="gray",
        ),
        rx.foreach(S.tiers, _tier),
        _error(S.e_tiers, "rule-tiers-error"),
        rx.button(
            rx.icon("plus", size=14),
            "Add tier",
            type="button",
            size="1",
            variant="soft",
            on_click=S.add_tier,
            id="tier-add",
        ),
        spacing="2",
        width="100%",
        id="rule-tiers",
    )


def _config() -> rx.Component:
    return rx.match(
        S.r_calc,
        (
            "BONUS_ON_TARGET",
            rx.grid(
                _live("Threshold", "r_threshold", "rule-threshold", S.e_threshold),
                _live("Bonus", "r_bonus", "rule-bonus", S.e_bonus, "In the plan's currency."),
                columns="2",
                spacing="3",
                width="100%",
            ),
        ),
        ("TIERED_SLAB", _tiers()),
        (
            "LOAD_LEVEL_BONUS",
            rx.grid(
                _live("Bonus per load", "r_bonus", "rule-bonus", S.e_bonus),
                _live(
                    "Share of margin",
                    "r_pom",
                    "rule-pom",
                    S.e_pom,
                    "A fraction: 0.01 is 1 %.",
                ),
                _live(
                    "Minimum margin",
                    "r_min_margin",
                    "rule-min-margin",
                    S.e_min_margin,
                    "Optional fraction of the bill.",
                ),
                _live(
                    "Minimum bill",
                    "r_min_bill",
                    "rule-min-bill",
                    S.e_min_bill,
                    "Optional amount.",
                ),
                columns="2",
                spacing="3",
                width="100%",
            ),
        ),
        _live(
            "Rate",
            "r_rate",
            "rule-rate",
            S.e_rate,
            "Percent of metric: a fraction (0.02 is 2 %). Otherwise an amount per unit.",
        ),
    )


def _preview_line(r: PreviewLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(r.user),
        rx.table.cell(r.currency),
        num_cell(r.amount),
        num_cell(r.days),
    )


def _preview() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.button(
                rx.cond(S.preview_busy, rx.spinner(size="1"), rx.icon("flask-conical", size=14)),
                "Preview last 30 days",
                type="button",
                variant="soft",
                on_click=S.preview,
                disabled=S.preview_busy | ~S.rule_valid,
                id="rule-preview",
            ),
            rx.cond(S.previewed, rx.text(S.preview_totals, weight="bold", id="preview-totals")),
            spacing="3",
            align="center",
        ),
        rx.cond(
            S.previewed,
            rx.vstack(
                muted(S.preview_period, size="1", id="preview-period"),
                data_table(
                    ["Person", "Currency", ("Amount", "right"), ("Days", "right")],
                    rx.table.body(rx.foreach(S.preview_rows, _preview_line)),
                    id="preview-table",
                    max_height="220px",
                ),
                spacing="2",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _rule_dialog() -> rx.Component:
    return form_dialog(
        form_summary(S.rule_summary, id="rule-summary"),
        _live("Name", "r_name", "rule-name", S.e_name),
        rx.grid(
            _live_select("Metric", "r_metric", "rule-metric", S.metric_options, S.e_metric),
            _live_select("Calc type", "r_calc", "rule-calc", S.calc_options, S.e_calc),
            columns="2",
            spacing="3",
            width="100%",
        ),
        _config(),
        _live(
            "Roles",
            "r_roles",
            "rule-roles",
            S.e_roles,
            "Comma separated (SALES, CSR...); empty pays every role.",
        ),
        rx.el.label(
            rx.checkbox(checked=S.r_enabled, on_change=S.toggle_enabled, id="rule-enabled"),
            rx.text("Enabled", size="2"),
            style={"display": "flex", "gap": "8px", "alignItems": "center"},
        ),
        _preview(),
        title=S.rule_title,
        description="Checked as you type; saving applies from the next commit.",
        submit=submit_button("Save rule", busy=S.rule_busy, id="rule-save"),
        on_submit=S.save_rule,
        open=S.rule_open,
        on_open_change=S.set_rule_open,
        id="rule-dialog",
        max_width="680px",
        cancel_id="rule-cancel",
    )


# -- plan dialog ----------------------------------------------------------------------------------


def _plan_dialog() -> rx.Component:
    err = S.plan_errors
    new = S.plan_id == 0
    return form_dialog(
        form_summary(S.plan_summary, id="plan-summary"),
        field(
            "Name",
            text_input("plan-name", "name", default_value=S.p_name),
            html_for="plan-name",
            error=err.get("name", ""),
        ),
        rx.cond(
            new,
            rx.grid(
                select_field(
                    "Venture",
                    name="venture_id",
                    id="plan-venture",
                    value=S.p_venture,
                    options=S.plan_ventures,
                    error=err.get("venture_id", ""),
                ),
                select_field(
                    "Currency",
                    name="currency",
                    id="plan-currency",
                    value=S.p_currency,
                    options=S.currency_options,
                    error=err.get("currency", ""),
                ),
                columns="2",
                spacing="3",
                width="100%",
            ),
        ),
        rx.grid(
            date_field(
                "Effective from",
                name="effective_from",
                id="plan-from",
                value=S.p_from,
                error=err.get("effective_from", ""),
            ),
            date_field(
                "Effective to",
                name="effective_to",
                id="plan-to",
                value=S.p_to,
                error=err.get("effective_to", ""),
            ),
            columns="2",
            spacing="3",
            width="100%",
        ),
        select_field(
            "Status",
            name="status",
            id="plan-status",
            value=S.p_status,
            options=S.status_options,
            error=err.get("status", ""),
        ),
        title=S.plan_title,
        description="A plan pays the members of its venture, in its currency, while active.",
        submit=submit_button("Save plan", busy=S.plan_busy, id="plan-save"),
        on_submit=S.save_plan,
        open=S.plan_open,
        on_open_change=S.set_plan_open,
        id="plan-dialog",
        max_width="560px",
        cancel_id="plan-cancel",
        key=S.plan_form_key,
    )


# -- list -----------------------------------------------------------------------------------------


def _rule(plan: PlanRow, r: RuleRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.cond(
                plan.can_manage & ~plan.retired,
                rx.link(
                    r.name,
                    on_click=S.edit_rule(plan.id, r.id),
                    cursor="pointer",
                    class_name="rule-edit",
                ),
                rx.text(r.name),
            ),
        ),
        rx.table.cell(r.summary),
        rx.table.cell(r.calc),
        rx.table.cell(r.roles),
        rx.table.cell(
            rx.cond(
                r.enabled,
                rx.badge("Enabled", color_scheme="green", variant="soft"),
                rx.badge("Disabled", color_scheme="gray", variant="soft"),
            )
        ),
        data_rule=r.name,
    )


def _plan(p: PlanRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                code_badge(p.venture),
                rx.text(p.name, size="4", weight="bold"),
                rx.badge(p.status, color_scheme=p.status_color, variant="soft"),
                rx.text(p.currency, size="2", color_scheme="gray"),
                rx.spacer(),
                rx.cond(
                    p.can_manage & ~p.retired,
                    rx.hstack(
                        rx.button(
                            rx.icon("plus", size=14),
                            "Rule",
                            size="1",
                            variant="soft",
                            on_click=S.new_rule(p.id),
                            class_name="plan-add-rule",
                        ),
                        rx.button(
                            "Edit",
                            size="1",
                            variant="soft",
                            color_scheme="gray",
                            on_click=S.edit_plan(p.id),
                            class_name="plan-edit",
                        ),
                        rx.button(
                            "Retire",
                            size="1",
                            variant="soft",
                            color_scheme="red",
                            on_click=S.retire_plan(p.id),
                            class_name="plan-retire",
                        ),
                        spacing="2",
                    ),
                ),
                align="center",
                spacing="3",
                width="100%",
                wrap="wrap",
            ),
            muted(p.period, size="1"),
            rx.cond(
                p.rules.length() > 0,
                data_table(
                    ["Rule", "What it pays", "Calc type", "Roles", "State"],
                    rx.table.body(rx.foreach(p.rules, lambda r: _rule(p, r))),
                    id="rules-" + p.id.to_string(),
                ),
                muted("No rules yet."),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        class_name="plan-card",
        data_plan=p.name,
    )


def _content() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.plans.length() > 0,
            rx.vstack(rx.foreach(S.plans, _plan), spacing="4", width="100%", id="plans"),
            empty_state(
                "scroll",
                "No incentive plans",
                "Plans of the ventures in your scope appear here; finance creates them.",
                id="plans-empty",
            ),
        ),
        _plan_dialog(),
        _rule_dialog(),
        spacing="4",
        width="100%",
    )


@page("incentives_plans", on_load=S.load)
def incentive_plans_page() -> rx.Component:
    return app_shell(
        _content(),
        page_key="incentives_plans",
        title="Incentive plans",
        section="Incentives",
        reload=S.load,
        actions=rx.cond(
            S.can_create,
            rx.button(rx.icon("plus", size=14), "New plan", on_click=S.new_plan, id="plan-new"),
        ),
    )
