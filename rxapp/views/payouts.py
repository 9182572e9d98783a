"""What the Payouts page, My Day and My incentives show of payouts: display rows built from the
domain's payout views (money with its currency, totals per currency and never added across
currencies; business dates ``27 Nov 2026``), and the payroll CSV. Pure functions; no state, no
database."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from domain.incentives.payout_services import PayoutView, PeriodView, ReconciliationLine
from rxapp.format import fmt_date, fmt_datetime
from rxapp.views.incentives import money, report_url, totals_text

STATUS_COLORS = {"CALCULATED": "blue", "APPROVED": "green", "PAID": "gray", "VOID": "red"}
HASH_SHOWN = 12


def status_label(status: str) -> str:
    return status.capitalize()


def short_hash(output_hash: str | None) -> str:
    return (output_hash or "")[:HASH_SHOWN]


def period_text(p: PeriodView | PayoutView) -> str:
    return f"{fmt_date(p.period_start)} to {fmt_date(p.period_end)}"


@dataclasses.dataclass
class PeriodRow:
    run_id: str = ""
    venture: str = ""
    period: str = ""
    status: str = ""
    status_color: str = "gray"
    payees: str = ""
    totals: str = ""
    approved: str = ""  # "Ana Finance, 27 Nov 2026 10:00" once signed
    may_approve: bool = False


def period_row(p: PeriodView) -> PeriodRow:
    status = p.status.value
    approved = ""
    if p.approved_at is not None:
        approved = f"{p.approved_by or ''}, {fmt_datetime(p.approved_at)}".strip(", ")
    return PeriodRow(
        run_id=p.run_id,
        venture=p.venture_code,
        period=period_text(p),
        status=status_label(status),
        status_color=STATUS_COLORS.get(status, "gray"),
        payees=str(p.payees),
        totals=totals_text(p.totals) if p.totals else "Nothing",
        approved=approved,
        may_approve=p.may_approve,
    )


@dataclasses.dataclass
class PayoutRow:
    id: int = 0
    user: str = ""
    currency: str = ""
    amount: str = ""
    days: str = ""
    status: str = ""
    status_color: str = "gray"
    note: str = ""  # paid at / void reason
    may_pay: bool = False
    may_void: bool = False


def payout_row(v: PayoutView, may_manage: bool) -> PayoutRow:
    status = v.status.value
    note = ""
    if status == "PAID" and v.paid_at:
        note = f"Paid {fmt_datetime(v.paid_at)}"
    elif status == "VOID":
        note = v.void_reason or ""
    return PayoutRow(
        id=v.id,
        user=v.user_name,
        currency=v.currency,
        amount=money(v.amount, v.currency),
        days=str(v.days),
        status=status_label(status),
        status_color=STATUS_COLORS.get(status, "gray"),
        note=note,
        may_pay=may_manage and status == "APPROVED",
        may_void=may_manage and status in ("CALCULATED", "APPROVED"),
    )


def reconciliation_text(line: ReconciliationLine) -> str:
    """``USD: payouts $1,234.00 = dailies $1,234.00`` (or the difference when they disagree)."""
    paid, owed = money(line.payouts, line.currency), money(line.dailies, line.currency)
    if line.ok:
        return f"{line.currency}: payouts {paid} = dailies {owed}"
    return (
        f"{line.currency}: payouts {paid} vs dailies {owed} "
        f"(difference {money(line.difference, line.currency)})"
    )


def approval_text(p: PeriodView, output_hash: str) -> str:
    """What the approval dialog names: payees, the total per currency, the hash it signs."""
    who = "payee" if p.payees == 1 else "payees"
    return (
        f"Approve {p.payees} {who} totalling {totals_text(p.totals)} for {p.venture_code}, "
        f"{period_text(p)}. The run is re-verified first; the approval signs its output hash "
        f"{short_hash(output_hash)}."
    )


def run_report_url(run_id: str, has_report: bool, may_open: bool) -> str:
    return report_url(run_id) if has_report and may_open else ""


# -- payroll CSV ----------------------------------------------------------------------------------

PAYROLL_HEADER = (
    "Payout ID",
    "Person",
    "User ID",
    "Venture",
    "Period start",
    "Period end",
    "Currency",
    "Amount",
    "Days",
    "Status",
    "Run",
)


def payroll_rows(payouts: list[PayoutView], currency: str) -> list[list[str]]:
    """The run's payouts of one currency for payroll (void ones left out), plain amounts."""
    return [
        [
            str(v.id),
            v.user_name,
            str(v.user_id),
            v.venture_code,
            v.period_start.isoformat(),
            v.period_end.isoformat(),
            v.currency,
            f"{Decimal(v.amount):.2f}",
            str(v.days),
            v.status.value,
            v.run_id,
        ]
        for v in payouts
        if v.currency == currency and v.status.value != "VOID"
    ]


# -- My Day and My incentives ---------------------------------------------------------------------


@dataclasses.dataclass
class WaitingRow:
    """A period waiting for the reader's approval (My Day)."""

    run_id: str = ""
    text: str = ""
    href: str = ""


def waiting_row(p: PeriodView) -> WaitingRow:
    return WaitingRow(
        run_id=p.run_id,
        text=f"{p.venture_code} {period_text(p)}: {p.payees} payees, {totals_text(p.totals)}",
        href=f"/incentives/payouts?run={p.run_id}",
    )


@dataclasses.dataclass
class MyPayoutRow:
    key: str = ""
    period: str = ""
    venture: str = ""
    currency: str = ""
    amount: str = ""
    status: str = ""
    status_color: str = "gray"


def my_payout_row(v: PayoutView) -> MyPayoutRow:
    status = v.status.value
    return MyPayoutRow(
        key=f"{v.venture_code}-{v.period_start.isoformat()}-{v.currency}-{v.id}",
        period=period_text(v),
        venture=v.venture_code,
        currency=v.currency,
        amount=money(v.amount, v.currency),
        status=status_label(status),
        status_color=STATUS_COLORS.get(status, "gray"),
    )
