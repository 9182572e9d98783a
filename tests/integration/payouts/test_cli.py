"""``vcc payouts`` as a real subprocess on the demo database: create, a second create refused
(one line, exit 1), list, approve, pay, void without a reason refused."""

from __future__ import annotations

import json

from tests.integration.payouts.conftest import period
from tests.integration.test_cli import vcc


def test_the_monthly_close_from_the_command_line(demo, reports) -> None:
    start, end = period(days=3)
    span = ("--venture", "AFL", "--from", str(start), "--to", str(end))
    made = vcc(demo.url, "payouts", "create", *span, "--json")
    assert made.returncode == 0, made.stderr
    result = json.loads(made.stdout)
    assert result["status"] == "SUCCEEDED" and result["payouts"]

    again = vcc(demo.url, "payouts", "create", *span)
    assert again.returncode == 1 and again.stderr.count("\n") == 1
    assert "payout already exists for this period" in again.stderr

    listed = vcc(demo.url, "payouts", "list", "--venture", "AFL")
    assert listed.returncode == 0 and result["run_id"] in listed.stdout

    signed = vcc(demo.url, "payouts", "approve", result["run_id"])
    assert signed.returncode == 0, signed.stderr
    assert signed.stdout.startswith(f"APPROVED run {result['run_id']}")

    some = str(result["payouts"][0]["id"])
    paid = vcc(demo.url, "payouts", "pay", some)
    assert paid.returncode == 0 and paid.stdout.startswith(f"PAID payout #{some}")
    refused = vcc(demo.url, "payouts", "void", some, "--reason", " ")
    assert refused.returncode == 1 and "reason" in refused.stderr
