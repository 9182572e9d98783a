"""``/api/v1/operations``: tasks (list with filters and cursor, create, read, edit or move,
complete, bulk status) and end-of-day reports (mine, submit, the team's list, review, who has
not submitted).

Thin calls of ``domain.operations``: the domain applies scope (a task or report outside the
caller's ventures, or someone else's for a non-manager, answers 404 exactly like a missing one),
checks the role (403) and validates (400 with ``fields``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from domain.db import read_only, unit_of_work
from domain.operations.models import EodStatus, TaskPriority, TaskStatus
from domain.operations.queries import (
    TaskFilter,
    get_task_view,
    list_eods,
    list_tasks,
    missing_eods,
    my_tasks,
)
from domain.operations.schemas import (
    BulkStatusInput,
    EodInput,
    EodReviewInput,
    EodSubmitResult,
    EodView,
    MyTasksView,
    OfficeEodStatus,
    TaskInput,
    TaskPatch,
    TaskView,
)
from domain.operations.services import (
    bulk_set_status,
    complete_task,
    create_task,
    review_eod,
    submit_eod,
    update_task,
)
from domain.pagination import DEFAULT_PAGE_SIZE
from domain.schemas import BusinessDate, View
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit
from rxapp.api.schemas import MAX_ID, PageOut, PathId, error_responses

router = APIRouter(
    prefix="/operations", tags=["operations"], responses=error_responses(400, 401, 403)
)

QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


class BulkResult(View):
    changed: int


# -- tasks ----------------------------------------------------------------------------------------


@router.get(
    "/tasks",
    response_model=PageOut[TaskView],
    summary="Tasks in scope, newest first (created_at, id), keyset pages",
)
def tasks_list(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    office: QueryId = None,
    assignee: QueryId = None,
    status: Annotated[
        list[TaskStatus] | None, Query(description="Repeat for several statuses.")
    ] = None,
    priority: Annotated[
        list[TaskPriority] | None, Query(description="Repeat for several priorities.")
    ] = None,
    due_from: Annotated[BusinessDate | None, Query(description="Due on or after.")] = None,
    due_to: Annotated[BusinessDate | None, Query(description="Due on or before.")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the title.")] = None,
    mine: Annotated[bool, Query(description="Only tasks assigned to the caller.")] = False,
    overdue: Annotated[bool, Query(description="Only open tasks due before today.")] = False,
) -> PageOut[TaskView]:
    f = TaskFilter(
        venture_id=venture,
        office_id=office,
        assignee_id=assignee,
        statuses=status or (),
        priorities=priority or (),
        due_from=due_from,
        due_to=due_to,
        search=q or "",
        mine=mine,
        overdue=overdue,
    )
    with read_only() as uow:
        page = list_tasks(uow, actor, f, cursor=cursor, limit=limit)
    return PageOut[TaskView](items=page.items, next_cursor=page.next_cursor, has_more=page.has_more)


@router.get(
    "/tasks/mine",
    response_model=MyTasksView,
    summary="The caller's open tasks, overdue and due today first, with the counts",
)
def tasks_mine(actor: CurrentActor, venture: QueryId = None) -> MyTasksView:
    with read_only() as uow:
        return my_tasks(uow, actor, venture_id=venture)


@router.post(
    "/tasks",
    response_model=TaskView,
    status_code=201,
    responses=error_responses(403, 404),
    summary="Create and assign a task (managers, within their scope)",
)
def task_create(actor: CurrentActor, body: TaskInput) -> TaskView:
    with unit_of_work() as uow:
        return create_task(uow, actor, body)


@router.get("/tasks/{task_id}", response_model=TaskView, responses=error_responses(404))
def task_read(actor: CurrentActor, task_id: PathId) -> TaskView:
    with read_only() as uow:
        return get_task_view(uow, actor, task_id)


@router.patch(
    "/tasks/{task_id}",
    response_model=TaskView,
    responses=error_responses(403, 404),
    summary="Edit a task (managers) or move it (`status`: the assignee too)",
)
def task_update(actor: CurrentActor, task_id: PathId, body: TaskPatch) -> TaskView:
    with unit_of_work() as uow:
        return update_task(uow, actor, task_id, body)


@router.post(
    "/tasks/{task_id}/complete",
    response_model=TaskView,
    responses=error_responses(403, 404),
    summary="Mark a task DONE (the assignee or a manager); completing again changes nothing",
)
def task_complete(actor: CurrentActor, task_id: PathId) -> TaskView:
    with unit_of_work() as uow:
        return complete_task(uow, actor, task_id)


@router.post(
    "/tasks/bulk-status",
    response_model=BulkResult,
    responses=error_responses(403, 404),
    summary="Move up to 200 tasks to one status (managers): all or nothing",
)
def tasks_bulk_status(actor: CurrentActor, body: BulkStatusInput) -> BulkResult:
    with unit_of_work() as uow:
        return BulkResult(changed=bulk_set_status(uow, actor, body))


# -- end-of-day reports ---------------------------------------------------------------------------


@router.get(
    "/eod",
    response_model=PageOut[EodView],
    summary="Reports the caller may read (their own; their people's for managers), newest first",
)
def eod_list(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    user: QueryId = None,
    status: Annotated[list[EodStatus] | None, Query()] = None,
    date_from: Annotated[BusinessDate | None, Query(alias="from")] = None,
    date_to: Annotated[BusinessDate | None, Query(alias="to")] = None,
) -> PageOut[EodView]:
    with read_only() as uow:
        page = list_eods(
            uow,
            actor,
            venture_id=venture,
            user_id=user,
            statuses=status or (),
            date_from=date_from,
            date_to=date_to,
            cursor=cursor,
            limit=limit,
        )
    return PageOut[EodView](items=page.items, next_cursor=page.next_cursor, has_more=page.has_more)


@router.get(
    "/eod/mine",
    response_model=PageOut[EodView],
    summary="The caller's own reports, newest first",
)
def eod_mine(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    venture: QueryId = None,
    date_from: Annotated[BusinessDate | None, Query(alias="from")] = None,
    date_to: Annotated[BusinessDate | None, Query(alias="to")] = None,
) -> PageOut[EodView]:
    with read_only() as uow:
        page = list_eods(
            uow,
            actor,
            venture_id=venture,
            mine=True,
            date_from=date_from,
            date_to=date_to,
            cursor=cursor,
            limit=limit,
        )
    return PageOut[EodView](items=page.items, next_cursor=page.next_cursor, has_more=page.has_more)


@router.post(
    "/eod",
    response_model=EodSubmitResult,
    status_code=201,
    responses={**error_responses(403, 404), 200: {"model": EodSubmitResult}},
    summary="Submit the caller's report of a day (201); again the same day updates it (200)",
)
def eod_submit(actor: CurrentActor, body: EodInput, response: Response) -> EodSubmitResult:
    with unit_of_work() as uow:
        result = submit_eod(uow, actor, body)
    if not result.first_submission:
        response.status_code = 200
    return result


@router.post(
    "/eod/{report_id}/review",
    response_model=EodView,
    responses=error_responses(403, 404),
    summary="Mark a report REVIEWED or NEEDS_ATTENTION (a note is required for the latter)",
)
def eod_review(actor: CurrentActor, report_id: PathId, body: EodReviewInput) -> EodView:
    with unit_of_work() as uow:
        return review_eod(uow, actor, report_id, body)


@router.get(
    "/eod/missing",
    response_model=list[OfficeEodStatus],
    responses=error_responses(404),
    summary="Per office of a venture: who has not submitted on a day (default today)",
)
def eod_missing(
    actor: CurrentActor,
    venture: Annotated[int, Query(ge=1, le=MAX_ID)],
    date: Annotated[BusinessDate | None, Query()] = None,
) -> list[OfficeEodStatus]:
    with read_only() as uow:
        return missing_eods(uow, actor, venture, date)
