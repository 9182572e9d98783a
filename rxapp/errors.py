"""The web app's last-resort handler for an exception in a page event (``rx.App``'s
``backend_exception_handler``): record it as an ErrorEvent (and send it to Sentry when
configured) and tell the user, in words, that it was not their fault.

Domain refusals never get here: handlers turn them into messages. What arrives is a bug or an
outage. Reflex calls this outside the failed handler, so the place and the user are read from
the traceback: the outermost frame of our code is the event handler, and its ``self`` is the
page state, whose session token names the user (resolved read-only; a failure to resolve is
just an unknown user).
"""

# No `from __future__ import annotations`: Reflex checks this handler's annotations at start.

from typing import Any

import reflex as rx
from reflex.event import EventSpec

from domain.db import read_only
from domain.observability.errors import record_error
from domain.settings import PROJECT_ROOT

RXAPP_DIR = str(PROJECT_ROOT / "rxapp") + "/"
# The @guarded wrapper of a handler: the handler itself is the next frame in.
GUARDS_FILE = RXAPP_DIR + "state/guards.py"
USER_MESSAGE = (
    "Something went wrong on our side. It has been recorded for the admins; try again, and "
    "tell them if it keeps happening."
)


def _handler_frame(exc: BaseException) -> Any:
    """The frame object of the outermost rxapp/ function in the traceback (the event handler)."""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(RXAPP_DIR) and filename != GUARDS_FILE:
            return tb.tb_frame
        tb = tb.tb_next
    return None


def _user_id(state: Any) -> int | None:
    from domain.access.auth import resolve_session

    token = getattr(state, "token", None)
    if not token:
        return None
    try:
        with read_only() as uow:
            return resolve_session(uow, token).actor.real_user_id
    except Exception:
        return None


def describe(exc: BaseException) -> tuple[str, int | None]:
    """(where, user id) of an exception raised by a page event."""
    frame = _handler_frame(exc)
    if frame is None:
        return "page event", None
    where = getattr(frame.f_code, "co_qualname", frame.f_code.co_name)
    return where, _user_id(frame.f_locals.get("self"))


def on_backend_error(exception: Exception) -> EventSpec:
    where, user_id = describe(exception)
    record_error(exception, kind="page", where=where, user_id=user_id)
    return rx.toast.error(USER_MESSAGE, duration=10_000)
