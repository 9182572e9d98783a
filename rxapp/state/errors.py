"""Turning a domain ``Invalid`` into what a form shows: a message under each field and a summary."""

from __future__ import annotations

from domain.errors import DomainError, Invalid

_PYDANTIC = {
    "Field required": "is required",
    "String should have at least 1 character": "is required",
    "Input should be a valid integer": "must be a whole number",
    "Input should be a valid decimal": "must be a number",
    "Input should be a valid number": "must be a number",
}


def humanize(message: str) -> str:
    for prefix, text in _PYDANTIC.items():
        if message.startswith(prefix):
            return text
    if message.startswith("Input should be "):
        return "is not one of the choices"
    if message.startswith("String should have at most "):
        return "is too long (" + message.removeprefix("String should have at most ") + " at most)"
    if message.startswith("Input should be greater than or equal to 0"):
        return "must be 0 or more"
    return message


def field_errors(exc: Invalid, labels: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """``({field: "Label message"}, ["Label message", ...])`` for ``exc``; unknown fields are
    listed in the summary only."""
    by_field: dict[str, str] = {}
    summary: list[str] = []
    for name, message in exc.fields.items():
        key = name.split(".")[0]
        label = labels.get(key, key.replace("_", " ").capitalize())
        text = f"{label} {humanize(message)}"
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
