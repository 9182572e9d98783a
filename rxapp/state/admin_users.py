"""/admin/users: list (search, role, status, cursor pages), create, edit (name, role, ventures,
offices), reset password, deactivate / reactivate, and "act as" for the CEO and administrators.

Every handler re-resolves the Actor and calls ``org.services`` / ``access.auth``; those decide
(HR_ADMIN may not grant ADMIN, nobody but the CEO touches the CEO, nobody impersonates a CEO...).
The buttons shown follow the same permission table, for display only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.access.auth import start_impersonation
from domain.access.permissions import GRANTABLE_BY
from domain.access.roles import ALL, ROLE_SCOPES, Role
from domain.db import UnitOfWork, read_only, unit_of_work
from domain.errors import DomainError, Invalid
from domain.org.queries import get_user, list_offices, list_users, list_ventures
from domain.org.schemas import UserView
from domain.org.services import (
    assign_role,
    create_user,
    deactivate_user,
    reactivate_user,
    set_password,
    set_user_ventures,
    update_user,
)
from domain.pagination import Page
from rxapp.export import CsvExport, ExportPlan, csv_time
from rxapp.format import fmt_datetime, initials, role_color, role_label
from rxapp.state.form_base import Form, Saved, in_unit_of_work, submits
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState

PAGE_SIZE = 25
LABELS = {
    "email": "Email",
    "name": "Name",
    "role": "Role",
    "password": "Password",
    "venture_ids": "Ventures",
    "office_ids": "Offices",
}
USER_FORM = Form(tuple(LABELS), LABELS, open="form_open")


@dataclasses.dataclass
class UserRow:
    id: int = 0
    name: str = ""
    initials: str = ""
    email: str = ""
    role: str = ""
    role_label: str = ""
    role_color: str = "gray"
    ventures: str = ""
    offices: str = ""
    status: str = ""
    status_color: str = "gray"
    last_login: str = ""
    is_active: bool = True
    is_self: bool = False
    can_manage: bool = False
    can_act_as: bool = False


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


@dataclasses.dataclass
class OfficeOption:
    id: str = ""
    name: str = ""
    venture_id: str = ""
    venture_code: str = ""


def _ids(form_data: dict[str, Any], prefix: str) -> list[int]:
    out = []
    for key, value in form_data.items():
        if key.startswith(prefix) and value not in (None, "", False, "off"):
            try:
                out.append(int(key.removeprefix(prefix)))
            except ValueError:
                continue
    return sorted(set(out))


def _short_list(names: list[str], keep: int = 2) -> str:
    if not names:
        return "No offices"
    if len(names) <= keep + 1:
        return ", ".join(names)
    return f"{', '.join(names[:keep])} and {len(names) - keep} more"


def _row(actor: Actor, u: UserView) -> UserRow:
    all_ventures = ROLE_SCOPES[u.role][0] == ALL
    all_offices = ROLE_SCOPES[u.role][1] == ALL
    now_locked = u.locked_until is not None and u.is_active
    if u.is_service_account:
        status, color = "Service", "blue"
    elif not u.is_active:
        status, color = "Deactivated", "gray"
    elif now_locked:
        locked = u.locked_until is not None and u.locked_until > clock.now()
        status, color = ("Locked", "amber") if locked else ("Active", "green")
    else:
        status, color = "Active", "green"
    return UserRow(
        id=u.id,
        name=u.name,
        initials=initials(u.name),
        email=u.email,
        role=u.role.value,
        role_label=role_label(u.role),
        role_color=role_color(u.role),
        ventures="All ventures" if all_ventures else (", ".join(u.venture_codes) or "No ventures"),
        offices="All offices" if all_offices else _short_list(u.office_names),
        status=status,
        status_color=color,
        last_login=fmt_datetime(u.last_login_at, empty="Never"),
        is_active=u.is_active,
        is_self=u.id == actor.real_user_id,
        can_manage=u.can_manage,
        can_act_as=u.can_act_as,
    )


CSV_HEADER = (
    "Name",
    "Email",
    "Role",
    "Status",
    "Ventures",
    "Offices",
    "Last sign-in (UTC)",
    "Created (UTC)",
)


def _csv_row(u: UserView) -> list[str]:
    """Full lists (not "and 3 more") and UTC times, for HR's spreadsheet."""
    scopes = ROLE_SCOPES[u.role]
    status = (
        "Service"
        if u.is_service_account
        else "Deactivated"
        if not u.is_active
        else "Locked"
        if u.locked_until is not None and u.locked_until > clock.now()
        else "Active"
    )
    return [
        u.name,
        u.email,
        role_label(u.role),
        status,
        "All ventures" if scopes[0] == ALL else "; ".join(u.venture_codes),
        "All offices" if scopes[1] == ALL else "; ".join(u.office_names),
        csv_time(u.last_login_at),
        csv_time(u.created_at),
    ]


