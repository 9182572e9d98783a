"""``/api/v1/auth/tokens``: the caller's personal API tokens, and (global admins) those of
service accounts, which never sign in themselves.

The raw token is in the creation answer only; afterwards a token shows its 12-character prefix.
Revoking keeps the row (listed as revoked) and the token answers 401 from then on. A token for
another user is only ever a service account's (403 otherwise): a person's token is theirs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from domain.access.auth import TokenView, create_api_token, list_api_tokens, revoke_api_token
from domain.db import read_only, unit_of_work
from domain.pagination import DEFAULT_PAGE_SIZE
from rxapp.api.deps import CurrentActor
from rxapp.api.paging import Cursor, Limit, page_of
from rxapp.api.schemas import (
    MAX_ID,
    PageOut,
    PathId,
    TokenCreate,
    TokenCreated,
    error_responses,
)

router = APIRouter(prefix="/auth/tokens", tags=["auth"], responses=error_responses(401))


@router.post(
    "",
    response_model=TokenCreated,
    status_code=201,
    responses=error_responses(400, 403, 404),
    summary="Create an API token; the raw token is returned this once",
    description="Without `user_id`, a token of the caller. With it, a global admin's token for "
    "a service account; a person's token is never made by someone else (403).",
)
def create_token(actor: CurrentActor, body: TokenCreate | None = None) -> TokenCreated:
    body = body or TokenCreate()
    with unit_of_work() as uow:
        view, raw = create_api_token(
            uow, actor, name=body.name, days=body.days, user_id=body.user_id
        )
    return TokenCreated(raw_token=raw, token=view)


@router.get(
    "",
    response_model=PageOut[TokenView],
    responses=error_responses(400, 403, 404),
    summary="The caller's API tokens (oldest first), revoked ones included",
)
def tokens(
    actor: CurrentActor,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE_SIZE,
    user_id: Annotated[
        int | None,
        Query(ge=1, le=MAX_ID, description="A service account's tokens (global admins)."),
    ] = None,
) -> PageOut[TokenView]:
    with read_only() as uow:
        items = list_api_tokens(uow, actor, user_id=user_id)
    return page_of(items, lambda t: (t.id,), width=1, cursor=cursor, limit=limit)


@router.delete(
    "/{token_id}",
    response_model=TokenView,
    responses=error_responses(400, 404),
    summary="Revoke a token (it answers 401 from now on)",
)
def revoke_token(actor: CurrentActor, token_id: PathId) -> TokenView:
    with unit_of_work() as uow:
        return revoke_api_token(uow, actor, token_id)
