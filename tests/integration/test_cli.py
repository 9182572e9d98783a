"""The ``vcc`` command line, run as a real subprocess against a fresh database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def vcc(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "VCC_ENV": "test"}
    return subprocess.run(
        [sys.executable, "-m", "domain.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_refuses_an_unmigrated_database(url: str) -> None:
    r = vcc(url, "user", "list")
    assert r.returncode == 1
    assert "vcc db upgrade" in r.stderr and r.stderr.count("\n") == 1


def test_upgrade_seed_users_tokens(url: str) -> None:
    assert vcc(url, "db", "upgrade").returncode == 0
    r = vcc(url, "demo", "seed", "--size", "small", "--seed", "3")
    assert r.returncode == 0 and "7 ventures" in r.stdout
    r = vcc(url, "demo", "seed", "--if-empty")
    assert r.returncode == 0 and "skipped" in r.stdout
    r = vcc(url, "demo", "seed")
    assert r.returncode == 1 and "already has data" in r.stderr

    r = vcc(
        url,
        "user",
        "create",
        "--email",
        "Pat@Example.com",
        "--name",
        "Pat Doe",
        "--role",
        "csr",
        "--venture",
        "AFL",
        "--office",
        "New York HQ",
        "--password",
        "a long enough secret",
    )
    assert r.returncode == 0, r.stderr
    r = vcc(url, "user", "list", "--json")
    rows = {row["email"]: row for row in json.loads(r.stdout)}
    assert rows["pat@example.com"]["ventures"] == ["AFL"]
    assert rows["pat@example.com"]["offices"] == ["New York HQ"]
    assert rows["pat@example.com"]["role"] == "CSR"
    assert "system@vcc.local" not in rows

    r = vcc(
        url,
        "user",
        "create",
        "--email",
        "x@example.com",
        "--name",
        "X",
        "--role",
        "CSR",
        "--venture",
        "NOPE",
    )
    assert r.returncode == 1 and r.stderr.startswith("error: venture: unknown venture code")
    r = vcc(url, "user", "create", "--email", "x@example.com", "--name", "X", "--role", "WIZARD")
    assert r.returncode == 1 and "role" in r.stderr

    # Tokens made from the command line are for service accounts; a person makes their own.
    r = vcc(url, "token", "create", "--email", "pat@example.com", "--days", "7")
    assert r.returncode == 1 and "service account" in r.stderr and "vcc_" not in r.stdout
    r = vcc(
        url,
        "user",
        "create",
        "--email",
        "etl@example.com",
        "--name",
        "ETL",
        "--role",
        "AUDITOR",
        "--service-account",
    )
    assert r.returncode == 0 and "service account etl@example.com" in r.stdout, r.stderr
    r = vcc(url, "token", "create", "--email", "etl@example.com", "--days", "7")
    assert r.returncode == 0 and r.stdout.strip().startswith("vcc_"), r.stderr
    assert len(r.stdout.strip().splitlines()) == 1
    r = vcc(url, "token", "create", "--email", "ghost@example.com")
    assert r.returncode == 1 and "not found" in r.stderr
    r = vcc(url, *SERVICE_WITH_PASSWORD)
    assert r.returncode == 1 and r.stderr.startswith("error: password: a service account")


SERVICE_WITH_PASSWORD = (
    "user",
    "create",
    "--email",
    "bot@example.com",
    "--name",
    "Bot",
    "--role",
    "AUDITOR",
    "--service-account",
    "--password",
    "a long enough secret",
)


def test_help_everywhere(url: str) -> None:
    for args in (
        ["--help"],
        ["db", "--help"],
        ["demo", "seed", "--help"],
        ["user", "create", "--help"],
        ["token", "create", "--help"],
    ):
        r = vcc(url, *args)
        assert r.returncode == 0 and "Usage" in r.stdout, args


def test_same_seed_same_data(tmp_path: Path) -> None:
    outs = []
    for i in range(2):
        u = f"sqlite:///{tmp_path / f's{i}.db'}"
        vcc(u, "db", "upgrade")
        vcc(u, "demo", "seed", "--seed", "11")
        outs.append(vcc(u, "user", "list", "--json").stdout)
    assert outs[0] == outs[1]


def test_serve_refuses_bad_options_and_an_unmigrated_database(url: str, tmp_path: Path) -> None:
    r = vcc(url, "serve")
    assert r.returncode == 1 and "vcc db upgrade" in r.stderr
    assert vcc(url, "db", "upgrade").returncode == 0
    r = vcc(url, "serve", "--port", "0")
    assert r.returncode == 1 and r.stderr == "error: port: must be between 1 and 65535\n"
    r = vcc(url, "serve", "--loglevel", "loud")
    assert r.returncode == 1 and "loglevel" in r.stderr
    # (The e2e suite starts its server with `vcc serve`: that is the test that it serves.)


def test_serve_puts_the_pinned_toolchain_first_and_keeps_reflex_offline() -> None:
    from domain.cli import serve_environment

    env = serve_environment({"PATH": "/usr/bin", "NPM_CONFIG_REGISTRY": "http://registry.local/"})
    first = env["PATH"].split(os.pathsep)
    assert first[0] == str(ROOT / "tools" / "node_modules" / ".bin")
    assert first[1] == str(Path(sys.executable).parent) and first[-1] == "/usr/bin"
    assert env["REFLEX_USE_SYSTEM_BUN"] == "1" and env["REFLEX_TELEMETRY_ENABLED"] == "false"
    assert env["REFLEX_CHECK_LATEST_VERSION"] == "false"
    assert env["NPM_CONFIG_REGISTRY"] == "http://registry.local/"  # an explicit one is kept
