"""The attack surface of the web app, reviewed: every public handler of every state.

Any connected client can call any handler listed here with any arguments (and can set the
client-storage vars: the session cookie, the venture filter, the sidebar flag, the timezone).
Adding a handler or a state changes these sets: that is a reviewed decision, so update them on
purpose.
"""

from __future__ import annotations

import reflex as rx

from rxapp.state.admin_errors import AdminErrorsState
from rxapp.state.admin_jobs import AdminJobsState
from rxapp.state.admin_users import AdminUsersState
from rxapp.state.admin_ventures import AdminVenturesState
from rxapp.state.audit import AuditState
from rxapp.state.bpo_calls import BpoCallFormState, BpoCallsState, BpoMyCallsState
from rxapp.state.bpo_dashboard import BpoDashboardState
from rxapp.state.bpo_import import BpoImportState
from rxapp.state.bpo_setup import BpoAgentsState, BpoCampaignsState
from rxapp.state.briefing import BriefingState
from rxapp.state.freight_carriers import FreightCarriersState, FreightCarrierState
from rxapp.state.freight_dashboard import FreightDashboardState
from rxapp.state.freight_load import FreightLoadState
from rxapp.state.freight_load_form import FreightLoadFormState
from rxapp.state.freight_loads import FreightLoadsState
from rxapp.state.freight_outreach import FreightOutreachState, FreightSendState
from rxapp.state.freight_quotes import FreightQuoteFormState, FreightQuotesState
from rxapp.state.gamification import LeaderboardState, MyPointsState, PointsConfigState
from rxapp.state.holdings_dashboard import HoldingsDashboardState
from rxapp.state.holdings_lists import HoldingsAccountsState, HoldingsAssetsState
from rxapp.state.hospitality_dashboard import HospitalityDashboardState
from rxapp.state.hospitality_disputes import HospitalityDisputesState
from rxapp.state.hospitality_kpi import HospitalityKpiState, HotelKpiFormState
from rxapp.state.hospitality_reviews import HospitalityReviewsState
from rxapp.state.incentive_commit import IncentiveCommitState
from rxapp.state.incentive_plans import IncentivePlansState
from rxapp.state.incentives import MyIncentivesState, VentureIncentivesState
from rxapp.state.login import LoginState
from rxapp.state.operations import EodReviewState, MyWorkState, TasksState
from rxapp.state.overview import OverviewState
from rxapp.state.palette import PaletteState
from rxapp.state.payouts import PayoutsState
from rxapp.state.profile import ProfileState
from rxapp.state.quick_links import QuickLinksState
from rxapp.state.saas_customers import SaasCustomersState, SaasCustomerState
from rxapp.state.saas_dashboard import SaasDashboardState
from rxapp.state.session import SessionState
from rxapp.state.ventures import MyDayState, VentureDetailState, VenturesState

