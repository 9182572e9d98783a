"""Every page builds without Reflex's deprecation of a form control submitted by its ``id``:
Reflex 0.11 drops such controls from the form data. A form whose handler reads the form data
names its controls; a form whose fields are bound to the state submits none (its handler takes
no form data)."""

from __future__ import annotations

from typing import Any

import pytest
from reflex_base.utils import console  # the module the form components warn through

from rxapp.rxapp import ROUTES


def test_no_page_submits_a_form_control_by_its_id(monkeypatch: pytest.MonkeyPatch) -> None:
    said: list[str] = []

    def deprecate(feature_name: str, *args: Any, **kwargs: Any) -> None:
        said.append(feature_name)

    monkeypatch.setattr(console, "deprecate", deprecate)
    for route in ROUTES:
        route.component()
    assert [s for s in said if "form control" in s] == []
