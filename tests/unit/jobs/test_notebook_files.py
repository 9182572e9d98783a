"""Every notebook the project ships (the jobs' and the analysts' starters) is a valid nbformat
4.5 document: each cell has its id. nbformat warns of a missing id today and is to refuse it in
a later version, which would fail the job or the analyst's starter there."""

from __future__ import annotations

import warnings
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[3] / "notebooks").rglob("*.ipynb"))


def test_the_project_ships_notebooks() -> None:
    assert len(NOTEBOOKS) >= 8  # the jobs' seven and the analysts' starters


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_shipped_notebook_is_valid_with_an_id_on_every_cell(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # MissingIDFieldWarning is a failure here
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) >= (4, 5)
    ids = [cell.get("id") for cell in nb.cells]
    assert all(ids), f"{path.name}: a cell without an id"
    assert len(set(ids)) == len(ids), f"{path.name}: two cells share an id"
