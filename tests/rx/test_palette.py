"""The command palette finds loads by reference, only inside the reader's scope."""

from __future__ import annotations

from sqlmodel import col, select

from domain.db import read_only
from domain.freight.models import Load
from domain.org.models import Venture
from rxapp.state.palette import PaletteState
from tests.rx.conftest import Tab


def _a_reference(code: str) -> str:
    with read_only() as uow:
        return uow.session.execute(
            select(Load.reference)
            .join(Venture, col(Venture.id) == Load.venture_id)
            .where(Venture.code == code)
            .order_by(col(Load.id))
            .limit(1)
        ).scalar_one()


def test_a_manager_finds_a_load_of_their_venture_not_of_another(tab: Tab) -> None:
    tab.login("manager.afl@vcc.example")
    afl, mbr = _a_reference("AFL"), _a_reference("MBR")
    tab.call(PaletteState, "search", afl)
    found = tab.state(PaletteState).loads
    assert [i.label for i in found][:1] == [afl]
    assert found[0].href.startswith("/freight/loads/")
    tab.call(PaletteState, "search", mbr)
    assert all(i.label != mbr for i in tab.state(PaletteState).loads)


def test_roles_without_freight_find_no_loads(tab: Tab) -> None:
    tab.login("manager.hotels@vcc.example")
    tab.call(PaletteState, "search", _a_reference("AFL"))
    assert tab.state(PaletteState).loads == []
