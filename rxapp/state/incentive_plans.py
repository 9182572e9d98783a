"""/incentives/plans: the plans of the ventures in scope with their rules, and for those who manage
plans (CEO, ADMIN, FINANCE in scope) the plan dialog (create, edit, retire) and the rule editor.

The rule editor checks the draft as the user types: each field's change (debounced by the input)
calls ``services.check_rule``, and every field ``Invalid`` names (``rate``, ``config.threshold``,
``config.tiers[1].from``...) shows its message next to that field. "Preview" runs
``services.preview_rule`` (the draft over the last 30 days of its venture, nothing written) on a
worker thread. The domain decides every save; ``can_create`` only chooses which buttons show.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from typing import Any

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only, unit_of_work
from domain.errors import Conflict, DomainError, Invalid
from domain.incentives import services
from domain.incentives.models import CURRENCIES
from domain.incentives.queries import list_plans, metrics, readable_ventures
from domain.incentives.schemas import Preview
from domain.schemas import friendly_message
from rxapp.state.errors import form_errors
from rxapp.state.forms import Option, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState
from rxapp.views.incentives import (
    CALC_TYPES,
    PlanRow,
    PreviewLine,
    TierRow,
    plan_row,
    preview_line,
    rule_form_values,
    rule_payload,
    totals_text,
)

# The editor's scalar fields: state var -> the name the domain gives it in ``Invalid.fields``.
RULE_FIELDS = {
    "r_name": "name",
    "r_metric": "metric_key",
    "r_calc": "calc_type",
    "r_rate": "rate",
    "r_roles": "roles",
    "r_threshold": "config.threshold",
    "r_bonus": "config.bonus",
    "r_mode": "config.mode",
    "r_pom": "config.percent_of_margin",
    "r_min_margin": "config.min_margin_pct",
    "r_min_bill": "config.min_bill_amount",
}
_FORM_KEYS = {
    "r_name": "name",
    "r_metric": "metric_key",
    "r_calc": "calc_type",
    "r_rate": "rate",
    "r_roles": "roles",
    "r_threshold": "threshold",
    "r_bonus": "bonus",
    "r_mode": "mode",
    "r_pom": "percent_of_margin",
    "r_min_margin": "min_margin_pct",
    "r_min_bill": "min_bill_amount",
}
_TIER = re.compile(r"^config\.tiers\[(\d+)\]\.(from|to|rate)$")
_TIER_PARTS = {"from": "start", "to": "end", "rate": "rate"}
PLAN_LABELS = {
    "venture_id": "Venture",
    "name": "Name",
    "currency": "Currency",
    "effective_from": "Effective from",
    "effective_to": "Effective to",
    "status": "Status",
}


@dataclasses.dataclass
class TierEdit(TierRow):
    err_start: str = ""
    err_end: str = ""
    err_rate: str = ""


def _clean(tiers: list[TierEdit]) -> list[TierEdit]:
    return [TierEdit(t.start, t.end, t.rate) for t in tiers]


class IncentivePlansState(SessionState):
    plans: list[PlanRow] = []
    can_create: bool = False
    plan_ventures: list[Option] = []
    metric_options: list[Option] = []
    calc_options: list[Option] = [Option(k, v) for k, v in CALC_TYPES.items()]
    currency_options: list[Option] = [Option(c, c) for c in CURRENCIES]
    mode_options: list[Option] = [
        Option("marginal", "Marginal (each slab at its rate)"),
        Option("retro", "Retro (the whole value at the reached rate)"),
    ]
    status_options: list[Option] = [
        Option("DRAFT", "Draft (pays nothing yet)"),
        Option("ACTIVE", "Active"),
        Option("RETIRED", "Retired"),
    ]

    # -- plan dialog
    plan_open: bool = False
    plan_id: int = 0  # 0: a new plan
    plan_title: str = ""
    p_name: str = ""
    p_venture: str = ""
    p_currency: str = "USD"
    p_from: str = ""
    p_to: str = ""
    p_status: str = "DRAFT"
    plan_errors: dict[str, str] = {}
    plan_summary: list[str] = []
    plan_busy: bool = False
    plan_form_key: int = 0

    # -- rule dialog (controlled fields: checked as they change)
    rule_open: bool = False
    rule_id: int = 0  # 0: a new rule of rule_plan_id
    rule_plan_id: int = 0
    rule_title: str = ""
    r_name: str = ""
    r_metric: str = ""
    r_calc: str = "PERCENT_OF_METRIC"
    r_rate: str = ""
    r_roles: str = ""
    r_enabled: bool = True
    r_threshold: str = ""
    r_bonus: str = ""
    r_mode: str = "marginal"
    r_pom: str = ""
    r_min_margin: str = ""
    r_min_bill: str = ""
    tiers: list[TierEdit] = []
    e_name: str = ""
    e_metric: str = ""
    e_calc: str = ""
    e_rate: str = ""
    e_roles: str = ""
    e_threshold: str = ""
    e_bonus: str = ""
    e_mode: str = ""
    e_pom: str = ""
    e_min_margin: str = ""
    e_min_bill: str = ""
    e_tiers: str = ""
    rule_summary: list[str] = []
    rule_valid: bool = False
    rule_busy: bool = False

    # -- what-if preview
    preview_busy: bool = False
    preview_period: str = ""
    preview_totals: str = ""
    preview_rows: list[PreviewLine] = []
    previewed: bool = False

    # -- page ------------------------------------------------------------------------------------

    def _refresh(self, actor: Actor) -> None:
        with read_only() as uow:
            plans = list_plans(uow, actor)
            ventures = readable_ventures(uow, actor)
        self.plans = [plan_row(p) for p in plans]
        self.can_create = actor.can("incentives.plans.manage")
        self.plan_ventures = [Option(str(i), c) for i, c in ventures]
        self.metric_options = [Option(m.key, f"{m.label} ({m.key})") for m in metrics()]

    @rx.event
    @guarded(page="incentives_plans")
    def load(self, actor: Actor):
        self._refresh(actor)
        self._ready("incentives_plans")

    # -- plans -----------------------------------------------------------------------------------

    def _plan_reset(self) -> None:
        self.plan_errors, self.plan_summary = {}, []
        self.plan_form_key += 1

    @rx.event
    @guarded
    def new_plan(self, actor: Actor):
        self.plan_id, self.plan_title = 0, "New plan"
        self.p_name, self.p_currency, self.p_from, self.p_to, self.p_status = (
            "",
            "USD",
            "",
            "",
            "DRAFT",
        )
        self.p_venture = self.plan_ventures[0].value if self.plan_ventures else ""
        self._plan_reset()
        self.plan_open = True

    @rx.event
    @guarded
    def edit_plan(self, actor: Actor, plan_id: int):
        with read_only() as uow:
            p = services.plan_of(uow, actor, int(plan_id))
        self.plan_id, self.plan_title = p.id, f"Edit plan {p.name}"
        self.p_name, self.p_venture, self.p_currency = p.name, str(p.venture_id), p.currency
        self.p_from = p.effective_from.isoformat()
        self.p_to = p.effective_to.isoformat() if p.effective_to else ""
        self.p_status = p.status.value
        self._plan_reset()
        self.plan_open = True

    @rx.event
    def set_plan_open(self, open: bool) -> None:
        self.plan_open = bool(open)

    def _plan_failed(self, exc: DomainError) -> Any:
        by_field, summary = form_errors(exc, PLAN_LABELS)
        if isinstance(exc, Conflict) and exc.fields:
            by_field = {k: f"Name {friendly_message(v)}" for k, v in exc.fields.items()}
            summary = list(by_field.values())
        self.plan_errors, self.plan_summary = by_field, summary
        return None

    @rx.event
    @guarded(busy="plan_busy", on_error=_plan_failed)
    def save_plan(self, actor: Actor, form_data: dict[str, Any]):
        data: dict[str, Any] = {
            "name": as_text(form_data.get("name"), 120),
            "effective_from": as_text(form_data.get("effective_from"), 10) or None,
            "effective_to": as_text(form_data.get("effective_to"), 10) or None,
            "status": as_text(form_data.get("status"), 10) or "DRAFT",
        }
        self.plan_errors, self.plan_summary = {}, []
        with unit_of_work() as uow:
            if self.plan_id:
                view = services.update_plan(uow, actor, self.plan_id, data)
                done = f"Plan {view.name} saved."
            else:
                data["venture_id"] = as_int(form_data.get("venture_id"))
                data["currency"] = as_text(form_data.get("currency"), 3)
                view = services.create_plan(uow, actor, data)
                done = f"Plan {view.name} created for {view.venture_code}."
        self.plan_open = False
        self._refresh(actor)
        return rx.toast.success(done)

    @rx.event
    @guarded
    def retire_plan(self, actor: Actor, plan_id: int):
        with unit_of_work() as uow:
            view = services.retire_plan(uow, actor, int(plan_id))
        self._refresh(actor)
        return rx.toast.success(f"Plan {view.name} is retired: it pays nothing from now on.")

    # -- rules -----------------------------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        v: dict[str, Any] = {key: getattr(self, var) for var, key in _FORM_KEYS.items()}
        v["enabled"] = self.r_enabled
        return v

    def _payload(self) -> dict[str, Any]:
        return rule_payload(self._values(), list(self.tiers))

    def _show_errors(self, fields: dict[str, str]) -> None:
        shown: set[str] = set()
        for var, key in RULE_FIELDS.items():
            message = ""
            for name, text in fields.items():
                if name == key or (key == "roles" and name.startswith("roles[")):
                    message = friendly_message(text)
                    shown.add(name)
                    break
            setattr(self, f"e_{var[2:]}", message)
        tiers = _clean(self.tiers)
        self.e_tiers = ""
        for name, text in fields.items():
            m = _TIER.match(name)
            if m and int(m[1]) < len(tiers):
                setattr(tiers[int(m[1])], f"err_{_TIER_PARTS[m[2]]}", friendly_message(text))
                shown.add(name)
            elif name.startswith("config.tiers") or name == "config":
                self.e_tiers = friendly_message(text)
                shown.add(name)
        self.tiers = tiers
        self.rule_summary = [
            f"{k}: {friendly_message(v)}" for k, v in fields.items() if k not in shown
        ]

    def _check(self) -> None:
        """Validate the draft as it stands (no database): errors next to their fields."""
        try:
            services.check_rule(self._payload())
        except Invalid as exc:
            self._show_errors(exc.fields)
            self.rule_valid = False
            return
        self._show_errors({})
        self.rule_valid = True

    def _open_rule(self, values: dict[str, Any]) -> None:
        for var, key in _FORM_KEYS.items():
            setattr(self, var, str(values.get(key) or ""))
        self.r_enabled = bool(values.get("enabled", True))
        self.r_mode = self.r_mode or "marginal"
        self.tiers = [TierEdit(t.start, t.end, t.rate) for t in values.get("tiers", [])]
        self.preview_rows, self.preview_totals, self.preview_period = [], "", ""
        self.previewed = False
        self._check()
        self.rule_open = True

    @rx.event
    @guarded
    def new_rule(self, actor: Actor, plan_id: int):
        with read_only() as uow:
            p = services.plan_of(uow, actor, int(plan_id))
        self.rule_id, self.rule_plan_id = 0, p.id
        self.rule_title = f"New rule for {p.name}"
        first = self.metric_options[0].value if self.metric_options else ""
        self._open_rule({"metric_key": first, "calc_type": "PERCENT_OF_METRIC", "mode": "marginal"})

    @rx.event
    @guarded
    def edit_rule(self, actor: Actor, plan_id: int, rule_id: int):
        with read_only() as uow:
            p = services.plan_of(uow, actor, int(plan_id))
        rule = next((r for r in p.rules if r.id == int(rule_id)), None)
        if rule is None:
            return rx.toast.error("That rule is no longer in this plan.")
        self.rule_id, self.rule_plan_id = rule.id, p.id
        self.rule_title = f"Edit rule {rule.name} of {p.name}"
        self._open_rule(rule_form_values(rule))
        return None

    @rx.event
    def set_rule_open(self, open: bool) -> None:
        self.rule_open = bool(open)

    @rx.event
    @guarded
    def edit_field(self, actor: Actor, name: str, value: str):
        if name not in _FORM_KEYS:
            return
        setattr(self, name, as_text(value, 120))
        if name == "r_calc" and self.r_calc == "TIERED_SLAB" and not self.tiers:
            self.tiers = [TierEdit("0", "", "")]
        self.previewed = False
        self._check()

    @rx.event
    @guarded
    def toggle_enabled(self, actor: Actor, value: bool):
        self.r_enabled = bool(value)
        self._check()

    @rx.event
    @guarded
    def edit_tier(self, actor: Actor, index: int, part: str, value: str):
        i = int(index)
        if part not in ("start", "end", "rate") or not 0 <= i < len(self.tiers):
            return
        tiers = _clean(self.tiers)
        setattr(tiers[i], part, as_text(value, 30))
        self.tiers = tiers
        self.previewed = False
        self._check()

    @rx.event
    @guarded
    def add_tier(self, actor: Actor):
        tiers = _clean(self.tiers)
        if len(tiers) >= 20:
            return
        start = tiers[-1].end if tiers else "0"
        tiers.append(TierEdit(start, "", ""))
        self.tiers = tiers
        self._check()

    @rx.event
    @guarded
    def remove_tier(self, actor: Actor, index: int):
        i = int(index)
        tiers = _clean(self.tiers)
        if 0 <= i < len(tiers):
            tiers.pop(i)
        self.tiers = tiers
        self._check()

    def _rule_failed(self, exc: DomainError) -> Any:
        if isinstance(exc, Invalid):
            self._show_errors(exc.fields)
            return None
        if isinstance(exc, Conflict) and exc.fields:
            self._show_errors(exc.fields)
            return None
        return rx.toast.error(exc.message)

    @rx.event
    @guarded(busy="rule_busy", on_error=_rule_failed)
    def save_rule(self, actor: Actor):
        payload = self._payload()
        with unit_of_work() as uow:
            if self.rule_id:
                view = services.update_rule(uow, actor, self.rule_id, payload)
                done = f"Rule {view.name} saved: {view.summary}."
            else:
                view = services.add_rule(uow, actor, self.rule_plan_id, payload)
                done = f"Rule {view.name} added: {view.summary}."
        self.rule_open = False
        self._refresh(actor)
        return rx.toast.success(done)

    @rx.event(background=True)
    @guarded(busy="preview_busy")
    async def preview(self, actor: Actor):
        async with self:
            plan_id, payload = self.rule_plan_id, self._payload()
        try:
            result: Preview = await asyncio.to_thread(
                services.preview_rule, actor, plan_id, payload
            )
        except Invalid as exc:
            async with self:
                self._show_errors(exc.fields)
            yield rx.toast.error("Fix the rule before previewing it.")
            return
        async with self:
            self.preview_rows = [preview_line(r) for r in result.rows]
            self.preview_totals = totals_text(result.totals)
            self.preview_period = (
                f"{result.venture_code}, {result.start:%d %b %Y} to {result.end:%d %b %Y}: "
                f"{len(result.rows)} people would be paid (nothing is written)."
            )
            self.previewed = True
