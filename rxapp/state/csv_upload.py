"""The CSV upload of a page, written once: the file arrives through Reflex's upload endpoint
(``upload``, a plain handler that only keeps the bytes, at most one byte over the domain's limit
so the domain names a file too big), then ``check_upload``, a background event, hands them to the
domain off the event loop while the page shows where the upload is. The domain checks every line
before writing anything: a refused file comes back as one row per bad line and field
(``rxapp.views.uploads``), nothing written; an accepted one as the domain's result line.

A state mixes ``CsvUpload`` in next to ``SessionState`` and says what the upload calls::

    class BpoImportState(CsvUpload, SessionState):
        def _upload_call(self, actor): return UploadCall(import_call_logs_csv, (venture_id,), LIMIT)
        def _upload_summary(self, result): return result.message
        def _after_upload(self, actor): ...  # refresh what the page shows

The UI never parses the CSV itself. The page's part is ``rxapp.components.csv_upload``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, NamedTuple

import reflex as rx

from domain.access.actor import Actor
from domain.errors import DomainError, Invalid
from rxapp.state.form_base import in_unit_of_work
from rxapp.state.guards import guarded
from rxapp.views.uploads import UploadProblem, upload_problems


class UploadCall(NamedTuple):
    """The domain service ``fn(uow, actor, *args, data, filename=...)`` an upload runs, and the
    domain's size limit for the file."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    limit: int


class CsvUpload(rx.State, mixin=True):
    uploading: bool = False  # from the file leaving the browser to the domain's answer
    upload_step: str = ""  # "" | "sending" | "checking" | "written" | "refused"
    upload_percent: int = 0
    upload_text: str = ""
    upload_summary: str = ""
    upload_problems: list[UploadProblem] = []

    _csv: bytes = b""
    _csv_name: str = ""

    # -- what a page's state says -----------------------------------------------------------------

    def _upload_call(self, actor: Actor) -> UploadCall | None:
        """The service to run (None: nothing to upload to, e.g. no venture chosen)."""
        raise NotImplementedError

    def _upload_result(self, result: Any) -> str:
        """The result line of an accepted file."""
        return str(result)

    def _after_upload(self, actor: Actor) -> None:
        """Refresh what the page shows after a file was written (under the state lock)."""

    # -- the shared handlers ----------------------------------------------------------------------

    @rx.event
    def upload_progress(self, progress: dict[str, Any]) -> None:
        """The browser's report while the file is sent (display only)."""
        if self.upload_step == "sending":
            with contextlib.suppress(KeyError, TypeError, ValueError):
                self.upload_percent = max(0, min(100, int(float(progress["progress"]) * 100)))

    @rx.event
    def start_upload(self) -> None:
        """The Upload button, just before the browser sends the file: the progress shows."""
        if not self.uploading:
            self.upload_step, self.upload_percent = "sending", 0
            self.upload_text = "Sending the file…"
            self.upload_summary, self.upload_problems = "", []

    @rx.event
    @guarded
    def upload(self, actor: Actor, files: list[rx.UploadFile]):
        """The file has arrived: keep its bytes and let ``check_upload`` run the domain."""
        if self.uploading:
            return None
        if not files:
            self.upload_step = ""
            return rx.toast.error("Choose a CSV file first.")
        call = self._upload_call(actor)  # None: check_upload ends it (nothing to upload to)
        f = files[0]
        self._csv = f.file.read((call.limit if call else 0) + 1)
        self._csv_name = (f.filename or "upload.csv")[-120:]
        self.uploading = True
        self.upload_step, self.upload_percent = "checking", 100
        self.upload_text = (
            f"Checking every line of {self._csv_name} ({len(self._csv) / 1024:,.1f} KB): "
            "nothing is written unless every line is right…"
        )
        self.upload_summary, self.upload_problems = "", []
        return type(self).check_upload  # type: ignore[attr-defined]

    @rx.event(background=True)
    async def check_upload(self):
        async with self:
            actor = self._actor()  # type: ignore[attr-defined]
            if actor is None:
                self.uploading, self._csv = False, b""
                yield self._bounce()  # type: ignore[attr-defined]
                return
            data, name = self._csv, self._csv_name
            call = self._upload_call(actor)
            self._csv = b""
            if not data or call is None:
                self.uploading, self.upload_step = False, ""
                return
        try:
            result = await in_unit_of_work(call.fn, actor, *call.args, data, filename=name)
        except Invalid as exc:
            async with self:
                self.uploading, self.upload_step = False, "refused"
                self.upload_summary = exc.message
                self.upload_problems = upload_problems(exc.fields)
                self.upload_text = ""
            return
        except DomainError as exc:
            async with self:
                self.uploading, self.upload_step = False, "refused"
                self.upload_summary, self.upload_problems, self.upload_text = exc.message, [], ""
            return
        async with self:
            self.uploading, self.upload_step = False, "written"
            line = self._upload_result(result)
            self.upload_summary = line
            self.upload_problems, self.upload_text = [], ""
            self._after_upload(actor)
        yield rx.toast.success(line)

    @rx.event
    def clear_upload(self) -> None:
        if not self.uploading:
            self.upload_step, self.upload_percent, self.upload_text = "", 0, ""
            self.upload_summary, self.upload_problems = "", []
