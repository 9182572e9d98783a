"""``/api/v1/me``: who the caller is, their ventures and their navigation sections."""

from __future__ import annotations

from fastapi import APIRouter

from domain.access.navigation import SECTION_TITLES, accessible_sections
from domain.access.roles import ROLE_LABELS
from domain.briefing.digest import (
    DigestChoice,
    DigestChoiceInput,
    digest_choice,
    set_digest_choice,
)
from domain.db import read_only, unit_of_work
from domain.org.queries import list_ventures
from rxapp.api.deps import CurrentActor, auth_kind
from rxapp.api.schemas import ItemsOut, MeOut, RealUserRef, SectionOut, UserRef, error_responses

router = APIRouter(prefix="/me", tags=["me"], responses=error_responses(401))


@router.get("", response_model=MeOut, summary="The caller, their role and their ventures")
def me(actor: CurrentActor) -> MeOut:
    with read_only() as uow:
        ventures = list_ventures(uow, actor)
    return MeOut(
        user=UserRef(
            id=actor.user_id,
            email=actor.email,
            name=actor.name,
            role=actor.role,
            role_label=ROLE_LABELS[actor.role],
        ),
        role=actor.role,
        impersonating=actor.impersonating,
        real_user=(
            RealUserRef(
                id=actor.real_user_id,
                email=actor.real_email,
                name=actor.real_name,
                role=actor.real_role,
            )
            if actor.impersonating
            else None
        ),
        auth="token" if auth_kind(actor) == "token" else "session",
        ventures=ventures,
    )


@router.get(
    "/sections",
    response_model=ItemsOut[SectionOut],
    summary="The navigation sections the caller has, in display order",
)
def sections(actor: CurrentActor) -> ItemsOut[SectionOut]:
    with read_only() as uow:
        keys = accessible_sections(uow, actor)
    return ItemsOut[SectionOut](items=[SectionOut(key=k, title=SECTION_TITLES[k]) for k in keys])


@router.get(
    "/briefing-digest",
    response_model=DigestChoice,
    summary="Whether the caller gets the briefing's morning email",
    description="`eligible`: the digest is for leadership people only; `receive`: the caller's "
    "own choice (on unless they switched it off).",
)
def get_briefing_digest(actor: CurrentActor) -> DigestChoice:
    with read_only() as uow:
        return digest_choice(uow, actor)


@router.put(
    "/briefing-digest",
    response_model=DigestChoice,
    summary="Switch the caller's morning email of the briefing on or off",
    responses=error_responses(400, 403),
)
def put_briefing_digest(actor: CurrentActor, body: DigestChoiceInput) -> DigestChoice:
    with unit_of_work() as uow:
        return set_digest_choice(uow, actor, body)
