"""Page functions only: they arrange components; no business logic, no database.

Each signed-in page declares itself next to its function with ``@page(key, on_load=...)``;
``key`` is its entry in ``domain.access.navigation.PAGES``, which alone holds the page's route,
title, permission and section. ``registered_pages()`` imports every module of this package and
pairs each domain page with its component: a key the domain does not know is refused where it is
declared, and a domain page without a component stops the app from starting.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import reflex as rx

from domain.access.navigation import PAGES, PAGES_BY_KEY, PageSpec

Component = Callable[[], rx.Component]
F = TypeVar("F", bound=Component)


@dataclass(frozen=True)
class PageEntry:
    spec: PageSpec
    component: Component
    # Starts with ``SessionState._enter(spec.key)``: the guard (tests/rx/test_guards.py).
    on_load: Any


REGISTRY: dict[str, PageEntry] = {}


def register(key: str, component: Component, *, on_load: Any) -> None:
    spec = PAGES_BY_KEY.get(key)
    if spec is None:
        raise LookupError(f"{key!r} is not a page of domain.access.navigation.PAGES")
    if key in REGISTRY:
        raise ValueError(f"page {key!r} is declared twice")
    REGISTRY[key] = PageEntry(spec, component, on_load)


def page(key: str, *, on_load: Any) -> Callable[[F], F]:
    """Declare ``fn`` as the component of the domain page ``key``, loaded by ``on_load``."""

    def decorate(fn: F) -> F:
        register(key, fn, on_load=on_load)
        return fn

    return decorate


def registered_pages() -> list[PageEntry]:
    """Every domain page with its component, in the order of ``PAGES``."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    missing = [p.key for p in PAGES if p.key not in REGISTRY]
    if missing:
        raise LookupError(f"pages of domain.access.navigation.PAGES without a component: {missing}")
    return [REGISTRY[p.key] for p in PAGES]
