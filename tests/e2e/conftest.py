"""End-to-end fixtures: the real production server (``vcc serve``, which runs ``reflex run --env
prod --single-port``) on a throw-away SQLite database, driven by pytest-playwright in Debian's
headless Chromium.

- ``E2E_BASE_URL=http://localhost:8000`` reuses a running server (no start, no seed).
- ``CHROMIUM_PATH`` points at another Chromium build; default: /usr/bin/chromium, then PATH.
- ``E2E_SERVER_TIMEOUT`` (seconds, default 180) bounds the start, which includes the frontend
  build: about 12 s here with a cold bun cache, so no separate pre-build step is needed.

The server log goes to ``test-artifacts/e2e-server.log``. Never run ``playwright install``: the
browser download is not reachable here; the system Chromium is used instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SERVER_LOG = ARTIFACTS / "e2e-server.log"
E2E_DIR = Path(__file__).resolve().parent

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Everything under tests/e2e is an e2e test, so `-m "not e2e"` skips the browser suite.
    # scripts/test.sh runs them in a pass of their own, after the xdist pass: one production
    # build of the app in .web, one server, one browser.
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    executable = chromium_path()
    if executable is None:
        pytest.fail("No Chromium found: run `make chromium` (Debian package) or set CHROMIUM_PATH")
    flags = list(CHROMIUM_FLAGS)
    if browser_type_launch_args.get("headless") is False:  # pytest --headed
        flags.remove("--headless")
    return {**browser_type_launch_args, "executable_path": executable, "args": flags}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _in_project_env(*argv: str) -> list[str]:
    """argv run with scripts/env.sh sourced (pinned bun/node first on PATH, Reflex offline)."""
    return ["bash", "-c", '. scripts/env.sh && exec "$@"', "bash", *argv]


def _vcc() -> str:
    """The console script installed next to this interpreter (pip install -e .)."""
    return shutil.which("vcc", path=str(Path(sys.executable).parent)) or "vcc"


def _prepare_database(env: dict[str, str]) -> None:
    vcc = _vcc()
    for args in (["db", "upgrade"], ["demo", "seed", "--size", "small"]):
        subprocess.run(_in_project_env(vcc, *args), cwd=ROOT, env=env, check=True, timeout=300)


def _get(url: str, timeout: float = 2.0) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.status, resp.read().decode("utf-8", "replace")


def _log_tail(lines: int = 40) -> str:
    try:
        return "\n".join(SERVER_LOG.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _stop(proc: subprocess.Popen[bytes]) -> None:
    # The server runs in its own session (process group = its pid): signal only that group.
    if proc.poll() is not None:
        return
    for sig, grace in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def e2e_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def e2e_database_url(e2e_tmp: Path) -> str:
    """The database the server uses (tests read the expected sections and links from it)."""
    if os.environ.get("E2E_BASE_URL"):
        return os.environ.get("DATABASE_URL", "")
    return f"sqlite:///{e2e_tmp / 'e2e.db'}"


@pytest.fixture(scope="session")
def mail_file(e2e_tmp: Path) -> Path:
    """Where the server's fake email sender appends messages (login codes)."""
    if os.environ.get("E2E_BASE_URL") and os.environ.get("VCC_FAKE_MAIL_FILE"):
        return Path(os.environ["VCC_FAKE_MAIL_FILE"])
    return e2e_tmp / "mail.jsonl"


@pytest.fixture(scope="session")
def e2e_server(e2e_tmp: Path, e2e_database_url: str, mail_file: Path) -> Iterator[str]:
    """Base URL of a production server on a fresh, migrated and seeded SQLite database."""
    reuse = os.environ.get("E2E_BASE_URL")
    if reuse:
        yield reuse.rstrip("/")
        return

    tmp = e2e_tmp
    port = _free_port()
    env = os.environ.copy()
    env.update(
        DATABASE_URL=e2e_database_url,
        # Keep this server's per-tab states away from a `make run` server's .states/.
        REFLEX_STATES_WORKDIR=str(tmp / "states"),
        PYTHONUNBUFFERED="1",
        VCC_EMAIL_PROVIDER="fake",
        VCC_FAKE_MAIL_FILE=str(mail_file),
        # Job runs started from the browser write their reports here, not into reports/.
        VCC_REPORTS_DIR=str(tmp / "reports"),
    )
    _prepare_database(env)

    ARTIFACTS.mkdir(exist_ok=True)
    timeout = float(os.environ.get("E2E_SERVER_TIMEOUT", "180"))
    base_url = f"http://127.0.0.1:{port}"
    # `vcc serve` itself (not a shell with scripts/env.sh): it must set up Reflex's toolchain.
    argv = [_vcc(), "serve", "--port", str(port), "--loglevel", "info"]
    started = time.monotonic()
    with SERVER_LOG.open("wb") as log:
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"vcc serve exited with {proc.returncode} before it was ready; "
                    f"log tail ({SERVER_LOG}):\n{_log_tail()}"
                )
            try:
                status, body = _get(base_url + "/ping")
                if status == 200 and "pong" in body:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() - started > timeout:
                pytest.fail(f"server not ready after {timeout:.0f} s; log tail:\n{_log_tail()}")
            time.sleep(0.5)
        print(f"e2e: server ready on {base_url} in {time.monotonic() - started:.1f} s")
        yield base_url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def base_url(e2e_server: str) -> str:
    # pytest-playwright's page.goto("/login") resolves against this.
    return e2e_server


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
