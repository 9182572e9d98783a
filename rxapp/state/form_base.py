"""The one submit path of a form, written once.

A state describes each of its forms with a ``Form`` (its fields and labels, and the names of the
state vars it shows errors in) and decorates the submit handler with ``submits(form)``:

    LOAD_FORM = Form(FIELDS, LABELS)

    @rx.event(background=True)
    @submits(LOAD_FORM)
    async def save(self, actor: Actor, form_data: dict[str, Any]):
        data = ...  # read what was typed (under ``async with self`` in a background handler)
        view = await in_unit_of_work(create_load, actor, data)
        return Saved(f"Load {view.reference} created.", redirect=f"/freight/loads/{view.id}")

What every submit then does, in this order: resolve the Actor and skip a second submit while the
first runs (``@guarded`` with the form's busy flag), clear the form's errors, run the handler
(which calls the domain), and then either show the domain's refusal on the form (an ``Invalid``
under each named field and in the summary, anything else in the summary) or close the form's
dialog and show the ``Saved`` message as a toast (after the redirect, when there is one). A
handler that returns ``None`` ends quietly (nothing to save). The busy flag is always cleared.

``in_unit_of_work`` runs one domain call in its own unit of work on a worker thread, so a slow
save (argon2, a conversion) does not block other users' events.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import reflex as rx

from domain.db import unit_of_work
from domain.errors import DomainError
from rxapp.state.errors import form_errors
from rxapp.state.guards import guarded

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Form:
    """One form of a state: the fields that show an error under them, their labels (which also
    name the fields a summary line may mention), and the state vars the form uses."""

    fields: tuple[str, ...]
    labels: dict[str, str]
    err: str = "err"  # dict var: field -> the message under it ("" for none)
    summary: str = "errors"  # list var: the messages at the top of the form
    # bool var set while the submit runs (the button shows progress; a second submit is
    # skipped); None for a plain, quick handler
    busy: str | None = "busy"
    open: str | None = None  # bool var of the form's dialog, closed once saved

    def clear(self, state: Any) -> None:
        setattr(state, self.err, dict.fromkeys(self.fields, ""))
        setattr(state, self.summary, [])

    def show(self, state: Any, exc: DomainError) -> None:
        by_field, summary = form_errors(exc, self.labels)
        setattr(state, self.err, {f: by_field.get(f, "") for f in self.fields})
        setattr(state, self.summary, summary)

    def close(self, state: Any) -> None:
        if self.open is not None:
            setattr(state, self.open, False)


@dataclasses.dataclass(frozen=True)
class Saved:
    """What a submit handler returns when the domain accepted the form."""

    message: str
    redirect: str | None = None
    action: Any = None  # a button on the toast (``ToastAction``), shown longer (``duration``)
    duration: int | None = None

    def events(self) -> list[Any]:
        shown: list[Any] = [rx.redirect(self.redirect)] if self.redirect else []
        extra: dict[str, Any] = {"action": self.action} if self.action is not None else {}
        if self.duration is not None:
            extra["duration"] = self.duration
        return [*shown, rx.toast.success(self.message, **extra)]


def submits(form: Form) -> Callable[[Callable[..., Any]], Any]:
    """Decorate a submit handler ``(self, actor, ...) -> Saved | None``: an ``async def`` for a
    background event (``@rx.event(background=True)``) or a plain function. See the module
    docstring."""

    def decorate(fn: Callable[..., Any]) -> Any:
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def background(self: Any, actor: Any, *args: Any, **kwargs: Any) -> Any:
                async with self:
                    form.clear(self)
                saved = await fn(self, actor, *args, **kwargs)
                if saved is None:
                    return
                async with self:
                    form.close(self)
                for event in saved.events():
                    yield event

            return guarded(busy=form.busy, on_error=form.show)(background)

        @functools.wraps(fn)
        def handler(self: Any, actor: Any, *args: Any, **kwargs: Any) -> Any:
            form.clear(self)
            saved = fn(self, actor, *args, **kwargs)
            if saved is None:
                return None
            form.close(self)
            return saved.events()

        return guarded(busy=form.busy, on_error=form.show)(handler)

    return decorate


async def in_unit_of_work(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(uow, *args, **kwargs)`` in its own unit of work, on a worker thread."""

    def run() -> T:
        with unit_of_work() as uow:
            return fn(uow, *args, **kwargs)

    return await asyncio.to_thread(run)
