"""State-level tests of the web app: Reflex states driven directly (no browser, no server).

While pytest runs, Reflex allows instantiating states; ``rx.State()`` builds the whole state tree
in memory, and handlers are called as methods, exactly with the arguments a (hostile) client
could send. The database is the real one of the ``demo`` fixture (SQLite, and PostgreSQL when
``TEST_DATABASE_URL`` is set).
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
import reflex as rx
from reflex.istate.data import RouterData

import rxapp.rxapp  # noqa: F401  (registers every page and state)
from domain.access.auth import login_with_password
from domain.db import unit_of_work
from domain.demo import DEMO_PASSWORD
from rxapp.state.session import SessionState

S = TypeVar("S", bound=rx.State)


class DirectProxy:
    """Stands in for Reflex's StateProxy so a background handler can run in a unit test:
    ``async with self`` is a no-op and attribute access goes to the real state."""

    def __init__(self, state: rx.State) -> None:
        object.__setattr__(self, "_state", state)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._state, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._state, name, value)

    async def __aenter__(self) -> DirectProxy:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class Tab:
    """One browser tab: the root state and its substates."""

    def __init__(self, path: str = "/") -> None:
        self.root = rx.State()
        self.navigate(path)

    def navigate(self, path: str) -> None:
        self.root.router = RouterData.from_router_data(
            {
                "pathname": path,
                "asPath": path,
                "headers": {"origin": "http://testserver", "user-agent": "pytest"},
                "ip": "127.0.0.1",
            }
        )

    def state(self, cls: type[S]) -> S:
        path = cls.get_full_name().split(".")[1:]
        return self.root.get_substate(path)  # type: ignore[return-value]

    @property
    def session(self) -> SessionState:
        return self.state(SessionState)

    def login(self, email: str) -> str:
        with unit_of_work() as uow:
            token = login_with_password(uow, email, DEMO_PASSWORD).token
        self.session.token = token
        return token

    def call(self, state_cls: type[S], handler: str, *args: Any) -> list[Any]:
        """Call a public handler as a client would; return the events it produced."""
        assert handler in state_cls.event_handlers, f"{handler} is not a public handler"
        state = self.state(state_cls)
        fn: Callable[..., Any] = state_cls.event_handlers[handler].fn
        target: Any = (
            DirectProxy(state) if state_cls.event_handlers[handler].is_background else state
        )
        return _drain(fn(target, *args))


def _run(coro: Any) -> Any:
    """Run a coroutine to completion in a thread of its own: the e2e tests' Playwright keeps an
    event loop running in the main thread for the whole session, where asyncio.run refuses."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _drain(result: Any) -> list[Any]:
    if inspect.isasyncgen(result):

        async def collect() -> list[Any]:
            return [e async for e in result]

        return _flatten(_run(collect()))
    if inspect.iscoroutine(result):
        return _flatten([_run(result)])
    if inspect.isgenerator(result):
        return _flatten(list(result))
    return _flatten([result])


def _flatten(events: list[Any]) -> list[Any]:
    out: list[Any] = []
    for e in events:
        if e is None:
            continue
        if isinstance(e, list | tuple):
            out.extend(_flatten(list(e)))
        else:
            out.append(e)
    return out


def redirect_target(events: list[Any]) -> str | None:
    for ev in events:
        if isinstance(ev, rx.event.EventSpec) and ev.handler.fn.__qualname__ == "_redirect":
            return dict((str(k), v) for k, v in ev.args)["path"]._var_value
    return None


def toasts(events: list[Any]) -> list[str]:
    """The text of the toasts among ``events``."""
    out = []
    for ev in events:
        if isinstance(ev, rx.event.EventSpec) and "toast" in str(ev).lower():
            out.append(str(ev))
    return out


@pytest.fixture
def tab(demo: Any) -> Tab:
    return Tab()


def downloaded_text(events: list[Any]) -> str:
    """The text of the file an ``rx.download`` event among ``events`` hands the browser."""
    for e in events:
        if getattr(e, "handler", None) is not None and "download" in str(e).lower():
            url = str(dict((str(k), v) for k, v in e.args)["url"]._var_value)
            assert url.startswith("data:text/csv;base64,")
            return base64.b64decode(url.split(",", 1)[1]).decode()
    raise AssertionError(f"no download in {events}")
