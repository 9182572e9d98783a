"""Freight inputs: a bad field gets a message naming it; good input is normalised."""

from decimal import Decimal

import pytest

from domain.errors import Invalid
from domain.freight.models import Equipment, LoadStatus, LostReason
from domain.freight.schemas import CarrierInput, LoadInput, OutreachInput, TransitionInput
from domain.schemas import parse

GOOD = {
    "venture_id": 1,
    "office_id": 1,
    "customer_id": 1,
    "pickup_city": "Newark",
    "pickup_state": "nj",
    "pickup_date": "2026-12-01",
    "drop_city": "Chicago",
    "drop_state": "IL",
    "drop_date": "2026-12-03",
    "bill_amount": "2500.00",
    "equipment": "reefer",
}


def test_good_load_is_normalised() -> None:
    inp = parse(LoadInput, GOOD | {"reference": " afl-77 "})
    assert inp.pickup_state == "NJ"
    assert inp.reference == "AFL-77"
    assert inp.equipment is Equipment.REEFER
    assert inp.bill_amount == Decimal("2500.00")


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("pickup_state", "ZZ", "US state"),
        ("bill_amount", "-1", "must be 0 or more"),
        ("bill_amount", "1.001", "decimal places"),
        ("miles", 0, "greater than or equal to 1"),
        ("pickup_city", "", "is required"),
        ("reference", "a b", "letters, digits or hyphens"),
        ("equipment", "SPACESHIP", "DRY_VAN"),
        ("pickup_date", "tomorrow", "date"),
    ],
)
def test_bad_load_field_is_named(field: str, value: object, reason: str) -> None:
    with pytest.raises(Invalid) as err:
        parse(LoadInput, GOOD | {field: value})
    assert set(err.value.fields) == {field}
    assert reason in err.value.fields[field]


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(Invalid) as err:
        parse(LoadInput, GOOD | {"status": "DELIVERED"})
    assert "status" in err.value.fields


def test_transition_input_accepts_lower_case() -> None:
    inp = parse(TransitionInput, {"status": "lost", "lost_reason": "rate", "note": "x"})
    assert inp.status is LoadStatus.LOST and inp.lost_reason is LostReason.RATE
    with pytest.raises(Invalid) as err:
        parse(TransitionInput, {"status": "LOST", "lost_reason": "BORED"})
    assert "lost_reason" in err.value.fields
    with pytest.raises(Invalid) as err:
        parse(TransitionInput, {"status": "DELIVERED", "delivered_at": "2026-11-27T10:00:00"})
    assert "timezone" in err.value.fields["delivered_at"]


def test_outreach_recipients_between_1_and_50_distinct() -> None:
    base = {"load_id": 1, "channel": "sms", "body": "Load available"}
    assert parse(OutreachInput, base | {"carrier_ids": [1]}).carrier_ids == [1]
    for ids, reason in (
        ([], "at least 1"),
        (list(range(51)), "at most 50"),
        ([1, 1], "more than once"),
    ):
        with pytest.raises(Invalid) as err:
            parse(OutreachInput, base | {"carrier_ids": ids})
        assert reason in err.value.fields["carrier_ids"]


def test_carrier_numbers() -> None:
    inp = parse(
        CarrierInput,
        {"mc_number": "MC-123456", "dot_number": "DOT 987", "name": "X", "equipment": "flatbed"},
    )
    assert (inp.mc_number, inp.dot_number) == ("123456", "987")
    with pytest.raises(Invalid) as err:
        parse(
            CarrierInput,
            {
                "mc_number": "12a",
                "dot_number": "1",
                "name": "X",
                "equipment": "FLATBED",
                "email": "nope",
            },
        )
    assert set(err.value.fields) == {"mc_number", "email"}


# -- the lane: one definition per field, each schema keeps its own order ---------------------------

LOAD_LANE = "pickup_city pickup_state pickup_date drop_city drop_state miles equipment"
LANE = set(LOAD_LANE.split())


def test_loads_and_quotes_share_each_lane_field_s_definition() -> None:
    from domain.freight.schemas import LoadPatch, QuoteInput, QuotePatch

    def rules(model: type, name: str) -> list[object]:
        field = model.model_fields[name]  # the type, its bounds and validators
        return [repr(field.annotation), *map(repr, field.metadata)]

    for name in LANE:
        if name == "pickup_date":  # a load needs it, a quote may leave it open
            continue
        assert rules(LoadInput, name) == rules(QuoteInput, name), name
        assert rules(LoadPatch, name) == rules(QuotePatch, name), name


def test_each_schema_keeps_its_own_field_order() -> None:
    """The API's bodies (and the OpenAPI document) list the lane where each schema puts it."""
    from domain.freight.schemas import QuoteInput

    load = [f for f in LoadInput.model_fields if f in LANE]
    quote = [f for f in QuoteInput.model_fields if f in LANE]
    assert (
        " ".join(load)
        == "pickup_city pickup_state pickup_date drop_city drop_state miles equipment"
    )
    assert (
        " ".join(quote)
        == "pickup_city pickup_state drop_city drop_state pickup_date miles equipment"
    )


@pytest.mark.parametrize("schema", ["LoadPatch", "QuoteInput", "QuotePatch", "CarrierPatch"])
def test_equipment_is_read_in_any_case_everywhere(schema: str) -> None:
    from domain.freight import schemas

    model = getattr(schemas, schema)
    required = {"QuoteInput": GOOD_QUOTE}.get(schema, {})
    assert parse(model, required | {"equipment": " reefer "}).equipment is Equipment.REEFER


GOOD_QUOTE = {
    "venture_id": 1,
    "customer_id": 1,
    "pickup_city": "Newark",
    "pickup_state": "NJ",
    "drop_city": "Chicago",
    "drop_state": "IL",
    "quoted_rate": "1800.00",
}


def test_the_drop_date_follows_the_pickup_date() -> None:
    from datetime import date

    from domain.freight.rules import drop_date_problem

    assert drop_date_problem(date(2026, 12, 1), date(2026, 12, 1)) is None
    assert drop_date_problem(date(2026, 12, 1), date(2026, 11, 30)) == (
        "must be on or after the pickup date"
    )
