"""Turning a domain ``Invalid`` into what a form shows: a message under each field and a summary."""

from __future__ import annotations

from domain.errors import DomainError, Invalid
from domain.schemas import friendly_message


def field_errors(exc: Invalid, labels: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """``({field: "Label message"}, ["Label message", ...])`` for ``exc``; unknown fields are
    listed in the summary only."""
    by_field: dict[str, str] = {}
    summary: list[str] = []
    for name, message in exc.fields.items():
        key = name.split(".")[0]
        label = labels.get(key, key.replace("_", " ").capitalize())
        text = f"{label} {friendly_message(message)}"
        if key in labels:
            by_field.setdefault(key, text)
        summary.append(text)
    if not summary:
        summary.append(exc.message)
    return by_field, summary


def form_errors(exc: DomainError, labels: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """``field_errors`` for an ``Invalid``; any other refusal is one line of the summary."""
    if isinstance(exc, Invalid):
        return field_errors(exc, labels)
    return {}, [exc.message]
