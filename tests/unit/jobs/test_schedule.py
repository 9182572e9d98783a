"""The schedule: cron in the group timezone (DST included), slots, catch-up, TOML overrides."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from domain.errors import Invalid
from domain.jobs.schedule import Schedule, ScheduleEntry, load_schedule

NY = "America/New_York"
KPI = ScheduleEntry("kpi-aggregate", "30 7 * * *", day_offset=-1)
HK = ScheduleEntry("housekeeping", "0 6 * * *")


def test_fires_at_local_time_across_dst() -> None:
    s = Schedule(NY, (KPI,))
    # 2026-03-08: clocks go forward in New York; 07:30 local is 12:30 UTC before, 11:30 after.
    times = s.fire_times(
        KPI, datetime(2026, 3, 6, 13, 0, tzinfo=UTC), datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
    )
    assert times == [
        datetime(2026, 3, 7, 12, 30, tzinfo=UTC),
        datetime(2026, 3, 8, 11, 30, tzinfo=UTC),
        datetime(2026, 3, 9, 11, 30, tzinfo=UTC),
    ]


def test_slots_carry_the_business_date_offset() -> None:
    s = Schedule(NY, (KPI, HK))
    now = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)  # 08:00 in New York
    slots = s.slots_between(now - timedelta(days=3), now)
    assert [(x.job, x.business_date) for x in slots] == [
        ("housekeeping", date(2026, 11, 25)),
        ("kpi-aggregate", date(2026, 11, 24)),
        ("housekeeping", date(2026, 11, 26)),
        ("kpi-aggregate", date(2026, 11, 25)),
        ("housekeeping", date(2026, 11, 27)),
        ("kpi-aggregate", date(2026, 11, 26)),
    ]
    assert s.next_fire(KPI, now) == datetime(2026, 11, 28, 12, 30, tzinfo=UTC)


def test_disabled_entries_never_fire() -> None:
    s = Schedule(NY, (ScheduleEntry("housekeeping", "0 6 * * *", enabled=False),))
    now = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
    assert s.slots_between(now - timedelta(days=3), now) == []


def test_defaults_come_from_the_job_registrations() -> None:
    s = load_schedule()
    assert s.entry("kpi-aggregate") == KPI
    assert s.entry("housekeeping") == HK


def test_toml_overrides(tmp_path: Path) -> None:
    f = tmp_path / "schedule.toml"
    f.write_text(
        'timezone = "Asia/Kolkata"\n[jobs.kpi-aggregate]\ncron = "15 2 * * *"\n'
        "[jobs.housekeeping]\nenabled = false\n"
    )
    s = load_schedule(f)
    assert s.timezone == "Asia/Kolkata"
    assert s.entry("kpi-aggregate") == ScheduleEntry("kpi-aggregate", "15 2 * * *", -1)
    assert s.entry("housekeeping").enabled is False  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('[jobs.kpi-aggregate]\ncron = "every day"\n', "schedule.kpi-aggregate.cron"),
        ('[jobs.nope]\ncron = "0 6 * * *"\n', "schedule.nope"),
        ('timezone = "Mars/Olympus"\n', "schedule.timezone"),
        ('[jobs.housekeeping]\nwhen = "6"\n', "schedule.housekeeping"),
        ("not toml [", "schedule"),
    ],
)
def test_bad_schedules_name_the_field(tmp_path: Path, text: str, field: str) -> None:
    f = tmp_path / "schedule.toml"
    f.write_text(text)
    with pytest.raises(Invalid) as err:
        load_schedule(f)
    assert field in err.value.fields
