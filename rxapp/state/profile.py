"""/profile: who I am, change my password, my personal API tokens (shown once, revocable)."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.access.auth import change_password, create_api_token, list_api_tokens, revoke_api_token
from domain.db import read_only, unit_of_work
from domain.errors import DomainError, Invalid
from domain.org.queries import list_ventures
from rxapp.format import fmt_datetime
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState


@dataclasses.dataclass
class TokenRow:
    id: int = 0
    name: str = ""
    prefix: str = ""
    created: str = ""
    expires: str = ""
    last_used: str = ""
    status: str = ""
    status_color: str = "gray"
    active: bool = True


def _change(actor: Actor, current: str, new: str) -> None:
    with unit_of_work() as uow:
        change_password(uow, actor, current, new)


class ProfileState(SessionState):
    ventures_text: str = ""
    tokens: list[TokenRow] = []
    new_token: str = ""
    new_token_name: str = ""
    token_error: str = ""
    token_days_error: str = ""
    err_current: str = ""
    err_new: str = ""
    err_confirm: str = ""
    pw_error: str = ""
    busy: bool = False
    can_change_password: bool = True

    def _refresh_tokens(self, actor: Actor) -> None:
        with read_only() as uow:
            views = list_api_tokens(uow, actor)
        now = clock.now()
        rows = []
        for t in reversed(views):
            if t.revoked_at is not None:
                status, color, active = "Revoked", "gray", False
            elif t.expires_at <= now:
                status, color, active = "Expired", "amber", False
            else:
                status, color, active = "Active", "green", True
            rows.append(
                TokenRow(
                    id=t.id,
                    name=t.name,
                    prefix=t.prefix + "…",
                    created=fmt_datetime(t.created_at),
                    expires=fmt_datetime(t.expires_at),
                    last_used=fmt_datetime(t.last_used_at, empty="Never"),
                    status=status,
                    status_color=color,
                    active=active,
                )
            )
        self.tokens = rows

    @rx.event
    @guarded(page="profile")
    def load(self, actor: Actor):
        with read_only() as uow:
            ventures = list_ventures(uow, actor)
        self.ventures_text = (
            "All ventures"
            if actor.scope.all_ventures
            else ", ".join(f"{v.name} ({v.code})" for v in ventures) or "No ventures assigned"
        )
        self.can_change_password = not actor.impersonating
        self.new_token = self.new_token_name = ""
        self.token_error = self.token_days_error = ""
        self.err_current = self.err_new = self.err_confirm = self.pw_error = ""
        self._refresh_tokens(actor)
        self._ready("profile")
        return None

    def _password_failed(self, exc: DomainError) -> None:
        if not isinstance(exc, Invalid):
            self.pw_error = exc.message
            return
        wrong = "current_password" in exc.fields
        self.err_current = "That is not your current password." if wrong else ""
        problem = exc.fields.get("new_password", "")
        self.err_new = f"The new password {problem}." if problem else ""

    @rx.event(background=True)
    @guarded(busy="busy", on_error=_password_failed)
    async def change_password(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            self.err_current = self.err_new = self.err_confirm = self.pw_error = ""
        current = str(form_data.get("current_password") or "")
        new = str(form_data.get("new_password") or "")
        confirm = str(form_data.get("confirm_password") or "")
        if new != confirm:
            async with self:
                self.err_confirm = "The two new passwords are not the same."
            return
        await asyncio.to_thread(_change, actor, current, new)
        async with self:
            self._clear_shell()
            self.token = ""
        yield rx.redirect("/login?changed=1", replace=True)

    @rx.event
    @guarded
    def create_token(self, actor: Actor, form_data: dict[str, Any]):
        name = str(form_data.get("name") or "").strip()
        self.token_error = self.token_days_error = ""
        try:
            days = int(str(form_data.get("days") or "90"))
        except ValueError:
            self.token_days_error = "Valid for must be a number of days (1 to 366)."
            return None
        try:
            with unit_of_work() as uow:
                view, raw = create_api_token(uow, actor, name=name or "API token", days=days)
        except Invalid as exc:
            if "days" in exc.fields:
                self.token_days_error = "Valid for " + exc.fields["days"] + "."
            self.token_error = exc.fields.get("name", "") and "Name " + exc.fields["name"] + "."
            return None
        except DomainError as exc:
            self.token_error = exc.message
            return None
        self.new_token, self.new_token_name = raw, view.name
        self._refresh_tokens(actor)
        return rx.toast.success(f"Token “{view.name}” created. Copy it now: it is shown once.")

    @rx.event
    def dismiss_token(self) -> None:
        self.new_token = self.new_token_name = ""

    @rx.event
    @guarded
    def revoke_token(self, actor: Actor, token_id: int):
        with unit_of_work() as uow:
            view = revoke_api_token(uow, actor, int(token_id))
        self._refresh_tokens(actor)
        return rx.toast.success(f"Token “{view.name}” revoked. Scripts using it stop working now.")
