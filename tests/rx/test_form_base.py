"""The form base: what a form shows for a refusal, and what a save ends with."""

from __future__ import annotations

from types import SimpleNamespace

from domain.errors import Conflict, Invalid
from rxapp.state.form_base import Form, Saved
from tests.rx.conftest import redirect_target, toasts

FORM = Form(("name", "city"), {"name": "Name", "city": "City"}, open="dialog")


def test_an_invalid_goes_under_its_fields_and_into_the_summary() -> None:
    state = SimpleNamespace(err={}, errors=[], dialog=True)
    FORM.show(state, Invalid({"name": "is required", "zip": "is not a field of this form"}))
    assert state.err == {"name": "Name is required", "city": ""}
    assert state.errors == ["Name is required", "Zip is not a field of this form"]
    FORM.show(state, Conflict("Someone else saved it first."))
    assert state.err == {"name": "", "city": ""}
    assert state.errors == ["Someone else saved it first."]
    FORM.clear(state)
    assert (state.err, state.errors) == ({"name": "", "city": ""}, [])
    FORM.close(state)
    assert state.dialog is False


def test_a_save_redirects_first_then_toasts() -> None:
    events = Saved("Load AFL-1 created.", redirect="/freight/loads/7").events()
    assert redirect_target(events) == "/freight/loads/7"
    assert len(events) == 2 and "Load AFL-1 created." in toasts(events)[0]
    assert redirect_target(Saved("Saved.").events()) is None
