"""``vcc``: the operator's command line. Every command calls the same domain services as the web
app and the API, as the system account (audited), and ends with exit code 0 or a one-line error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

import typer

from domain.db import (
    NotMigrated,
    database_url,
    get_engine,
    require_migrated,
    unit_of_work,
)
from domain.errors import DomainError
from domain.settings import ConfigurationError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="vcc",
    help="Venture Command Center: operate the database, demo data, users, tokens and jobs; serve.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
demo_app = typer.Typer(help="Deterministic demo data.", no_args_is_help=True)
user_app = typer.Typer(help="Users and their roles, ventures and offices.", no_args_is_help=True)
token_app = typer.Typer(help="Personal API tokens for the JSON API.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def command(needs_schema: bool = True) -> Callable[[F], F]:
    """Turn domain errors into one-line messages; refuse to run on an un-migrated database."""

    def decorate(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                if needs_schema:
                    require_migrated()
                return fn(*args, **kwargs)
            except (NotMigrated, ConfigurationError) as exc:
                fail(str(exc))
            except DomainError as exc:
                fields = getattr(exc, "fields", None)
                if fields:
                    fail("; ".join(f"{k.replace('_', '-')}: {v}" for k, v in fields.items()))
                fail(exc.message)
            return None

        return cast(F, wrapper)

    return decorate


def _system_actor(uow: Any) -> Any:
    from domain.access.scope import system_actor_in

    return system_actor_in(uow)


# -- db -------------------------------------------------------------------------------------------


@db_app.command("upgrade")
@command(needs_schema=False)
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    from domain.migrations import upgrade

    url = database_url()
    get_engine()  # creates the SQLite folder when needed
    upgrade(url, revision)
    current, head = _status()
    typer.echo(f"database at revision {current} (head {head})")


def _status() -> tuple[str | None, str]:
    from domain.db import schema_status

    return schema_status()


@db_app.command("status")
@command(needs_schema=False)
def db_status() -> None:
    """Show the database URL (without password) and its migration state."""
    current, head = _status()
    url = get_engine().url.render_as_string(hide_password=True)
    state = "up to date" if current == head else "NOT migrated: run `vcc db upgrade`"
    typer.echo(f"{url}\nrevision: {current or 'none'} (head {head}) - {state}")
    if current != head:
        raise typer.Exit(1)


# -- demo -----------------------------------------------------------------------------------------


@demo_app.command("seed")
@command()
def demo_seed(
    size: Annotated[str, typer.Option(help="small | medium | large")] = "small",
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same data.")] = 7,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the database already has data.")
    ] = False,
    anchor: Annotated[
        str | None,
        typer.Option(
            help="Date YYYY-MM-DD the demo's history ends at (midnight UTC); default today (UTC)."
            " Same size, seed and anchor: same data."
        ),
    ] = None,
) -> None:
    """Fill an empty database with the demo group (ventures, offices, staff, links, ...)."""
    from domain.demo import Size, database_is_empty, default_anchor
    from domain.demo import seed as run_seed

    try:
        chosen = Size(size.lower())
    except ValueError:
        fail(f"--size must be small, medium or large, not {size!r}")
        return
    anchor_day = default_anchor()
    if anchor is not None:
        try:
            anchor_day = date.fromisoformat(anchor.strip())
        except ValueError:
            fail(f"--anchor must be a date YYYY-MM-DD, not {anchor[:40]!r}")
            return
        if not date(2000, 1, 1) <= anchor_day <= default_anchor():
            fail("--anchor must be between 2000-01-01 and today (UTC): the demo has no future")
            return
    if not database_is_empty():
        if if_empty:
            typer.echo("database already has data: demo seed skipped")
            return
        fail("the database already has data; demo data goes into an empty database only")
    summary = run_seed(chosen, seed, anchor=anchor_day)
    typer.echo(
        f"seeded demo data ({chosen.value}, seed {seed}, anchor {anchor_day}): "
        + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in summary.items())
    )


@demo_app.command("logins")
def demo_logins(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Print the demo accounts and the shared demo password."""
    from domain.demo import DEMO_PASSWORD
    from domain.demo.org import demo_logins as logins

    rows = logins()
    if as_json:
        typer.echo(json.dumps({"password": DEMO_PASSWORD, "logins": rows}, indent=2))
        return
    width = max(len(r["email"]) for r in rows)
    typer.echo(f"Demo logins (password for all: {DEMO_PASSWORD})")
    for r in rows:
        typer.echo(f"  {r['email']:<{width}}  {r['role']:<15} {r['ventures']}")