# "setvar" is Reflex's built-in: it only calls an existing set_<var> handler (listed here too).
EXPECTED: dict[type[rx.State], set[str]] = {
    SessionState: {"logout", "set_venture_filter", "toggle_sidebar", "stop_acting"},
    LoginState: {"load", "toggle_code_mode", "submit", "start_over"},
    PaletteState: {"set_palette_open", "search"},
    MyDayState: {"load"},
    # The day picker, and the reader's own morning email (the domain refuses a non-leader).
    BriefingState: {"load", "apply_day", "shift_day", "set_digest"},
    # Points: my own awards (cursor pages), the leaderboard's switches, a venture's config.
    MyPointsState: {"load", "older", "newer"},
    LeaderboardState: {"load", "choose_venture", "choose_period", "choose_office"},
    PointsConfigState: {"load", "choose_venture", "save"},
    # My Day's tasks card and EOD form (loaded by MyDayState.load).
    MyWorkState: {"choose_eod_venture", "complete", "save_eod"},
    TasksState: {
        "load",
        "apply_filters",
        "older",
        "newer",
        "toggle",
        "set_status",
        "bulk",
        "new_task",
        "choose_task_venture",
        "edit_task",
        "set_task_open",
        "save_task",
        "export_csv",
    },
    EodReviewState: {
        "load",
        "apply_filters",
        "mark_reviewed",
        "ask_attention",
        "set_review_open",
        "save_attention",
        "export_csv",
    },
    VenturesState: {"load", "load_section"},
    VentureDetailState: {"load"},
    QuickLinksState: {
        "load_admin",
        "open_add",
        "open_edit",
        "set_dialog_open",
        "save_link",
        "move_link",
        "remove_link",
    },
    AdminUsersState: {
        "load",
        "apply_filters",
        "next_page",
        "prev_page",
        "open_create",
        "open_edit",
        "set_form_open",
        "save_user",
        "open_reset",
        "set_reset_open",
        "reset_password",
        "ask",
        "set_confirm_open",
        "confirm",
        "export_csv",
    },
    AdminVenturesState: {
        "load",
        "open_create_venture",
        "open_edit_venture",
        "set_venture_open",
        "save_venture",
        "open_create_office",
        "open_edit_office",
        "set_office_open",
        "save_office",
    },
    AdminErrorsState: {
        "load",
        "apply_filters",
        "clear_filters",
        "older",
        "newer",
        "export_csv",
        "open_error",
        "set_detail_open",
    },
    AuditState: {"load", "apply_filters", "clear_filters", "older", "newer", "export_csv"},
    # -- jobs --
    AdminJobsState: {
        "load",
        "refresh",
        "apply_filters",
        "clear_filters",
        "older",
        "newer",
        "open_run_dialog",
        "set_run_open",
        "choose_job",
        "start_run",
        "verify",
        "open_detail",
        "set_detail_open",
        "ask",
        "set_confirm_open",
        "confirm",
        "acknowledge",
        "export_csv",
        "compare_previous",
        "close_compare",
    },
    ProfileState: {"load", "change_password", "create_token", "dismiss_token", "revoke_token"},
    # -- freight --
    FreightLoadsState: {"load", "apply_filters", "clear_filters", "older", "newer", "export_csv"},
    FreightLoadState: {"load", "ask", "set_dialog_open", "find_carriers", "transition"},
    FreightLoadFormState: {"load_new", "load_edit", "choose_venture", "save"},
    FreightQuotesState: {
        "load",
        "apply_filters",
        "older",
        "newer",
        "set_status",
        "ask_convert",
        "set_confirm_open",
        "convert",
        "export_csv",
    },
    FreightQuoteFormState: {"open_create", "set_form_open", "choose_venture", "save"},
    FreightCarriersState: {
        "load",
        "apply_filters",
        "clear_filters",
        "older",
        "newer",
        "export_csv",
    },
    FreightCarrierState: {"load"},
    FreightOutreachState: {
        "load",
        "older",
        "newer",
        "open_outreach",
        "refresh_detail",  # re-reads the open outreach through scope
        "watch_detail",  # re-reads it every 2 s while recipients are pending (live statuses)
        "retry_failed",  # retry_outreach: scope and freight.outreach.send in the domain
        "set_detail_open",
        "ask_award",
        "set_confirm_open",
        "award",
        "export_csv",
    },
    FreightSendState: {"open_send", "set_send_open", "set_channel", "send"},
    FreightDashboardState: {"load", "apply_range", "preset", "export_csv"},
    # -- hospitality --
    HospitalityKpiState: {
        "load",
        "apply_filters",
        "clear_filters",
        "older",
        "newer",
        "choose_upload_venture",
        "download_template",  # kpi_template: scope and hospitality.kpi.write in the domain
        "upload_progress",  # display only
        "start_upload",  # display only
        "upload",  # keeps the bytes; check_upload hands them to the domain
        "check_upload",
        "clear_upload",
    },
    HotelKpiFormState: {"open_form", "set_form_open", "save"},
    HospitalityReviewsState: {
        "load",
        "apply_filters",
        "clear_filters",
        "older",
        "newer",
        "open_respond",
        "set_respond_open",
        "respond",
    },
    HospitalityDisputesState: {
        "load",
        "apply_filters",
        "older",
        "newer",
        "open_create",
        "set_create_open",
        "create",
        "open_edit",
        "set_edit_open",
        "save_edit",
        "ask_resolve",
        "set_confirm_open",
        "resolve",
    },
    HospitalityDashboardState: {"load", "apply_range", "preset"},
    # -- saas -- (ids of customers and subscriptions go to the domain, which scopes them)
    SaasDashboardState: {"load", "apply_range"},
    SaasCustomersState: {
        "load",
        "apply_filters",
        "older",
        "newer",
        "open_create",
        "set_create_open",
        "create_customer",
    },
    SaasCustomerState: {
        "load",
        "open_add",
        "set_add_open",
        "add_subscription",
        "open_cancel",
        "set_cancel_open",
        "cancel",
    },
    # -- holdings --
    HoldingsDashboardState: {"load", "preset"},
    OverviewState: {"load", "apply_range", "preset"},
    HoldingsAssetsState: {"load", "older", "newer"},
    HoldingsAccountsState: {
        "load",
        "older",
        "newer",
        "open_snapshot",
        "set_snapshot_open",  # only opens/closes the dialog (not while a save runs)
        "record",
    },
    # -- BPO --
    BpoCallsState: {"load", "apply_filters", "clear_filters", "older", "newer"},
    BpoMyCallsState: {"load"},
    BpoCallFormState: {"open_form", "set_form_open", "save"},  # log_call: scope in the domain
    BpoImportState: {
        "load",
        "choose_kind",
        "choose_upload_venture",
        "download_template",  # the domain's template, for a venture where the role imports
        "upload_progress",  # display only
        "start_upload",  # display only
        "upload",  # keeps the bytes; check_upload hands them to the domain
        "check_upload",
        "clear_upload",
    },
    BpoCampaignsState: {"load", "older", "newer", "open_form", "set_form_open", "save"},
    BpoAgentsState: {"load", "older", "newer", "open_form", "set_form_open", "save"},
    BpoDashboardState: {"load", "apply_range", "preset"},
    # -- incentives --
    MyIncentivesState: {"load", "choose_month"},
    VentureIncentivesState: {"load", "apply", "export_csv"},
    IncentivePlansState: {
        "load",
        "new_plan",
        "edit_plan",
        "set_plan_open",
        "save_plan",
        "retire_plan",
        "new_rule",
        "edit_rule",
        "set_rule_open",
        "edit_field",
        "toggle_enabled",
        "edit_tier",
        "add_tier",
        "remove_tier",
        "save_rule",
        "preview",
    },
    IncentiveCommitState: {"load", "dry_run", "ask_commit", "set_confirm_open", "commit"},
    PayoutsState: {
        "load",
        "refresh",
        "review",
        "close_review",
        "create",
        "ask_rerun",
        "set_rerun_open",
        "rerun",
        "ask_approve",
        "set_approve_open",
        "approve",
        "mark_paid",
        "mark_all_paid",
        "ask_void",
        "set_void_open",
        "void",
        "export_payroll",
        "compare_previous",
        "close_compare",
    },
}

