"""Sign-in: email + password, or an emailed six-digit code (the second way in).

The checks that cost time (argon2 verification, ~0.1 s) run in a background event on a worker
thread, so a burst of sign-ins never blocks other users' events on the same worker.
"""

from __future__ import annotations

import asyncio
from urllib.parse import unquote

import reflex as rx

from domain.access.auth import (
    LoginResult,
    login_with_code,
    login_with_password,
    request_login_code,
)
from domain.db import unit_of_work
from domain.errors import DomainError, Invalid, RateLimited
from rxapp.format import set_viewer_timezone
from rxapp.state.session import SessionState, safe_next

CODE_SENT = (
    "If an account exists for {email}, a 6-digit code is on its way. It is valid for 10 "
    "minutes and works once."
)


def _password_login(email: str, password: str, ip: str | None, ua: str | None) -> LoginResult:
    with unit_of_work() as uow:
        return login_with_password(uow, email, password, ip=ip, user_agent=ua)


def _code_login(email: str, code: str, ip: str | None, ua: str | None) -> LoginResult:
    with unit_of_work() as uow:
        return login_with_code(uow, email, code, ip=ip, user_agent=ua)


def _send_code(email: str, ip: str | None) -> None:
    with unit_of_work() as uow:
        request_login_code(uow, email, ip=ip)


def _message(exc: DomainError) -> tuple[str, str]:
    """(message, kind) of a failed sign-in; the domain's wording is written for users. A locked
    account answers exactly like a wrong password (the domain does not tell them apart, so an
    attacker cannot learn that an account exists)."""
    if isinstance(exc, RateLimited):
        return exc.message, "error"
    if isinstance(exc, Invalid):
        return "Check the email address and try again.", "error"
    return exc.message, "error"


class LoginState(SessionState):
    # "password" | "code" (ask for an email to send a code to) | "enter_code"
    mode: str = "password"
    code_email: str = ""
    notice: str = ""
    notice_kind: str = ""  # error | info | success
    busy: bool = False
    next_path: str = "/"

    @rx.var
    def code_mode(self) -> bool:
        return self.mode != "password"

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        """On_load of /login: remember where to go next; skip the form when signed in."""
        params = dict(self.router.url.query_parameters)
        self.next_path = safe_next(params.get("next"))
        self.busy = False
        if params.get("changed") == "1":
            self.notice = "Your password was changed. Sign in with the new one."
            self.notice_kind = "success"
        elif params.get("ended") == "1" and not self.notice:
            self.notice, self.notice_kind = "Your session has ended. Please sign in again.", "info"
        if self.token and self._actor() is not None:
            return rx.redirect(self.next_path, replace=True)
        return None

    @rx.event
    def toggle_code_mode(self) -> None:
        self.mode = "password" if self.mode != "password" else "code"
        self.notice, self.notice_kind = "", ""

    @rx.event(background=True)
    async def submit(self, form_data: dict[str, str]):
        async with self:
            if self.busy:
                return
            mode = self.mode
            email = (form_data.get("email") or self.code_email or "").strip()
            if mode == "enter_code":
                email = self.code_email
            ip, ua = self._client_ip(), self._user_agent()
            set_viewer_timezone(unquote(self.browser_timezone))
            if not email:
                self.notice, self.notice_kind = "Enter your work email.", "error"
                return
            self.busy = True
            self.notice, self.notice_kind = "", ""
        try:
            if mode == "code":
                await asyncio.to_thread(_send_code, email, ip)
                async with self:
                    self.mode, self.code_email = "enter_code", email.lower()
                    self.notice = CODE_SENT.format(email=email.lower())
                    self.notice_kind = "success"
                    self.busy = False
                yield rx.set_focus("login-code")
                return
            if mode == "enter_code":
                result = await asyncio.to_thread(
                    _code_login, email, form_data.get("code") or "", ip, ua
                )
            else:
                result = await asyncio.to_thread(
                    _password_login, email, form_data.get("password") or "", ip, ua
                )
        except DomainError as exc:
            async with self:
                self.notice, self.notice_kind = _message(exc)
                self.busy = False
            return
        async with self:
            self.token = result.token
            self.venture_filter = ""
            self.mode, self.code_email = "password", ""
            self.notice, self.notice_kind = "", ""
            self.busy = False
            target = self.next_path
        yield rx.redirect(target, replace=True)

    @rx.event
    def start_over(self) -> None:
        """From the code entry step back to the email step (wrong address, new code)."""
        self.mode = "code"
        self.notice, self.notice_kind = "", ""
