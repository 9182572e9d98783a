"""``vcc``: the operator's command line. Every command calls the same domain services as the web
app and the API, as the system account (audited), and ends with exit code 0 or a one-line error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
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

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="vcc",
    help="Venture Command Center: operate the database, demo data, users, tokens and jobs.",
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
            except NotMigrated as exc:
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
    from domain.access.scope import system_actor

    return system_actor(uow.session)


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
) -> None:
    """Fill an empty database with the demo group (ventures, offices, staff, links, ...)."""
    from domain.demo import Size, database_is_empty
    from domain.demo import seed as run_seed

    try:
        chosen = Size(size.lower())
    except ValueError:
        fail(f"--size must be small, medium or large, not {size!r}")
        return
    if not database_is_empty():
        if if_empty:
            typer.echo("database already has data: demo seed skipped")
            return
        fail("the database already has data; demo data goes into an empty database only")
    summary = run_seed(chosen, seed)
    typer.echo(
        f"seeded demo data ({chosen.value}, seed {seed}): "
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


def _resolve_offices(uow: Any, venture_ids: list[int], refs: list[str]) -> list[int]:
    """Office names: ``NAME`` (looked up in the user's ventures) or ``CODE/NAME``."""
    from sqlmodel import col, select

    from domain.errors import Invalid
    from domain.org.models import Office, Venture

    ids: list[int] = []
    for ref in refs:
        code, _, name = ref.rpartition("/")
        stmt = select(Office.id, Venture.code).join(Venture, col(Venture.id) == Office.venture_id)
        stmt = stmt.where(Office.name == name.strip())
        if code:
            stmt = stmt.where(Venture.code == code.strip().upper())
        elif venture_ids:
            stmt = stmt.where(col(Office.venture_id).in_(venture_ids))
        found = uow.session.execute(stmt).all()
        if not found:
            raise Invalid.field("office", f"no office named {ref!r} in the user's ventures")
        if len(found) > 1:
            raise Invalid.field(
                "office",
                f"{ref!r} matches offices of {', '.join(c for _, c in found)}; write CODE/NAME",
            )
        ids.append(found[0][0])
    return ids


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
) -> None:
    """Create a user with a role and venture/office assignments."""
    from sqlmodel import col, select

    from domain.errors import Invalid
    from domain.org.models import Venture
    from domain.org.services import create_user

    with unit_of_work() as uow:
        actor = _system_actor(uow)
        codes = [c.strip().upper() for c in venture or []]
        found: dict[str, int] = dict(
            uow.session.execute(
                select(Venture.code, Venture.id).where(col(Venture.code).in_(codes))
            ).all()
        )
        missing = [c for c in codes if c not in found]
        if missing:
            raise Invalid.field("venture", f"unknown venture code(s): {', '.join(missing)}")
        venture_ids = [found[c] for c in codes]
        office_ids = _resolve_offices(uow, venture_ids, office or [])
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
            },
        )
    typer.echo(f"created user {view.email} ({view.role.value}) id {view.id}")


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
    from sqlmodel import select

    from domain.access.auth import create_api_token, normalise_email
    from domain.access.scope import SYSTEM_EMAIL
    from domain.errors import NotFound
    from domain.org.models import User

    with unit_of_work() as uow:
        actor = _system_actor(uow)
        user = uow.session.execute(
            select(User).where(User.email == normalise_email(email))
        ).scalar_one_or_none()
        if user is None or user.email == SYSTEM_EMAIL:
            raise NotFound("user", email)
        _, raw = create_api_token(uow, actor, name=name, days=days, user_id=user.id)
    typer.echo(raw)


def main(argv: list[str] | None = None) -> None:
    try:
        app(args=argv, standalone_mode=True)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
