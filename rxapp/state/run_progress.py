"""Following a job run started from a page: poll it until it ends, showing cells done.

The incentive commit and the payouts create/re-run both start a notebook run in the background
and keep the page usable while it goes: the background event calls :func:`follow_run` with its
state proxy, whose ``progress`` (0-100) and ``progress_text`` the page binds to a progress bar.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from domain.access.actor import Actor
from domain.db import read_only
from domain.errors import NotFound
from domain.jobs.models import RunStatus
from domain.jobs.queries import RunView, get_run

POLL_SECONDS = 1.0
LIMIT_SECONDS = 30 * 60 + 180  # the notebook jobs' 30-minute timeout, and a margin


def read_run(actor: Actor, run_id: str) -> RunView:
    with read_only() as uow:
        return get_run(uow, actor, run_id).run


async def follow_run(
    state: Any, actor: Actor, run_id: str, *, limit: float = LIMIT_SECONDS
) -> RunView | None:
    """Poll the run until it is final and return it; None when it is still going at ``limit``.

    ``state`` is the background event's state proxy: its ``progress`` and ``progress_text`` are
    set from the run's cells after every poll.
    """
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        await asyncio.sleep(POLL_SECONDS)
        try:
            run = await asyncio.to_thread(read_run, actor, run_id)
        except NotFound:
            continue  # the run has not taken its lock yet
        async with state:
            state.progress = int(100 * run.cells_done / max(run.cells_total, 1))
            state.progress_text = f"Run {run_id}: {run.cells_done} of {run.cells_total} cells"
        if run.status != RunStatus.RUNNING:
            return run
    return None
