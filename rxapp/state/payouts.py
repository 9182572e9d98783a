"""/incentives/payouts: the payout periods of the ventures in scope, creating a period's payouts
(a ``payouts`` run in the background, polled for progress), reviewing a run (per user and
currency, its report, the reconciliation), approving it as a whole after a confirmation naming
the payees, the totals per currency and the hash, marking paid, voiding with a reason, the
payroll CSV per currency, the re-run (replace) while the period is still CALCULATED, and
"compare with the previous run of this key" (``RunCompare``, shared with the jobs page).

Thin handlers over ``domain.incentives.payout_services``: the domain decides who reads, creates,
approves, pays and voids (and says so in the views' ``may_*`` flags the page shows buttons
from); a refusal is shown as the domain words it.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import reflex as rx

from domain import clock
from domain.access.actor import Actor
from domain.db import read_only, unit_of_work
from domain.errors import DomainError, NotFound
from domain.incentives import payout_services as ps
from domain.jobs.models import RunStatus
from domain.settings import get_settings
from rxapp.export import to_csv
from rxapp.state.form_base import Form, Saved, in_unit_of_work, submits
from rxapp.state.forms import Option, as_date, as_int, as_text
from rxapp.state.guards import guarded
from rxapp.state.run_compare import RunCompare
from rxapp.state.run_progress import follow_run
from rxapp.state.session import SessionState
from rxapp.views.incentives import totals_text
from rxapp.views.payouts import (
    PAYROLL_HEADER,
    PayoutRow,
    PeriodRow,
    approval_text,
    payout_row,
    payroll_rows,
    period_row,
    period_text,
    reconciliation_text,
    run_report_url,
    short_hash,
    status_label,
)

CREATE_FORM = Form(
    ("venture", "period_start", "period_end"),
    {"venture": "Venture", "period_start": "From", "period_end": "To"},
    err="create_err",
    summary="create_errors",
    busy="creating",
)
VOID_FORM = Form(
    ("reason",),
    {"reason": "Reason"},
    err="void_err",
    summary="void_errors",
    busy="voiding",
    open="void_open",
)


def _periods(actor: Actor, venture: str | None) -> list[ps.PeriodView]:
    with read_only() as uow:
        return ps.list_periods(uow, actor, venture=venture)


def _review(actor: Actor, run_id: str) -> ps.RunReview:
    with read_only() as uow:
        return ps.review_run(uow, actor, run_id)


class PayoutsState(RunCompare, SessionState):
    # the create form
    choices: list[Option] = []  # ventures whose payouts the reader reads
    create_choices: list[Option] = []  # ... and where the reader may create them
    c_venture: str = ""
    c_from: str = ""
    c_to: str = ""
    create_err: dict[str, str] = dict.fromkeys(CREATE_FORM.fields, "")
    create_errors: list[str] = []
    creating: bool = False
    form_key: int = 0
    progress: int = 0
    progress_text: str = ""

    # the list
    periods: list[PeriodRow] = []

    # the run under review
    run_id: str = ""
    r_title: str = ""
    r_status: str = ""
    r_status_color: str = "gray"
    r_payees: int = 0
    r_totals: str = ""
    r_hash: str = ""
    r_report_url: str = ""
    r_reconciliation: list[str] = []
    r_reconciled: bool = True
    r_signed: str = ""
    r_currencies: list[str] = []
    r_payouts: list[PayoutRow] = []
    may_approve: bool = False
    may_manage: bool = False
    may_replace: bool = False
    may_pay_all: bool = False

    # approve
    approve_open: bool = False
    approve_text: str = ""
    approving: bool = False
    approve_error: str = ""

    # re-run (replace)
    rerun_open: bool = False

    # void
    void_open: bool = False
    void_id: int = 0
    void_title: str = ""
    void_err: dict[str, str] = dict.fromkeys(VOID_FORM.fields, "")
    void_errors: list[str] = []
    voiding: bool = False

    _payouts: list[dict[str, Any]] = []  # PayoutView dumps of the run under review (the CSV)
    _venture_code: str = ""
    _period: tuple[str, str] = ("", "")

    # -- loading ---------------------------------------------------------------------------------

    def _venture_filter(self, actor: Actor) -> str | None:
        vid = self._filter_venture_id(actor)
        return next((o.label for o in self.choices if o.value == str(vid)), None) if vid else None

    def _list(self, actor: Actor) -> None:
        self.periods = [period_row(p) for p in _periods(actor, self._venture_filter(actor))]

    def _show(self, review: ps.RunReview) -> None:
        p = review.period
        if p.run_id != self.cmp_run_id:  # a comparison belongs to the run it was made for
            self._reset_compare()
        self.run_id = p.run_id
        self.r_title = f"{p.venture_code}, {period_text(p)}"
        self.r_status = status_label(p.status.value)
        self.r_status_color = {
            "CALCULATED": "blue",
            "APPROVED": "green",
            "PAID": "gray",
            "VOID": "red",
        }.get(p.status.value, "gray")
        self.r_payees = p.payees
        self.r_totals = totals_text(p.totals) if p.totals else "Nothing"
        self.r_hash = short_hash(review.output_hash)
        self.r_report_url = run_report_url(p.run_id, review.has_report, review.may_open_report)
        self.r_reconciliation = [reconciliation_text(line) for line in review.reconciliation]
        self.r_reconciled = all(line.ok for line in review.reconciliation)
        self.r_signed = (
            f"Approved by {p.approved_by} at {p.approved_at:%d %b %Y %H:%M} UTC, hash "
            f"{short_hash(p.output_hash)}"
            if p.approved_at
            else ""
        )
        self.r_currencies = sorted(p.totals)
        self.r_payouts = [payout_row(v, p.may_manage) for v in review.payouts]
        self.may_approve = p.may_approve
        self.may_manage = p.may_manage
        self.may_replace = p.may_replace
        self.may_pay_all = any(r.may_pay for r in self.r_payouts)
        self.approve_text = approval_text(p, review.output_hash)
        self._payouts = [v.model_dump(mode="json") for v in review.payouts]
        self._venture_code = p.venture_code
        self._period = (p.period_start.isoformat(), p.period_end.isoformat())

    def _clear_review(self) -> None:
        self.run_id = ""
        self._reset_compare()
        self.r_payouts, self._payouts = [], []
        self.approve_error = ""

    def _reload(self, actor: Actor) -> None:
        self._list(actor)
        if self.run_id:
            try:
                self._show(_review(actor, self.run_id))
            except NotFound:
                self._clear_review()

    @rx.event
    @guarded(page="incentives_payouts")
    def load(self, actor: Actor):
        with read_only() as uow:
            ventures = ps.payout_ventures(uow, actor)
            readable = ps.payout_ventures(uow, actor, "incentives.payouts.read")
        self.choices = [Option(str(i), c) for i, c in readable]
        creatable = [Option(str(i), c) for i, c in ventures]
        ids = [o.value for o in creatable]
        chosen = self._filter_venture_id(actor)
        if chosen is not None and str(chosen) in ids:
            self.c_venture = str(chosen)
        elif self.c_venture not in ids:
            self.c_venture = ids[0] if ids else ""
        self.create_choices = creatable
        if not self.c_from or not self.c_to:
            today = clock.today(get_settings().group_timezone)
            last = today.replace(day=1) - timedelta(days=1)
            self.c_from, self.c_to = last.replace(day=1).isoformat(), last.isoformat()
        self.create_errors, self.approve_error = [], ""
        self.create_err = dict.fromkeys(CREATE_FORM.fields, "")
        self.form_key += 1
        wanted = self._query_run()
        if wanted:
            self.run_id = wanted
        self._reload(actor)
        self._ready("incentives_payouts")

    def _query_run(self) -> str:
        try:
            return str(dict(self.router.url.query_parameters).get("run") or "")[:40]
        except Exception:  # no router data (unit tests)
            return ""

    @rx.event
    @guarded
    def review(self, actor: Actor, run_id: str):
        self.approve_error = ""
        self._show(_review(actor, as_text(run_id, 40)))

    @rx.event
    def close_review(self) -> None:
        self._clear_review()

    # -- create and re-run -----------------------------------------------------------------------

    async def _create(self, actor: Actor, code: str, start: Any, end: Any, replace: bool) -> Saved:
        run_id = await asyncio.to_thread(
            ps.start_create_payouts, actor, code, start, end, replace=replace
        )
        async with self:
            self.progress, self.progress_text = 0, f"Run {run_id} started."
        final = await follow_run(self, actor, run_id)
        async with self:
            self.progress_text = ""
        if final is None:
            return Saved(f"Run {run_id} is still going; its payouts appear here when it ends.")
        if RunStatus(final.status) != RunStatus.SUCCEEDED:
            raise _RunFailed(
                f"The payouts run {run_id} {final.status.value.lower().replace('_', ' ')}: "
                f"{(final.error or '')[:300]}"
            )
        review = await asyncio.to_thread(_review, actor, run_id)
        async with self:
            self._show(review)
            self._list(actor)
        p = review.period
        return Saved(
            f"Payouts created for {p.venture_code}, {period_text(p)}: {p.payees} payees, "
            f"{totals_text(p.totals)} (run {run_id}).",
            duration=10000,
        )

    @rx.event(background=True)
    @submits(CREATE_FORM)
    async def create(self, actor: Actor, form_data: dict[str, Any]):
        vid = as_int(form_data.get("venture"))
        start, end = as_date(form_data.get("from")), as_date(form_data.get("to"))
        async with self:
            self.c_venture = str(vid or "")
            self.c_from = start.isoformat() if start else ""
            self.c_to = end.isoformat() if end else ""
            code = next((o.label for o in self.create_choices if o.value == str(vid)), "")
            missing = {
                "venture": "Venture: choose one." if not code else "",
                "period_start": "From: choose the period's first day." if start is None else "",
                "period_end": "To: choose the period's last day." if end is None else "",
            }
            if any(missing.values()):
                self.create_err = missing
                return None
        return await self._create(actor, code, start, end, replace=False)

    @rx.event
    def ask_rerun(self) -> None:
        if self.run_id and self.may_replace and not self.creating:
            self.rerun_open = True

    @rx.event
    def set_rerun_open(self, open: bool) -> None:
        self.rerun_open = bool(open)

    @rx.event(background=True)
    @guarded(busy="creating")
    async def rerun(self, actor: Actor):
        async with self:
            self.rerun_open = False
            code, (start_text, end_text) = self._venture_code, self._period
        start, end = as_date(start_text), as_date(end_text)
        if not code or start is None or end is None:
            yield rx.toast.error("Open a period's run first.")
            return
        try:
            saved = await self._create(actor, code, start, end, replace=True)
        except _RunFailed as exc:
            yield rx.toast.error(str(exc), duration=10000)
            return
        for event in saved.events():
            yield event

    # -- approve ---------------------------------------------------------------------------------

    @rx.event
    def ask_approve(self) -> None:
        if self.run_id and self.may_approve and not self.approving:
            self.approve_error = ""
            self.approve_open = True

    @rx.event
    def set_approve_open(self, open: bool) -> None:
        self.approve_open = bool(open)

    @rx.event(background=True)
    @guarded(busy="approving")
    async def approve(self, actor: Actor):
        async with self:
            run_id = self.run_id
            self.approve_error = ""
        if not run_id:
            return
        try:
            done = await asyncio.to_thread(ps.approve_run, actor, run_id)
        except DomainError as exc:
            async with self:
                self.approve_open = False
                self.approve_error = exc.message
            yield rx.toast.error("The approval was refused.", duration=10000)
            return
        review = await asyncio.to_thread(_review, actor, run_id)
        async with self:
            self.approve_open = False
            self._show(review)
            self._list(actor)
        yield rx.toast.success(
            f"Approved {done.payees} payees totalling {totals_text(done.totals)} for "
            f"{done.venture_code} (run {run_id}, hash {short_hash(done.output_hash)}).",
            duration=10000,
        )

    # -- pay and void ----------------------------------------------------------------------------

    @rx.event
    @guarded
    def mark_paid(self, actor: Actor, payout_id: int):
        pid = as_int(payout_id)
        if pid is None:
            return rx.toast.error("No such payout.")
        with unit_of_work() as uow:
            view = ps.mark_paid(uow, actor, pid)
        self._reload(actor)
        return rx.toast.success(f"Payout of {view.user_name} marked paid.")

    @rx.event
    @guarded
    def mark_all_paid(self, actor: Actor):
        ids = [r.id for r in self.r_payouts if r.may_pay]
        if not ids:
            return rx.toast.info("No approved payout to mark paid.")
        with unit_of_work() as uow:
            for pid in ids:
                ps.mark_paid(uow, actor, pid)
        self._reload(actor)
        return rx.toast.success(f"{len(ids)} payouts marked paid.")

    @rx.event
    def ask_void(self, payout_id: int) -> None:
        pid = as_int(payout_id)
        row = next((r for r in self.r_payouts if r.id == pid and r.may_void), None)
        if row is None:
            return
        self.void_id = row.id
        self.void_title = f"Void the payout of {row.user} ({row.amount})?"
        VOID_FORM.clear(self)
        self.void_open = True

    @rx.event
    def set_void_open(self, open: bool) -> None:
        self.void_open = bool(open)

    @rx.event(background=True)
    @submits(VOID_FORM)
    async def void(self, actor: Actor, form_data: dict[str, Any]):
        async with self:
            pid = self.void_id
        view = await in_unit_of_work(ps.void_payout, actor, pid, as_text(form_data.get("reason")))
        async with self:
            self._reload(actor)
        return Saved(f"Payout of {view.user_name} voided.")

    @rx.event
    @guarded
    def refresh(self, actor: Actor):
        self._reload(actor)

    # -- payroll CSV -----------------------------------------------------------------------------

    @rx.event
    @guarded
    def export_payroll(self, actor: Actor, currency: str):
        cur = as_text(currency, 3).upper()
        review = _review(actor, self.run_id) if self.run_id else None
        rows = payroll_rows(review.payouts, cur) if review else []
        if not rows:
            return rx.toast.info(f"No {cur} payouts to export.")
        p = review.period  # type: ignore[union-attr]
        return rx.download(
            data=to_csv(PAYROLL_HEADER, rows),
            mime_type="text/csv",
            filename=(
                f"payroll-{p.venture_code}-{p.period_start.isoformat()}-to-"
                f"{p.period_end.isoformat()}-{cur}.csv"
            ),
        )


class _RunFailed(DomainError):
    """The payouts run ended without succeeding: shown on the form like a refusal."""
