"""The load and quote state machines: every allowed and every refused transition, and random
sequences (Hypothesis) that never leave the table."""

from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import Conflict
from domain.freight.models import LoadStatus, QuoteStatus
from domain.freight.transitions import (
    LOAD_TRANSITIONS,
    QUOTE_TRANSITIONS,
    TERMINAL_LOAD_STATUSES,
    allowed_load_transitions,
    check_load_transition,
    check_quote_transition,
)

L = LoadStatus

# spec/operations.md, written out again by hand so a change to the code must change this too.
SPEC = {
    L.OPEN: {L.WORKING, L.LOST, L.DORMANT},
    L.WORKING: {L.COVERED, L.AT_RISK, L.LOST, L.DORMANT},
    L.AT_RISK: {L.COVERED, L.WORKING, L.LOST},
    L.COVERED: {L.IN_TRANSIT, L.DELIVERED, L.FELL_OFF, L.LOST},
    L.IN_TRANSIT: {L.DELIVERED, L.FELL_OFF, L.LOST},
    L.FELL_OFF: {L.COVERED, L.WORKING, L.LOST},
    L.DORMANT: {L.OPEN, L.WORKING},
    L.DELIVERED: set(),
    L.LOST: set(),
}
PAIRS = list(product(LoadStatus, LoadStatus))


def test_table_is_the_spec() -> None:
    assert {k: set(v) for k, v in LOAD_TRANSITIONS.items()} == SPEC
    assert {L.DELIVERED, L.LOST} == TERMINAL_LOAD_STATUSES


@pytest.mark.parametrize(("source", "target"), [(s, t) for s, t in PAIRS if t in SPEC[s]], ids=str)
def test_allowed(source: LoadStatus, target: LoadStatus) -> None:
    assert check_load_transition(source, target) is True


@pytest.mark.parametrize(
    ("source", "target"), [(s, t) for s, t in PAIRS if s != t and t not in SPEC[s]], ids=str
)
def test_refused(source: LoadStatus, target: LoadStatus) -> None:
    with pytest.raises(Conflict) as err:
        check_load_transition(source, target)
    assert source.value in err.value.message and target.value in err.value.message


@pytest.mark.parametrize("status", list(LoadStatus))
def test_same_to_same_is_a_no_op(status: LoadStatus) -> None:
    assert check_load_transition(status, status) is False


def test_allowed_list_is_in_pipeline_order() -> None:
    assert allowed_load_transitions(L.WORKING) == [L.AT_RISK, L.COVERED, L.DORMANT, L.LOST]
    assert allowed_load_transitions(L.DELIVERED) == []


@settings(max_examples=300)
@given(st.lists(st.sampled_from(list(LoadStatus)), max_size=40))
def test_random_sequences_stay_in_the_table(attempts: list[LoadStatus]) -> None:
    status = L.OPEN
    for target in attempts:
        before = status
        try:
            if check_load_transition(status, target):
                status = target
        except Conflict:
            assert target not in SPEC[before] and target != before
            continue
        assert status == before or status in SPEC[before]
        if before in TERMINAL_LOAD_STATUSES:
            assert status == before  # DELIVERED and LOST are final
    assert status in SPEC


@pytest.mark.parametrize(("source", "target"), list(product(QuoteStatus, QuoteStatus)), ids=str)
def test_quote_transitions(source: QuoteStatus, target: QuoteStatus) -> None:
    if source == target:
        assert check_quote_transition(source, target) is False
    elif target in QUOTE_TRANSITIONS[source]:
        assert check_quote_transition(source, target) is True
    else:
        with pytest.raises(Conflict):
            check_quote_transition(source, target)
