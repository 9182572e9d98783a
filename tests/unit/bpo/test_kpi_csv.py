"""The KPI-record CSV's parse (pure, no database): the columns left out read as 0 (QA as no
score), QA 0-100 with at most 6 decimals, whole counts not negative, and the problems of a line
each named on its field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.bpo.csv_import import KPI_COLUMNS, parse_kpi_csv
from domain.errors import Invalid

CAMPAIGNS = {"solar leads": 1}
AGENTS = {("a@x.example", 1): 7}
TODAY = date(2026, 11, 27)


def _parse(*lines: str, header: str = ",".join(KPI_COLUMNS)):
    return parse_kpi_csv(("\n".join([header, *lines]) + "\n").encode(), CAMPAIGNS, AGENTS, TODAY)


def test_a_short_file_reads_its_defaults_and_matches_names_without_case() -> None:
    (line,) = _parse("A@X.example,Solar Leads,2026-11-26", header="agent_email,campaign,date")
    assert (line.agent_id, line.campaign_id, line.day) == (7, 1, date(2026, 11, 26))
    assert (line.calls, line.talk_seconds, line.appointments, line.deals) == (0, 0, 0, 0)
    assert line.qa_score is None and line.revenue == Decimal("0.00")


@pytest.mark.parametrize(
    ("qa", "expected"),
    [("0", Decimal("0")), ("100", Decimal("100")), ("87.123456", Decimal("87.123456")), ("", None)],
)
def test_qa_scores_inside_0_100(qa: str, expected: Decimal | None) -> None:
    (line,) = _parse(f"a@x.example,solar leads,2026-11-27,1,1,{qa},0,0,0")
    assert line.qa_score == expected


@pytest.mark.parametrize(
    ("qa", "reason"),
    [
        ("100.000001", "must be between 0 and 100"),
        ("-0.5", "must be between 0 and 100"),
        ("87.1234567", "must have at most 6 decimals"),
        ("NaN", "must be a number, not 'NaN'"),
        ("ninety", "must be a number, not 'ninety'"),
    ],
)
def test_qa_scores_refused(qa: str, reason: str) -> None:
    with pytest.raises(Invalid) as err:
        _parse(f"a@x.example,solar leads,2026-11-27,1,1,{qa},0,0,0")
    assert err.value.fields == {"line 2: qa_score": reason}


def test_each_problem_of_a_line_is_named_on_its_field() -> None:
    with pytest.raises(Invalid) as err:
        _parse("a@x.example,solar leads,2026-11-28,1.5,-1,,x,2,0")
    assert err.value.fields == {
        "line 2: date": "is in the future (today is 2026-11-27 for this venture)",
        "line 2: calls": "must be a whole number, not '1.5'",
        "line 2: talk_seconds": "must be 0 or more",
        "line 2: appointments": "must be a whole number, not 'x'",
    }
