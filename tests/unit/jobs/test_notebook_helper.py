"""The notebook helper, without a kernel: parameters, the result document and file, charts."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl

from domain.jobs import notebook as jobkit
from domain.jobs.hashing import rows_hash


def test_runner_parameters_and_standalone_defaults() -> None:
    ctx = jobkit.start(
        "kpi-aggregate",
        run_id="r1",
        business_date="2026-11-26",
        venture="afl",
        dry_run=False,
        result_path="/tmp/x.json",
    )
    assert (ctx.run_id, ctx.business_date, ctx.venture, ctx.dry_run, ctx.standalone) == (
        "r1",
        date(2026, 11, 26),
        "AFL",
        False,
        False,
    )
    adhoc = jobkit.start("kpi-aggregate")
    assert adhoc.standalone and adhoc.dry_run and adhoc.venture == "all"
    assert adhoc.run_id.startswith("adhoc-") and adhoc.result_path is None


def test_finish_writes_the_result_atomically(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "r1.result.json"
    ctx = jobkit.start(
        "kpi-aggregate",
        run_id="r1",
        business_date=date(2026, 11, 26),
        dry_run=True,
        result_path=str(target),
    )
    rows = pl.DataFrame({"venture": ["AFL", "MBR"], "revenue": [10.5, 0.0]})
    doc = jobkit.finish(ctx, summary={"revenue": Decimal("10.50"), "rows": 2}, rows=rows)
    assert json.loads(target.read_text()) == doc
    assert doc["summary"] == {"revenue": "10.500000", "rows": 2}
    assert doc["output"] == {"rows": 2, "sha256": rows_hash(rows.to_dicts())[1]}
    assert not list(target.parent.glob(".*tmp"))  # no temp file left behind


def test_charts_are_plain_svg() -> None:
    svg = jobkit.line_chart_svg({"AFL": [("11-25", 1.0), ("11-26", 3.0)]}, title="Revenue <x>")
    assert svg.startswith("<svg") and "polyline" in svg and "Revenue &lt;x&gt;" in svg
    assert "no data" in jobkit.line_chart_svg({}, title="t")
    bars = jobkit.bar_chart_svg([("NY-NJ", 12.5), ("TX-CA", -3.0)], title="Margin", unit="%")
    assert bars.count("<rect") == 2
