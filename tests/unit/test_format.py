"""Times on screen are in the viewer's timezone (ui.md); a bad zone falls back to the group's."""

from __future__ import annotations

import contextvars
from datetime import UTC, datetime

import pytest

from domain.settings import get_settings
from rxapp.format import (
    fmt_datetime,
    fmt_time,
    greeting,
    set_viewer_timezone,
    timezone_label,
)

INSTANT = datetime(2026, 11, 27, 19, 5, tzinfo=UTC)


def _in_context(fn):
    """Run ``fn`` in a fresh context, as Reflex runs each event: zones never leak between runs."""
    return contextvars.copy_context().run(fn)


def test_times_follow_the_viewer_zone() -> None:
    def kolkata() -> tuple[str, str, str, str]:
        zone = set_viewer_timezone("Asia/Kolkata")
        return zone, fmt_datetime(INSTANT), fmt_time(INSTANT), timezone_label()

    assert _in_context(kolkata) == ("Asia/Kolkata", "28 Nov 2026, 00:35 IST", "00:35 IST", "IST")

    def new_york() -> str:
        set_viewer_timezone("America/New_York")
        return fmt_datetime(INSTANT)

    assert _in_context(new_york) == "27 Nov 2026, 14:05 EST"


@pytest.mark.parametrize(
    "forged", ["", None, "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "x" * 5000]
)
def test_an_unknown_zone_falls_back_to_the_group_timezone(forged) -> None:
    def run() -> tuple[str, str]:
        return set_viewer_timezone(forged), fmt_datetime(INSTANT)

    group = get_settings().group_timezone
    zone, shown = _in_context(run)
    assert zone == group
    assert shown == _in_context(lambda: (set_viewer_timezone(group), fmt_datetime(INSTANT))[1])


def test_a_zone_without_a_letter_abbreviation_is_named() -> None:
    def run() -> str:
        set_viewer_timezone("Asia/Dubai")
        return timezone_label()

    assert _in_context(run) == "Asia/Dubai (+04)"


def test_greeting_uses_the_viewer_clock() -> None:
    def run(zone: str) -> str:
        set_viewer_timezone(zone)
        return greeting(INSTANT)

    # 19:05 UTC is the evening in London and just after midnight in Kolkata.
    assert _in_context(lambda: run("Europe/London")) == "Good evening"
    assert _in_context(lambda: run("Asia/Kolkata")) == "Good morning"
