"""The morning email digest of the briefing (spec/briefing-and-dashboards.md; issue 16, item 2).

For a business date D (yesterday when the scheduler fires, after the briefing runs), each
leadership reader (CEO, ADMIN, COO, VENTURE_HEAD; active people, not service accounts) gets one
plain-text email with the items of D they would see on the briefing page, and only those:
``queries.briefing_day`` with their own actor decides (their ventures, the sections they may
read, the entities they may open). A reader with no item gets no email.

Once per (reader, date). The claim is the insert of the ``briefing_digest`` row (unique user and
date): whoever inserts it sends; a second run, or the same run on another connection at the
same time, finds the row and sends nothing. The email is handed to the sender after the claim
commits, outside any transaction, and its answer is written at once (SENT with the provider's
message id, or FAILED with the reason). A FAILED digest is claimed again by the next run (one
atomic UPDATE FAILED -> SENDING); a SENDING row left by a process that died in between is never
sent again on its own (whether the provider got it is unknown), exactly like outreach.

Optional twice: each reader switches their own email off (and on again) on the briefing page or
with ``PUT /api/v1/me/briefing-digest`` (``DigestPreference``; no row: they receive it); a reader
who switched it off is listed in the run as ``opted_out`` and gets nothing. An operator can stop
the digest for everyone by disabling the ``briefing-digest`` job in the schedule (``enabled =
false``, docs/RUNBOOK.md).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import StrictBool
from sqlalchemy import Engine, exists, update
from sqlmodel import col, select

from domain import clock
from domain.access.actor import Actor
from domain.access.roles import LEADERSHIP, Role
from domain.access.scope import actor_for
from domain.briefing.models import (
    SEVERITY_ORDER,
    BriefingDigest,
    DigestPreference,
    DigestStatus,
    Severity,
)
from domain.briefing.queries import BriefingDay, briefing_day
from domain.db import UnitOfWork, dialect_insert, get_engine, read_only, unit_of_work
from domain.errors import Forbidden
from domain.integrations.email import EmailSender, get_email_sender
from domain.org.models import User
from domain.schemas import Input, View, parse
from domain.settings import get_settings

log = logging.getLogger(__name__)

HEADINGS = {Severity.CRITICAL: "FIRES", Severity.WARN: "STORMS", Severity.INFO: "WINS"}


def subject_of(day: BriefingDay) -> str:
    return f"Briefing {clock.format_business_date(day.day)}: {day.summary}"


def body_of(name: str, day: BriefingDay, base_url: str) -> str:
    """The digest's text: the summary line, then fires, storms and wins, each grouped by
    venture, every item with its evidence link made absolute."""
    base = base_url.rstrip("/")
    lines = [
        f"Good morning {name},",
        "",
        f"The briefing of {clock.format_business_date(day.day)} for your ventures: {day.summary}.",
    ]
    for severity in SEVERITY_ORDER:
        items = [i for i in day.items if i.severity == severity]
        if not items:
            continue
        lines += ["", HEADINGS[severity]]
        by_venture: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for item in items:
            by_venture[(item.venture_code, item.venture_name)].append(item)
        for (code, vname), group in by_venture.items():
            lines.append(f"  {code} · {vname}")
            for item in group:
                text = f"  - {item.title}"
                if item.detail:
                    text += f": {item.detail}"
                lines.append(text)
                if item.link:
                    lines.append(f"    {base}{item.link}")
    if day.left_out:
        lines += ["", f"({day.left_out} more items on the briefing page.)"]
    lines += [
        "",
        f"Open the briefing: {base}/briefing?date={day.day.isoformat()}",
        "",
        "You receive this digest as a leader of these ventures; switch it off on the briefing",
        f'page ({base}/briefing, "Morning email").',
    ]
    return "\n".join(lines) + "\n"


@dataclass
class DigestRun:
    business_date: date
    dry_run: bool
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, Any]:
        def n(status: str) -> int:
            return sum(1 for r in self.rows if r["status"] == status)

        return {
            "readers": len(self.rows),
            "sent": n("sent"),
            "failed": n("failed"),
            "already": n("already"),
            "empty": n("empty"),
            "would_send": n("would_send"),
            "opted_out": n("opted_out"),
        }


def receives_digest(role: Role, is_service_account: bool) -> bool:
    """Whom the digest is for: leadership people (never a service account)."""
    return role in LEADERSHIP and not is_service_account


def _opted_out() -> Any:
    p = DigestPreference
    return exists().where(col(p.user_id) == col(User.id), col(p.receive).is_(False))


def readers(engine: Engine) -> list[tuple[int, str, bool]]:
    """(id, email, receives) of the active leadership people, by id; ``receives`` is False for
    one who switched the digest off."""
    with read_only(engine) as uow:
        rows = uow.session.execute(
            select(User.id, User.email, ~_opted_out())
            .where(
                col(User.role).in_(sorted(LEADERSHIP)),
                col(User.is_active).is_(True),
                col(User.is_service_account).is_(False),
            )
            .order_by(col(User.id))
        ).all()
    return [(int(i), str(e), bool(r)) for i, e, r in rows]


class DigestChoice(View):
    """The reader's morning email: whether it is for them at all, and whether they receive it."""

    eligible: bool
    receive: bool


class DigestChoiceInput(Input):
    receive: StrictBool


def _eligible(uow: UnitOfWork, actor: Actor) -> bool:
    user = uow.session.get(User, actor.user_id)
    return user is not None and receives_digest(actor.role, user.is_service_account)