# Background handlers run on the event loop without the state lock (long or slow work).
BACKGROUND = {
    LoginState: {"submit"},
    AdminUsersState: {"save_user", "reset_password", "export_csv"},
    ProfileState: {"change_password"},
    AdminJobsState: {"refresh", "start_run", "verify", "export_csv", "compare_previous"},
    FreightLoadsState: {"export_csv"},
    AuditState: {"export_csv"},
    AdminErrorsState: {"export_csv"},
    FreightLoadState: {"transition"},
    FreightLoadFormState: {"save"},
    FreightQuotesState: {"convert", "export_csv"},
    FreightCarriersState: {"export_csv"},
    FreightQuoteFormState: {"save"},
    FreightOutreachState: {"award", "retry_failed", "watch_detail", "export_csv"},
    FreightSendState: {"send"},
    FreightDashboardState: {"load", "apply_range"},
    HospitalityKpiState: {"check_upload"},
    HotelKpiFormState: {"save"},
    HospitalityReviewsState: {"respond"},
    HospitalityDisputesState: {"create", "save_edit", "resolve"},
    HospitalityDashboardState: {"load", "apply_range"},
    HoldingsAccountsState: {"record"},
    BpoCallFormState: {"save"},
    BpoImportState: {"check_upload"},
    BpoCampaignsState: {"save"},
    BpoAgentsState: {"save"},
    BpoDashboardState: {"load", "apply_range"},
    OverviewState: {"load", "apply_range"},
    IncentivePlansState: {"preview"},
    IncentiveCommitState: {"dry_run", "commit"},
    PayoutsState: {"create", "rerun", "approve", "void", "compare_previous"},
    TasksState: {"export_csv"},
    EodReviewState: {"export_csv"},
    PointsConfigState: {"save"},
}

# The session token and three display preferences (venture filter, sidebar, timezone).
CLIENT_STORAGE = {"token", "venture_filter", "sidebar_collapsed", "browser_timezone"}


def _app_states() -> set[type[rx.State]]:
    found: set[type[rx.State]] = set()
    todo = list(rx.State.get_substates())
    while todo:
        cls = todo.pop()
        todo.extend(cls.get_substates())
        if cls.__module__.startswith("rxapp."):
            found.add(cls)
    return found


def test_every_state_of_the_app_is_reviewed() -> None:
    assert _app_states() == set(EXPECTED)


def test_public_handlers_of_each_state() -> None:
    for cls, handlers in EXPECTED.items():
        assert set(cls.event_handlers) == handlers | {"setvar"}, cls.__name__


def test_background_handlers() -> None:
    for cls in EXPECTED:
        background = {n for n, h in cls.event_handlers.items() if h.is_background}
        assert background == BACKGROUND.get(cls, set()), cls.__name__


def test_setvar_reaches_only_the_reviewed_setters() -> None:
    # setvar("x", v) calls set_x(v): the only set_* callables are handlers listed above, plus
    # Reflex's own hydration flag setter on the root state.
    reflex_builtin = {"set_is_hydrated"}
    for cls in EXPECTED:
        setters = {n for n in dir(cls) if n.startswith("set_") and callable(getattr(cls, n))}
        reviewed = set().union(*(h for c, h in EXPECTED.items() if issubclass(cls, c)))
        assert setters - reflex_builtin <= reviewed, (cls.__name__, setters - reviewed)


def _client_storage(cls: type[rx.State]) -> set[str]:
    return {
        name
        for name, f in cls.get_fields().items()
        if type(f.default).__name__ in ("Cookie", "LocalStorage", "SessionStorage")
    }


def test_only_the_session_cookie_and_three_preferences_are_client_storage() -> None:
    assert _client_storage(SessionState) == CLIENT_STORAGE
    for cls in EXPECTED:
        assert _client_storage(cls) <= CLIENT_STORAGE, cls.__name__
