"""`vcc serve` (and so `make run`) listens on the loopback interface unless asked otherwise
(`--host`, or `VCC_HOST`): a developer's demo server is not open to the whole network."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from domain import cli

if TYPE_CHECKING:
    from tests.conftest import TestDatabase


@pytest.fixture
def bind_exec(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Captures the `reflex run` that `vcc serve` would exec (and keeps the working folder)."""
    seen: dict[str, Any] = {}

    def fake_execve(path: str, argv: list[str], env: dict[str, str]) -> None:
        seen.update(path=path, argv=argv, env=env)

    monkeypatch.setattr(os, "execve", fake_execve)
    monkeypatch.setattr(os, "chdir", lambda _path: None)
    monkeypatch.setattr(cli, "serve_environment", lambda base=None: {"PATH": "/usr/bin"})
    monkeypatch.delenv("VCC_HOST", raising=False)
    return seen


# The database only has to be migrated (serve checks it): SQLite is enough.
on_sqlite = pytest.mark.parametrize("db", ["sqlite"], indirect=True)


def _serve(*args: str, **env: str) -> Any:
    return CliRunner().invoke(cli.app, ["serve", *args], env=env or None)


def _host(argv: list[str]) -> str:
    assert argv.count("--backend-host") == 1, argv
    return argv[argv.index("--backend-host") + 1]


@on_sqlite
def test_serve_binds_loopback_by_default(db: TestDatabase, bind_exec: dict[str, Any]) -> None:
    r = _serve("--port", "8123")
    assert r.exit_code == 0, r.output
    assert _host(bind_exec["argv"]) == "127.0.0.1"
    assert "http://127.0.0.1:8123" in r.output


@on_sqlite
def test_serve_opens_up_only_when_asked(db: TestDatabase, bind_exec: dict[str, Any]) -> None:
    r = _serve("--host", "0.0.0.0")
    assert r.exit_code == 0, r.output
    assert _host(bind_exec["argv"]) == "0.0.0.0"
    assert "every network interface" in r.output  # said out loud
    r = _serve(VCC_HOST="192.168.10.5")
    assert r.exit_code == 0, r.output
    assert _host(bind_exec["argv"]) == "192.168.10.5"


@on_sqlite
def test_serve_refuses_a_bad_host(db: TestDatabase, bind_exec: dict[str, Any]) -> None:
    r = _serve("--host", "not a host;rm")
    assert r.exit_code == 1 and "host:" in r.output
    assert "argv" not in bind_exec


def test_reflex_run_without_vcc_binds_loopback_too() -> None:
    import rxconfig

    assert rxconfig.config.backend_host == "127.0.0.1"


def test_make_run_passes_the_host() -> None:
    from domain.settings import PROJECT_ROOT

    makefile = (PROJECT_ROOT / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") :].split("\n\n", 1)[0]
    assert "vcc serve --port $(PORT) --host $(VCC_HOST)" in run
    assert "VCC_HOST ?= 127.0.0.1" in makefile