def digest_choice(uow: UnitOfWork, actor: Actor) -> DigestChoice:
    """The acting user's own digest choice (impersonating: the impersonated user's)."""
    eligible = _eligible(uow, actor)
    pref = uow.session.get(DigestPreference, actor.user_id)
    return DigestChoice(eligible=eligible, receive=eligible and (pref is None or pref.receive))


def set_digest_choice(uow: UnitOfWork, actor: Actor, data: Any) -> DigestChoice:
    """Switch the acting user's own morning email on or off. Refused (Forbidden) for someone the
    digest is not for; ``receive`` must be true or false (Invalid naming it). One upsert on the
    user's key: two switches at once leave one row, the last one's."""
    inp = parse(DigestChoiceInput, data)
    if not _eligible(uow, actor):
        raise Forbidden("The morning email of the briefing goes to leadership only.")
    table = DigestPreference.__table__  # type: ignore[attr-defined]
    insert = dialect_insert(uow.session.get_bind())
    now = clock.now()
    stmt = insert(table).values(user_id=actor.user_id, receive=inp.receive, updated_at=now)
    uow.session.execute(
        stmt.on_conflict_do_update(
            index_elements=["user_id"], set_={"receive": inp.receive, "updated_at": now}
        )
    )
    uow.session.expire_all()
    return DigestChoice(eligible=True, receive=inp.receive)


def reader_day(engine: Engine, user_id: int, day: date) -> tuple[str, str, BriefingDay] | None:
    """(email, name, the reader's briefing of ``day``), None when they may not read it."""
    with read_only(engine) as uow:
        user = uow.session.get(User, user_id)
        if user is None or not user.is_active:
            return None
        actor = actor_for(uow.session, user)
        if not actor.can("page.briefing"):
            return None
        return user.email, user.name, briefing_day(uow, actor, day)


def claim(engine: Engine, user_id: int, day: date, items: int) -> bool:
    """Take the (reader, date) digest for sending: a new row, or a FAILED one again. False when
    it is sent or being sent (the unique key and one atomic UPDATE decide, never a read)."""
    table = BriefingDigest.__table__  # type: ignore[attr-defined]
    with unit_of_work(engine) as uow:
        conn = uow.session.connection()
        insert = dialect_insert(conn)
        new = conn.execute(
            insert(table)
            .values(
                user_id=user_id,
                business_date=day,
                status=DigestStatus.SENDING,
                items=items,
                attempts=1,
                created_at=clock.now(),
            )
            .on_conflict_do_nothing(index_elements=["user_id", "business_date"])
            .returning(table.c.id)
        ).first()
        if new is not None:
            return True
        again = conn.execute(
            update(table)
            .where(
                table.c.user_id == user_id,
                table.c.business_date == day,
                table.c.status == DigestStatus.FAILED,
            )
            .values(status=DigestStatus.SENDING, items=items, attempts=table.c.attempts + 1)
            .returning(table.c.id)
        ).first()
        return again is not None


def _answer(
    engine: Engine, user_id: int, day: date, message_id: str | None, error: str | None
) -> None:
    table = BriefingDigest.__table__  # type: ignore[attr-defined]
    values: dict[str, Any] = (
        {"status": DigestStatus.FAILED, "last_error": error[:1000]}
        if error is not None
        else {
            "status": DigestStatus.SENT,
            "provider_message_id": (message_id or "")[:200] or None,
            "last_error": None,
            "sent_at": clock.now(),
        }
    )
    with unit_of_work(engine) as uow:
        uow.session.execute(
            update(table)
            .where(table.c.user_id == user_id, table.c.business_date == day)
            .values(**values)
        )


def send_digest(
    engine: Engine, user_id: int, day: date, *, dry_run: bool, sender: EmailSender | None = None
) -> dict[str, Any] | None:
    """One reader's digest of ``day``: its result row, None for someone who reads no briefing."""
    found = reader_day(engine, user_id, day)
    if found is None:
        return None
    email, name, view = found
    row: dict[str, Any] = {
        "user_id": user_id,
        "email": email,
        "items": len(view.items),
        "fires": view.fires,
        "storms": view.storms,
        "wins": view.wins,
    }
    if not view.items:
        return row | {"status": "empty"}
    if dry_run:
        return row | {"status": "would_send"}
    if not claim(engine, user_id, day, len(view.items)):
        return row | {"status": "already"}
    message_id: str | None = None
    error: str | None = None
    try:
        message_id = (sender or get_email_sender()).send(
            email, subject_of(view), body_of(name, view, get_settings().public_url)
        )
    except Exception as exc:  # the provider's reason (ProviderError) or a bug: recorded, retried
        log.warning("briefing digest to user %s failed: %s", user_id, exc)
        error = str(exc) or type(exc).__name__
    _answer(engine, user_id, day, message_id, error)
    return row | {"status": "failed" if error else "sent"}


def send_digests(
    day: date, *, dry_run: bool, engine: Engine | None = None, sender: EmailSender | None = None
) -> DigestRun:
    """Every leadership reader's digest of ``day`` (a dry run says who would get one)."""
    engine = engine or get_engine()
    run = DigestRun(day, dry_run)
    for user_id, email, receives in readers(engine):
        if not receives:
            none = dict.fromkeys(("items", "fires", "storms", "wins"))  # not read for them
            run.rows.append({"user_id": user_id, "email": email} | none | {"status": "opted_out"})
            continue
        row = send_digest(engine, user_id, day, dry_run=dry_run, sender=sender)
        if row is not None:
            run.rows.append(row)
    return run


__all__ = [
    "DigestChoice",
    "DigestRun",
    "body_of",
    "claim",
    "digest_choice",
    "receives_digest",
    "send_digest",
    "send_digests",
    "set_digest_choice",
    "subject_of",
]
