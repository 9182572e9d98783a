"""The one patch rule (domain.schemas.Patch): an omitted field is untouched, null clears a field
only where its schema says it may, and null anywhere else is refused naming the field."""

from dataclasses import dataclass
from typing import Any

import pytest

from domain.errors import Invalid
from domain.freight.schemas import CarrierPatch, CustomerPatch, LoadPatch, QuotePatch
from domain.org.schemas import OfficePatch, QuickLinkPatch, UserPatch, VenturePatch
from domain.schemas import NOT_CLEARABLE, Patch, apply_patch, parse, patch_values


class NotePatch(Patch):
    clearable = frozenset({"note"})

    title: str | None = None
    note: str | None = None
    pages: int | None = None


@dataclass
class Note:
    title: str = "Minutes"
    note: str | None = "draft"
    pages: int | None = 3


def test_an_omitted_field_is_not_a_change() -> None:
    assert patch_values(parse(NotePatch, {})) == {}
    assert patch_values(parse(NotePatch, {"title": "Agenda"})) == {"title": "Agenda"}


def test_null_clears_a_clearable_field() -> None:
    assert patch_values(parse(NotePatch, {"note": None})) == {"note": None}


def test_null_for_a_field_that_cannot_be_cleared_is_refused_naming_each_field() -> None:
    with pytest.raises(Invalid) as err:
        patch_values(parse(NotePatch, {"title": None, "pages": None, "note": None}))
    assert err.value.fields == {"title": NOT_CLEARABLE, "pages": NOT_CLEARABLE}


def test_a_patch_built_in_code_follows_the_same_rule() -> None:
    assert patch_values(NotePatch(pages=5)) == {"pages": 5}
    with pytest.raises(Invalid) as err:
        patch_values(NotePatch(title=None))
    assert set(err.value.fields) == {"title"}


def test_apply_patch_writes_the_changes_and_returns_what_was_there() -> None:
    row = Note()
    before = apply_patch(row, {"note": None, "pages": 4})
    assert before == {"note": "draft", "pages": 3}
    assert (row.title, row.note, row.pages) == ("Minutes", None, 4)


def test_clearable_is_not_a_field_of_the_body() -> None:
    assert "clearable" not in NotePatch.model_fields
    with pytest.raises(Invalid) as err:
        parse(NotePatch, {"clearable": ["title"]})
    assert set(err.value.fields) == {"clearable"}


# Every Patch of the domain: what it lets clear is an optional column, nothing else.
PATCHES: dict[type[Patch], set[str]] = {
    VenturePatch: set(),
    OfficePatch: set(),
    UserPatch: set(),
    QuickLinkPatch: {"icon"},
    CustomerPatch: {"sales_user_id", "csr_user_id"},
    CarrierPatch: {"phone", "email", "home_state"},
    LoadPatch: {"miles", "bill_amount", "cost_amount", "dispatcher_user_id"},
    QuotePatch: {"pickup_date", "miles", "expires_at"},
}


@pytest.mark.parametrize("schema", list(PATCHES), ids=lambda s: s.__name__)
def test_each_patch_clears_only_its_optional_fields(schema: type[Patch]) -> None:
    assert set(schema.clearable) == PATCHES[schema]
    assert schema.clearable <= set(schema.model_fields)
    every_null: dict[str, Any] = dict.fromkeys(schema.model_fields)
    with pytest.raises(Invalid) as err:
        patch_values(parse(schema, every_null))
    assert set(err.value.fields) == set(schema.model_fields) - PATCHES[schema]
