"""The schedule: cron expressions in the group timezone, per job, with its business-date offset.

Defaults come from each job's registration (``JobSpec.default_cron`` / ``date_offset_days``):
housekeeping 06:00 for today, incentives-daily 07:00 for yesterday, kpi-aggregate 07:30 for
yesterday, briefing 07:45 for today (spec). A TOML file (``VCC_JOB_SCHEDULE`` or
``vcc scheduler --schedule FILE``) overrides them::

    timezone = "America/New_York"      # default: VCC_GROUP_TIMEZONE

    [jobs.kpi-aggregate]
    cron = "30 7 * * *"
    day_offset = -1                    # business date = firing date - 1 day
    enabled = true
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from croniter import croniter

from domain import clock
from domain.errors import Invalid


@dataclass(frozen=True)
class ScheduleEntry:
    job: str
    cron: str
    day_offset: int = 0
    venture: str = "all"
    enabled: bool = True


@dataclass(frozen=True)
class Slot:
    """One scheduled firing: run ``job`` for ``business_date`` (fired at ``fire_at``, UTC)."""

    job: str
    venture: str
    business_date: date
    fire_at: datetime

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.job, self.venture, self.business_date)


@dataclass(frozen=True)
class Schedule:
    timezone: str
    entries: tuple[ScheduleEntry, ...]

    def entry(self, job: str) -> ScheduleEntry | None:
        return next((e for e in self.entries if e.job == job), None)

    def fire_times(self, entry: ScheduleEntry, start: datetime, end: datetime) -> list[datetime]:
        """Firing instants (UTC) in ``(start, end]``."""
        tz = clock.zone(self.timezone)
        it = croniter(entry.cron, clock.ensure_utc(start).astimezone(tz))
        out: list[datetime] = []
        while True:
            nxt: datetime = it.get_next(datetime)
            if nxt > end:
                return out
            out.append(clock.ensure_utc(nxt))

    def next_fire(self, entry: ScheduleEntry, after: datetime) -> datetime:
        tz = clock.zone(self.timezone)
        nxt: datetime = croniter(entry.cron, clock.ensure_utc(after).astimezone(tz)).get_next(
            datetime
        )
        return clock.ensure_utc(nxt)

    def slot(self, entry: ScheduleEntry, fire_at: datetime) -> Slot:
        day = clock.business_date(fire_at, self.timezone) + timedelta(days=entry.day_offset)
        return Slot(entry.job, entry.venture, day, fire_at)

    def slots_between(self, start: datetime, end: datetime) -> list[Slot]:
        slots = [
            self.slot(e, t)
            for e in self.entries
            if e.enabled
            for t in self.fire_times(e, start, end)
        ]
        return sorted(slots, key=lambda s: (s.fire_at, s.job))


def _validate(entry: ScheduleEntry) -> ScheduleEntry:
    if not croniter.is_valid(entry.cron):
        raise Invalid.field(
            f"schedule.{entry.job}.cron", f"{entry.cron!r} is not a cron expression"
        )
    if not -7 <= entry.day_offset <= 7:
        raise Invalid.field(f"schedule.{entry.job}.day_offset", "must be between -7 and 7")
    return entry


def default_schedule(timezone: str | None = None) -> Schedule:
    from domain.jobs.registry import all_jobs
    from domain.settings import get_settings

    entries = tuple(
        _validate(ScheduleEntry(j.name, j.default_cron, j.date_offset_days))
        for j in all_jobs()
        if j.default_cron
    )
    return Schedule(timezone or get_settings().group_timezone, entries)


def load_schedule(path: Path | str | None = None) -> Schedule:
    """The default schedule, overridden by the TOML file at ``path`` (or ``VCC_JOB_SCHEDULE``)."""
    from domain.jobs.config import job_settings
    from domain.jobs.registry import job_names

    source = Path(path) if path else job_settings().schedule_file
    if source is None:
        return default_schedule()
    try:
        data: dict[str, Any] = tomllib.loads(Path(source).read_text(encoding="utf-8"))
    except OSError as exc:
        raise Invalid.field("schedule", f"cannot read {source}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise Invalid.field("schedule", f"{source} is not valid TOML: {exc}") from None
    tz = str(data.get("timezone") or "") or None
    if tz is not None and not clock.is_valid_timezone(tz):
        raise Invalid.field("schedule.timezone", f"unknown timezone {tz!r}")
    base = default_schedule(tz)
    entries = {e.job: e for e in base.entries}
    known = set(job_names())
    for job, conf in dict(data.get("jobs", {})).items():
        if job not in known:
            raise Invalid.field(f"schedule.{job}", "no such job")
        if not isinstance(conf, dict):
            raise Invalid.field(f"schedule.{job}", "must be a table")
        unknown = set(conf) - {"cron", "day_offset", "enabled", "venture"}
        if unknown:
            raise Invalid.field(f"schedule.{job}", f"unknown keys: {', '.join(sorted(unknown))}")
        current = entries.get(job) or ScheduleEntry(job, str(conf.get("cron", "")))
        entries[job] = _validate(
            replace(
                current,
                cron=str(conf.get("cron", current.cron)),
                day_offset=int(conf.get("day_offset", current.day_offset)),
                enabled=bool(conf.get("enabled", current.enabled)),
                venture=str(conf.get("venture", current.venture)),
            )
        )
    return Schedule(base.timezone, tuple(entries[k] for k in sorted(entries)))