# -- users ----------------------------------------------------------------------------------------


@user_app.command("create")
@command()
def user_create(
    email: Annotated[str, typer.Option(help="Login email (unique).")],
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[str, typer.Option(help="One of the 15 roles, e.g. CSR, FINANCE, CEO.")],
    venture: Annotated[
        list[str] | None, typer.Option(help="Venture code; repeat for several.")
    ] = None,
    office: Annotated[
        list[str] | None, typer.Option(help="Office name or CODE/NAME; repeat for several.")
    ] = None,
    password: Annotated[
        str | None, typer.Option(help="Initial password (12+ chars); omit for code-only login.")
    ] = None,
    service_account: Annotated[
        bool,
        typer.Option(
            "--service-account",
            help="Not a person: never signs in, acts only through API tokens that a global "
            "admin creates (`vcc token create`).",
        ),
    ] = False,
) -> None:
    """Create a user with a role and venture/office assignments."""
    from domain.errors import Invalid
    from domain.org.queries import office_ids_by_ref, venture_ids_by_code
    from domain.org.services import create_user

    if service_account and password is not None:
        raise Invalid.field("password", "a service account has none: it uses API tokens only")
    with unit_of_work() as uow:
        actor = _system_actor(uow)
        venture_ids = venture_ids_by_code(uow, actor, venture or [])
        office_ids = office_ids_by_ref(uow, actor, venture_ids, office or [])
        view = create_user(
            uow,
            actor,
            {
                "email": email,
                "name": name,
                "role": role,
                "venture_ids": venture_ids,
                "office_ids": office_ids,
                "password": password,
                "is_service_account": service_account,
            },
        )
    kind = "service account" if view.is_service_account else "user"
    typer.echo(f"created {kind} {view.email} ({view.role.value}) id {view.id}")


@user_app.command("list")
@command()
def user_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List users: email, role, venture codes, office names."""
    from domain.org.queries import list_users

    rows: list[dict[str, Any]] = []
    with unit_of_work() as uow:
        actor = _system_actor(uow)
        cursor: str | None = None
        while True:
            page = list_users(uow, actor, cursor=cursor, limit=200)
            for u in page.items:
                if u.is_service_account and u.email.endswith("@vcc.local"):
                    continue
                rows.append(
                    {
                        "email": u.email,
                        "name": u.name,
                        "role": u.role.value,
                        "ventures": u.venture_codes,
                        "offices": u.office_names,
                        "active": u.is_active,
                    }
                )
            if not page.has_more:
                break
            cursor = page.next_cursor
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:
        state = "" if r["active"] else "  (inactive)"
        typer.echo(
            f"{r['email']:<40} {r['role']:<15} {','.join(r['ventures']) or '-':<20} "
            f"{', '.join(r['offices']) or '-'}{state}"
        )


# -- tokens ---------------------------------------------------------------------------------------


@token_app.command("create")
@command()
def token_create(
    email: Annotated[str, typer.Option(help="The user the token acts as.")],
    days: Annotated[int, typer.Option(help="Days until it expires (1-366).")] = 90,
    name: Annotated[str, typer.Option(help="A label to recognise it by.")] = "CLI token",
) -> None:
    """Create an API token and print only the token (shown once)."""
    from domain.access.auth import create_api_token
    from domain.org.queries import user_id_by_email

    with unit_of_work() as uow:
        actor = _system_actor(uow)
        user_id = user_id_by_email(uow, actor, email)
        _, raw = create_api_token(uow, actor, name=name, days=days, user_id=user_id)
    typer.echo(raw)


# -- jobs -----------------------------------------------------------------------------------------

jobs_app = typer.Typer(
    help="Job notebooks: run, list, verify, pause/resume (see docs/RUNBOOK.md).",
    no_args_is_help=True,
)
app.add_typer(jobs_app, name="jobs")


@jobs_app.callback()
def _jobs_logging() -> None:
    """Job commands print their result, or one line of error; the run's record (its notebook,
    kernel log and JobRun row) holds the detail. VCC_LOG_LEVEL=INFO shows the runner's log."""
    import os

    from domain.observability.logs import configure_logging

    configure_logging(level=os.environ.get("VCC_LOG_LEVEL", "CRITICAL"))


