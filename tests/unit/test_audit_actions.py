"""Every audit action the code writes is listed once, with a label, for the audit page's filters:
the shared ones in ``domain.access.audit.AuditAction``, each wing's in its manifest."""

from __future__ import annotations

import ast
from pathlib import Path

from domain.access.audit import AuditAction, action_label, audit_action_groups, audit_actions
from domain.verticals import verticals

ROOT = Path(__file__).resolve().parents[2]


def _written_actions() -> set[str]:
    """The action of every ``audit(uow, actor, ACTION, ...)`` call in the domain: a string
    literal, or an enum member whose value we resolve."""
    from domain.freight.audit import FreightAudit

    enums = {"AuditAction": AuditAction, "FreightAudit": FreightAudit}
    found: set[str] = set()
    for path in (ROOT / "domain").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "audit"):
                continue
            if len(node.args) < 3:
                continue
            arg = node.args[2]
            candidates = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
            for c in candidates:
                if isinstance(c, ast.Constant) and isinstance(c.value, str):
                    found.add(c.value)
                elif isinstance(c, ast.Attribute) and getattr(c.value, "id", "") in enums:
                    found.add(enums[c.value.id][c.attr].value)  # type: ignore[attr-defined]
    return found


def test_every_action_written_is_listed_with_a_label() -> None:
    written = _written_actions()
    assert len(written) > 40  # the scan sees the calls (a broken scan would pass vacuously)
    listed = audit_actions()
    assert written - set(listed) == set(), "written but not listed for the filters"
    assert all(listed[a] and listed[a] != a for a in listed)


def test_each_action_belongs_to_one_place() -> None:
    shared = {a.value for a in AuditAction}
    seen = set(shared)
    for wing in verticals():
        assert all(a.startswith(f"{wing.key}.") for a in wing.audit_actions), wing.key
        assert seen.isdisjoint(wing.audit_actions)
        seen |= set(wing.audit_actions)


def test_labels_and_groups_read_well() -> None:
    assert action_label("freight.load.created") == "Load created"
    assert action_label("auth.lock") == "Account locked"
    assert action_label("retired.thing_done") == "Thing done"
    assert audit_action_groups()["freight."] == "Freight (all)"