class AdminUsersState(CsvExport, SessionState):
    rows: list[UserRow] = []
    search_text: str = ""
    role_filter: str = "all"
    status_filter: str = "active"
    has_next: bool = False
    page_index: int = 0
    total: int = 0  # every user the filters match (a cheap count)
    can_manage: bool = False
    all_roles: list[Option] = []
    grantable_roles: list[Option] = []
    venture_choices: list[Option] = []
    office_choices: list[OfficeOption] = []

    # create / edit dialog
    form_open: bool = False
    form_mode: str = "create"  # create | edit
    form_name: str = ""
    form_email: str = ""
    form_role: str = ""
    form_venture_ids: list[str] = []
    form_office_ids: list[str] = []
    err: dict[str, str] = dict.fromkeys(LABELS, "")
    errors: list[str] = []
    busy: bool = False

    # reset password dialog
    reset_open: bool = False
    reset_name: str = ""
    reset_error: str = ""

    # confirmation dialog (deactivate, reactivate, act as)
    confirm_open: bool = False
    confirm_title: str = ""
    confirm_text: str = ""
    confirm_label: str = ""
    confirm_danger: bool = True

    _cursors: list[str] = []
    _edit_id: int | None = None
    _confirm_action: str = ""
    _confirm_id: int | None = None

    @rx.var
    def page_summary(self) -> str:
        if not self.rows:
            return ""
        start = self.page_index * PAGE_SIZE + 1
        end = start + len(self.rows) - 1
        return f"Showing {start:,} to {end:,} of {self.total:,}"

    @rx.var
    def has_prev(self) -> bool:
        return self.page_index > 0

    # -- loading -------------------------------------------------------------------------------

    def _lister(self, actor: Actor) -> Callable[[UnitOfWork, str | None, int], Page[UserView]]:
        """The users query with the filters on screen (for the page and the export)."""
        role = None
        if self.role_filter != "all":
            try:
                role = Role(self.role_filter)
            except ValueError:
                self.role_filter = "all"
        search, include_inactive = self.search_text or None, self.status_filter != "active"

        def fetch(uow: UnitOfWork, cursor: str | None, size: int) -> Page[UserView]:
            return list_users(
                uow,
                actor,
                search=search,
                role=role,
                include_inactive=include_inactive,
                cursor=cursor,
                limit=size,
            )

        return fetch

    def _query(self, actor: Actor) -> None:
        cursor = self._cursors[self.page_index - 1] if self.page_index > 0 else None
        with read_only() as uow:
            page = self._lister(actor)(uow, cursor, PAGE_SIZE)
        self.rows = [_row(actor, u) for u in page.items]
        self.total = page.total or 0
        self.has_next = page.has_more
        if page.has_more and page.next_cursor:
            del self._cursors[self.page_index :]
            self._cursors.append(page.next_cursor)

    def _export_plan(self, actor: Actor) -> ExportPlan[UserView]:
        return ExportPlan("users", "users", CSV_HEADER, self._lister(actor), _csv_row)

    def _safe_query(self, actor: Actor) -> rx.event.EventSpec | None:
        try:
            self._query(actor)
        except DomainError as exc:
            self.rows, self.has_next = [], False
            return rx.toast.error(exc.message)
        return None

    def _options(self, actor: Actor) -> None:
        self.can_manage = actor.can("admin.users.manage")
        self.all_roles = [Option(r.value, role_label(r)) for r in Role]
        self.grantable_roles = [
            Option(r.value, role_label(r)) for r in Role if actor.role in GRANTABLE_BY[r]
        ]
        with read_only() as uow:
            ventures = list_ventures(uow, actor, include_inactive=True)
            offices = list_offices(uow, actor)
        codes = {v.id: v.code for v in ventures}
        self.venture_choices = [Option(str(v.id), f"{v.name} ({v.code})") for v in ventures]
        self.office_choices = [
            OfficeOption(str(o.id), o.name, str(o.venture_id), codes.get(o.venture_id, ""))
            for o in sorted(offices, key=lambda o: (codes.get(o.venture_id, ""), o.name))
        ]

    @rx.event
    @guarded(page="admin_users")
    def load(self, actor: Actor):
        q = dict(self.router.url.query_parameters).get("q") if self._has_router() else None
        if q:
            self.search_text = q[:100]
        self.page_index, self._cursors = 0, []
        self._options(actor)
        self._query(actor)
        self._ready("admin_users")
        return None

    def _has_router(self) -> bool:
        try:
            return bool(self.router.url)
        except Exception:
            return False

    @rx.event
    @guarded
    def apply_filters(self, actor: Actor, form_data: dict[str, Any]):
        self.search_text = str(form_data.get("search") or "").strip()[:100]
        self.role_filter = str(form_data.get("role") or "all")
        status = str(form_data.get("status") or "active")
        self.status_filter = status if status in ("active", "all") else "active"
        self.page_index, self._cursors = 0, []
        return self._safe_query(actor)

    @rx.event
    @guarded
    def next_page(self, actor: Actor):
        if not self.has_next or len(self._cursors) <= self.page_index:
            return None
        self.page_index += 1
        return self._safe_query(actor)

    @rx.event
    @guarded
    def prev_page(self, actor: Actor):
        if self.page_index == 0:
            return None
        self.page_index -= 1
        return self._safe_query(actor)

    # -- create / edit -------------------------------------------------------------------------

    @rx.event
    def open_create(self) -> None:
        USER_FORM.clear(self)
        self.form_mode, self._edit_id = "create", None
        self.form_name = self.form_email = ""
        self.form_role = (
            "EMPLOYEE" if any(o.value == "EMPLOYEE" for o in self.grantable_roles) else ""
        )
        self.form_venture_ids, self.form_office_ids = [], []
        self.form_open = True

    @rx.event
    @guarded
    def open_edit(self, actor: Actor, user_id: int):
        with read_only() as uow:
            u = get_user(uow, actor, int(user_id))
        USER_FORM.clear(self)
        self.form_mode, self._edit_id = "edit", u.id
        self.form_name, self.form_email, self.form_role = u.name, u.email, u.role.value
        self.form_venture_ids = [str(v) for v in u.venture_ids]
        self.form_office_ids = [str(o) for o in u.office_ids]
        self.form_open = True
        return None

    @rx.event
    def set_form_open(self, open: bool) -> None:
        self.form_open = bool(open)

    @rx.event(background=True)
    @submits(USER_FORM)
    async def save_user(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            mode, edit_id = self.form_mode, self._edit_id
            name = str(form_data.get("name") or "").strip()
            role = str(form_data.get("role") or "").strip()
            venture_ids = _ids(form_data, "venture_")
            office_ids = _ids(form_data, "office_")
            self.form_name, self.form_role = name, role
            self.form_venture_ids = [str(v) for v in venture_ids]
            self.form_office_ids = [str(o) for o in office_ids]
            email = str(form_data.get("email") or "").strip()
            if mode == "create":
                self.form_email = email
            password = str(form_data.get("password") or "")
        if mode == "create":
            data: dict[str, Any] = {
                "email": email,
                "name": name,
                "role": role,
                "venture_ids": venture_ids,
                "office_ids": office_ids,
            }
            if password:
                data["password"] = password
            view = await in_unit_of_work(create_user, actor, data)
            message = f"{view.name} can now sign in as {view.email}."
        else:
            if edit_id is None:
                raise Invalid.field("user", "choose a user to edit")
            view = await in_unit_of_work(
                _update, actor, edit_id, name, role, venture_ids, office_ids
            )
            message = f"Saved {view.name}."
        async with self:
            if mode == "create":
                self.search_text, self.page_index, self._cursors = view.email, 0, []
            self._query(actor)
        return Saved(message)

    # -- reset password ------------------------------------------------------------------------

    @rx.event
    def open_reset(self, user_id: int) -> None:
        row = next((r for r in self.rows if r.id == int(user_id)), None)
        if row is None:
            return
        self._edit_id, self.reset_name = row.id, row.name
        self.reset_error = ""
        self.reset_open = True

    @rx.event
    def set_reset_open(self, open: bool) -> None:
        self.reset_open = bool(open)

    def _reset_failed(self, exc: DomainError) -> None:
        if isinstance(exc, Invalid):
            self.reset_error = "Password " + next(iter(exc.fields.values()), exc.message)
        else:
            self.reset_error = exc.message

    @rx.event(background=True)
    @guarded(busy="busy", on_error=_reset_failed)
    async def reset_password(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            user_id, name = self._edit_id, self.reset_name
            self.reset_error = ""
        password = str(form_data.get("new_password") or "")
        if user_id is None:
            raise Invalid.field("password", "choose a user first")
        await in_unit_of_work(set_password, actor, user_id, password)
        async with self:
            self.reset_open = False
            self._query(actor)
        yield rx.toast.success(f"New password set for {name}; their sessions have ended.")

    # -- deactivate / reactivate / act as (confirmed) ------------------------------------------

    @rx.event
    def ask(self, action: str, user_id: int) -> None:
        row = next((r for r in self.rows if r.id == int(user_id)), None)
        if row is None or action not in ("deactivate", "reactivate", "act_as"):
            return
        self._confirm_action, self._confirm_id = action, row.id
        if action == "deactivate":
            self.confirm_title = f"Deactivate {row.name}?"
            self.confirm_text = (
                f"{row.name} ({row.email}) can no longer sign in. Their open sessions and API "
                "tokens end now. Their records stay, and you can reactivate them later."
            )
            self.confirm_label, self.confirm_danger = "Deactivate", True
        elif action == "reactivate":
            self.confirm_title = f"Reactivate {row.name}?"
            self.confirm_text = (
                f"{row.name} can sign in again with their password or an emailed code, with "
                f"their current role ({row.role_label}) and ventures."
            )
            self.confirm_label, self.confirm_danger = "Reactivate", False
        else:
            self.confirm_title = f"Act as {row.name}?"
            self.confirm_text = (
                f"You will see exactly what {row.name} ({row.role_label}) sees until you press "
                "“Stop acting”. The start, the end and everything you do are recorded in the "
                "audit log under your own name."
            )
            self.confirm_label, self.confirm_danger = f"Act as {row.name}", False
        self.confirm_open = True

    @rx.event
    def set_confirm_open(self, open: bool) -> None:
        self.confirm_open = bool(open)

    @rx.event
    @guarded
    def confirm(self, actor: Actor):
        action, user_id = self._confirm_action, self._confirm_id
        self.confirm_open = False
        self._confirm_action, self._confirm_id = "", None
        if user_id is None or not action:
            return None
        with unit_of_work() as uow:
            if action == "deactivate":
                view = deactivate_user(uow, actor, user_id)
                message = f"{view.name} is deactivated."
            elif action == "reactivate":
                view = reactivate_user(uow, actor, user_id)
                message = f"{view.name} is active again."
            else:
                target = start_impersonation(uow, actor, user_id)
                message = f"You are now acting as {target.name}."
        if action == "act_as":
            self.venture_filter = ""
            return [rx.toast.success(message), rx.redirect("/")]
        self._query(actor)
        return rx.toast.success(message)


def _update(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    name: str,
    role: str,
    venture_ids: list[int],
    office_ids: list[int],
) -> UserView:
    """Name, role and memberships in one transaction (the caller's): all of it or nothing."""
    current = get_user(uow, actor, user_id)
    view = current
    if name != current.name:
        view = update_user(uow, actor, user_id, {"name": name})
    if role != current.role.value:
        view = assign_role(uow, actor, user_id, role)
    if venture_ids != sorted(current.venture_ids) or office_ids != sorted(current.office_ids):
        view = set_user_ventures(uow, actor, user_id, venture_ids, office_ids)
    return view
