"""Display formatting for the web UI: dates, times, roles, venture types. Pure functions.

Dates follow ui.md (``27 Nov 2026``, ``domain.clock.format_business_date``); timestamps are shown
in the viewer's timezone with the zone abbreviation (``27 Nov 2026, 14:05 EST``). The browser
reports its IANA zone in a cookie; the session guard validates it and sets it for the handler
being run (``set_viewer_timezone``), so row builders need no extra argument. Without a valid zone
(first request, a forged cookie, tests) the group timezone is used.
"""

from __future__ import annotations

import contextvars
from datetime import date, datetime

from domain import clock
from domain.access.roles import ROLE_LABELS, Role
from domain.settings import get_settings

VENTURE_TYPE_LABELS = {
    "LOGISTICS": "Logistics",
    "TRANSPORT": "Transport",
    "HOSPITALITY": "Hospitality",
    "BPO": "BPO",
    "SAAS": "SaaS",
    "HOLDINGS": "Holdings",
}

# Radix colour of each role's badge: leadership in the accent, oversight roles distinct.
ROLE_COLORS = {
    "CEO": "indigo",
    "ADMIN": "indigo",
    "COO": "indigo",
    "VENTURE_HEAD": "violet",
    "OFFICE_MANAGER": "cyan",
    "TEAM_LEAD": "cyan",
    "FINANCE": "green",
    "ACCOUNTING": "green",
    "AUDITOR": "orange",
    "HR_ADMIN": "pink",
}


def role_label(role: Role | str) -> str:
    try:
        return ROLE_LABELS[Role(role)]
    except ValueError:
        return str(role)


def role_color(role: Role | str) -> str:
    return ROLE_COLORS.get(str(role), "gray")


def venture_type_label(vtype: object) -> str:
    return VENTURE_TYPE_LABELS.get(str(vtype), str(vtype).title())


def fmt_date(day: date | None) -> str:
    return clock.format_business_date(day) if day else ""


_viewer_tz: contextvars.ContextVar[str | None] = contextvars.ContextVar("viewer_tz", default=None)


def set_viewer_timezone(name: str | None) -> str:
    """Use ``name`` (an IANA zone the browser reported) for the times formatted from now on in
    this handler; anything that is not a known zone falls back to the group timezone. Returns
    the zone in use."""
    zone = name if name and clock.is_valid_timezone(name) else None
    _viewer_tz.set(zone)
    return zone or get_settings().group_timezone


def viewer_timezone() -> str:
    return _viewer_tz.get() or get_settings().group_timezone


def fmt_datetime(instant: datetime | None, *, empty: str = "") -> str:
    """``27 Nov 2026, 14:05 EST`` in the viewer's timezone; ``empty`` when there is no value."""
    if instant is None:
        return empty
    local = clock.local_time(instant, viewer_timezone())
    return f"{clock.format_business_date(local.date())}, {local:%H:%M} {local:%Z}"


def fmt_time(instant: datetime) -> str:
    """``14:05 IST``: a time later today in the viewer's timezone (an unlock time)."""
    return clock.local_time(instant, viewer_timezone()).strftime("%H:%M %Z")


def timezone_label() -> str:
    """The viewer's zone as shown next to times (``EST``, ``IST``), with its IANA name when the
    abbreviation is only an offset (``+04``)."""
    tz = viewer_timezone()
    abbr = clock.local_time(clock.now(), tz).strftime("%Z")
    return abbr if abbr[:1].isalpha() else f"{tz} ({abbr})"


def group_timezone_label() -> str:
    """The group timezone's abbreviation: business-date filters of group-wide lists use it."""
    return clock.local_time(clock.now(), get_settings().group_timezone).strftime("%Z")


def greeting(now: datetime | None = None) -> str:
    local = clock.local_time(now or clock.now(), viewer_timezone())
    if local.hour < 12:
        return "Good morning"
    if local.hour < 18:
        return "Good afternoon"
    return "Good evening"


def initials(name: str) -> str:
    parts = [p for p in name.split() if p]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2].upper()
    return (parts[0][0] + parts[-1][0]).upper()


def humanize_key(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def describe_detail(detail: dict[str, object]) -> str:
    """An audit row's JSON detail as readable ``key: value`` pairs (never raw JSON)."""
    parts = []
    for key, value in detail.items():
        if value is None or value == "" or value == [] or value == {}:
            continue
        if isinstance(value, dict):
            inner = ", ".join(
                f"{humanize_key(str(k)).lower()} {_plain(v)}" for k, v in value.items()
            )
            parts.append(f"{humanize_key(key)}: {inner}")
        else:
            parts.append(f"{humanize_key(key)}: {_plain(value)}")
    return " · ".join(parts)


def _plain(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_plain(v)}" for k, v in value.items())
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and "T" in value:
        try:
            return fmt_datetime(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)
