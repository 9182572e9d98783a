"""``/api/v1/admin/jobs/runs``: the job runs (list, detail) and each run's files.

Thin calls of ``domain.jobs.queries``: ``list_runs`` / ``get_run`` / ``run_file``. Who reads
which run is decided there, once (``_scoped``): the job admins (``admin.jobs.read``) every run;
the COO, FINANCE and ACCOUNTING (``jobs.finance.read``) the finance jobs' runs (incentives,
payouts) of the ventures in their scope; anyone else 403. A run outside the caller's scope
answers 404 exactly like an unknown one, for the run and for each of its files. These routes are
not behind the Admin section (accounting has none), only authentication: the domain decides.

The files open in the browser with the web session's ``vcc_session`` cookie: the HTML report
(``text/html``), the manifest (JSON), the executed notebook and the result rows as Parquet
(downloads). The report is served sandboxed (``Content-Security-Policy: sandbox``): it renders,
but no script in it runs with the app's origin.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse

from domain.db import read_only
from domain.jobs.models import RunStatus
from domain.jobs.queries import RunDetailView, RunFilter, RunView, get_run, list_runs, run_file
from domain.pagination import DEFAULT_PAGE_SIZE
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit
from rxapp.api.schemas import MAX_ID, PageOut, error_responses

router = APIRouter(
    prefix="/admin/jobs", tags=["admin: jobs"], responses=error_responses(400, 401, 403)
)

# Run ids are ``20261127T070000-3fa9c1d2``; anything else cannot name a run.
RunId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="The run's id, e.g. `20261127T070000-3fa9c1d2`.",
    ),
]

# What the browser may do with a served report: render it, never run its scripts as the app.
REPORT_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:"
FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}


@router.get(
    "/runs",
    response_model=PageOut[RunView],
    summary="Job runs, newest first (started_at, id), keyset pages; dry and skipped runs included",
)
def job_runs(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    job: Annotated[str | None, Query(max_length=64, description="A job name.")] = None,
    status: RunStatus | None = None,
    venture: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Runs naming this venture id.")
    ] = None,
    date_from: Annotated[
        date | None, Query(alias="from", description="Business date on or after.")
    ] = None,
    date_to: Annotated[
        date | None, Query(alias="to", description="Business date on or before.")
    ] = None,
    include_dry_runs: bool = True,
    include_skipped: bool = True,
) -> PageOut[RunView]:
    filters = RunFilter(
        job=job or None,
        status=status,
        venture_id=venture,
        date_from=date_from,
        date_to=date_to,
        include_dry_runs=include_dry_runs,
        include_skipped=include_skipped,
    )
    with read_only() as uow:
        page = list_runs(uow, actor, filters, cursor=cursor, limit=limit)
    return PageOut[RunView](items=page.items, next_cursor=page.next_cursor, has_more=page.has_more)


@router.get(
    "/runs/{run_id}",
    response_model=RunDetailView,
    responses=error_responses(404),
    summary="One run: parameters, status, error and failing cell, hashes, files, verifications",
)
def job_run(actor: CurrentActor, run_id: RunId) -> RunDetailView:
    with read_only() as uow:
        return get_run(uow, actor, run_id)


def _serve(
    actor: CurrentActor,
    run_id: str,
    kind: str,
    media_type: str,
    disposition: str,
    headers: dict[str, str] = FILE_HEADERS,
) -> FileResponse:
    """One of the run's files, found through the domain's run scope (404 outside it)."""
    with read_only() as uow:
        path: FilePath = run_file(uow, actor, run_id, kind)
    return FileResponse(
        path,
        media_type=media_type,
        headers=headers,
        content_disposition_type=disposition,
        filename=path.name,
    )


@router.get(
    "/runs/{run_id}/html",
    response_class=FileResponse,
    responses={
        200: {"content": {"text/html": {}}, "description": "The executed notebook as HTML."},
        **error_responses(404),
    },
    summary="The run's report: the executed notebook rendered as HTML (opens in the browser)",
)
def job_run_html(actor: CurrentActor, run_id: RunId) -> FileResponse:
    headers = {**FILE_HEADERS, "Content-Security-Policy": REPORT_CSP}
    return _serve(actor, run_id, "html", "text/html; charset=utf-8", "inline", headers)


@router.get(
    "/runs/{run_id}/manifest",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/json": {}}, "description": "The run's manifest.json."},
        **error_responses(404),
    },
    summary="The run's manifest: parameters, code version, input fingerprint, result, hashes",
)
def job_run_manifest(actor: CurrentActor, run_id: RunId) -> FileResponse:
    return _serve(actor, run_id, "manifest", "application/json", "inline")


@router.get(
    "/runs/{run_id}/notebook",
    response_class=FileResponse,
    responses={
        200: {
            "content": {"application/x-ipynb+json": {}},
            "description": "The executed notebook (.ipynb), as a download.",
        },
        **error_responses(404),
    },
    summary="The executed notebook (.ipynb) of the run, to open in JupyterLab",
)
def job_run_notebook(actor: CurrentActor, run_id: RunId) -> FileResponse:
    return _serve(actor, run_id, "notebook", "application/x-ipynb+json", "attachment")


@router.get(
    "/runs/{run_id}/parquet",
    response_class=FileResponse,
    responses={
        200: {
            "content": {"application/vnd.apache.parquet": {}},
            "description": "The run's result rows (the rows of its output hash) as Parquet.",
        },
        **error_responses(404),
    },
    summary="The run's result rows as Parquet (incentives and payouts runs), as a download",
)
def job_run_parquet(actor: CurrentActor, run_id: RunId) -> FileResponse:
    return _serve(actor, run_id, "parquet", "application/vnd.apache.parquet", "attachment")