# Exit codes of `vcc jobs run`: 0 succeeded, 1 failed or timed out, 3 skipped (locked).
EXIT_SKIPPED = 3


def _parse_date(value: str | None, field: str = "date") -> Any:
    from datetime import date

    from domain.errors import Invalid

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid.field(field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _parse_params(pairs: list[str] | None) -> dict[str, Any]:
    from domain.errors import Invalid

    out: dict[str, Any] = {}
    for pair in pairs or []:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise Invalid.field("param", f"{pair!r} is not NAME=VALUE")
        try:
            value: Any = json.loads(raw)  # numbers, true/false, "strings"
        except ValueError:
            value = raw
        out[name.strip()] = value
    return out


def _run_line(v: Any) -> str:
    took = f" in {v.duration_seconds:.1f} s" if v.duration_seconds is not None else ""
    dry = " (dry run)" if v.dry_run else ""
    return (
        f"{v.status.value} {v.job} {v.business_date} venture {v.venture}{dry}: run {v.run_id}{took}"
    )


def _dump(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, default=str))


@jobs_app.command("run")
@command()
def jobs_run(
    job: Annotated[str, typer.Argument(help="Job name (see `vcc jobs list`).")],
    date_: Annotated[
        str | None,
        typer.Option("--date", help="Business date YYYY-MM-DD (default: the job's usual date)."),
    ] = None,
    venture: Annotated[str, typer.Option(help="Venture code, or 'all'.")] = "all",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Compute, write nothing.")] = False,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Extra notebook parameter NAME=VALUE.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Run JOB now (locked per job, venture and date) and wait for the result."""
    from domain.jobs.models import RunStatus
    from domain.jobs.runner import run_job

    view = run_job(
        job,
        business_date=_parse_date(date_),
        venture=venture,
        dry_run=dry_run,
        params=_parse_params(param),
    )
    if as_json:
        _dump(view.model_dump(mode="json"))
    else:
        typer.echo(_run_line(view))
        if view.html_path:
            from domain.settings import get_settings

            typer.echo(f"  report: {get_settings().reports_dir / view.html_path}")
    if view.status == RunStatus.SKIPPED_LOCKED:
        typer.echo(f"skipped: {view.error}", err=True)
        raise typer.Exit(EXIT_SKIPPED)
    if view.status != RunStatus.SUCCEEDED:
        where = f" ({view.error_cell})" if view.error_cell else ""
        fail(f"run {view.run_id} {view.status.value}: {view.error}{where}")


@jobs_app.command("run-today")
@command()
def jobs_run_today(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Run today's scheduled slot of every scheduled job once (skips slots already run)."""
    from datetime import timedelta

    from domain import clock
    from domain.jobs.registry import scheduled_ventures
    from domain.jobs.runner import run_slot
    from domain.jobs.schedule import load_schedule

    schedule = load_schedule()
    today = clock.today(schedule.timezone)
    results: list[dict[str, Any]] = []
    failed = False
    for entry in schedule.entries:
        if not entry.enabled:
            continue
        day = today + timedelta(days=entry.day_offset)
        # A job that runs per venture fires one run per venture (incentives: each with a plan).
        for venture in scheduled_ventures(entry.job, entry.venture, day):
            view = run_slot(entry.job, day, venture=venture)
            if view is None:
                results.append(
                    {"job": entry.job, "business_date": str(day), "status": "ALREADY_DONE"}
                )
                if not as_json:
                    typer.echo(f"{entry.job} {day}: already run (or the job is paused)")
                continue
            failed |= view.status.value in ("FAILED", "TIMED_OUT")
            results.append(view.model_dump(mode="json"))
            if not as_json:
                typer.echo(_run_line(view) + (f": {view.error}" if view.error else ""))
    if as_json:
        _dump(results)
    if failed:
        fail("some of today's jobs failed (see above)")


@jobs_app.command("list")
@command()
def jobs_list(
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """The jobs: notebook, schedule, timeout, critical, paused, health."""
    from domain.db import read_only
    from domain.jobs.health import job_health

    with unit_of_work() as uow:
        actor = _system_actor(uow)
    with read_only() as uow:
        health = job_health(uow, actor)
    if as_json:
        _dump(health.model_dump(mode="json"))
        return
    typer.echo(f"overall: {health.status}   (schedule timezone {health.timezone})")
    for j in health.jobs:
        last = j.last_run
        last_s = (
            f"{last.status.value} {last.business_date} ({last.run_id})" if last else "never run"
        )
        flags = ", ".join(
            f
            for f in (
                "critical" if j.critical else "",
                "PAUSED" if j.paused else "",
                "STUCK" if j.stuck else "",
                f"{j.consecutive_failures} failures in a row" if j.consecutive_failures else "",
            )
            if f
        )
        nxt = j.next_run_at.isoformat(timespec="minutes") if j.next_run_at else "-"
        typer.echo(
            f"{j.job:<18} {j.status:<9} cron {j.schedule or '-':<12} next {nxt:<25} "
            f"last {last_s}" + (f"  [{flags}]" if flags else "")
        )
        if j.paused and j.paused_reason:
            typer.echo(f"{'':<18} paused: {j.paused_reason}")
    if health.outbox.available:
        typer.echo(f"outbox: {health.outbox.backlog} waiting, {health.outbox.dead} dead")
    if health.open_alerts:
        typer.echo(f"{health.open_alerts} open alerts: `vcc jobs alerts`")


@jobs_app.command("runs")
@command()
def jobs_runs(
    job: Annotated[str | None, typer.Option(help="Only this job.")] = None,
    limit: Annotated[int, typer.Option(help="How many (newest first).")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Recent runs, newest first."""
    from domain.db import read_only
    from domain.jobs.queries import RunFilter, list_runs

    with unit_of_work() as uow:
        actor = _system_actor(uow)
    with read_only() as uow:
        page = list_runs(uow, actor, RunFilter(job=job), limit=limit)
    if as_json:
        _dump([v.model_dump(mode="json") for v in page.items])
        return
    for v in page.items:
        extra = f"  {v.error}" if v.error else ""
        ver = f"  [{v.verification.value}]" if v.verification else ""
        typer.echo(f"{v.started_at:%Y-%m-%d %H:%M:%S}  {_run_line(v)}{ver}{extra}")


@jobs_app.command("show")
@command()
def jobs_show(
    run_id: Annotated[str, typer.Argument(help="The run id.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """One run: parameters, status, hashes, files, verifications."""
    from domain.db import read_only
    from domain.jobs.queries import get_run
    from domain.settings import get_settings

    with unit_of_work() as uow:
        actor = _system_actor(uow)
    with read_only() as uow:
        detail = get_run(uow, actor, run_id)
    if as_json:
        _dump(detail.model_dump(mode="json"))
        return
    v = detail.run
    typer.echo(_run_line(v))
    for label, value in (
        ("triggered by", v.triggered_by.value),
        ("attempt", v.attempt),
        ("parameters", json.dumps(v.parameters)),
        ("error", v.error),
        ("failing cell", v.error_cell),
        ("code version", v.code_version),
        ("input fingerprint", v.input_fingerprint),
        ("output hash", v.output_hash),
        ("summary", json.dumps(v.result_summary) if v.result_summary else None),
    ):
        if value not in (None, ""):
            typer.echo(f"  {label}: {value}")
    root = get_settings().reports_dir
    for label, rel in (
        ("html", v.html_path),
        ("notebook", v.notebook_path),
        ("manifest", v.manifest_path),
    ):
        if rel:
            typer.echo(f"  {label}: {root / rel}")
    for c in detail.verifications:
        typer.echo(f"  verified {c.created_at:%Y-%m-%d %H:%M}: {c.status.value} - {c.message}")


@jobs_app.command("verify")
@command()
def jobs_verify(
    run_id: Annotated[str, typer.Argument(help="The run to verify.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Re-execute RUN_ID as a dry run and compare: VERIFIED, INPUTS_CHANGED or MISMATCH."""
    from domain.jobs.models import VerificationStatus
    from domain.jobs.verify import verify_run

    check = verify_run(run_id)
    if as_json:
        _dump(check.model_dump(mode="json"))
    else:
        typer.echo(f"{check.status.value}: {check.message} (re-execution {check.verify_run_id})")
    if check.status in (VerificationStatus.MISMATCH, VerificationStatus.ERROR):
        fail(f"run {run_id} {check.status.value}: {check.message}")


@jobs_app.command("pause")
@command()
def jobs_pause(
    job: Annotated[str, typer.Argument(help="Job name.")],
    reason: Annotated[str, typer.Option(help="Why (shown on the jobs page).")] = "",
) -> None:
    """Stop the scheduler from running JOB (manual runs still work)."""
    from domain.jobs.services import pause_job

    with unit_of_work() as uow:
        state = pause_job(uow, _system_actor(uow), job, reason)
    typer.echo(f"{state.job} paused: {state.paused_reason}")


@jobs_app.command("resume")
@command()
def jobs_resume(job: Annotated[str, typer.Argument(help="Job name.")]) -> None:
    """Let the scheduler run JOB again (its failure count restarts)."""
    from domain.jobs.services import resume_job

    with unit_of_work() as uow:
        state = resume_job(uow, _system_actor(uow), job)
    typer.echo(f"{state.job} resumed")


@jobs_app.command("alerts")
@command()
def jobs_alerts(
    all_: Annotated[bool, typer.Option("--all", help="Acknowledged ones too.")] = False,
    limit: Annotated[int, typer.Option(help="How many (newest first).")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Job alerts, newest first (open ones unless --all)."""
    from domain.db import read_only
    from domain.jobs.alerts import list_alerts

    with unit_of_work() as uow:
        actor = _system_actor(uow)
    with read_only() as uow:
        page = list_alerts(uow, actor, open_only=not all_, limit=limit)
    if as_json:
        _dump([a.model_dump(mode="json") for a in page.items])
        return
    for a in page.items:
        ack = "  (acknowledged)" if a.acknowledged_at else ""
        typer.echo(f"#{a.id} {a.created_at:%Y-%m-%d %H:%M} {a.kind.value}: {a.title}{ack}")


@jobs_app.command("ack")
@command()
def jobs_ack(alert_id: Annotated[int, typer.Argument(help="Alert number.")]) -> None:
    """Acknowledge an alert (it leaves the open list; it stays in the history)."""
    from domain.jobs.alerts import acknowledge_alert

    with unit_of_work() as uow:
        view = acknowledge_alert(uow, _system_actor(uow), alert_id)
    typer.echo(f"alert #{view.id} acknowledged")


@jobs_app.command("unlock")
@command()
def jobs_unlock(
    key: Annotated[str, typer.Argument(help="Lock key JOB:VENTURE:DATE (see the run's error).")],
) -> None:
    """Drop a job lock by hand (only when its holder is surely dead: locks expire on their own)."""
    from domain.jobs.locks import force_release, holder_of

    holder = holder_of(key)
    if holder is None or not force_release(key):
        fail(f"no lock {key!r}")
        return
    typer.echo(f"released {key} (held by run {holder.holder} on {holder.host}, pid {holder.pid})")


# -- incentives -----------------------------------------------------------------------------------

incentives_app = typer.Typer(
    help="Incentives: commit a day, backfill a range, list plans (see docs/RUNBOOK.md).",
    no_args_is_help=True,
)
app.add_typer(incentives_app, name="incentives")


@incentives_app.callback()
def _incentives_logging() -> None:
    """Commits and backfills are job runs: they print their result or one line of error."""
    _jobs_logging()


def _money(amount: Any, currency: str) -> str:
    return f"{currency} {amount:,.2f}"


@incentives_app.command("commit")
@command()
def incentives_commit(
    venture: Annotated[str, typer.Option(help="Venture code, e.g. AFL.")],
    date_: Annotated[str, typer.Option("--date", help="Business date YYYY-MM-DD.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Compute and show the rows; write nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Commit VENTURE's incentives for one business date (a run of incentives-daily), or with
    --dry-run compute and show them without writing."""
    from domain.incentives import services

    day = _parse_date(date_)
    with unit_of_work() as uow:
        actor = _system_actor(uow)
    result = services.commit(actor, venture, day, dry_run=dry_run)
    if as_json:
        _dump(result.model_dump(mode="json"))
    else:
        what = "dry run" if result.dry_run else f"run {result.run_id}"
        typer.echo(
            f"{result.status} incentives {result.venture_code} {result.business_date}: {what}"
        )
        for r in result.rows:
            typer.echo(f"  {r.user_name:<28} {_money(r.amount, r.currency):>16}")
            for b in r.breakdown:
                typer.echo(f"      {b.explanation}")
        totals = ", ".join(_money(v, k) for k, v in result.totals.items()) or "nothing"
        typer.echo(f"  {len(result.rows)} rows; total {totals}")
    if result.status == "SKIPPED_LOCKED":
        typer.echo(f"skipped: {result.error}", err=True)
        raise typer.Exit(EXIT_SKIPPED)
    if result.status not in ("DRY_RUN", "SUCCEEDED"):
        fail(f"run {result.run_id} {result.status}: {result.error}")


@incentives_app.command("backfill")
@command()
def incentives_backfill(
    venture: Annotated[str, typer.Option(help="Venture code, e.g. AFL.")],
    from_: Annotated[str, typer.Option("--from", help="First business date YYYY-MM-DD.")],
    to: Annotated[str, typer.Option("--to", help="Last business date YYYY-MM-DD.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Recommit every day of a range as one run of incentives-backfill (each day replaced whole
    in its own transaction), showing the run's progress."""
    from domain.incentives import services

    start, end = _parse_date(from_, "from"), _parse_date(to, "to")
    with unit_of_work() as uow:
        actor = _system_actor(uow)

    def show(run_id: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        typer.echo(
            f"\rbackfill {run_id} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} cells",
            err=True,
            nl=done >= total > 0,
        )

    view = services.backfill(actor, venture, start, end, progress=None if as_json else show)
    if as_json:
        _dump(view.model_dump(mode="json"))
    else:
        typer.echo(_run_line(view))
        summary = view.result_summary or {}
        if summary:
            totals = ", ".join(
                _money(Decimal(v), k) for k, v in (summary.get("totals") or {}).items()
            )
            typer.echo(
                f"  {summary.get('from')} to {summary.get('to')}: {summary.get('rows', 0)} rows, "
                f"{summary.get('users', 0)} users; total {totals or 'nothing'}"
            )
        if view.html_path:
            from domain.settings import get_settings

            typer.echo(f"  report: {get_settings().reports_dir / view.html_path}")
    if view.status.value == "SKIPPED_LOCKED":
        typer.echo(f"skipped: {view.error}", err=True)
        raise typer.Exit(EXIT_SKIPPED)
    if view.status.value != "SUCCEEDED":
        where = f" ({view.error_cell})" if view.error_cell else ""
        fail(f"run {view.run_id} {view.status.value}: {view.error}{where}")


@incentives_app.command("plans")
@command()
def incentives_plans(
    venture: Annotated[str | None, typer.Option(help="Only this venture's plans.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """The incentive plans and their rules."""
    from domain.incentives.queries import list_plans
    from domain.org.queries import venture_by_code

    with unit_of_work() as uow:
        actor = _system_actor(uow)
        venture_id = venture_by_code(uow, actor, venture).id if venture else None
        plans = list_plans(uow, actor, venture_id)
    if as_json:
        _dump([p.model_dump(mode="json") for p in plans])
        return
    if not plans:
        typer.echo("no incentive plans" + (f" in {venture.upper()}" if venture else ""))
    for p in plans:
        until = p.effective_to.isoformat() if p.effective_to else "open"
        typer.echo(
            f"{p.venture_code:<5} {p.name:<32} {p.currency} {p.status.value:<8} "
            f"{p.effective_from} to {until}  (plan {p.id})"
        )
        for r in p.rules:
            roles = ",".join(r.roles) or "every role"
            state = "" if r.enabled else "  [disabled]"
            typer.echo(f"      {r.name:<26} {r.summary}  ({roles}; rule {r.id}){state}")


@app.command("scheduler")
@command()
def scheduler(
    schedule_file: Annotated[
        str | None, typer.Option("--schedule", help="TOML schedule (default: VCC_JOB_SCHEDULE).")
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="Run what is due now (catch-up included), then exit.")
    ] = False,
    grace: Annotated[
        float, typer.Option(help="Seconds runs in flight get to finish on SIGTERM.")
    ] = 60.0,
    tick: Annotated[float, typer.Option(help="Seconds between checks of the schedule.")] = 30.0,
) -> None:
    """Run the job schedule until SIGTERM (several schedulers may run: the locks decide)."""
    import logging
    import os
    import signal

    from domain.jobs.schedule import load_schedule
    from domain.jobs.scheduler import Scheduler
    from domain.observability.logs import configure_logging

    configure_logging(level=os.environ.get("VCC_LOG_LEVEL", "INFO"))
    sched = Scheduler(load_schedule(schedule_file), tick_seconds=tick)

    def on_signal(signum: int, _frame: Any) -> None:
        logging.getLogger("domain.jobs.scheduler").info("%s: stopping", signal.Signals(signum).name)
        sched.stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if once:
        sched.tick()
        sched.drain()
        sched.shutdown(grace=0)
        return
    sched.run()
    sched.shutdown(grace=grace)


# -- serve ----------------------------------------------------------------------------------------


def serve_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment Reflex needs here (what scripts/env.sh sets for a shell): the pinned bun
    and node of tools/ first on PATH, no telemetry, no installer or version probes."""
    import os
    import subprocess

    from domain.settings import PROJECT_ROOT

    env = dict(os.environ if base is None else base)
    tools = PROJECT_ROOT / "tools" / "node_modules" / ".bin"
    env["PATH"] = os.pathsep.join(
        [str(tools), str(Path(sys.executable).parent), env.get("PATH", "")]
    )
    env.update(
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_TELEMETRY_ENABLED="false",
        REFLEX_CHECK_LATEST_VERSION="false",
    )
    if not env.get("NPM_CONFIG_REGISTRY"):
        # A registry set explicitly spares Reflex its registry latency probe at every start.
        try:
            registry = subprocess.run(
                ["npm", "config", "get", "registry"],
                env=env,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            registry = ""
        if registry.startswith("http"):
            env["NPM_CONFIG_REGISTRY"] = registry
    return env


LOOPBACK = "127.0.0.1"


def _valid_host(host: str) -> bool:
    """An IP address or a DNS host name (nothing a shell or a URL would read twice)."""
    import ipaddress
    import re

    try:
        ipaddress.ip_address(host)
    except ValueError:
        label = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        return len(host) <= 253 and re.fullmatch(rf"{label}(\.{label})*", host) is not None
    return True


@app.command("serve")
@command()
def serve(
    port: Annotated[int, typer.Option(help="The one port of the web app and the JSON API.")] = 8000,
    host: Annotated[
        str,
        typer.Option(
            envvar="VCC_HOST",
            help="Address to listen on. The default serves this machine only; 0.0.0.0 opens the "
            "server to every network interface (behind a proxy or firewall only).",
        ),
    ] = LOOPBACK,
    loglevel: Annotated[
        str, typer.Option(help="Reflex log level: debug, info, warning, error.")
    ] = "warning",
) -> None:
    """Serve the web app and /api/v1 on one port (production build; Ctrl+C stops)."""
    import os

    from domain.settings import PROJECT_ROOT

    if not 1 <= port <= 65535:
        fail("port: must be between 1 and 65535")
    host = host.strip()
    if not _valid_host(host):
        fail("host: must be an IP address or a host name (default 127.0.0.1)")
    if loglevel not in ("debug", "info", "warning", "error", "critical"):
        fail("loglevel: must be one of debug, info, warning, error, critical")
    tools = PROJECT_ROOT / "tools" / "node_modules" / ".bin"
    missing = [t for t in ("bun", "node") if not (tools / t).exists()]
    if missing:
        fail(f"the JS toolchain is missing ({', '.join(missing)} in {tools}): run `make tools`")
    reflex = Path(sys.executable).parent / "reflex"
    argv = [str(reflex), "run", "--env", "prod", "--single-port"]
    argv += ["--frontend-port", str(port), "--backend-port", str(port), "--loglevel", loglevel]
    argv += ["--backend-host", host]
    everywhere = host in ("0.0.0.0", "::")
    shown = LOOPBACK if everywhere else f"[{host}]" if ":" in host else host
    typer.echo(f"Venture Command Center: http://{shown}:{port} (building the front end first)")
    if everywhere:
        typer.echo(f"  listening on every network interface ({host}): anyone who can reach it")
    sys.stdout.flush()
    os.chdir(PROJECT_ROOT)
    os.execve(str(reflex), argv, serve_environment())


# -- gamification -----------------------------------------------------------------------------

gamification_app = typer.Typer(
    help="Gamification: rebuild a venture's points from its events (see docs/RUNBOOK.md).",
    no_args_is_help=True,
)
app.add_typer(gamification_app, name="gamification")


@gamification_app.command("rebuild")
@command()
def gamification_rebuild(
    venture: Annotated[str, typer.Option(help="Venture code, e.g. AFL.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Wipe VENTURE's awards and balances and replay them from the recorded events (one
    transaction; the same events and balances as the live path)."""
    from domain.gamification.rebuild import rebuild

    with unit_of_work() as uow:
        actor = _system_actor(uow)
    result = rebuild(actor, venture)
    if as_json:
        _dump(result.model_dump(mode="json"))
    else:
        typer.echo(
            f"rebuilt {result.venture_code}: {result.source_events} events replayed, "
            f"{result.awards} awards, {result.points} points, {result.users} users"
        )


def _add_payouts() -> None:
    from domain.incentives.cli import incentives_explain, payouts_app

    app.add_typer(payouts_app, name="payouts")
    incentives_app.command("explain")(command()(incentives_explain))


_add_payouts()


def main(argv: list[str] | None = None) -> None:
    try:
        app(args=argv, standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
