"""``GET /api/v1/incentives/explain?a&b`` and ``vcc incentives explain RUN_A RUN_B``: two runs of
one key compare (a load's cost edited between them shows as that load changed); a bad run id is a
400 or 404 naming the parameter, two different keys a 400 naming ``b``, a run out of scope 404."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import update

from domain.db import unit_of_work
from domain.freight.models import Load
from domain.incentives import services
from tests.api.conftest import as_user, assert_error
from tests.helpers import actor, user_id
from tests.integration.incentives.conftest import busiest_day, delivered, reports  # noqa: F401
from tests.integration.test_cli import vcc

URL = "/api/v1/incentives/explain"
CSR = "csr.afl@vcc.example"


def test_explain_over_http_and_from_the_command_line(demo, reports, client) -> None:  # noqa: F811
    day = busiest_day("AFL", CSR)
    finance = actor("finance@vcc.example")
    first = services.commit(finance, "AFL", day, dry_run=False)
    load = delivered("AFL", CSR, day)[0]
    with unit_of_work() as uow:
        uow.session.execute(
            update(Load)
            .where(Load.id == load.id)  # type: ignore[arg-type]
            .values(cost_amount=Decimal(str(load.cost_amount or 0)) + Decimal("50.00"))
        )
    second = services.commit(finance, "AFL", day, dry_run=False)
    other = services.commit(finance, "AFL", day - timedelta(days=1), dry_run=False)
    assert first.status == second.status == other.status == "SUCCEEDED"
    a, b = first.run_id, second.run_id

    resp = client.get(URL, params={"a": a, "b": b}, headers=as_user("finance@vcc.example"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["before"]["run_id"], body["after"]["run_id"]) == (a, b)
    assert {r["user_id"] for r in body["rules"]} == {user_id(CSR)}
    assert [(i["table"], i["label"], i["change"]) for i in body["inputs"]] == [
        ("freight_load", f"load {load.reference}", "changed")
    ]
    mine = client.get(
        URL, params={"a": a, "b": b, "user": CSR}, headers=as_user("accounting@vcc.example")
    )
    assert mine.status_code == 200 and mine.json()["rules"] == body["rules"]

    missing = assert_error(
        client.get(
            URL,
            params={"a": "20990101T000000-00000000", "b": b},
            headers=as_user("finance@vcc.example"),
        ),
        404,
        "not_found",
    )
    assert "a: run" in str(missing["message"])
    bad = assert_error(
        client.get(
            URL, params={"a": a, "b": "no such/run"}, headers=as_user("finance@vcc.example")
        ),
        400,
        "invalid",
    )
    assert "b" in bad["fields"]  # type: ignore[operator]
    lacking = assert_error(
        client.get(URL, params={"a": a}, headers=as_user("finance@vcc.example")), 400, "invalid"
    )
    assert "b" in lacking["fields"]  # type: ignore[operator]
    keys = assert_error(
        client.get(URL, params={"a": a, "b": other.run_id}, headers=as_user("finance@vcc.example")),
        400,
        "invalid",
    )
    assert "same job" in keys["fields"]["b"]  # type: ignore[index]
    assert_error(
        client.get(URL, params={"a": a, "b": b}, headers=as_user("finance.india@vcc.example")),
        404,
        "not_found",
    )
    assert_error(client.get(URL, params={"a": a, "b": b}, headers=as_user(CSR)), 403, "forbidden")

    text = vcc(demo.url, "incentives", "explain", a, b)
    assert text.returncode == 0, text.stderr
    assert f"load {load.reference} changed" in text.stdout
    assert "Margin share" in text.stdout
    as_json = vcc(demo.url, "incentives", "explain", b, a, "--user", CSR, "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["before"]["run_id"] == a
    unknown = vcc(demo.url, "incentives", "explain", "20990101T000000-00000000", b)
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1
    assert "a: run 20990101T000000-00000000 not found" in unknown.stderr
    different = vcc(demo.url, "incentives", "explain", a, other.run_id)
    assert different.returncode == 1 and "b:" in different.stderr
