"""``vcc payouts``: create a period's payouts, approve a run, mark paid, void, reopen, list; and
``vcc incentives explain RUN_A RUN_B``: what changed between two runs of the same key, and why.

Registered on ``vcc`` by ``domain/cli.py``. Like every command it acts as the system account
(a CEO service account: audited under its name) through the same services as the web app and the
API (``domain.incentives.payout_services``), and ends with exit code 0 or a one-line error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import typer

# Defined before importing domain.cli: ``python -m domain.cli`` imports this module while
# domain.cli (imported again under its name) registers the group at its end.
payouts_app = typer.Typer(
    help="Payouts: create a period, approve a run, mark paid, void, reopen (docs/RUNBOOK.md).",
    no_args_is_help=True,
)


# Registered on ``vcc incentives`` by domain/cli.py (wrapped in its ``command()``), defined before
# the import of domain.cli below for the same reason as ``payouts_app``.
def incentives_explain(
    run_a: Annotated[str, typer.Argument(help="A run id (incentives-daily, backfill, payouts).")],
    run_b: Annotated[str, typer.Argument(help="Another run of the same key.")],
    user: Annotated[
        str | None, typer.Option("--user", help="Only this user (email).", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """What changed between two runs of the same key (job, venture, date): per user and rule the
    metric and the amount before and after, and the input rows that changed."""
    from domain.cli import _dump
    from domain.db import read_only
    from domain.incentives.explain import explain_runs, fmt_metric, fmt_money

    with read_only() as uow:
        found = explain_runs(uow, _actor(), run_a, run_b, user=user)
    if as_json:
        _dump(found.model_dump(mode="json"))
        return
    typer.echo(
        f"{found.key}: run {found.before.run_id} (before) -> run {found.after.run_id} (after)"
    )
    if found.unchanged:
        typer.echo("  no amount or metric changed" + (f" for {user}" if user else ""))
    for r in found.rules:
        what = r.rule or r.metric_label
        typer.echo(
            f"  {r.day} {r.user_name or r.user_id:<24} {what:<22} "
            f"{r.metric_label}: {fmt_metric(r.metric_before, False)} -> "
            f"{fmt_metric(r.metric_after, False)}  amount {r.currency} "
            f"{fmt_money(r.amount_before)} -> {fmt_money(r.amount_after)} "
            f"({r.amount_delta:+,.2f})"
        )
    for a in found.amounts:
        typer.echo(f"  {a.user_name}: {a.sentence}")
    if found.inputs:
        typer.echo("input rows that changed:")
        for i in found.inputs:
            typer.echo(f"  {i.label} {i.change} ({i.table} {i.key})")


from domain.cli import _dump, _parse_date, _system_actor, command, fail  # noqa: E402
from domain.db import read_only, unit_of_work  # noqa: E402


@payouts_app.callback()
def _payouts_logging() -> None:
    import os

    from domain.observability.logs import configure_logging

    configure_logging(level=os.environ.get("VCC_LOG_LEVEL", "CRITICAL"))


def _actor() -> Any:
    with unit_of_work() as uow:
        return _system_actor(uow)


def _totals(totals: dict[str, Decimal]) -> str:
    return ", ".join(f"{cur} {amount:,.2f}" for cur, amount in totals.items()) or "nothing"


def _line(p: Any) -> str:
    return (
        f"  #{p.id:<6} {p.user_name:<28} {p.currency} {p.amount:>12,.2f}  {p.days:>2} days  "
        f"{p.status.value}"
    )


@payouts_app.command("create")
@command()
def payouts_create(
    venture: Annotated[str, typer.Option(help="Venture code.")],
    from_: Annotated[str, typer.Option("--from", help="First day of the period (YYYY-MM-DD).")],
    to: Annotated[str, typer.Option("--to", help="Last day of the period (YYYY-MM-DD).")],
    replace: Annotated[
        bool, typer.Option("--replace", help="Re-run a period whose payouts are all CALCULATED.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Create the period's CALCULATED payouts as a run of the payouts notebook."""
    from domain.incentives.payout_services import create_payouts

    result = create_payouts(
        _actor(),
        venture,
        _parse_date(from_, "from"),
        _parse_date(to, "to"),
        replace=replace,
    )
    if as_json:
        _dump(result.model_dump(mode="json"))
    else:
        typer.echo(
            f"{result.status} payouts {result.venture_code} {result.period_start} to "
            f"{result.period_end}: run {result.run_id}, {len(result.payouts)} payouts, "
            f"{_totals(result.totals)}"
        )
        for p in result.payouts:
            typer.echo(_line(p))
        if result.status == "SUCCEEDED":
            typer.echo(f"approve with: vcc payouts approve {result.run_id}")
    if result.status != "SUCCEEDED":
        fail(f"run {result.run_id} {result.status}: {result.error}")


