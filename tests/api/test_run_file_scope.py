"""Who opens which executed run (payouts issue, "Who opens which executed run"): a run report
(HTML, ipynb, Parquet, manifest) opens only for a reader whose scope covers the run's venture and
whose role may read incentives; runs over all ventures only for global roles. Enforced where the
files are served: every URL of a run answers finance.india (FINANCE of PBP only) exactly like an
unknown run, while ACCOUNTING of AFL opens each of them (and still may not approve)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from domain import clock
from domain.db import unit_of_work
from domain.incentives import payout_services as svc
from domain.jobs.models import JobRun, RunStatus, TriggeredBy
from tests.api.conftest import as_user, assert_error
from tests.helpers import actor
from tests.integration.payouts.conftest import period, reports  # noqa: F401 (a fixture)

RUNS = "/api/v1/admin/jobs/runs"
FILES = {
    "html": "text/html",
    "notebook": "application/x-ipynb+json",
    "manifest": "application/json",
    "parquet": "application/vnd.apache.parquet",
}


def test_an_afl_run_opens_for_afl_accounting_and_for_no_finance_of_another_venture(
    demo,
    reports,  # noqa: F811
    client,
) -> None:
    start, end = period(days=3)
    created = svc.create_payouts(actor("finance@vcc.example"), "AFL", start, end)
    assert created.status == "SUCCEEDED", created.error
    run = created.run_id

    india = as_user("finance.india@vcc.example")
    accounting = as_user("accounting@vcc.example")
    assert_error(client.get(f"{RUNS}/{run}", headers=india), 404, "not_found")
    assert client.get(f"{RUNS}/{run}", headers=accounting).status_code == 200
    listed = client.get(RUNS, headers=india).json()["items"]
    assert run not in {r["run_id"] for r in listed}

    for kind, media in FILES.items():
        denied = assert_error(client.get(f"{RUNS}/{run}/{kind}", headers=india), 404, "not_found")
        assert "not found" in str(denied["message"])
        opened = client.get(f"{RUNS}/{run}/{kind}", headers=accounting)
        assert opened.status_code == 200, (kind, opened.text)
        assert opened.headers["content-type"].startswith(media), kind
        # A CSR of AFL reads no run at all (no role to read incentives runs).
        assert_error(
            client.get(f"{RUNS}/{run}/{kind}", headers=as_user("csr.afl@vcc.example")),
            403,
            "forbidden",
        )
    parquet = client.get(f"{RUNS}/{run}/parquet", headers=accounting).content
    assert parquet[:4] == b"PAR1"
    manifest = client.get(f"{RUNS}/{run}/manifest", headers=accounting).json()
    assert manifest["archive"]["rows"] == len(created.payouts)
    assert len(manifest["archive"]["sha256"]) == 64
    # Reading is not approving.
    assert_error(
        client.post("/api/v1/incentives/payouts/approve", json={"run_id": run}, headers=accounting),
        403,
        "forbidden",
    )


DAY = date(2026, 11, 26)


def _run_over_all_ventures(folder_of_reports: Path, job: str, run_id: str) -> str:
    """A succeeded run of ``job`` that names no venture, with its HTML report and manifest."""
    folder = folder_of_reports / job / DAY.isoformat()
    folder.mkdir(parents=True)
    (folder / f"{run_id}.html").write_text(f"<p>{job}, all ventures</p>")
    (folder / f"{run_id}.manifest.json").write_text(json.dumps({"run_id": run_id}))
    with unit_of_work() as uow:
        uow.session.add(
            JobRun(
                run_id=run_id,
                job=job,
                venture="all",
                venture_id=None,
                business_date=DAY,
                status=RunStatus.SUCCEEDED,
                triggered_by=TriggeredBy.SCHEDULE,
                lock_key=f"{job}:all:{DAY.isoformat()}",
                timeout_seconds=60,
                started_at=clock.now(),
                ended_at=clock.now(),
                html_path=f"{job}/{DAY.isoformat()}/{run_id}.html",
                manifest_path=f"{job}/{DAY.isoformat()}/{run_id}.manifest.json",
            )
        )
    return run_id


def test_a_run_over_all_ventures_opens_only_for_global_roles(
    demo,
    reports: Path,  # noqa: F811
    client,
) -> None:
    run_id = _run_over_all_ventures(reports, "incentives-daily", "20261127T070000-a11a11a1")
    for email in ("finance@vcc.example", "accounting@vcc.example"):
        for kind in ("html", "manifest"):
            assert_error(
                client.get(f"{RUNS}/{run_id}/{kind}", headers=as_user(email)), 404, "not_found"
            )
    for email in ("ceo@vcc.example", "coo@vcc.example"):
        assert client.get(f"{RUNS}/{run_id}/html", headers=as_user(email)).status_code == 200


def test_the_coo_opens_the_finance_runs_of_every_venture_and_no_other_job_s_run(
    demo,
    reports: Path,  # noqa: F811
    client,
) -> None:
    """The COO is leadership over every venture and reads incentives and payouts, so opens their
    runs; the other jobs' runs are on the jobs page, whose health is the global admins'
    (jobs-and-notebooks.md): to the COO such a run answers like an unknown one."""
    finance_run = _run_over_all_ventures(reports, "incentives-daily", "20261127T070000-c00c00c0")
    other_run = _run_over_all_ventures(reports, "kpi-aggregate", "20261127T073000-c00c00c1")
    coo, ceo = as_user("coo@vcc.example"), as_user("ceo@vcc.example")
    assert client.get(f"{RUNS}/{finance_run}/html", headers=coo).status_code == 200
    for path in (f"{RUNS}/{other_run}", f"{RUNS}/{other_run}/html"):
        assert_error(client.get(path, headers=coo), 404, "not_found")
        assert client.get(path, headers=ceo).status_code == 200
    listed = {r["run_id"] for r in client.get(RUNS, headers=coo).json()["items"]}
    assert finance_run in listed and other_run not in listed
