"""The signed-in session: token, the Actor behind it, and what the shell shows.

Security model (see docs/ARCHITECTURE.md, "Web UI"):

- The browser holds only an opaque session token, in the cookie ``vcc_session`` (set by the
  page's JavaScript, so not HttpOnly; SameSite=Strict; 7 days, the absolute session lifetime).
  The JSON API reads the same cookie, so one login serves both.
- Every page's on_load handler and every privileged handler resolves the Actor again from that
  token against the database (``_actor``/``_enter``): role, scope and impersonation always come
  from the database, never from a state variable. The display vars below (name, role, nav) are
  for rendering only.
- A client can call any public handler of any state with any arguments and can set client-storage
  vars (the token, the venture filter); it cannot set ordinary vars. So the public handler set of
  each state is kept small and asserted in tests/rx, and the domain services enforce scope and
  permissions on every call.
- A page renders its content only when ``ready_page`` names it, so a page never shows data left
  over from another page or user; ``denied_page`` shows the 403 panel inside the shell.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import quote, unquote

import reflex as rx

from domain.access.actor import Actor
from domain.access.auth import authenticate, logout, stop_impersonation
from domain.access.navigation import can_open, navigation
from domain.db import read_only, unit_of_work
from domain.errors import DomainError, Unauthenticated
from domain.observability.logs import new_request_id, set_request_id
from domain.org.queries import list_ventures
from rxapp.format import initials, role_color, role_label, set_viewer_timezone
from rxapp.state.guards import guarded

SESSION_COOKIE = "vcc_session"
VENTURE_COOKIE = "vcc_venture"
# The browser's IANA timezone, written by a script in the page head (TIMEZONE_COOKIE_JS) before
# the app hydrates. Display only: it picks the zone times are shown in, never a decision.
TIMEZONE_COOKIE = "vcc_tz"
TIMEZONE_COOKIE_JS = (
    "try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;"
    f"if(z)document.cookie='{TIMEZONE_COOKIE}='+encodeURIComponent(z)"
    "+';path=/;max-age=31536000;samesite=strict';}catch(e){}"
)
SESSION_MAX_AGE = 7 * 24 * 3600

SECTION_ICONS = {
    "command_center": "layout-dashboard",
    "freight": "truck",
    "hospitality": "hotel",
    "bpo": "headset",
    "saas": "cloud",
    "holdings": "landmark",
    "operations": "clipboard-list",
    "admin": "shield",
}


@dataclasses.dataclass
class NavPageRow:
    key: str = ""
    title: str = ""
    path: str = ""
    icon: str = "circle"


@dataclasses.dataclass
class NavSectionRow:
    key: str = ""
    title: str = ""
    icon: str = "circle"
    # A section whose only page is its overview shows as one link (its title), not a group.
    single: bool = False
    first_single: bool = False  # the first one-link section gets the "Sections" label
    home_key: str = ""
    home_path: str = ""
    pages: list[NavPageRow] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class VentureOption:
    id: str = ""
    code: str = ""
    name: str = ""
    section: str = ""


def safe_next(path: str | None) -> str:
    """A same-site path to return to after login (never another host: no open redirect)."""
    path = (path or "").strip()
    if not path.startswith("/") or path.startswith("//") or "\\" in path or "://" in path:
        return "/"
    if path.rstrip("/") == "/login":
        return "/"
    return path


def login_url(next_path: str | None = None, *, ended: bool = False) -> str:
    params = []
    target = safe_next(next_path)
    if target != "/":
        params.append(f"next={quote(target, safe='/')}")
    if ended:
        params.append("ended=1")
    return "/login" + ("?" + "&".join(params) if params else "")


class SessionState(rx.State):
    """Base of every signed-in state: the token, the Actor guard and the shell's display data."""

    token: str = rx.Cookie(
        "", name=SESSION_COOKIE, path="/", max_age=SESSION_MAX_AGE, same_site="strict"
    )
    # "" = all my ventures; else a venture id. Only ever narrows what the domain returns.
    venture_filter: str = rx.Cookie("", name=VENTURE_COOKIE, path="/", same_site="strict")
    sidebar_collapsed: str = rx.LocalStorage("0", name="vcc_sidebar")
    browser_timezone: str = rx.Cookie("", name=TIMEZONE_COOKIE, path="/", same_site="strict")

    # -- display only (never used for a decision) --------------------------------------------
    user_name: str = ""
    user_email: str = ""
    user_initials: str = ""
    role_label: str = ""
    role_color: str = "gray"
    impersonating: bool = False
    real_user_name: str = ""
    nav: list[NavSectionRow] = []
    venture_options: list[VentureOption] = []
    ready_page: str = ""
    denied_page: str = ""

    # -- guards (underscore: not callable by clients) ------------------------------------------

    def _actor(self) -> Actor | None:
        """The Actor of this browser's session token, resolved against the database.

        Every handler starts here, so this is also where the times of this handler are set to
        the viewer's timezone and where its log lines get a request id."""
        set_viewer_timezone(unquote(self.browser_timezone))
        set_request_id(new_request_id())  # every log line of this handler run carries it
        try:
            return authenticate(self.token)
        except Unauthenticated:
            return None

    def _current_path(self) -> str:
        try:
            return str(self.router.url.path) or "/"
        except Exception:  # no router data (unit tests)
            return "/"

    def _bounce(self) -> rx.event.EventSpec:
        """Forget everything shown and send the browser to the login page."""
        had_token = bool(self.token)
        self._clear_shell()
        self.token = ""
        return rx.redirect(login_url(self._current_path(), ended=had_token), replace=True)

    def _clear_shell(self) -> None:
        self.user_name = self.user_email = self.user_initials = ""
        self.role_label, self.role_color = "", "gray"
        self.impersonating, self.real_user_name = False, ""
        self.nav, self.venture_options = [], []
        self.ready_page = self.denied_page = ""

    def _enter(self, page_key: str) -> tuple[Actor | None, rx.event.EventSpec | None]:
        """Guard of every page's on_load: resolve the Actor, fill the shell, check the page.

        Returns ``(actor, None)`` when the page may load its data, ``(None, redirect)`` when
        the session is missing or ended, and ``(None, None)`` when the user may not open the
        page (the shell then shows the 403 panel).
        """
        self.ready_page = ""
        actor = self._actor()
        if actor is None:
            return None, self._bounce()
        with read_only() as uow:
            nav = navigation(uow, actor)
            allowed = can_open(uow, actor, page_key)
            ventures = list_ventures(uow, actor)
        self._fill_shell(actor, nav, ventures)
        self._venture_from_link()
        if not allowed:
            self._deny(page_key)
            return None, None
        self.denied_page = ""
        return actor, None

    def _deny(self, page_key: str) -> None:
        self.ready_page = ""
        self.denied_page = page_key

    def _ready(self, page_key: str) -> None:
        self.denied_page = ""
        self.ready_page = page_key

    def _fill_shell(self, actor: Actor, nav: list, ventures: list) -> None:
        self.user_name = actor.name
        self.user_email = actor.email
        self.user_initials = initials(actor.name)
        self.role_label = role_label(actor.role)
        self.role_color = role_color(actor.role)
        self.impersonating = actor.impersonating
        self.real_user_name = actor.real_name if actor.impersonating else ""
        self.nav = []
        seen_single = False
        for section in nav:
            pages = [
                NavPageRow(key=p.key, title=p.title, path=p.path, icon=p.icon)
                for p in section.pages
            ]
            single = len(pages) == 1 and pages[0].key == f"{section.key}_home"
            first_single, seen_single = single and not seen_single, seen_single or single
            self.nav.append(
                NavSectionRow(
                    key=section.key,
                    title=section.title,
                    icon=SECTION_ICONS.get(section.key, "circle"),
                    single=single,
                    first_single=first_single,
                    home_key=pages[0].key if single else "",
                    home_path=pages[0].path if single else "",
                    pages=pages,
                )
            )
        self.venture_options = [
            VentureOption(id=str(v.id), code=v.code, name=v.name, section=v.section)
            for v in ventures
        ]
        if self.venture_filter and self.venture_filter not in {o.id for o in self.venture_options}:
            self.venture_filter = ""

    def _venture_from_link(self) -> None:
        """A link to a venture's page (``?venture=<id>``, the overview's rows) chooses that
        venture in the header filter, when it is one of the options the server computed."""
        try:
            wanted = str(dict(self.router.url.query_parameters).get("venture") or "")
        except Exception:  # no router data (a handler called outside a page)
            return
        if wanted and wanted in {o.id for o in self.venture_options}:
            self.venture_filter = wanted

    def _filter_venture_id(self, actor: Actor) -> int | None:
        """The venture chosen in the header filter, if it is (still) in the actor's scope."""
        try:
            vid = int(self.venture_filter)
        except (TypeError, ValueError):
            return None
        return vid if actor.scope.allows_venture(vid) else None

    # -- public handlers (each one is a reviewed decision; see tests/rx) -------------------------

    @rx.event
    def logout(self) -> rx.event.EventSpec:
        token = self.token
        if token:
            try:
                with unit_of_work() as uow:
                    logout(uow, token, ip=self._client_ip())
            except DomainError:
                pass
        self._clear_shell()
        self.token = ""
        self.venture_filter = ""
        return rx.redirect("/login", replace=True)

    @rx.event
    def set_venture_filter(self, value: str) -> None:
        """Header filter: "all" or a venture id from the options the server computed."""
        value = str(value or "")
        allowed = {o.id for o in self.venture_options}
        self.venture_filter = value if value in allowed else ""

    @rx.event
    def toggle_sidebar(self) -> None:
        self.sidebar_collapsed = "0" if self.sidebar_collapsed == "1" else "1"

    @rx.event
    @guarded
    def stop_acting(self, actor: Actor) -> list[rx.event.EventSpec] | rx.event.EventSpec:
        if not actor.impersonating:
            return rx.redirect("/")
        with unit_of_work() as uow:
            stop_impersonation(uow, actor)
        self.venture_filter = ""
        return [
            rx.toast.success("You are yourself again."),
            rx.redirect("/admin/users"),
        ]

    # -- helpers -------------------------------------------------------------------------------

    def _client_ip(self) -> str | None:
        try:
            return str(self.router.session.client_ip) or None
        except Exception:
            return None

    def _user_agent(self) -> str | None:
        try:
            return str(self.router.headers.user_agent) or None
        except Exception:
            return None
