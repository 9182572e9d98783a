""" "Compare with the previous run of this key": one state helper for every page that shows a run
of an archived job (incentives-daily, incentives-backfill, payouts): the jobs page's run detail
and the Payouts page's run review.

A state mixes ``RunCompare`` in next to its session base and binds the button to
``compare_previous(run_id)``; ``rxapp.components.run_compare`` renders what it loads. The
comparison runs in a worker thread (a DuckDB query over the two runs' Parquet files) through the
domain only: ``explain.previous_run`` finds the live run of the same key that succeeded last
before this one and ``explain.explain_runs`` compares them; both read the runs through the
actor's scope, so a run out of scope reads as not found. Nothing here decides access.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import Invalid, NotFound
from domain.incentives.explain import (
    Explanation,
    describe_key,
    explain_runs,
    previous_run,
)
from domain.jobs.queries import get_run
from rxapp.state.forms import as_text
from rxapp.state.guards import guarded
from rxapp.views.compare import CompareRow, InputRow, compare_row, input_row, net_change, run_label


def explain_previous(actor: Actor, run_id: str) -> Explanation | str:
    """The comparison of ``run_id`` with the previous run of its key, or the sentence saying why
    there is none (no previous run; a run without result rows). NotFound when the actor may not
    read the run."""
    with read_only() as uow:
        before = previous_run(uow, actor, run_id)
        if before is None:
            run = get_run(uow, actor, run_id).run
            return (
                f"No previous run of this key ({describe_key(run)}): run {run_id} is the first "
                "live run of it that succeeded, so there is nothing to compare it with."
            )
        try:
            return explain_runs(uow, actor, before.run_id, run_id)
        except Invalid as exc:
            reasons = "; ".join(exc.fields.values()) or exc.message
            return f"Cannot compare with the previous run {before.run_id}: {reasons}."


class RunCompare(rx.State, mixin=True):
    cmp_run_id: str = ""  # the run the panel belongs to ("" when nothing is shown)
    cmp_busy: bool = False
    cmp_message: str = ""  # why there is nothing to compare
    cmp_key: str = ""  # "incentives-daily AFL 2026-12-02"
    cmp_before: str = ""  # "run ... (started ...)"
    cmp_after: str = ""
    cmp_rows: list[CompareRow] = []
    cmp_inputs: list[InputRow] = []
    cmp_net: list[str] = []  # the net change per currency
    cmp_shown: bool = False  # a comparison (not a message) is shown
    cmp_unchanged: bool = False  # ... and the two runs computed the same result

    def _reset_compare(self) -> None:
        self.cmp_run_id = self.cmp_message = self.cmp_key = ""
        self.cmp_before = self.cmp_after = ""
        self.cmp_rows, self.cmp_inputs, self.cmp_net = [], [], []
        self.cmp_shown = self.cmp_unchanged = False

    def _show_compare(self, found: Explanation | str) -> None:
        if isinstance(found, str):
            self.cmp_message = found
            return
        self.cmp_key = found.key
        self.cmp_before = run_label(found.before.run_id, found.before.started_at)
        self.cmp_after = run_label(found.after.run_id, found.after.started_at)
        self.cmp_rows = [compare_row(r) for r in found.rules]
        self.cmp_inputs = [input_row(i) for i in found.inputs]
        self.cmp_net = net_change(found)
        self.cmp_unchanged = found.unchanged
        self.cmp_shown = True

    @rx.event(background=True)
    @guarded(busy="cmp_busy")
    async def compare_previous(self, actor: Actor, run_id: str):
        run_id = as_text(run_id, 40)
        async with self:
            self._reset_compare()
            self.cmp_run_id = run_id
        if not run_id:
            return
        try:
            found = await asyncio.to_thread(explain_previous, actor, run_id)
        except NotFound:
            async with self:
                self._reset_compare()
            yield rx.toast.error(f"Run {run_id} was not found.")
            return
        async with self:
            if self.cmp_run_id != run_id:  # another run was opened meanwhile
                return
            self._show_compare(found)
        if isinstance(found, str):
            return
        changed = len(found.rules)
        yield rx.toast.info(
            "The two runs computed the same result."
            if found.unchanged
            else f"{changed} line{'s' if changed != 1 else ''} changed since the previous run.",
            duration=5000,
        )

    @rx.event
    def close_compare(self) -> None:
        self._reset_compare()
