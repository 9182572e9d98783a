"""Shared steps of the browser tests: sign in through the UI, read what the domain expects."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from domain.access.navigation import accessible_sections
from domain.access.scope import actor_for
from domain.db import get_engine, read_only
from domain.demo import DEMO_PASSWORD
from domain.org.models import User, Venture
from domain.org.queries import visible_quick_links

TIMEOUT = 20_000


def login(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form and wait until the landing page shows its data."""
    page.goto("/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("#login-submit").click()
    expect(page).not_to_have_url(re.compile(r"/login"), timeout=TIMEOUT)
    expect(page.locator("#main [id='page-loading']")).to_have_count(0, timeout=TIMEOUT)


def wait_ready(page: Page) -> None:
    """The shell has resolved the user and the page's data (no skeleton left)."""
    expect(page.locator("#sidebar .nav-section").first).to_be_attached(timeout=TIMEOUT)
    expect(page.locator("#page-loading")).to_have_count(0, timeout=TIMEOUT)


def shown_sections(page: Page) -> list[str]:
    return page.locator("#sidebar .nav-section").evaluate_all(
        "els => els.map(e => e.dataset.section)"
    )


@dataclass
class Expected:
    sections: list[str]
    venture_links: dict[str, list[str]]  # venture code -> link labels
    venture_ids: dict[str, int]


def expected_for(database_url: str, email: str) -> Expected:
    """What the domain says this user sees (read from the server's own database)."""
    with read_only(get_engine(database_url)) as uow:
        user = uow.session.execute(select(User).where(User.email == email)).scalar_one()
        actor = actor_for(uow.session, user)
        sections = accessible_sections(uow, actor)
        groups = visible_quick_links(uow, actor)
        ids = dict(uow.session.execute(select(Venture.code, Venture.id)).all())
    links = {
        g.venture_code or "": [q.label for q in g.links] for g in groups if g.kind == "venture"
    }
    return Expected(sections, links, ids)


def latest_code(mail_file: Path, email: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if mail_file.exists():
            for line in reversed(mail_file.read_text().splitlines()):
                msg = json.loads(line)
                if msg["to"] == email:
                    m = re.search(r"\b(\d{6})\b", msg["body"])
                    if m:
                        return m[1]
        time.sleep(0.2)
    raise AssertionError(f"no login code for {email} in {mail_file}")


def wait_for_failed_attempts(database_url: str, email: str, n: int, timeout: float = 20.0) -> None:
    """Block until the server has recorded ``n`` consecutive failures for ``email``: the notice
    text alone cannot tell one attempt's answer from the previous one's."""
    deadline = time.monotonic() + timeout
    seen = -1
    while time.monotonic() < deadline:
        with read_only(get_engine(database_url)) as uow:
            seen = uow.session.execute(
                select(User.failed_attempts).where(User.email == email)
            ).scalar_one()
        if seen >= n:
            return
        time.sleep(0.1)
    raise AssertionError(f"{email}: {seen} failed attempts recorded, expected {n}")


def expect_sections(page: Page, expected: list[str], timeout: float = TIMEOUT / 1000) -> None:
    """The sidebar shows exactly ``expected`` (polled: the shell may still be updating)."""
    deadline = time.monotonic() + timeout
    shown: list[str] = []
    while time.monotonic() < deadline:
        shown = shown_sections(page)
        if shown == expected:
            return
        time.sleep(0.1)
    assert shown == expected