@payouts_app.command("approve")
@command()
def payouts_approve(
    run_id: Annotated[str, typer.Argument(help="The payouts run to approve.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Re-verify a payouts run and approve its payouts as a whole."""
    from domain.incentives.payout_services import approve_run

    result = approve_run(_actor(), run_id)
    if as_json:
        _dump(result.model_dump(mode="json"))
        return
    typer.echo(
        f"APPROVED run {result.run_id} ({result.venture_code} {result.period_start} to "
        f"{result.period_end}): {result.payees} payees, {_totals(result.totals)}, output hash "
        f"{result.output_hash[:12]}, by {result.approved_by}"
    )


@payouts_app.command("pay")
@command()
def payouts_pay(payout_id: Annotated[int, typer.Argument(help="Payout id.")]) -> None:
    """Mark an APPROVED payout PAID."""
    from domain.incentives.payout_services import mark_paid

    actor = _actor()
    with unit_of_work() as uow:
        view = mark_paid(uow, actor, payout_id)
    typer.echo(f"PAID payout #{view.id}: {view.user_name} {view.currency} {view.amount:,.2f}")


@payouts_app.command("void")
@command()
def payouts_void(
    payout_id: Annotated[int, typer.Argument(help="Payout id.")],
    reason: Annotated[str, typer.Option(help="Why (required).")],
    force: Annotated[bool, typer.Option("--force", help="Void a PAID payout.")] = False,
) -> None:
    """Void a payout with a reason (a PAID one only with --force)."""
    from domain.incentives.payout_services import void_payout

    actor = _actor()
    with unit_of_work() as uow:
        view = void_payout(uow, actor, payout_id, reason, force=force)
    typer.echo(f"VOID payout #{view.id}: {view.void_reason}")


@payouts_app.command("reopen")
@command()
def payouts_reopen(
    venture: Annotated[str, typer.Option(help="Venture code.")],
    from_: Annotated[str, typer.Option("--from", help="First day to reopen (YYYY-MM-DD).")],
    to: Annotated[str, typer.Option("--to", help="Last day to reopen (YYYY-MM-DD).")],
    reason: Annotated[str, typer.Option(help="Why (required, audited).")],
) -> None:
    """Force-reopen locked days: void the payouts of their periods, then recommit the days."""
    from domain.incentives.payout_services import reopen_and_recompute

    voided, run = reopen_and_recompute(
        _actor(), venture, _parse_date(from_, "from"), _parse_date(to, "to"), reason
    )
    typer.echo(f"voided {len(voided)} payouts; recommitted by run {run.run_id}: {run.status.value}")
    if run.status.value != "SUCCEEDED":
        fail(f"run {run.run_id} {run.status.value}: {run.error}")


@payouts_app.command("list")
@command()
def payouts_list(
    venture: Annotated[str | None, typer.Option(help="Venture code.")] = None,
    status: Annotated[str | None, typer.Option(help="CALCULATED, APPROVED, PAID or VOID.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (newest period first).")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Payouts, newest period first."""
    from domain.incentives.models import PayoutStatus
    from domain.incentives.payout_services import list_payouts

    wanted = None
    if status:
        try:
            wanted = PayoutStatus(status.strip().upper())
        except ValueError:
            fail("status: one of CALCULATED, APPROVED, PAID, VOID")
    actor = _actor()
    with read_only() as uow:
        page = list_payouts(uow, actor, venture=venture, status=wanted, limit=limit)
    if as_json:
        _dump([p.model_dump(mode="json") for p in page.items])
        return
    period = None
    for p in page.items:
        if (p.venture_code, p.period_start, p.period_end, p.run_id) != period:
            period = (p.venture_code, p.period_start, p.period_end, p.run_id)
            typer.echo(f"{p.venture_code} {p.period_start} to {p.period_end} (run {p.run_id})")
        typer.echo(_line(p))
    if not page.items:
        typer.echo("no payouts")
