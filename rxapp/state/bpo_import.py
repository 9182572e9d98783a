"""/bpo/import: a dialer export of call logs, or KPI records, as a CSV (spec/operations.md, BPO):
all or nothing, every bad line named by line number and field, the send progress, then the
domain's result line. The upload itself is the shared ``CsvUpload``; this state says which
venture and which kind of file, and hands both to the domain.
"""

from __future__ import annotations

from typing import Any

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
IMPORT_ACTION = "bpo.calls.import"
# kind -> (label, the domain's import, its template). KPI records have no CSV import in the
# domain yet (only the one-record upsert): when it lands, it is one more line here.
KINDS: dict[str, tuple[str, Any, Any]] = {
    "calls": ("Call logs", services.import_calls_csv, csv_import.template_csv),
}


class BpoImportState(CsvUpload, SessionState):
    kind: str = "calls"
    kind_options: list[Option] = [Option(k, v[0]) for k, v in KINDS.items()]
    upload_ventures: list[Option] = []
    upload_venture: str = ""

    def _upload_call(self, actor: Actor) -> UploadCall | None:
        vid = as_int(self.upload_venture)
        if vid is None or self.kind not in KINDS:
            return None
        return UploadCall(KINDS[self.kind][1], (vid,), MAX_UPLOAD_BYTES)

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
    def choose_kind(self, value: str) -> None:
        if not self.uploading and str(value) in KINDS:
            self.kind = str(value)
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
        if not actor.can(IMPORT_ACTION, vid):
            return rx.toast.error("Your role does not import BPO files.")
        text = KINDS[self.kind][2]()
        name = "bpo-call-logs-template.csv"
        return rx.download(data=text, mime_type="text/csv", filename=name)
