"""/bpo/import: a dialer export of call logs, or KPI records, as a CSV (spec/operations.md, BPO):
all or nothing, every bad line named by line number and field, the send progress, then the
domain's result line. The upload itself is the shared ``CsvUpload``; this state says which
venture and which kind of file, and hands both to the domain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import reflex as rx

from domain.access.actor import Actor
from domain.bpo import csv_import, services
from domain.bpo.dashboard import ventures_for
from domain.csv_lines import MAX_UPLOAD_BYTES
from domain.db import read_only
from rxapp.state.csv_upload import CsvUpload, UploadCall
from rxapp.state.forms import Option, as_int
from rxapp.state.guards import guarded
from rxapp.state.session import SessionState

UPLOAD_ID = "bpo-upload"
IMPORT_ACTION = "bpo.calls.import"  # the page's (navigation); each kind's own is checked too


class Kind(NamedTuple):
    """A kind of file: its label, the domain's import and template, the action it needs, the
    template's file name, its columns (as the domain lists them) and what a line is."""

    label: str
    service: Callable[..., Any]
    template: Callable[[], str]
    action: str
    filename: str
    columns: tuple[str, ...]
    required: frozenset[str]
    line: str


KINDS: dict[str, Kind] = {
    "calls": Kind(
        "Call logs",
        services.import_calls_csv,
        csv_import.template_csv,
        "bpo.calls.import",
        "bpo-call-logs-template.csv",
        csv_import.COLUMNS,
        csv_import.REQUIRED,
        "One line per call: started_at and ended_at with their offset (ISO 8601), yes/no for "
        "connected, appointment_set and deal_won.",
    ),
    "kpi": Kind(
        "KPI records",
        services.import_kpi_csv,
        csv_import.kpi_template_csv,
        "bpo.kpi.write",
        "bpo-kpi-records-template.csv",
        csv_import.KPI_COLUMNS,
        csv_import.KPI_REQUIRED,
        "One line per campaign, agent and date (YYYY-MM-DD, not after today): a line for a "
        "record already there replaces its numbers. QA score 0-100 or blank.",
    ),
}


def _columns(kind: Kind) -> str:
    return ", ".join(f"{c}*" if c in kind.required else c for c in kind.columns)


class BpoImportState(CsvUpload, SessionState):
    kind: str = "calls"
    kind_options: list[Option] = [Option(k, v.label) for k, v in KINDS.items()]
    kind_columns: str = _columns(KINDS["calls"])  # "*": required
    kind_line: str = KINDS["calls"].line
    upload_ventures: list[Option] = []
    upload_venture: str = ""

    def _upload_call(self, actor: Actor) -> UploadCall | None:
        vid = as_int(self.upload_venture)
        if vid is None or self.kind not in KINDS:
            return None
        return UploadCall(KINDS[self.kind].service, (vid,), MAX_UPLOAD_BYTES)

    def _upload_result(self, result: Any) -> str:
        span = ""
        if result.first_day and result.last_day:
            span = (
                f" ({result.first_day.isoformat()} to {result.last_day.isoformat()})"
                if result.first_day != result.last_day
                else f" ({result.first_day.isoformat()})"
            )
        return f"{result.written}{span}."

    @rx.event
    @guarded(page="bpo_import")
    def load(self, actor: Actor):
        vid = self._filter_venture_id(actor)
        with read_only() as uow:
            ventures = ventures_for(uow, actor, IMPORT_ACTION)
        ventures = [v for v in ventures if vid is None or v.id == vid]
        self.upload_ventures = [Option(str(v.id), f"{v.name} ({v.code})") for v in ventures]
        if self.upload_venture not in {o.value for o in self.upload_ventures}:
            self.upload_venture = self.upload_ventures[0].value if ventures else ""
        self._ready("bpo_import")

    @rx.event
    def choose_kind(self, value: str | list[str]) -> None:
        if not self.uploading and str(value) in KINDS:
            self.kind = str(value)
            self.kind_columns, self.kind_line = _columns(KINDS[self.kind]), KINDS[self.kind].line
            self.upload_step, self.upload_summary, self.upload_problems = "", "", []

    @rx.event
    def choose_upload_venture(self, value: str) -> None:
        if str(value) in {o.value for o in self.upload_ventures}:
            self.upload_venture = str(value)

    @rx.event
    @guarded
    def download_template(self, actor: Actor):
        vid = as_int(self.upload_venture)
        if vid is None or self.kind not in KINDS:
            return rx.toast.error("Your role does not import BPO files.")
        kind = KINDS[self.kind]
        if not actor.can(kind.action, vid):
            return rx.toast.error(f"Your role does not import {kind.label.lower()}.")
        return rx.download(data=kind.template(), mime_type="text/csv", filename=kind.filename)
