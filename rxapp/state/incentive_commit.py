"""/incentives/commit: pick a venture and a business date, see the rows a dry run computes, then
commit (after a confirmation naming what will happen) with progress while the run goes on.

The dry run is ``services.commit(..., dry_run=True)`` on a worker thread (nothing written). The
commit is ``services.start_commit``, which validates like ``commit`` and starts the
``incentives-daily`` run in the runner's thread; this page then polls ``get_run`` every second
(cells done / total) until the run ends, and names the run with a link to its report when the
domain says the report opens for the reader.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import DomainError, Invalid
from domain.incentives import services
from domain.incentives.queries import can_open_run_report, commit_ventures, rows_of_run
from domain.incentives.schemas import CommitResult
from domain.jobs.models import RunStatus
from domain.settings import get_settings
from rxapp.format import fmt_date
from rxapp.state.errors import field_errors
from rxapp.state.forms import Option, as_date, as_int
from rxapp.state.guards import guarded
from rxapp.state.run_progress import follow_run
from rxapp.state.session import SessionState
from rxapp.views.incentives import CommitLine, commit_line, report_url, totals_text

LABELS = {"venture": "Venture", "date": "Date"}


def _dry_run(actor: Actor, vid: int, day: Any) -> CommitResult:
    return services.commit(actor, vid, day, dry_run=True)


def _written(actor: Actor, run_id: str, venture_id: int) -> tuple[list[CommitLine], str, bool]:
    with read_only() as uow:
        rows = rows_of_run(uow, actor, run_id)
    totals: dict[str, Any] = {}
    for r in rows:
        totals[r.currency] = totals.get(r.currency, 0) + r.amount
    return (
        [commit_line(r) for r in rows],
        totals_text(totals),
        can_open_run_report(actor, venture_id),
    )


class IncentiveCommitState(SessionState):
    choices: list[Option] = []
    c_venture: str = ""
    c_date: str = ""
    err_venture: str = ""
    err_date: str = ""
    form_error: str = ""
    form_key: int = 0

    busy: bool = False
    # the dry run shown (what a commit would write)
    dry_key: str = ""  # "<venture id>|<date>" of the dry run on screen
    dry_title: str = ""
    dry_totals: str = ""
    dry_count: int = 0
    dry_rows: list[CommitLine] = []
    confirm_open: bool = False
    # the live run
    committing: bool = False
    progress: int = 0
    progress_text: str = ""
    result_run_id: str = ""
    result_status: str = ""
    result_color: str = "gray"
    result_text: str = ""
    result_url: str = ""
    result_rows: list[CommitLine] = []

    @rx.event
    @guarded(page="incentives_commit")
    def load(self, actor: Actor):
        with read_only() as uow:
            ventures = commit_ventures(uow, actor)
        self.choices = [Option(str(i), c) for i, c in ventures]
        ids = [str(i) for i, _ in ventures]
        chosen = self._filter_venture_id(actor)
        if chosen is not None and str(chosen) in ids:
            self.c_venture = str(chosen)
        elif self.c_venture not in ids:
            self.c_venture = ids[0] if ids else ""
        if not self.c_date:
            self.c_date = (
                clock.today(get_settings().group_timezone) - timedelta(days=1)
            ).isoformat()
        self.form_key += 1
        self._ready("incentives_commit")

    def _code(self, vid: str) -> str:
        return next((o.label for o in self.choices if o.value == vid), vid)

    def _show_invalid(self, exc: DomainError) -> None:
        if isinstance(exc, Invalid):
            by_field, summary = field_errors(exc, LABELS)
            self.err_venture = by_field.get("venture", "")
            self.err_date = by_field.get("date", "")
            self.form_error = "" if (self.err_venture or self.err_date) else "; ".join(summary)
        else:
            self.form_error = exc.message

    @rx.event(background=True)
    @guarded(busy="busy")
    async def dry_run(self, actor: Actor, form_data: dict[str, Any]):
        vid, day = as_int(form_data.get("venture")), as_date(form_data.get("date"))
        async with self:
            self.err_venture, self.err_date, self.form_error = "", "", ""
            self.dry_key = ""
            self.c_venture = str(vid or "")
            self.c_date = day.isoformat() if day else ""
            if vid is None:
                self.err_venture = "Venture: choose one."
            if day is None:
                self.err_date = "Date: choose a business date."
        if vid is None or day is None:
            return
        try:
            result = await asyncio.to_thread(_dry_run, actor, vid, day)
        except DomainError as exc:
            async with self:
                self._show_invalid(exc)
            return
        async with self:
            self.dry_key = f"{vid}|{day.isoformat()}"
            self.dry_rows = [commit_line(r) for r in result.rows]
            self.dry_count = len(result.rows)
            self.dry_totals = totals_text(result.totals)
            self.dry_title = f"{result.venture_code} on {fmt_date(day)}"
        yield  # send the rows now

    @rx.event
    def ask_commit(self) -> None:
        if self.dry_key and not self.committing:
            self.confirm_open = True

    @rx.event
    def set_confirm_open(self, open: bool) -> None:
        self.confirm_open = bool(open)

    @rx.event(background=True)
    @guarded(busy="committing")
    async def commit(self, actor: Actor):
        async with self:
            self.confirm_open = False
            key = self.dry_key
            self.result_run_id, self.result_status, self.result_text = "", "", ""
            self.result_url, self.result_rows = "", []
            self.progress, self.progress_text = 0, "Starting the run…"
        vid_text, _, day_text = key.partition("|")
        vid, day = as_int(vid_text), as_date(day_text)
        if vid is None or day is None:
            yield rx.toast.error("Run a dry run first.")
            return
        try:
            run_id = await asyncio.to_thread(services.start_commit, actor, vid, day)
        except DomainError as exc:
            async with self:
                self._show_invalid(exc)
                self.progress_text = ""
            return
        async with self:
            self.result_run_id = run_id
            self.progress_text = f"Run {run_id} started."
        final = await follow_run(self, actor, run_id)
        if final is None:
            async with self:
                self.progress_text = f"Run {run_id} is still going; see Venture incentives later."
            yield rx.toast.warning(f"Run {run_id} is still going.")
            return
        lines, totals, may_open = await asyncio.to_thread(_written, actor, run_id, vid)
        status = RunStatus(final.status)
        url = report_url(run_id) if final.html_path and may_open else ""
        async with self:
            self.progress = 100
            self.progress_text = ""
            self.result_status = status.value.replace("_", " ").capitalize()
            self.result_url = url
            self.result_rows = lines
            if status == RunStatus.SUCCEEDED:
                self.result_color = "green"
                self.result_text = (
                    f"Committed {len(lines)} rows ({totals}) for {self._code(vid_text)} on "
                    f"{fmt_date(day)} in run {run_id}."
                )
                self.dry_key = ""
            elif status == RunStatus.SKIPPED_LOCKED:
                self.result_color = "amber"
                self.result_text = (
                    f"Run {run_id} was skipped: another commit of the same venture and day was "
                    "in progress. Its rows stand."
                )
            else:
                self.result_color = "red"
                self.result_text = (
                    f"Run {run_id} {status.value.lower().replace('_', ' ')}: "
                    f"{(final.error or '')[:200]} The previous rows stand."
                )
        if status == RunStatus.SUCCEEDED:
            yield rx.toast.success(f"Incentives committed (run {run_id}).", duration=10000)
        else:
            yield rx.toast.error(f"The commit did not complete (run {run_id}).", duration=10000)
