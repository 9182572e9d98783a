"""``@guarded``: the shape every privileged handler repeats, written once.

    @rx.event
    @guarded
    def set_status(self, actor: Actor, quote_id: int, status: str): ...

The wrapper resolves the Actor from the session token (``SessionState._actor``) and bounces to
the login page when the session is gone; otherwise it calls the handler with the Actor as its
first argument. A ``DomainError`` the handler raises ends the handler as an error toast, or as
whatever ``on_error`` (a method of the state: ``(self, exc) -> event | None``) shows instead,
typically field errors on a form (see ``rxapp.state.errors.field_errors``).

- ``page="freight_quotes"``: a page's on_load guard, ``SessionState._enter(page)`` instead of
  ``_actor``; a user who may not open the page gets the 403 panel and the handler does not run.
- ``busy="busy"``: the handler is skipped while that flag is set, sets it while it runs and
  always clears it (for background handlers, under the state lock).

What Reflex sees: the handler's own name and arguments (``actor`` is not a parameter a client can
send: it is dropped from the public signature and type hints, which Reflex uses to parse the
payload). A background handler (``@rx.event(background=True)``) must be an async generator; the
wrapper takes the state lock (``async with self``) to resolve the Actor, set the busy flag and show
an error, and runs the handler's body outside it, as before.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import reflex as rx

from domain.errors import DomainError

ErrorView = Callable[[Any, DomainError], Any]


def error_toast(exc: DomainError) -> Any:
    return rx.toast.error(exc.message)


def _public(wrapper: Any, fn: Callable[..., Any]) -> None:
    """Reflex reads the signature and type hints of the handler: show the handler's own, minus
    the injected ``actor``."""
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    if len(params) < 2 or params[1].name != "actor":
        raise TypeError(f"{fn.__qualname__}: a guarded handler takes (self, actor, ...)")
    del params[1]
    wrapper.__signature__ = sig.replace(parameters=params)
    wrapper.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != "actor"}


def guarded(
    fn: Callable[..., Any] | None = None,
    *,
    page: str | None = None,
    busy: str | None = None,
    on_error: ErrorView | None = None,
) -> Any:
    """See the module docstring."""

    def decorate(fn: Callable[..., Any]) -> Any:
        def enter(self: Any) -> tuple[Any, Any]:
            if page is None:
                actor = self._actor()
                return actor, (self._bounce() if actor is None else None)
            return self._enter(page)

        def failed(self: Any, exc: DomainError) -> Any:
            return on_error(self, exc) if on_error is not None else error_toast(exc)

        if inspect.isasyncgenfunction(fn):

            @functools.wraps(fn)
            async def background(self: Any, *args: Any, **kwargs: Any) -> Any:
                async with self:
                    if busy and getattr(self, busy):
                        return
                    actor, refusal = enter(self)
                    if actor is not None and busy:
                        setattr(self, busy, True)
                if actor is None:
                    if refusal is not None:
                        yield refusal
                    return
                try:
                    async for event in fn(self, actor, *args, **kwargs):
                        yield event
                except DomainError as exc:
                    async with self:
                        shown = failed(self, exc)
                    if shown is not None:
                        yield shown
                finally:
                    if busy:
                        async with self:
                            setattr(self, busy, False)

            _public(background, fn)
            return background

        if inspect.iscoroutinefunction(fn) or inspect.isgeneratorfunction(fn):
            raise TypeError(f"{fn.__qualname__}: guard a plain function or an async generator")

        @functools.wraps(fn)
        def handler(self: Any, *args: Any, **kwargs: Any) -> Any:
            if busy and getattr(self, busy):
                return None
            actor, refusal = enter(self)
            if actor is None:
                return refusal
            if busy:
                setattr(self, busy, True)
            try:
                return fn(self, actor, *args, **kwargs)
            except DomainError as exc:
                return failed(self, exc)
            finally:
                if busy:
                    setattr(self, busy, False)

        _public(handler, fn)
        return handler

    return decorate(fn) if fn is not None else decorate
