"""An exception in a page event: recorded with the handler and the user, a plain message for the
user; the admins' errors page lists it with its stack (global admins only)."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import select

from domain.db import read_only
from domain.observability.models import ErrorEvent
from rxapp.errors import USER_MESSAGE, on_backend_error
from rxapp.state.admin_errors import AdminErrorsState
from rxapp.state.audit import AuditState
from tests.helpers import user_id
from tests.rx.conftest import Tab, downloaded_text

AUDITOR = "auditor@vcc.example"


def _fail_audit_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the audit index is corrupt")

    monkeypatch.setattr("rxapp.state.audit.list_audit", broken)


def _page_error(tab: Tab, monkeypatch: pytest.MonkeyPatch) -> object:
    """Run the audit page's load with its query failing; hand the exception to the app's
    last-resort handler, as Reflex does."""
    _fail_audit_reads(monkeypatch)
    with pytest.raises(RuntimeError) as info:
        tab.call(AuditState, "load")
    monkeypatch.undo()
    return on_backend_error(info.value)


def test_a_failing_page_event_is_recorded_with_its_handler_and_user(
    demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = Tab("/audit")
    tab.login(AUDITOR)
    event = _page_error(tab, monkeypatch)
    assert USER_MESSAGE in str(event) and "corrupt" not in str(event)  # no internals shown
    _page_error(tab, monkeypatch)
    with read_only() as uow:
        (row,) = uow.session.execute(select(ErrorEvent)).scalars()
    assert (row.kind, row.where, row.count) == ("page", "AuditState.load", 2)
    assert row.error_type == "RuntimeError" and row.last_user_id == user_id(AUDITOR)
    assert "rxapp/state/audit.py" in row.stack


def test_the_errors_page_lists_shows_and_exports_for_global_admins_only(
    demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    auditor = Tab("/audit")
    auditor.login(AUDITOR)
    _page_error(auditor, monkeypatch)

    tab = Tab("/admin/errors")
    tab.login("admin@vcc.example")
    tab.call(AdminErrorsState, "load")
    page = tab.state(AdminErrorsState)
    assert tab.session.ready_page == "admin_errors"
    (row,) = page.rows
    assert (row.where, row.kind_label, row.count, row.user) == (
        "AuditState.load",
        "Page event",
        "1",
        AUDITOR,
    )
    assert row.message == "the audit index is corrupt"
    tab.call(AdminErrorsState, "open_error", row.id)
    assert page.detail_open and page.detail.where == "AuditState.load"
    assert "Traceback" in page.detail_stack and "RuntimeError" in page.detail_stack
    tab.call(AdminErrorsState, "set_detail_open", False)
    assert not page.detail_open and page.detail_stack == ""

    tab.call(AdminErrorsState, "apply_filters", {"kind": "api", "search": ""})
    assert page.rows == [] and page.filtered
    tab.call(AdminErrorsState, "apply_filters", {"kind": "all", "search": "corrupt"})
    assert [r.id for r in page.rows] == [row.id]
    text = downloaded_text(tab.call(AdminErrorsState, "export_csv"))
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:3] == ["Id", "Kind", "Where"] and lines[1][2] == "AuditState.load"
    tab.call(AdminErrorsState, "open_error", 987654)
    assert page.detail.id == row.id  # an unknown id changes nothing

    for email in ("coo@vcc.example", "hr@vcc.example", AUDITOR, "finance@vcc.example"):
        other = Tab("/admin/errors")
        other.login(email)
        other.call(AdminErrorsState, "load")
        assert other.session.denied_page == "admin_errors"
        assert other.state(AdminErrorsState).rows == []
        other.call(AdminErrorsState, "open_error", row.id)
        assert not other.state(AdminErrorsState).detail_open


def test_each_page_event_gets_its_own_request_id_for_its_log_lines(demo) -> None:
    import contextvars
    import re

    from domain.observability.logs import request_id_var

    tab = Tab("/audit")
    tab.login(AUDITOR)

    def one_event() -> str | None:
        tab.call(AuditState, "load")
        return request_id_var.get()

    first = contextvars.copy_context().run(one_event)
    second = contextvars.copy_context().run(one_event)
    assert first and second and first != second and re.fullmatch(r"[0-9a-f]{16}", first)
